//===- Pipelines.h - @kernels -> host or GPU code ---------------*- C++ -*-===//
#ifndef TERN_CODEGEN_KERNELS_PIPELINES_H
#define TERN_CODEGEN_KERNELS_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::tern {

struct HostKernelsPipelineOptions : public PassPipelineOptions<HostKernelsPipelineOptions> {
  Option<int64_t> vectorBits{*this, "vector-bits",
                             llvm::cl::desc("Bits of one of the CPU's vector registers (256 for "
                                            "AVX2, 512 for AVX-512): sizes the vector tiles"),
                             llvm::cl::init(256)};
};

/// Lowers the kernels of @kernels to the LLVM dialect for the host CPU; each
/// kernel takes one bare pointer per buffer.
void buildHostKernelsPipeline(OpPassManager &pm, const HostKernelsPipelineOptions &options = {});

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

/// Registers tern-lower-host-kernels and tern-lower-gpu-kernels.
void registerKernelPipelines();

} // namespace mlir::tern

#endif // TERN_CODEGEN_KERNELS_PIPELINES_H
