//===- Pipelines.h - From tern to a schedule and target code -----*- C++ -*-===//
#ifndef TERN_CODEGEN_PIPELINES_H
#define TERN_CODEGEN_PIPELINES_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::tern {

struct SchedulePipelineOptions : public PassPipelineOptions<SchedulePipelineOptions> {
  Option<int64_t> alignment{*this, "alignment", llvm::cl::desc("Byte alignment of arena offsets"),
                            llvm::cl::init(64)};
};

/// tern (tensors) -> linalg, elementwise fusion, bufferization with results
/// as out-parameters, one kernel per compute op in @kernels, and the arena
/// plan: the scheduled form the plan builder reads.
void buildSchedulePipeline(OpPassManager &pm, const SchedulePipelineOptions &options);

/// Lowers the kernels of @kernels to the LLVM dialect for the host CPU; each
/// kernel takes one bare pointer per buffer.
void buildHostKernelsPipeline(OpPassManager &pm);

struct GpuKernelsPipelineOptions : public PassPipelineOptions<GpuKernelsPipelineOptions> {
  Option<std::string> chip{*this, "chip", llvm::cl::desc("GPU architecture (sm_80, sm_89, sm_90a)"),
                           llvm::cl::init("sm_90a")};
  Option<bool> serialize{*this, "serialize",
                         llvm::cl::desc("End with PTX in gpu.binary ops (else stop at NVVM)"),
                         llvm::cl::init(true)};
  Option<std::string> cudaToolkit{
      *this, "cuda-toolkit",
      llvm::cl::desc("CUDA toolkit folder whose nvvm/libdevice is linked into kernels "
                     "(default: found by MLIR from CUDA_HOME)"),
      llvm::cl::init("")};
};

/// Lowers the kernels of @kernels to GPU launches and their device code
/// through NVVM to PTX (LLVM's NVPTX backend); the kernel functions keep
/// only gpu.launch_func ops, which the plan builder reads.
void buildGpuKernelsPipeline(OpPassManager &pm, const GpuKernelsPipelineOptions &options);

/// Adds the dialects and external interface models the codegen pipelines
/// create or rely on (bufferization models of arith/linalg/tensor/func).
void registerCodegenDialects(DialectRegistry &registry);

/// Registers tern-schedule, tern-lower-host-kernels and tern-lower-gpu-kernels.
void registerCodegenPipelines();

} // namespace mlir::tern

#endif // TERN_CODEGEN_PIPELINES_H
