//===- InspectCheckpoint.cpp - ternc --inspect-checkpoint -----------------===//
#include "tools/ternc/InspectCheckpoint.h"

#include "frontend/hf/Checkpoint.h"
#include "frontend/hf/DeepSeekConfig.h"
#include "frontend/hf/DeepSeekWeights.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include <map>

namespace ternc {

using mlir::tern::hf::checkDeepSeekTensors;
using mlir::tern::hf::Checkpoint;
using mlir::tern::hf::DeepSeekConfig;
using mlir::tern::hf::formatShape;
using mlir::tern::hf::listDeepSeekTensors;
using mlir::tern::hf::parseDeepSeekConfig;
using mlir::tern::hf::SafetensorsFile;
using mlir::tern::hf::SafetensorsTensor;
using mlir::tern::hf::stringify;

namespace {

/// `value` as printf's %g writes it: 1e-06, 10000, 2.5.
std::string num(double value) { return llvm::formatv("{0}", llvm::format("%g", value)).str(); }

/// What the model computes, in a few lines.
void printConfig(const DeepSeekConfig &c, llvm::raw_ostream &os) {
  int64_t moeLayers = 0;
  for (int64_t layer = 0; layer < c.numHiddenLayers; ++layer)
    moeLayers += c.isMoELayer(layer);
  os << llvm::formatv("model: {0}, {1} layers ({2} dense, {3} MoE), hidden {4}, vocab {5}{6}\n",
                      c.architecture, c.numHiddenLayers, c.numHiddenLayers - moeLayers, moeLayers,
                      c.hiddenSize, c.vocabSize, c.tieWordEmbeddings ? ", tied embeddings" : "");
  os << llvm::formatv("attention: MLA, {0} heads, q_lora_rank {1}, kv_lora_rank {2}, qk {3}+{4} "
                      "(rope), v {5}\n",
                      c.numAttentionHeads,
                      c.qLoraRank ? std::to_string(*c.qLoraRank) : std::string("none"),
                      c.kvLoraRank, c.qkNopeHeadDim, c.qkRopeHeadDim, c.vHeadDim);
  os << llvm::formatv("experts: {0} routed ({1} per token, {2}, {3}, {4} of {5} groups, "
                      "{6}normalized, scale {7}), {8} shared, {9} wide; dense MLP {10} wide\n",
                      c.nRoutedExperts, c.numExpertsPerTok, stringify(c.scoringFunc),
                      stringify(c.topkMethod), c.topkGroup, c.nGroup, c.normTopkProb ? "" : "not ",
                      num(c.routedScalingFactor), c.nSharedExperts, c.moeIntermediateSize,
                      c.intermediateSize);
  os << llvm::formatv("rope: theta {0}, {1}", num(c.ropeTheta),
                      c.ropeInterleave ? "interleaved" : "halves");
  if (c.ropeScaling)
    os << llvm::formatv(", yarn factor {0} (original {1}, beta {2}/{3}, mscale {4}, "
                        "mscale_all_dim {5})",
                        num(c.ropeScaling->factor), c.ropeScaling->originalMaxPositionEmbeddings,
                        num(c.ropeScaling->betaFast), num(c.ropeScaling->betaSlow),
                        num(c.ropeScaling->mscale), num(c.ropeScaling->mscaleAllDim));
  os << llvm::formatv("; rms_norm_eps {0}\n", num(c.rmsNormEps));
  os << "dtype: " << stringify(c.dtype) << " (ternc computes in "
     << (c.dtype == mlir::tern::hf::TrainedDtype::Float32 ? "f32" : "bf16")
     << " unless --precision says)\n";
  if (c.fp8)
    os << llvm::formatv("quantization: fp8 e4m3 weights, {0}x{1} blocks\n", c.fp8->weightBlockRows,
                        c.fp8->weightBlockCols);
}

} // namespace

int inspectCheckpoint(llvm::StringRef path, llvm::raw_ostream &os) {
  llvm::Expected<std::unique_ptr<Checkpoint>> checkpoint = Checkpoint::open(path);
  if (!checkpoint) {
    llvm::errs() << "ternc: error: " << llvm::toString(checkpoint.takeError()) << "\n";
    return 1;
  }
  llvm::SmallString<256> configPath(path);
  llvm::sys::path::append(configPath, "config.json");
  llvm::Expected<DeepSeekConfig> config =
      parseDeepSeekConfig((*checkpoint)->getConfig(), configPath);
  if (!config) {
    llvm::errs() << "ternc: error: " << llvm::toString(config.takeError()) << "\n";
    return 1;
  }
  if (llvm::Error error = checkDeepSeekTensors(*config, **checkpoint)) {
    llvm::errs() << "ternc: error: " << llvm::toString(std::move(error)) << "\n";
    return 1;
  }
  os << "checkpoint: " << path << "\n";
  printConfig(*config, os);
  size_t read = listDeepSeekTensors(*config).size();

  size_t count = 0;
  std::map<std::string, uint64_t> bytesByDType;
  for (const std::unique_ptr<SafetensorsFile> &shard : (*checkpoint)->getShards())
    for (const SafetensorsTensor &tensor : shard->getTensors()) {
      ++count;
      bytesByDType[getDTypeName(tensor.dtype).str()] += tensor.data.size();
    }
  size_t scales = 0;
  if (config->fp8)
    for (const std::unique_ptr<SafetensorsFile> &shard : (*checkpoint)->getShards())
      for (const SafetensorsTensor &tensor : shard->getTensors())
        scales += llvm::StringRef(tensor.name).ends_with("_scale_inv");
  os << llvm::formatv("shards: {0}, tensors: {1} ({2} weights the model reads{3}, {4} unused)\n",
                      (*checkpoint)->getShards().size(), count, read,
                      scales ? llvm::formatv(" and {0} FP8 block scales", scales).str() : "",
                      count - read - scales);
  for (const auto &[dtype, bytes] : bytesByDType)
    os << llvm::formatv("  {0}: {1} bytes\n", dtype, bytes);
  for (const std::unique_ptr<SafetensorsFile> &shard : (*checkpoint)->getShards()) {
    os << "shard " << llvm::sys::path::filename(shard->getName()) << "\n";
    for (const SafetensorsTensor &tensor : shard->getTensors()) {
      os << "  " << tensor.name << " " << getDTypeName(tensor.dtype) << " "
         << formatShape(tensor.shape) << "\n";
    }
  }
  return 0;
}

} // namespace ternc
