//===- DeepSeekConfig.h - config.json of a DeepSeek-V2/V3 model -*- C++ -*-===//
//
// The fields of a HuggingFace config.json that change what a DeepSeek-V2 or
// -V3 model computes, read and checked against each other. A field that
// changes the math must be present (the published config.json files have
// them all); only fields whose absence has one meaning default (no
// rope_scaling, no quantization_config, untied embeddings, no attention
// bias, SiLU, interleaved RoPE, MoE from the first layer on, groups of one).
// A value Tern does not implement (another activation, attention bias, a
// rope scaling other than YaRN, a quantization other than FP8 E4M3 blocks)
// is an error naming the field.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_FRONTEND_HF_DEEPSEEKCONFIG_H
#define TERN_FRONTEND_HF_DEEPSEEKCONFIG_H

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <optional>
#include <string>

namespace mlir::tern::hf {

enum class DeepSeekVersion { V2, V3 };
/// How routed experts are chosen: top-k of all, top-k within the best
/// groups by their highest score, or (V3) within the best groups by the sum
/// of their two highest bias-corrected scores.
enum class TopkMethod { Greedy, GroupLimitedGreedy, NoauxTc };
enum class ScoringFunc { Softmax, Sigmoid };

/// YaRN context extension (rope_scaling with type "yarn").
struct YarnScaling {
  double factor = 1.0;
  int64_t originalMaxPositionEmbeddings = 4096;
  double betaFast = 32.0;
  double betaSlow = 1.0;
  double mscale = 1.0;
  double mscaleAllDim = 0.0;
};

enum class TrainedDtype { BFloat16, Float16, Float32 };

/// quantization_config of the FP8 checkpoints: E4M3 weights, one f32
/// `weight_scale_inv` per block of weightBlockRows x weightBlockCols.
struct Fp8Quantization {
  int64_t weightBlockRows = 128;
  int64_t weightBlockCols = 128;
};

struct DeepSeekConfig {
  DeepSeekVersion version;
  std::string architecture; // as config.json names it
  int64_t vocabSize;
  int64_t hiddenSize;
  int64_t intermediateSize;    // dense MLP layers
  int64_t moeIntermediateSize; // each routed expert
  int64_t numHiddenLayers;
  int64_t numAttentionHeads;
  int64_t maxPositionEmbeddings;
  // Multi-head latent attention.
  std::optional<int64_t> qLoraRank; // null: q_proj straight from the hidden state
  int64_t kvLoraRank;
  int64_t qkNopeHeadDim;
  int64_t qkRopeHeadDim;
  int64_t vHeadDim;
  // Mixture of experts.
  int64_t nRoutedExperts;
  int64_t nSharedExperts;
  int64_t numExpertsPerTok;
  int64_t nGroup;
  int64_t topkGroup;
  TopkMethod topkMethod;
  ScoringFunc scoringFunc;
  bool normTopkProb;
  double routedScalingFactor;
  int64_t firstKDenseReplace;
  int64_t moeLayerFreq;
  // Positions and norms.
  double ropeTheta;
  std::optional<YarnScaling> ropeScaling;
  bool ropeInterleave; // pairs (2i, 2i+1) rotate together, as DeepSeek's checkpoints need
  double rmsNormEps;
  bool tieWordEmbeddings;
  std::optional<Fp8Quantization> fp8;
  /// The precision the model was trained and saved for: config.json's
  /// torch_dtype (transformers 5: dtype), bfloat16 when absent (DeepSeek's
  /// published checkpoints). ternc's default --precision follows it.
  TrainedDtype dtype = TrainedDtype::BFloat16;

  /// Whether decoder layer `layer` has routed experts (else a dense MLP).
  bool isMoELayer(int64_t layer) const {
    return nRoutedExperts > 0 && layer >= firstKDenseReplace && layer % moeLayerFreq == 0;
  }
};

/// The largest integer field accepted (V3's largest is vocab_size, 129280):
/// sums and products of a few fields, as tensor shapes take them, then stay
/// far inside int64 (no dimension exceeds 2 x kMaxConfigInteger^2).
inline constexpr int64_t kMaxConfigInteger = int64_t(1) << 24;
/// The most tensors a config may imply, counted as num_hidden_layers x (6 x
/// n_routed_experts + 32) (V3: 61 x (6 x 256 + 32) = 95,648), so that a
/// hostile config cannot make the tensor list exhaust memory.
inline constexpr int64_t kMaxImpliedTensors = int64_t(1) << 20;

/// Reads `config` (the parsed config.json at `path`, named in errors).
llvm::Expected<DeepSeekConfig> parseDeepSeekConfig(const llvm::json::Object &config,
                                                   llvm::StringRef path);

llvm::StringRef stringify(TopkMethod method);
llvm::StringRef stringify(ScoringFunc func);
llvm::StringRef stringify(TrainedDtype dtype); // as config.json spells it

} // namespace mlir::tern::hf

#endif // TERN_FRONTEND_HF_DEEPSEEKCONFIG_H
