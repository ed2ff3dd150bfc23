//===- Target.cpp - What a plan is compiled for ---------------------------===//
#include "target/Target.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/X86TargetParser.h"

#include <algorithm>

namespace tern {

namespace {

/// What Tern knows of each NVIDIA chip it targets. Shared memory is the
/// opt-in maximum per block (CUDA programming guide, compute capabilities).
struct CudaChip {
  llvm::StringLiteral name;
  unsigned computeCapability;
  bool exactCapability;
  TensorCoreCapabilities tensorCores;
  bool fp8Conversions;
  uint32_t maxSharedMemoryPerBlock;
};

constexpr CudaChip kCudaChips[] = {
    {"sm_80", 80, false, {true, false, false}, false, 163 * 1024},
    {"sm_89", 89, false, {true, true, false}, true, 99 * 1024},
    {"sm_90a", 90, true, {true, true, true}, true, 227 * 1024},
};

constexpr llvm::StringLiteral kHostName = "host";
constexpr llvm::StringLiteral kNames[] = {kHostName, "sm_80", "sm_89", "sm_90a"};

} // namespace

std::optional<Target> Target::get(llvm::StringRef name) {
  if (name == kHostName)
    return llvm::cantFail(getHost());
  for (const CudaChip &chip : kCudaChips) {
    if (chip.name != name)
      continue;
    Target target;
    target.kind = Kind::Cuda;
    target.name = chip.name.str();
    target.computeCapability = chip.computeCapability;
    target.exactCapability = chip.exactCapability;
    target.tensorCores = chip.tensorCores;
    target.fp8Conversions = chip.fp8Conversions;
    target.maxSharedMemoryPerBlock = chip.maxSharedMemoryPerBlock;
    return target;
  }
  return std::nullopt;
}

llvm::Expected<Target> Target::getHost(llvm::StringRef cpu) {
  Target target;
  target.kind = Kind::Host;
  target.name = kHostName.str();
  if (cpu == "native") {
    target.cpu = llvm::sys::getHostCPUName().str();
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      if (feature.second)
        target.cpuFeatures.push_back(("+" + feature.first()).str());
  } else {
    if (llvm::X86::parseArchX86(cpu, /*Only64Bit=*/true) == llvm::X86::CK_None)
      return llvm::createStringError("unknown host CPU '" + cpu +
                                     "' (an LLVM x86-64 CPU name such as x86-64, x86-64-v3 or "
                                     "sapphirerapids, or native for this machine's)");
    target.cpu = cpu.str();
    llvm::SmallVector<llvm::StringRef> features;
    llvm::X86::getFeaturesForCPU(cpu, features, /*NeedPlus=*/true);
    for (llvm::StringRef feature : features)
      target.cpuFeatures.push_back(feature.str());
  }
  // Sorted, so that the same target always writes the same plan.
  llvm::sort(target.cpuFeatures);
  return target;
}

llvm::ArrayRef<llvm::StringLiteral> Target::getNames() { return kNames; }

std::string Target::describeNames() {
  std::string text;
  for (auto [index, name] : llvm::enumerate(kNames)) {
    if (index)
      text += index + 1 == std::size(kNames) ? " or " : ", ";
    text += name;
  }
  return text;
}

llvm::StringRef Target::getTriple() const { return "x86_64-unknown-linux-gnu"; }

unsigned Target::getHostVectorBits() const {
  // A CPU name's features omit those others imply (AVX-512BW implies
  // AVX-512F, AVX2 implies AVX).
  llvm::StringMap<bool> features;
  for (llvm::StringRef feature : cpuFeatures)
    if (feature.consume_front("+"))
      llvm::X86::updateImpliedFeatures(feature, /*Enabled=*/true, features);
  if (features.lookup("avx512f"))
    return 512;
  return features.lookup("avx") ? 256 : 128;
}

// PTX ISA 8.4 has mma.sync on FP8 (sm_89 and later); 8.0 is enough for
// sm_80 and asks less of the driver.
llvm::StringRef Target::getPtxFeatures() const {
  return getTensorCores().mmaSyncFp8 ? "+ptx84" : "+ptx80";
}

std::vector<std::string> getMissingHostCpuFeatures(llvm::ArrayRef<std::string> required) {
  llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
  std::vector<std::string> missing;
  for (const std::string &feature : required) {
    llvm::StringRef flag(feature);
    if (!flag.consume_front("+"))
      continue; // a disabled feature ("-avx512f") needs nothing
    // Features the host query does not report (no CPUID bit of their own)
    // cannot be checked and are taken as present.
    auto it = host.find(flag);
    if (it != host.end() && !it->second)
      missing.push_back(feature);
  }
  return missing;
}

} // namespace tern
