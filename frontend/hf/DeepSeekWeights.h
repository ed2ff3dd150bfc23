//===- DeepSeekWeights.h - The tensors a DeepSeek config reads --*- C++ -*-===//
//
// From a DeepSeekConfig, every tensor the model reads, by its HuggingFace
// name, with its shape and what it is for; and the check of a checkpoint
// against that list: each present, of that shape, of a floating type, and
// projections in FP8 E4M3 only with their f32 `weight_scale_inv` blocks under
// an FP8 quantization_config. Tensors the model does not read (DeepSeek-V3's
// multi-token-prediction layer) are allowed.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_FRONTEND_HF_DEEPSEEKWEIGHTS_H
#define TERN_FRONTEND_HF_DEEPSEEKWEIGHTS_H

#include "frontend/hf/Checkpoint.h"
#include "frontend/hf/DeepSeekConfig.h"

namespace mlir::tern::hf {

enum class WeightRole {
  Embedding,  // model.embed_tokens
  Norm,       // RMSNorm scales
  Projection, // linear layers: FP8 with block scales in quantized checkpoints
  Router,     // mlp.gate: expert scores
  RouterBias, // mlp.gate.e_score_correction_bias (noaux_tc)
  LmHead,
};

struct DeepSeekTensor {
  std::string name;
  llvm::SmallVector<int64_t, 2> shape;
  WeightRole role;
  /// The config.json fields the shape comes from, for errors:
  /// "[num_attention_heads x (qk_nope_head_dim + v_head_dim), kv_lora_rank]".
  std::string shapeFields;
};

/// Every tensor the model reads, embedding first, then layer by layer.
std::vector<DeepSeekTensor> listDeepSeekTensors(const DeepSeekConfig &config);

/// Checks `checkpoint` against `listDeepSeekTensors(config)`; the error
/// names the tensor and what the config expects of it.
llvm::Error checkDeepSeekTensors(const DeepSeekConfig &config, const Checkpoint &checkpoint);

} // namespace mlir::tern::hf

#endif // TERN_FRONTEND_HF_DEEPSEEKWEIGHTS_H
