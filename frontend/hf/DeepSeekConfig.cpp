//===- DeepSeekConfig.cpp - config.json of a DeepSeek-V2/V3 model ---------===//
#include "frontend/hf/DeepSeekConfig.h"
#include "frontend/hf/Json.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

namespace mlir::tern::hf {

namespace {

/// Reads typed fields of one JSON object, keeping the first error.
class FieldReader {
public:
  FieldReader(const llvm::json::Object &object, llvm::StringRef path, llvm::StringRef prefix)
      : object(object), path(path), prefix(prefix) {}

  /// An integer from `minimum` to kMaxConfigInteger; `fallback` when absent (or
  /// null).
  int64_t integer(llvm::StringRef key, std::optional<int64_t> fallback = std::nullopt,
                  int64_t minimum = 1) {
    int64_t result = field<int64_t>(
        key, fallback,
        [&](const llvm::json::Value &value) -> std::optional<int64_t> {
          std::optional<int64_t> result = getJsonInteger(value);
          return result && *result >= minimum ? result : std::nullopt;
        },
        llvm::formatv("must be an integer of at least {0}", minimum).str(), minimum);
    if (result <= kMaxConfigInteger)
      return result;
    fail(key, llvm::formatv("{0} is over the limit of {1}", result, kMaxConfigInteger));
    return minimum;
  }

  /// An optional integer of at least 1: null or absent is nullopt.
  std::optional<int64_t> optionalInteger(llvm::StringRef key) {
    if (!find(key))
      return std::nullopt;
    return integer(key);
  }

  double number(llvm::StringRef key, std::optional<double> fallback = std::nullopt) {
    return field<double>(
        key, fallback, [](const llvm::json::Value &value) { return value.getAsNumber(); },
        "must be a number", 0.0);
  }

  bool boolean(llvm::StringRef key, std::optional<bool> fallback = std::nullopt) {
    return field<bool>(
        key, fallback, [](const llvm::json::Value &value) { return value.getAsBoolean(); },
        "must be true or false", false);
  }

  std::string string(llvm::StringRef key, std::optional<llvm::StringRef> fallback = std::nullopt) {
    return field<std::string>(
        key, fallback ? std::optional<std::string>(fallback->str()) : std::nullopt,
        [](const llvm::json::Value &value) -> std::optional<std::string> {
          if (std::optional<llvm::StringRef> text = value.getAsString())
            return text->str();
          return std::nullopt;
        },
        "must be a string", "");
  }

  /// The nested object `key`, or null when absent or null.
  const llvm::json::Object *object_(llvm::StringRef key) {
    const llvm::json::Value *value = find(key);
    if (!value)
      return nullptr;
    if (const llvm::json::Object *nested = value->getAsObject())
      return nested;
    fail(key, "must be an object or null");
    return nullptr;
  }

  void fail(llvm::StringRef key, const llvm::Twine &message) {
    if (hasError)
      return;
    hasError = true;
    firstError = ("'" + path + "': " + prefix + key + ": " + message).str();
  }
  void check(bool condition, llvm::StringRef key, const llvm::Twine &message) {
    if (!condition)
      fail(key, message);
  }

  llvm::Error takeError() {
    if (!hasError)
      return llvm::Error::success();
    hasError = false;
    return llvm::createStringError(firstError);
  }
  bool failed() const { return hasError; }

private:
  /// `key`'s value as `read` converts it; `fallback` when absent (an error
  /// without one), `onError` when the value is refused (an error).
  template <typename T, typename Read>
  T field(llvm::StringRef key, std::optional<T> fallback, Read read, const std::string &expected,
          T onError) {
    const llvm::json::Value *value = find(key);
    if (!value) {
      if (!fallback)
        missing(key);
      return fallback.value_or(onError);
    }
    std::optional<T> result = read(*value);
    if (!result) {
      fail(key, expected);
      return onError;
    }
    return *result;
  }

  /// The value of `key`, or null when absent or JSON null.
  const llvm::json::Value *find(llvm::StringRef key) const {
    const llvm::json::Value *value = object.get(key);
    return value && !value->getAsNull() ? value : nullptr;
  }
  void missing(llvm::StringRef key) { fail(key, "missing; a DeepSeek model needs it"); }

  const llvm::json::Object &object;
  llvm::StringRef path, prefix;
  std::string firstError;
  bool hasError = false;
};

} // namespace

llvm::StringRef stringify(TopkMethod method) {
  switch (method) {
  case TopkMethod::Greedy:
    return "greedy";
  case TopkMethod::GroupLimitedGreedy:
    return "group_limited_greedy";
  case TopkMethod::NoauxTc:
    return "noaux_tc";
  }
  return "";
}

llvm::StringRef stringify(ScoringFunc func) {
  return func == ScoringFunc::Softmax ? "softmax" : "sigmoid";
}

llvm::StringRef stringify(TrainedDtype dtype) {
  switch (dtype) {
  case TrainedDtype::BFloat16:
    return "bfloat16";
  case TrainedDtype::Float16:
    return "float16";
  case TrainedDtype::Float32:
    return "float32";
  }
  return "";
}

llvm::Expected<DeepSeekConfig> parseDeepSeekConfig(const llvm::json::Object &json,
                                                   llvm::StringRef path) {
  FieldReader r(json, path, "");
  DeepSeekConfig c;
  const llvm::json::Array *architectures = json.getArray("architectures");
  if (!architectures || architectures->size() != 1 || !(*architectures)[0].getAsString())
    return llvm::createStringError("'" + path +
                                   "': architectures must name one architecture, "
                                   "DeepseekV2ForCausalLM or DeepseekV3ForCausalLM");
  c.architecture = (*architectures)[0].getAsString()->str();
  if (c.architecture == "DeepseekV2ForCausalLM")
    c.version = DeepSeekVersion::V2;
  else if (c.architecture == "DeepseekV3ForCausalLM")
    c.version = DeepSeekVersion::V3;
  else
    return llvm::createStringError("'" + path + "': architecture '" + c.architecture +
                                   "' is not supported (expected DeepseekV2ForCausalLM or "
                                   "DeepseekV3ForCausalLM)");

  c.vocabSize = r.integer("vocab_size");
  c.hiddenSize = r.integer("hidden_size");
  c.intermediateSize = r.integer("intermediate_size");
  c.moeIntermediateSize = r.integer("moe_intermediate_size");
  c.numHiddenLayers = r.integer("num_hidden_layers");
  c.numAttentionHeads = r.integer("num_attention_heads");
  c.maxPositionEmbeddings = r.integer("max_position_embeddings");
  c.qLoraRank = r.optionalInteger("q_lora_rank");
  c.kvLoraRank = r.integer("kv_lora_rank");
  c.qkNopeHeadDim = r.integer("qk_nope_head_dim");
  c.qkRopeHeadDim = r.integer("qk_rope_head_dim");
  c.vHeadDim = r.integer("v_head_dim");
  c.nRoutedExperts = r.integer("n_routed_experts");
  c.nSharedExperts = r.integer("n_shared_experts", 0, /*minimum=*/0);
  c.numExpertsPerTok = r.integer("num_experts_per_tok");
  c.nGroup = r.integer("n_group", 1);
  c.topkGroup = r.integer("topk_group", 1);
  c.normTopkProb = r.boolean("norm_topk_prob");
  c.routedScalingFactor = r.number("routed_scaling_factor");
  c.firstKDenseReplace = r.integer("first_k_dense_replace", 0, /*minimum=*/0);
  c.moeLayerFreq = r.integer("moe_layer_freq", 1);
  c.ropeInterleave = r.boolean("rope_interleave", true);
  c.rmsNormEps = r.number("rms_norm_eps");
  c.tieWordEmbeddings = r.boolean("tie_word_embeddings", false);

  std::string topk = r.string("topk_method");
  std::optional<TopkMethod> method =
      llvm::StringSwitch<std::optional<TopkMethod>>(topk)
          .Case("greedy", TopkMethod::Greedy)
          .Case("group_limited_greedy", TopkMethod::GroupLimitedGreedy)
          .Case("noaux_tc", TopkMethod::NoauxTc)
          .Default(std::nullopt);
  if (!r.failed() && !method)
    r.fail("topk_method", "'" + topk +
                              "' is not supported (expected greedy, group_limited_greedy or "
                              "noaux_tc)");
  c.topkMethod = method.value_or(TopkMethod::Greedy);
  std::string scoring = r.string("scoring_func");
  if (!r.failed() && scoring != "softmax" && scoring != "sigmoid")
    r.fail("scoring_func", "'" + scoring + "' is not supported (expected softmax or sigmoid)");
  c.scoringFunc = scoring == "sigmoid" ? ScoringFunc::Sigmoid : ScoringFunc::Softmax;

  // What Tern does not implement.
  std::string activation = r.string("hidden_act", llvm::StringRef("silu"));
  r.check(activation == "silu", "hidden_act",
          "'" + activation + "' is not supported (DeepSeek models use silu)");
  r.check(!r.boolean("attention_bias", false), "attention_bias", "true is not supported");
  int64_t kvHeads = r.integer("num_key_value_heads", c.numAttentionHeads);
  r.check(kvHeads == c.numAttentionHeads, "num_key_value_heads",
          "must equal num_attention_heads: latent attention has no grouped KV heads");

  // Consistency.
  r.check(c.qkRopeHeadDim % 2 == 0, "qk_rope_head_dim", "must be even: RoPE rotates pairs");
  r.check(c.nRoutedExperts % c.nGroup == 0, "n_group",
          llvm::formatv("must divide n_routed_experts ({0})", c.nRoutedExperts));
  r.check(c.topkGroup <= c.nGroup, "topk_group",
          llvm::formatv("must be at most n_group ({0})", c.nGroup));
  r.check(c.numExpertsPerTok <= c.topkGroup * (c.nRoutedExperts / std::max<int64_t>(c.nGroup, 1)),
          "num_experts_per_tok", "must be at most the experts in topk_group groups");
  // A layer has its routed experts' three projections, each with an FP8 scale
  // at most, and fewer than 32 other tensors (attention, norms, gate, shared
  // experts, their scales).
  r.check(c.numHiddenLayers * (2 * 3 * c.nRoutedExperts + 32) <= kMaxImpliedTensors,
          "n_routed_experts",
          llvm::formatv("with num_hidden_layers ({0}), implies more than {1} tensors",
                        c.numHiddenLayers, kMaxImpliedTensors));
  r.check(c.firstKDenseReplace <= c.numHiddenLayers, "first_k_dense_replace",
          llvm::formatv("must be at most num_hidden_layers ({0})", c.numHiddenLayers));
  r.check(c.topkMethod != TopkMethod::NoauxTc || c.scoringFunc == ScoringFunc::Sigmoid,
          "topk_method", "noaux_tc needs scoring_func sigmoid");

  // The published configs give rope_theta and rope_scaling; transformers 5
  // writes both as rope_parameters, with rope_type "default" when unscaled.
  const llvm::json::Object *rope = r.object_("rope_parameters");
  llvm::StringRef ropeKey = "rope_parameters";
  if (rope) {
    FieldReader p(*rope, path, "rope_parameters.");
    c.ropeTheta = p.number("rope_theta");
    if (p.string("rope_type", llvm::StringRef("default")) == "default")
      rope = nullptr;
    if (llvm::Error error = p.takeError())
      return error;
  } else {
    c.ropeTheta = r.number("rope_theta");
    rope = r.object_("rope_scaling");
    ropeKey = "rope_scaling";
  }
  if (rope) {
    std::string prefix = (ropeKey + ".").str();
    FieldReader s(*rope, path, prefix);
    std::string alias = s.string("rope_type", llvm::StringRef(""));
    std::string type = s.string("type", llvm::StringRef(alias));
    if (type != "yarn")
      s.fail(rope->get("type") ? "type" : "rope_type",
             "'" + type + "' is not supported (expected yarn)");
    YarnScaling yarn;
    yarn.factor = s.number("factor");
    yarn.originalMaxPositionEmbeddings = s.integer("original_max_position_embeddings");
    yarn.betaFast = s.number("beta_fast", 32.0);
    yarn.betaSlow = s.number("beta_slow", 1.0);
    yarn.mscale = s.number("mscale", 1.0);
    yarn.mscaleAllDim = s.number("mscale_all_dim", 0.0);
    s.check(yarn.factor >= 1.0, "factor", "must be at least 1");
    if (llvm::Error error = s.takeError())
      return error;
    c.ropeScaling = yarn;
  }
  // transformers 5 writes dtype where 4 wrote torch_dtype.
  llvm::StringRef dtypeKey = json.get("dtype") ? "dtype" : "torch_dtype";
  std::string dtype = r.string(dtypeKey, stringify(TrainedDtype::BFloat16));
  std::optional<TrainedDtype> trained = llvm::StringSwitch<std::optional<TrainedDtype>>(dtype)
                                            .Case("bfloat16", TrainedDtype::BFloat16)
                                            .Case("float16", TrainedDtype::Float16)
                                            .Case("float32", TrainedDtype::Float32)
                                            .Default(std::nullopt);
  if (!r.failed() && !trained)
    r.fail(dtypeKey, "'" + dtype + "' is not supported (expected bfloat16, float16 or float32)");
  c.dtype = trained.value_or(TrainedDtype::BFloat16);
  if (const llvm::json::Object *quant = r.object_("quantization_config")) {
    FieldReader q(*quant, path, "quantization_config.");
    std::string method = q.string("quant_method");
    q.check(method == "fp8", "quant_method", "'" + method + "' is not supported (expected fp8)");
    std::string format = q.string("fmt", llvm::StringRef("e4m3"));
    q.check(format == "e4m3", "fmt", "'" + format + "' is not supported (expected e4m3)");
    std::string scheme = q.string("activation_scheme", llvm::StringRef("dynamic"));
    q.check(scheme == "dynamic", "activation_scheme",
            "'" + scheme + "' is not supported (expected dynamic)");
    const llvm::json::Array *block = quant->getArray("weight_block_size");
    std::optional<int64_t> rows, cols;
    if (block && block->size() == 2) {
      rows = getJsonInteger((*block)[0]);
      cols = getJsonInteger((*block)[1]);
    }
    if (!rows || !cols || *rows < 1 || *cols < 1)
      q.fail("weight_block_size", "must be [rows, cols] of positive integers");
    if (llvm::Error error = q.takeError())
      return error;
    c.fp8 = Fp8Quantization{*rows, *cols};
  }
  if (llvm::Error error = r.takeError())
    return error;
  return c;
}

} // namespace mlir::tern::hf
