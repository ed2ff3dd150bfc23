//===- Target.h - What a plan is compiled for -------------------*- C++ -*-===//
//
// The one description of each compilation target: chosen once from ternc's
// --target, handed to the passes that choose code by it (which tensor-core
// instructions a chip has), written into the plan, and read back by the
// runtime (which device and CPU features a plan needs). No other code
// compares target names. LLVM Support only, so the runtime can use it.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_TARGET_TARGET_H
#define TERN_TARGET_TARGET_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace tern {

/// The matrix instructions of an NVIDIA chip.
struct TensorCoreCapabilities {
  /// mma.sync m16n8k16 with f16 or bf16 operands, f32 accumulation (sm_80+).
  bool mmaSync16Bit = false;
  /// mma.sync m16n8k32 with e4m3 or e5m2 operands, f32 accumulation (sm_89+).
  bool mmaSyncFp8 = false;
  /// Warpgroup wgmma.mma_async with operands in shared memory (sm_90a).
  bool wgmma = false;
};

/// A compilation target: the host CPU or one NVIDIA chip.
class Target {
public:
  enum class Kind { Host, Cuda };

  /// The target a --target value names ("host": for the baseline CPU;
  /// "sm_80", "sm_89", "sm_90a"), or nullopt.
  static std::optional<Target> get(llvm::StringRef name);
  /// The host target for `cpu`, an LLVM x86-64 CPU name, with the features
  /// that CPU has; "native" is this machine's CPU with its features.
  static llvm::Expected<Target> getHost(llvm::StringRef cpu = kBaselineCpu);
  /// Every name get() accepts, in the order help text lists them.
  static llvm::ArrayRef<llvm::StringLiteral> getNames();
  /// "host, sm_80, sm_89 or sm_90a", for messages.
  static std::string describeNames();

  /// The CPU host plans are compiled for unless told otherwise: AVX2 and FMA,
  /// which x86-64 servers have had since 2013 (Haswell) and 2017 (Zen);
  /// "x86-64" compiles for any x86-64 CPU.
  static constexpr llvm::StringLiteral kBaselineCpu = "x86-64-v3";

  Kind getKind() const { return kind; }
  bool isHost() const { return kind == Kind::Host; }
  bool isCuda() const { return kind == Kind::Cuda; }
  /// The --target name: "host" or the chip ("sm_90a").
  llvm::StringRef getName() const { return name; }

  // Host targets.
  /// The LLVM target triple of host code.
  llvm::StringRef getTriple() const;
  /// The LLVM CPU name code is tuned for and may use the instructions of.
  llvm::StringRef getCpu() const { return cpu; }
  /// The LLVM feature flags code may use ("+avx2", "+avx512f"), sorted; the
  /// runtime checks that the machine running a plan has them.
  llvm::ArrayRef<std::string> getCpuFeatures() const { return cpuFeatures; }
  /// The bits of the vector registers host code computes in: 512 with
  /// AVX-512F, 256 with AVX, else 128 (SSE2).
  unsigned getHostVectorBits() const;

  // CUDA targets.
  /// major * 10 + minor: 80, 89, 90.
  unsigned getComputeCapability() const { return computeCapability; }
  /// Whether the code runs on that capability only (sm_90a's
  /// architecture-specific features), not on later ones too.
  bool needsExactCapability() const { return exactCapability; }
  /// The PTX ISA features code for the chip is emitted with.
  llvm::StringRef getPtxFeatures() const;
  const TensorCoreCapabilities &getTensorCores() const { return tensorCores; }
  /// Whether the chip converts to and from FP8 in hardware (cvt e4m3x2).
  bool hasFp8Conversions() const { return fp8Conversions; }
  /// The most shared memory one thread block may use, in bytes.
  uint32_t getMaxSharedMemoryPerBlock() const { return maxSharedMemoryPerBlock; }

private:
  Target() = default;

  Kind kind = Kind::Host;
  std::string name;
  std::string cpu;
  std::vector<std::string> cpuFeatures;
  unsigned computeCapability = 0;
  bool exactCapability = false;
  TensorCoreCapabilities tensorCores;
  bool fp8Conversions = false;
  uint32_t maxSharedMemoryPerBlock = 0;
};

/// The features in `required` ("+avx512f") this machine's CPU lacks.
std::vector<std::string> getMissingHostCpuFeatures(llvm::ArrayRef<std::string> required);

} // namespace tern

#endif // TERN_TARGET_TARGET_H
