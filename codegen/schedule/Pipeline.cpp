//===- Pipeline.cpp - linalg on tensors -> the scheduled form -------------===//
#include "codegen/schedule/Pipeline.h"

#include "codegen/schedule/Passes.h"

#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::tern {

void buildSchedulePipeline(OpPassManager &pm, const SchedulePipelineOptions &options) {
  pm.addPass(createFormKernelsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  pm.addPass(createMarkInputsReadOnlyPass());
  // A row kernel's result goes straight into the rows of its destination.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  pm.addPass(createBufferizeFunctionsInOrderPass());
  // Folds the loop-carried buffers of in-place updates, so that a state
  // written in place is returned as its own argument; CSE first merges the
  // equal subviews of a line a scatter updates in place, so that its copy
  // back onto itself folds away.
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createBindStateBuffersPass());
  // Results become caller-provided output buffers, written in place where
  // the last op allows it.
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.addResultAttribute = true;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  pm.addPass(createCanonicalizerPass());

  pm.addPass(createOutlineKernelsPass());
  pm.addPass(createDeduplicateKernelsPass());
  pm.addPass(createPlanMemoryPass(PlanMemoryPassOptions{options.alignment}));
  // Views the schedule no longer reads.
  pm.addPass(createCanonicalizerPass());
}

void registerSchedulePipeline() {
  PassPipelineRegistration<SchedulePipelineOptions>(
      "tern-schedule",
      "Forms kernels, bufferizes, outlines one kernel per compute op and plans the arena",
      buildSchedulePipeline);
}

} // namespace mlir::tern
