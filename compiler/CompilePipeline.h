//===- CompilePipeline.h - The whole compile, in phases ---------*- C++ -*-===//
//
// What ternc runs on an imported module, as one pass pipeline in named
// phases. The importers (frontend/) come before it; plan emission
// (compiler/Emit.h) after. tern-opt --tern-compile runs the same pipeline.
//
//   cleanup   shape inference, canonicalization, CSE (tern dialect)
//   fusion    Tern's fusion passes (tern dialect): MoE routing, then MoE
//             experts, then latent attention (MLA), then FP8 casts
//   precision the precision policy (tern dialect): activations in bf16
//             with --precision=bf16; FP8 activations of FP8 products with
//             --fp8-activations
//   lowering  tern -> linalg on tensors; every tern op must be lowered
//   schedule  bufferization, kernels outlined into @kernels, arena planned
//   kernels   @kernels for the target: LLVM dialect (host) or launches and
//             PTX (GPU)
//
//===----------------------------------------------------------------------===//
#ifndef TERN_COMPILER_COMPILEPIPELINE_H
#define TERN_COMPILER_COMPILEPIPELINE_H

#include "target/Target.h"

#include "mlir/Pass/PassManager.h"

#include <optional>

namespace mlir::tern {

enum class CompilePhase { Cleanup, Fusion, Precision, Lowering, Schedule, Kernels };

/// The phase's name: "cleanup", "fusion", "precision", "lowering",
/// "schedule", "kernels".
llvm::StringRef getCompilePhaseName(CompilePhase phase);
/// The phase of that name, or nullopt.
std::optional<CompilePhase> getCompilePhase(llvm::StringRef name);
/// "cleanup, fusion, precision, lowering, schedule, kernels", for messages.
std::string describeCompilePhases();

/// The fusions the fusion phase runs, each of which ternc --skip-fusion can
/// leave out alone: MoE routing and experts, latent attention, FP8 casts.
enum class Fusion { MoE, MLA, FP8 };

/// The fusion's name: "moe", "mla", "fp8".
llvm::StringRef getFusionName(Fusion fusion);
/// The fusion of that name, or nullopt.
std::optional<Fusion> getFusion(llvm::StringRef name);
/// "moe, mla, fp8", for messages.
std::string describeFusions();

struct CompileOptions {
  ::tern::Target target = *::tern::Target::get("host");
  /// The pipeline ends after this phase.
  CompilePhase lastPhase = CompilePhase::Kernels;
  /// false: skip the cleanup phase (ternc --no-cleanup).
  bool cleanup = true;
  /// false: leave the fusion phase empty (ternc --no-fusion), to compare
  /// fused against unfused.
  bool fusion = true;
  /// Fusions the fusion phase leaves out (ternc --skip-fusion), to measure
  /// one fusion against the model with the others.
  llvm::SmallVector<Fusion> skippedFusions;
  /// Element type of the latent KV cache the MLA fusion makes: "f32" (the
  /// activations') or "bf16" (ternc --kv-cache).
  std::string kvCache = "f32";
  /// The element type of activations between ops: "f32" (as imported) or
  /// "bf16" (ternc --precision; tern-narrow-activations).
  std::string precision = "f32";
  /// Quantize the activations of FP8 block-scaled products to FP8 E4M3 in
  /// 1 x 128 blocks at run time (ternc --fp8-activations;
  /// tern-quantize-activations).
  bool fp8Activations = false;
  /// Host: decoding's latent attention reads each sequence up to its
  /// position in splits of the cache (convert-tern-to-linalg's
  /// split-attention); false scores every position under a mask, as GPUs do
  /// (ternc's hidden --masked-attention, which tests compare against).
  bool splitAttention = true;
  /// GPU targets: end with PTX in gpu.binary ops (else stop at NVVM).
  bool serializeGpuKernels = true;
  /// GPU targets: the CUDA toolkit whose libdevice kernels link (empty:
  /// findCudaToolkit(), else MLIR's own search).
  std::string cudaToolkit;
  /// Byte alignment of arena offsets.
  int64_t arenaAlignment = 64;
};

/// Called after the passes of each phase are added, with the pass manager
/// they went into: ternc adds the pass that dumps the IR of the phase.
using CompilePhaseHook = std::function<void(CompilePhase, OpPassManager &)>;

/// The CUDA toolkit whose libdevice GPU kernels link (math functions):
/// $CUDA_HOME, $CUDA_PATH, $CUDA_ROOT or /usr/local/cuda, the first with
/// nvvm/libdevice/libdevice.10.bc.
std::optional<std::string> findCudaToolkit();

/// Adds the phases up to options.lastPhase to `pm` (on a builtin.module).
void buildCompilePipeline(OpPassManager &pm, const CompileOptions &options,
                          const CompilePhaseHook &afterPhase = {});

/// Registers tern-compile: the same pipeline from textual options
/// ("target=sm_90a last-phase=schedule").
void registerCompilePipeline();

} // namespace mlir::tern

#endif // TERN_COMPILER_COMPILEPIPELINE_H
