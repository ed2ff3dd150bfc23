//===- Passes.h - Tern dialect passes and pipelines -------------*- C++ -*-===//
#ifndef TERN_PASSES_PASSES_H
#define TERN_PASSES_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::tern {

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

/// Options of the `tern-cleanup` pipeline.
struct CleanupPipelineOptions : public PassPipelineOptions<CleanupPipelineOptions> {
  PassOptions::Option<bool> inferShapes{
      *this, "infer-shapes", llvm::cl::desc("Run tern-infer-shapes first"), llvm::cl::init(true)};
};

/// Shape inference, canonicalization and CSE on every function: what the
/// importer's output goes through before any fusion pass.
void buildCleanupPipeline(OpPassManager &pm, const CleanupPipelineOptions &options);

/// Registers the Tern pipelines with the global registry; the generated
/// registerTernPasses() below registers the passes.
void registerTernPipelines();

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

} // namespace mlir::tern

#endif // TERN_PASSES_PASSES_H
