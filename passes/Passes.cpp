//===- Passes.cpp - Tern pipelines and registration -----------------------===//
#include "passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::tern {

void buildCleanupPipeline(OpPassManager &pm, const CleanupPipelineOptions &options) {
  if (options.inferShapes)
    pm.addNestedPass<func::FuncOp>(createInferShapesPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void registerTernPipelines() {
  PassPipelineRegistration<CleanupPipelineOptions>(
      "tern-cleanup", "Shape inference, canonicalization and CSE", buildCleanupPipeline);
}

} // namespace mlir::tern
