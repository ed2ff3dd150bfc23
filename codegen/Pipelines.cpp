//===- Pipelines.cpp - From tern to a schedule and target code ------------===//
#include "codegen/Pipelines.h"

#include "codegen/Passes.h"
#include "codegen/Schedule.h"

#include "ir/TernDialect.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/NVVMToLLVM/NVVMToLLVM.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::tern {

void buildSchedulePipeline(OpPassManager &pm, const SchedulePipelineOptions &options) {
  pm.addNestedPass<func::FuncOp>(createConvertTernToLinalgPass());
  pm.addPass(createLinalgElementwiseOpFusionPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion = bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(createMarkInputsReadOnlyPass());
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
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
  pm.addPass(createPlanMemoryPass(PlanMemoryPassOptions{options.alignment}));
  // Views the schedule no longer reads.
  pm.addPass(createCanonicalizerPass());
}

void buildHostKernelsPipeline(OpPassManager &pm) {
  OpPassManager &kernels = pm.nest<ModuleOp>();
  // Scatters are scf.forall over lines (IndexingToLinalg.cpp).
  kernels.addPass(createForallToParallelLoopPass());
  kernels.addNestedPass<func::FuncOp>(createTileContractionsPass());
  kernels.addPass(createConvertLinalgToLoopsPass());
  kernels.addPass(createLowerAffinePass());
  kernels.addPass(createSCFToControlFlowPass());
  kernels.addPass(memref::createExpandStridedMetadataPass());
  kernels.addPass(createLowerAffinePass());
  // bf16 conversions as bit operations: x86-64 code for fptrunc to bf16
  // calls __truncsfbf2, which this machine's libgcc lacks.
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  kernels.addPass(arith::createArithExpandOpsPass(expand));
  kernels.addPass(createFinalizeMemRefToLLVMConversionPass());
  // LLVM intrinsics first (rsqrt becomes 1 / sqrt; libm has no rsqrtf), then
  // libm calls for what LLVM has no intrinsic for (erf).
  kernels.addPass(createConvertMathToLLVMPass());
  kernels.addPass(createConvertMathToLibmPass());
  kernels.addPass(createArithToLLVMConversionPass());
  kernels.addPass(createConvertIndexToLLVMPass());
  kernels.addPass(createConvertControlFlowToLLVMPass());
  ConvertFuncToLLVMPassOptions func;
  func.useBarePtrCallConv = true;
  kernels.addPass(createConvertFuncToLLVMPass(func));
  kernels.addPass(createReconcileUnrealizedCastsPass());
}

void buildGpuKernelsPipeline(OpPassManager &pm, const GpuKernelsPipelineOptions &options) {
  OpPassManager &kernels = pm.nest<ModuleOp>();
  kernels.addNestedPass<func::FuncOp>(createMapContractionsToTensorCoresPass());
  kernels.addNestedPass<func::FuncOp>(createTileContractionsPass());
  kernels.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  kernels.addNestedPass<func::FuncOp>(createForallToParallelLoopPass());
  // The greedy rewrites of the loop conversions hoisted the tensor-core
  // launches' constants to the function entry; outlining would pass them as
  // kernel parameters, which a plan's launches (buffers only) cannot.
  kernels.addNestedPass<func::FuncOp>(createGpuLaunchSinkIndexComputationsPass());
  kernels.addNestedPass<func::FuncOp>(createMapKernelsToGpuPass());
  // No canonicalization here: it would hoist the launches' constants out,
  // and outlining would pass them as kernel parameters.
  kernels.addPass(createGpuKernelOutliningPass());
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = "+ptx80";
  kernels.addPass(createGpuNVVMAttachTarget(target));

  OpPassManager &device = kernels.nest<gpu::GPUModuleOp>();
  device.addPass(createLowerAffinePass());
  device.addPass(createSCFToControlFlowPass());
  device.addPass(memref::createExpandStridedMetadataPass());
  device.addPass(createLowerAffinePass());
  ConvertGpuOpsToNVVMOpsOptions nvvm;
  // One pointer per buffer: the launch list passes base addresses only.
  nvvm.useBarePtrCallConv = true;
  device.addPass(createConvertGpuOpsToNVVMOps(nvvm));
  device.addPass(createCanonicalizerPass());
  device.addPass(createReconcileUnrealizedCastsPass());
  if (options.serialize) {
    GpuModuleToBinaryPassOptions binary;
    binary.compilationTarget = "isa"; // PTX text, JIT-compiled by the driver
    // Math functions (exp, tanh, ...) come from its libdevice.
    binary.toolkitPath = options.cudaToolkit;
    kernels.addPass(createGpuModuleToBinaryPass(binary));
  }
}

void registerCodegenDialects(DialectRegistry &registry) {
  registry
      .insert<TernDialect, affine::AffineDialect, arith::ArithDialect,
              bufferization::BufferizationDialect, cf::ControlFlowDialect, func::FuncDialect,
              linalg::LinalgDialect, LLVM::LLVMDialect, math::MathDialect, memref::MemRefDialect,
              scf::SCFDialect, tensor::TensorDialect, gpu::GPUDialect, NVVM::NVVMDialect>();
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  // convert-gpu-to-nvvm gathers the LLVM patterns of each dialect it meets
  // from these interfaces.
  arith::registerConvertArithToLLVMInterface(registry);
  cf::registerConvertControlFlowToLLVMInterface(registry);
  index::registerConvertIndexToLLVMInterface(registry);
  registerConvertFuncToLLVMInterface(registry);
  registerConvertMathToLLVMInterface(registry);
  registerConvertMemRefToLLVMInterface(registry);
  registerConvertNVVMToLLVMInterface(registry);
  // Serializing GPU modules and host kernels translates to LLVM IR.
  registerBuiltinDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
}

void registerCodegenPipelines() {
  PassPipelineRegistration<SchedulePipelineOptions>(
      "tern-schedule", "Lowers tern to linalg, bufferizes, outlines kernels and plans the arena",
      buildSchedulePipeline);
  PassPipelineRegistration<GpuKernelsPipelineOptions>(
      "tern-lower-gpu-kernels", "Lowers the @kernels module to GPU launches and PTX through NVVM",
      buildGpuKernelsPipeline);
  PassPipelineRegistration<>("tern-lower-host-kernels",
                             "Lowers the @kernels module to the LLVM dialect for the host CPU",
                             buildHostKernelsPipeline);
}

} // namespace mlir::tern
