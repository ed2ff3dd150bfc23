//===- Pipelines.cpp - @kernels -> host or GPU code -----------------------===//
#include "codegen/kernels/Pipelines.h"

#include "codegen/kernels/Passes.h"
#include "target/Target.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::tern {

/// bf16 arithmetic and math (--precision=bf16's elementwise ops) as f32
/// operations on widened operands, each result rounded back to bf16: what
/// PyTorch's bf16 kernels compute, the same on the host and on GPUs, and no
/// soft-float calls for LLVM to emit.
static void addBf16ArithmeticInF32(OpPassManager &pm) {
  arith::ArithEmulateUnsupportedFloatsOptions arithmetic;
  arithmetic.sourceTypeStrs = {"bf16"};
  pm.addPass(arith::createArithEmulateUnsupportedFloats(arithmetic));
  pm.addPass(math::createMathExtendToSupportedTypes());
}

void buildHostKernelsPipeline(OpPassManager &pm, const HostKernelsPipelineOptions &options) {
  OpPassManager &kernels = pm.nest<ModuleOp>();
  // A thread runs its range of a kernel's iterations in order: one scratch
  // serves them all (tern-outline-host-tasks gives each task its own).
  kernels.addNestedPass<func::FuncOp>(
      createKernelScratchToStackPass(KernelScratchToStackPassOptions{/*hoist=*/true}));
  // Scatters are scf.forall over lines (IndexingToLinalg.cpp).
  kernels.addPass(createForallToParallelLoopPass());
  kernels.addNestedPass<func::FuncOp>(createCollapseContractionDimsPass());
  StreamContractionsPassOptions stream;
  stream.vectorBits = options.vectorBits;
  kernels.addNestedPass<func::FuncOp>(createStreamContractionsPass(stream));
  TileContractionsPassOptions tile;
  tile.fusedMultiplyAdd = true;
  kernels.addNestedPass<func::FuncOp>(createTileContractionsPass(tile));
  kernels.addNestedPass<func::FuncOp>(createFmaReductionsPass());
  kernels.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  kernels.addPass(createExpandFp8ConversionsPass());
  // The outermost parallel loops run on the session's threads.
  kernels.addPass(createOutlineHostTasksPass());
  kernels.addPass(createLowerAffinePass());
  kernels.addPass(createSCFToControlFlowPass());
  kernels.addPass(memref::createExpandStridedMetadataPass());
  kernels.addPass(createLowerAffinePass());
  addBf16ArithmeticInF32(kernels);
  // bf16 conversions as bit operations: x86-64 code for fptrunc to bf16
  // calls __truncsfbf2, which this machine's libgcc lacks.
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  kernels.addPass(arith::createArithExpandOpsPass(expand));
  // The streamed contractions' vector tiles.
  kernels.addPass(createConvertVectorToLLVMPass());
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
  kernels.addPass(createDispatchHostTasksPass());
}

void buildGpuKernelsPipeline(OpPassManager &pm, const GpuKernelsPipelineOptions &options) {
  OpPassManager &kernels = pm.nest<ModuleOp>();
  // Each iteration is a thread, with the scratch in its local memory.
  kernels.addNestedPass<func::FuncOp>(createKernelScratchToStackPass());
  kernels.addNestedPass<func::FuncOp>(createCollapseContractionDimsPass());
  kernels.addNestedPass<func::FuncOp>(createMapContractionsToTensorCoresPass(
      MapContractionsToTensorCoresPassOptions{options.chip}));
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
  // An unknown chip is reported by the tensor-core pass.
  std::optional<::tern::Target> chip = ::tern::Target::get(options.chip);
  target.features = chip ? chip->getPtxFeatures().str() : "";
  kernels.addPass(createGpuNVVMAttachTarget(target));

  OpPassManager &device = kernels.nest<gpu::GPUModuleOp>();
  device.addPass(createLowerAffinePass());
  device.addPass(createSCFToControlFlowPass());
  device.addPass(memref::createExpandStridedMetadataPass());
  device.addPass(createLowerAffinePass());
  device.addPass(createExpandFp8ConversionsPass(
      ExpandFp8ConversionsPassOptions{/*hardware=*/chip && chip->hasFp8Conversions()}));
  addBf16ArithmeticInF32(device);
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

void registerKernelPipelines() {
  PassPipelineRegistration<GpuKernelsPipelineOptions>(
      "tern-lower-gpu-kernels", "Lowers the @kernels module to GPU launches and PTX through NVVM",
      buildGpuKernelsPipeline);
  PassPipelineRegistration<HostKernelsPipelineOptions>(
      "tern-lower-host-kernels", "Lowers the @kernels module to the LLVM dialect for the host CPU",
      buildHostKernelsPipeline);
}

} // namespace mlir::tern
