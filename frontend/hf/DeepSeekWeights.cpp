//===- DeepSeekWeights.cpp - The tensors a DeepSeek config reads ----------===//
#include "frontend/hf/DeepSeekWeights.h"

#include "llvm/Support/FormatVariadic.h"

namespace mlir::tern::hf {

namespace {

/// Appends the tensors of one layer or model part under a name prefix.
class TensorList {
public:
  explicit TensorList(std::vector<DeepSeekTensor> &tensors) : tensors(tensors) {}

  void add(const llvm::Twine &name, llvm::ArrayRef<int64_t> shape, WeightRole role,
           llvm::StringRef fields) {
    tensors.push_back({name.str(), llvm::SmallVector<int64_t, 2>(shape), role, fields.str()});
  }
  /// A SiLU-gated MLP `width` wide (config field `widthField`): gate_proj,
  /// up_proj, down_proj.
  void addMLP(const llvm::Twine &prefix, int64_t hidden, int64_t width,
              llvm::StringRef widthField) {
    std::string in = ("[" + widthField + ", hidden_size]").str();
    add(prefix + ".gate_proj.weight", {width, hidden}, WeightRole::Projection, in);
    add(prefix + ".up_proj.weight", {width, hidden}, WeightRole::Projection, in);
    add(prefix + ".down_proj.weight", {hidden, width}, WeightRole::Projection,
        ("[hidden_size, " + widthField + "]").str());
  }

private:
  std::vector<DeepSeekTensor> &tensors;
};

bool isFloat(SafetensorsDType dtype) {
  return dtype == SafetensorsDType::BF16 || dtype == SafetensorsDType::F16 ||
         dtype == SafetensorsDType::F32;
}

} // namespace

std::vector<DeepSeekTensor> listDeepSeekTensors(const DeepSeekConfig &c) {
  std::vector<DeepSeekTensor> tensors;
  TensorList list(tensors);
  int64_t hidden = c.hiddenSize;
  int64_t qkHeadDim = c.qkNopeHeadDim + c.qkRopeHeadDim;
  list.add("model.embed_tokens.weight", {c.vocabSize, hidden}, WeightRole::Embedding,
           "[vocab_size, hidden_size]");
  for (int64_t i = 0; i < c.numHiddenLayers; ++i) {
    std::string layer = llvm::formatv("model.layers.{0}", i).str();
    list.add(layer + ".input_layernorm.weight", {hidden}, WeightRole::Norm, "[hidden_size]");
    std::string attn = layer + ".self_attn";
    if (c.qLoraRank) {
      list.add(attn + ".q_a_proj.weight", {*c.qLoraRank, hidden}, WeightRole::Projection,
               "[q_lora_rank, hidden_size]");
      list.add(attn + ".q_a_layernorm.weight", {*c.qLoraRank}, WeightRole::Norm, "[q_lora_rank]");
      list.add(attn + ".q_b_proj.weight", {c.numAttentionHeads * qkHeadDim, *c.qLoraRank},
               WeightRole::Projection,
               "[num_attention_heads x (qk_nope_head_dim + qk_rope_head_dim), q_lora_rank]");
    } else {
      list.add(attn + ".q_proj.weight", {c.numAttentionHeads * qkHeadDim, hidden},
               WeightRole::Projection,
               "[num_attention_heads x (qk_nope_head_dim + qk_rope_head_dim), hidden_size]");
    }
    list.add(attn + ".kv_a_proj_with_mqa.weight", {c.kvLoraRank + c.qkRopeHeadDim, hidden},
             WeightRole::Projection, "[kv_lora_rank + qk_rope_head_dim, hidden_size]");
    list.add(attn + ".kv_a_layernorm.weight", {c.kvLoraRank}, WeightRole::Norm, "[kv_lora_rank]");
    list.add(attn + ".kv_b_proj.weight",
             {c.numAttentionHeads * (c.qkNopeHeadDim + c.vHeadDim), c.kvLoraRank},
             WeightRole::Projection,
             "[num_attention_heads x (qk_nope_head_dim + v_head_dim), kv_lora_rank]");
    list.add(attn + ".o_proj.weight", {hidden, c.numAttentionHeads * c.vHeadDim},
             WeightRole::Projection, "[hidden_size, num_attention_heads x v_head_dim]");
    list.add(layer + ".post_attention_layernorm.weight", {hidden}, WeightRole::Norm,
             "[hidden_size]");
    std::string mlp = layer + ".mlp";
    if (!c.isMoELayer(i)) {
      list.addMLP(mlp, hidden, c.intermediateSize, "intermediate_size");
      continue;
    }
    list.add(mlp + ".gate.weight", {c.nRoutedExperts, hidden}, WeightRole::Router,
             "[n_routed_experts, hidden_size]");
    if (c.topkMethod == TopkMethod::NoauxTc)
      list.add(mlp + ".gate.e_score_correction_bias", {c.nRoutedExperts}, WeightRole::RouterBias,
               "[n_routed_experts]");
    for (int64_t e = 0; e < c.nRoutedExperts; ++e)
      list.addMLP(mlp + ".experts." + llvm::Twine(e), hidden, c.moeIntermediateSize,
                  "moe_intermediate_size");
    if (c.nSharedExperts > 0)
      list.addMLP(mlp + ".shared_experts", hidden, c.moeIntermediateSize * c.nSharedExperts,
                  "moe_intermediate_size x n_shared_experts");
  }
  list.add("model.norm.weight", {hidden}, WeightRole::Norm, "[hidden_size]");
  if (!c.tieWordEmbeddings)
    list.add("lm_head.weight", {c.vocabSize, hidden}, WeightRole::LmHead,
             "[vocab_size, hidden_size]");
  return tensors;
}

llvm::Error checkDeepSeekTensors(const DeepSeekConfig &config, const Checkpoint &checkpoint) {
  for (const DeepSeekTensor &expected : listDeepSeekTensors(config)) {
    auto fail = [&](const llvm::Twine &message) {
      const SafetensorsFile *shard = checkpoint.getShardOf(expected.name);
      return llvm::createStringError("'" + (shard ? shard->getName() : llvm::StringRef("")) +
                                     "': tensor '" + expected.name + "': " + message);
    };
    const SafetensorsTensor *tensor = checkpoint.lookup(expected.name);
    if (!tensor)
      return llvm::createStringError("'" + checkpoint.getPath() +
                                     "': the checkpoint lacks tensor '" + expected.name + "' " +
                                     formatShape(expected.shape) + ", which config.json implies");
    if (llvm::ArrayRef<int64_t>(tensor->shape) != llvm::ArrayRef<int64_t>(expected.shape))
      return fail("shape " + formatShape(tensor->shape) + " differs from the " +
                  formatShape(expected.shape) + " config.json implies (" + expected.shapeFields +
                  ")");
    if (isFloat(tensor->dtype))
      continue;
    if (tensor->dtype != SafetensorsDType::F8_E4M3 || expected.role != WeightRole::Projection)
      return fail(
          "dtype " + getDTypeName(tensor->dtype) +
          " is not supported here (expected BF16, F16 or F32" +
          (expected.role == WeightRole::Projection ? ", or F8_E4M3 with block scales)" : ")"));
    if (!config.fp8)
      return fail("F8_E4M3 weights need an fp8 quantization_config in config.json");
    std::string scaleName = expected.name + "_scale_inv";
    llvm::SmallVector<int64_t, 2> scaleShape = {
        int64_t(llvm::divideCeil(expected.shape[0], config.fp8->weightBlockRows)),
        int64_t(llvm::divideCeil(expected.shape[1], config.fp8->weightBlockCols))};
    const SafetensorsTensor *scale = checkpoint.lookup(scaleName);
    if (!scale)
      return fail("FP8 weights need their scales, but the checkpoint lacks '" + scaleName + "' " +
                  formatShape(scaleShape));
    if (scale->dtype != SafetensorsDType::F32 ||
        llvm::ArrayRef<int64_t>(scale->shape) != llvm::ArrayRef<int64_t>(scaleShape))
      return fail("its scales '" + scaleName + "' are " + getDTypeName(scale->dtype) + " " +
                  formatShape(scale->shape) + "; one F32 per block needs F32 " +
                  formatShape(scaleShape));
  }
  return llvm::Error::success();
}

} // namespace mlir::tern::hf
