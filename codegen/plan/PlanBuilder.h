//===- PlanBuilder.h - Scheduled module -> plan manifest ---------*- C++ -*-===//
#ifndef TERN_CODEGEN_PLAN_PLANBUILDER_H
#define TERN_CODEGEN_PLAN_PLANBUILDER_H

#include "runtime/plan.pb.h"
#include "target/Target.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinOps.h"

#include <vector>

namespace mlir::tern {

/// A manifest and the weight data it places (weightData[i] fills
/// manifest.weights(i)); the data stays in the MLIR context (mmapped blobs
/// or uniqued attributes) until the writer streams it.
struct PlanContents {
  ::tern::plan::Plan manifest;
  std::vector<ElementsAttr> weightData;
};

/// Reads a module the schedule pipeline and a kernel pipeline have run on:
/// its entry functions (arguments, arena allocations, weights, dispatches)
/// become entry points, its constant globals weights. On the host each
/// dispatch is one launch of the kernel of the same name; for a GPU target
/// each dispatch expands into the `gpu.launch_func` ops of its kernel
/// function, with their grid and block, and PTX comes from the `gpu.binary`
/// ops. The target's description (name; CPU and features on the host) goes
/// into the manifest. Fills everything but compiler_version and
/// host_library.
FailureOr<PlanContents> buildPlanContents(ModuleOp module, const ::tern::Target &target);

} // namespace mlir::tern

#endif // TERN_CODEGEN_PLAN_PLANBUILDER_H
