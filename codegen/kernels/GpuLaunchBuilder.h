//===- GpuLaunchBuilder.h - Builds a gpu.launch inside a kernel -*- C++ -*-===//
//
// The passes that map a kernel's computation to GPU launches share this: a
// launch that captures only the kernel function's buffers, so that after
// gpu-kernel-outlining each GPU kernel takes whole buffers and nothing else.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_CODEGEN_GPULAUNCHBUILDER_H
#define TERN_CODEGEN_GPULAUNCHBUILDER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/IRMapping.h"

#include <array>

namespace mlir::tern {

/// Creates a launch before `anchor` and clones into it the views and
/// constants the moved ops use, so the launch captures only buffers.
class GpuLaunchBuilder {
public:
  GpuLaunchBuilder(func::FuncOp kernel, Operation *anchor, std::array<int64_t, 3> blocks,
                   int64_t threads);

  /// Clones into the launch the views and constants `values` are defined by.
  LogicalResult cloneDefinitions(ArrayRef<Value> values);
  /// Clones `op` into the launch, with the views and constants it uses.
  LogicalResult cloneIn(Operation *op);

  /// Inserts into the launch body, before its terminator.
  OpBuilder builder;
  gpu::LaunchOp launch;
  /// From values outside the launch to their clones inside.
  IRMapping mapping;
};

} // namespace mlir::tern

#endif // TERN_CODEGEN_GPULAUNCHBUILDER_H
