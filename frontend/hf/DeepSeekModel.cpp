//===- DeepSeekModel.cpp - What a DeepSeek model computes, as tern ops ----===//
#include "frontend/hf/DeepSeekModel.h"

#include "ir/MoEReference.h"
#include "ir/TernOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <limits>
#include <numeric>

namespace mlir::tern::hf {

namespace {

/// cos and sin of each position's rotation angles, [seq, 1, rope / 2], with
/// YaRN's frequencies and attention factor when the config scales RoPE (as
/// transformers' _compute_yarn_parameters computes them).
std::pair<std::vector<float>, std::vector<float>> ropeTables(const DeepSeekConfig &c,
                                                             int64_t seqLen) {
  int64_t dim = c.qkRopeHeadDim, half = dim / 2;
  double base = c.ropeTheta;
  std::vector<double> invFreq(half);
  for (int64_t i = 0; i < half; ++i)
    invFreq[i] = 1.0 / std::pow(base, double(2 * i) / double(dim));
  double attentionFactor = 1.0;
  if (const std::optional<YarnScaling> &yarn = c.ropeScaling) {
    auto getMscale = [&](double mscale) {
      return yarn->factor <= 1.0 ? 1.0 : 0.1 * mscale * std::log(yarn->factor) + 1.0;
    };
    attentionFactor = yarn->mscale != 0.0 && yarn->mscaleAllDim != 0.0
                          ? getMscale(yarn->mscale) / getMscale(yarn->mscaleAllDim)
                          : getMscale(1.0);
    auto correctionDim = [&](double rotations) {
      return dim * std::log(double(yarn->originalMaxPositionEmbeddings) / (rotations * 2 * M_PI)) /
             (2 * std::log(base));
    };
    double low = std::max(std::floor(correctionDim(yarn->betaFast)), 0.0);
    double high = std::min(std::ceil(correctionDim(yarn->betaSlow)), double(dim - 1));
    if (low == high)
      high += 0.001;
    for (int64_t i = 0; i < half; ++i) {
      double ramp = std::clamp((double(i) - low) / (high - low), 0.0, 1.0);
      double extrapolation = 1.0 - ramp;
      invFreq[i] = invFreq[i] / yarn->factor * (1.0 - extrapolation) + invFreq[i] * extrapolation;
    }
  }
  std::vector<float> cos(seqLen * half), sin(seqLen * half);
  for (int64_t s = 0; s < seqLen; ++s)
    for (int64_t i = 0; i < half; ++i) {
      // torch multiplies in f32: the angle is rounded there first.
      float angle = float(s) * float(invFreq[i]);
      cos[s * half + i] = float(std::cos(double(angle)) * attentionFactor);
      sin[s * half + i] = float(std::sin(double(angle)) * attentionFactor);
    }
  return {cos, sin};
}

/// The softmax scale: 1 / sqrt(qk head dim), times YaRN's mscale squared.
double softmaxScale(const DeepSeekConfig &c) {
  double scale = 1.0 / std::sqrt(double(c.qkNopeHeadDim + c.qkRopeHeadDim));
  if (c.ropeScaling && c.ropeScaling->mscaleAllDim != 0.0 && c.ropeScaling->factor > 1.0) {
    double mscale = 0.1 * c.ropeScaling->mscaleAllDim * std::log(c.ropeScaling->factor) + 1.0;
    scale *= mscale * mscale;
  }
  return scale;
}

class ModelBuilder {
public:
  ModelBuilder(std::shared_ptr<const Checkpoint> checkpoint, const DeepSeekConfig &config,
               WeightAttrs &weightAttrs, WeightFormat format, Step step, int64_t rows,
               OpBuilder &builder, Location loc)
      : checkpoint(std::move(checkpoint)), c(config), weightAttrs(weightAttrs), format(format),
        step(step), seq(rows), b(builder), fileLoc(loc), loc(loc), f32(builder.getF32Type()) {}

  /// The final hidden states [rows, hidden] of token ids [rows]
  /// (DeepSeekModel::hidden).
  Value hidden(Value ids, const CacheAccess &cache) {
    caches = cache.caches;
    cacheRows = cache.rows;
    blockTable = cache.blockTable;
    if (step == Step::Decode) {
      Value positions = cache.positions;
      int64_t maxSeq = cache.maxSeq;
      // The tables for every cache position; each token takes its own row.
      auto [cosTable, sinTable] = ropeTables(c, maxSeq);
      auto tableType = RankedTensorType::get({maxSeq, 1, c.qkRopeHeadDim / 2}, f32);
      auto rowsType = RankedTensorType::get({seq, 1, c.qkRopeHeadDim / 2}, f32);
      cos = GatherOp::create(b, loc, rowsType, constant(tableType, cosTable), positions, 0);
      sin = GatherOp::create(b, loc, rowsType, constant(tableType, sinTable), positions, 0);
      decodeMask = reshape(maskAfter(positions, maxSeq), {seq, 1, maxSeq});
    } else {
      auto [cosTable, sinTable] = ropeTables(c, seq);
      auto tableType = RankedTensorType::get({seq, 1, c.qkRopeHeadDim / 2}, f32);
      cos = constant(tableType, cosTable);
      sin = constant(tableType, sinTable);
      // Computed, not stored: a [seq, seq] constant grows quadratically.
      causalMask = maskAfter(iota(seq), seq);
    }

    Value x;
    {
      ModuleScope scope(*this, "model.embed_tokens");
      Value table = weight("model.embed_tokens.weight", /*widen=*/false);
      auto tableShape = cast<RankedTensorType>(table.getType());
      x = widen(GatherOp::create(b, loc, tableShape.clone({seq, c.hiddenSize}), table, ids, 0));
    }
    for (int64_t layer = 0; layer < c.numHiddenLayers; ++layer) {
      std::string prefix = llvm::formatv("model.layers.{0}.", layer).str();
      ModuleScope scope(*this, StringRef(prefix).drop_back());
      Value normed = rmsNorm(x, prefix + "input_layernorm.weight");
      x = add(x, attention(normed, prefix + "self_attn.", layer));
      normed = rmsNorm(x, prefix + "post_attention_layernorm.weight");
      x = add(x, c.isMoELayer(layer) ? moe(normed, prefix + "mlp.") : mlp(normed, prefix + "mlp."));
    }
    return x;
  }

  /// logits [n, vocab] of hidden states [n, hidden].
  Value logits(Value x) {
    x = rmsNorm(x, "model.norm.weight");
    ModuleScope scope(*this, "lm_head");
    return project(x, weight(c.tieWordEmbeddings ? "model.embed_tokens.weight" : "lm_head.weight"));
  }

private:
  /// While one lives, the ops built carry transformers' module path (as a
  /// NameLoc over the checkpoint's location), so that IR dumps, kernels and
  /// `tern-run --profile` can say which part of the model they compute.
  class ModuleScope {
  public:
    ModuleScope(ModelBuilder &model, const llvm::Twine &path) : model(model), saved(model.loc) {
      model.loc = NameLoc::get(model.b.getStringAttr(path), model.fileLoc);
    }
    ~ModuleScope() { model.loc = saved; }

  private:
    ModelBuilder &model;
    Location saved;
  };

  /// "model.layers.0.mlp.up_proj" of "model.layers.0.mlp.up_proj.weight".
  static StringRef moduleOf(StringRef weightName) { return weightName.rsplit('.').first; }

  /// Multi-head latent attention, as transformers' DeepseekV3Attention.
  Value attention(Value h, const std::string &p, int64_t layer) {
    ModuleScope scope(*this, StringRef(p).drop_back());
    int64_t heads = c.numAttentionHeads, nope = c.qkNopeHeadDim, rope = c.qkRopeHeadDim;
    int64_t qkDim = nope + rope, vDim = c.vHeadDim, latentDim = c.kvLoraRank;
    Value q;
    if (c.qLoraRank) {
      Value qa = linear(h, p + "q_a_proj.weight");
      qa = rmsNorm(qa, p + "q_a_layernorm.weight");
      q = linear(qa, p + "q_b_proj.weight");
    } else {
      q = linear(h, p + "q_proj.weight");
    }
    q = reshape(q, {seq, heads, qkDim});
    Value qNope = slice(q, {0, 0, 0}, {seq, heads, nope});
    Value qRot = rotary(slice(q, {0, 0, nope}, {seq, heads, qkDim}));

    Value compressed = linear(h, p + "kv_a_proj_with_mqa.weight");
    Value latent = slice(compressed, {0, 0}, {seq, latentDim});
    Value kRot = slice(compressed, {0, latentDim}, {seq, latentDim + rope});
    kRot = rotary(reshape(kRot, {seq, 1, rope}));
    latent = rmsNorm(latent, p + "kv_a_layernorm.weight");
    Value kv = reshape(linear(latent, p + "kv_b_proj.weight"), {seq, heads, nope + vDim});
    Value kNope = slice(kv, {0, 0, 0}, {seq, heads, nope});
    Value v = slice(kv, {0, 0, nope}, {seq, heads, nope + vDim});
    Value kRotHeads = ExpandOp::create(b, loc, tensor({seq, heads, rope}), kRot, Value());

    Value query = ConcatOp::create(b, loc, tensor({seq, heads, qkDim}), ValueRange{qNope, qRot}, 2);
    Value key =
        ConcatOp::create(b, loc, tensor({seq, heads, qkDim}), ValueRange{kNope, kRotHeads}, 2);
    Value out;
    if (step != Step::Prompt) {
      LayerCache &cache = caches[layer];
      cache.keys = writeCache(cache.keys, key);
      cache.values = writeCache(cache.values, v);
    }
    if (step == Step::Decode)
      out = attendToCache(query, caches[layer]);
    else
      out = attendCausally(query, key, v);
    return linear(out, p + "o_proj.weight");
  }

  /// Softmax attention of the prompt's queries [seq, heads, qk] to its own
  /// keys and values, each position to itself and those before: [seq,
  /// heads * v].
  Value attendCausally(Value query, Value key, Value v) {
    int64_t heads = c.numAttentionHeads, vDim = c.vHeadDim;
    Value qh = transpose(query, {1, 0, 2});
    Value kh = transpose(key, {1, 2, 0});
    Value vh = transpose(v, {1, 0, 2});
    Value scores = MatMulOp::create(b, loc, tensor({heads, seq, seq}), qh, kh);
    scores = MulOp::create(b, loc, scores.getType(), scores, softmaxScaleValue());
    scores = AddOp::create(b, loc, scores.getType(), scores, causalMask);
    Value probs = SoftmaxOp::create(b, loc, scores.getType(), scores, uint64_t(2));
    Value out = MatMulOp::create(b, loc, tensor({heads, seq, vDim}), probs, vh);
    return reshape(transpose(out, {1, 0, 2}), {seq, heads * vDim});
  }

  /// Softmax attention of one query per sequence [batch, heads, qk] to that
  /// sequence's cached positions up to its own: [batch, heads * v].
  Value attendToCache(Value query, const LayerCache &cache) {
    int64_t heads = c.numAttentionHeads, vDim = c.vHeadDim;
    Value keys = readCache(cache.keys), values = readCache(cache.values);
    int64_t maxSeq = cast<RankedTensorType>(keys.getType()).getDimSize(1);
    Value scores = EinsumOp::create(b, loc, tensor({seq, heads, maxSeq}), ValueRange{query, keys},
                                    "bhd,bshd->bhs");
    scores = MulOp::create(b, loc, scores.getType(), scores, softmaxScaleValue());
    scores = AddOp::create(b, loc, scores.getType(), scores, decodeMask);
    Value probs = SoftmaxOp::create(b, loc, scores.getType(), scores, uint64_t(2));
    Value out = EinsumOp::create(b, loc, tensor({seq, heads, vDim}), ValueRange{probs, values},
                                 "bhs,bshe->bhe");
    return reshape(out, {seq, heads * vDim});
  }

  /// `cache` [rows, heads, dim] (or a pool of blocks, [blocks, rows per
  /// block, heads, dim], written through its rows) with each token's
  /// `rowsValue` [seq, heads, dim] written at its cacheRows entry.
  Value writeCache(Value cache, Value rowsValue) {
    auto type = cast<RankedTensorType>(rowsValue.getType());
    auto cacheType = cast<RankedTensorType>(cache.getType());
    int64_t heads = type.getDimSize(1), dim = type.getDimSize(2);
    bool paged = cacheType.getRank() == 4;
    Value rows =
        paged ? reshape(cache, {cacheType.getDimSize(0) * cacheType.getDimSize(1), heads, dim})
              : cache;
    auto indexType = RankedTensorType::get(type.getShape(), b.getI64Type());
    Value at = reshape(cacheRows, {seq, 1, 1});
    at = ExpandOp::create(b, loc, indexType, at, Value());
    Value written = ScatterElementsOp::create(b, loc, rows.getType(), rows, at, rowsValue,
                                              b.getI64IntegerAttr(0));
    return paged ? reshape(written, cacheType.getShape()) : written;
  }

  /// Each sequence's cached positions, [seq, maxSeq, heads, dim]: its rows
  /// of the cache, or the pool's blocks its block table names, in order.
  Value readCache(Value cache) {
    auto type = cast<RankedTensorType>(cache.getType());
    ArrayRef<int64_t> shape = type.getShape();
    if (!blockTable)
      return reshape(cache, {seq, shape[0] / seq, shape[1], shape[2]});
    int64_t blocks = cast<RankedTensorType>(blockTable.getType()).getDimSize(1);
    Value gathered = GatherOp::create(
        b, loc, type.clone({seq, blocks, shape[1], shape[2], shape[3]}), cache, blockTable, 0);
    return reshape(gathered, {seq, blocks * shape[1], shape[2], shape[3]});
  }

  /// [n, keys] f32: 0 where key position j is at most positions[i], else
  /// -inf (added to attention scores).
  Value maskAfter(Value positions, int64_t keys) {
    int64_t n = cast<RankedTensorType>(positions.getType()).getDimSize(0);
    Value visible = LeOp::create(b, loc, RankedTensorType::get({n, keys}, b.getI1Type()),
                                 iota(keys), reshape(positions, {n, 1}));
    return WhereOp::create(b, loc, tensor({n, keys}), visible, splat({}, 0.0f),
                           splat({}, -std::numeric_limits<float>::infinity()));
  }

  /// [n] i64: 0, 1, ..., n - 1.
  Value iota(int64_t n) {
    std::vector<int64_t> values(n);
    std::iota(values.begin(), values.end(), 0);
    auto type = RankedTensorType::get({n}, b.getI64Type());
    return ConstantOp::create(b, loc, type, DenseElementsAttr::get(type, ArrayRef(values)));
  }

  Value softmaxScaleValue() {
    return constant(RankedTensorType::get({}, f32), {float(softmaxScale(c))});
  }

  /// Routed experts plus shared ones, as transformers' DeepseekV2Moe and
  /// DeepseekV3MoE: every expert computed on every token and weighted by its
  /// (mostly zero) share from the router.
  Value moe(Value x, const std::string &p) {
    ModuleScope scope(*this, StringRef(p).drop_back());
    int64_t experts = c.nRoutedExperts;
    Value shares;
    {
      ModuleScope gateScope(*this, p + "gate");
      auto [chosen, weights] = c.version == DeepSeekVersion::V3 ? routeV3(x, p) : routeV2(x, p);
      shares =
          ScatterElementsOp::create(b, loc, tensor({seq, experts}), splat({seq, experts}, 0.0f),
                                    chosen, weights, b.getI64IntegerAttr(1));
    }
    Value out =
        c.nSharedExperts > 0 ? mlp(x, p + "shared_experts.") : splat({seq, c.hiddenSize}, 0.0f);
    for (int64_t e = 0; e < experts; ++e) {
      std::string expert = p + "experts." + std::to_string(e) + ".";
      Value y = mlp(x, expert);
      ModuleScope expertScope(*this, StringRef(expert).drop_back());
      Value share = slice(shares, {0, e}, {seq, e + 1});
      out = add(out, MulOp::create(b, loc, y.getType(), y, share));
    }
    return out;
  }

  /// DeepSeek-V3's noaux_tc router: sigmoid scores; the bias-corrected
  /// scores pick topk_group groups by the sum of their two best, then the top
  /// experts in them; the uncorrected scores of those, normalized if the
  /// config says so, times routed_scaling_factor, are the weights.
  std::pair<Value, Value> routeV3(Value x, const std::string &p) {
    Value logits = linear(x, p + "gate.weight", /*projection=*/false);
    Value bias = weight(p + "gate.e_score_correction_bias");
    MoERouting routing;
    routing.sigmoid = true;
    routing.k = c.numExpertsPerTok;
    routing.nGroup = c.nGroup;
    routing.topkGroup = c.topkGroup;
    routing.groupTop2Sum = true;
    routing.droppedFill = -std::numeric_limits<float>::infinity();
    routing.normalize = c.normTopkProb;
    routing.normEpsilon = 1e-20f;
    routing.scaling = float(c.routedScalingFactor);
    return buildReferenceRouting(b, loc, logits, bias, routing);
  }

  /// DeepSeek-V2's router: softmax scores; top experts of all (greedy) or of
  /// the topk_group groups with the best single score (group_limited_greedy,
  /// the others' scores masked to 0); their scores times
  /// routed_scaling_factor are the weights.
  std::pair<Value, Value> routeV2(Value x, const std::string &p) {
    Value logits = linear(x, p + "gate.weight", /*projection=*/false);
    MoERouting routing;
    routing.k = c.numExpertsPerTok;
    if (c.topkMethod == TopkMethod::GroupLimitedGreedy) {
      routing.nGroup = c.nGroup;
      routing.topkGroup = c.topkGroup;
      routing.maskedWeights = true;
    }
    routing.scaling = float(c.routedScalingFactor);
    return buildReferenceRouting(b, loc, logits, Value(), routing);
  }

  /// down(silu(gate(x)) * up(x)).
  Value mlp(Value x, const std::string &p) {
    ModuleScope scope(*this, StringRef(p).drop_back());
    Value gate = linear(x, p + "gate_proj.weight");
    gate = SiluOp::create(b, loc, gate.getType(), gate);
    Value up = linear(x, p + "up_proj.weight");
    return linear(MulOp::create(b, loc, gate.getType(), gate, up), p + "down_proj.weight");
  }

  /// A checkpoint tensor in f32 (unless `widenIt` is false): bf16 and f16
  /// widened by a cast, FP8 E4M3 dequantized with its weight_scale_inv
  /// blocks; a `projection`'s quantized first with --weights=fp8-block.
  Value weight(const std::string &name, bool widenIt = true, bool projection = false) {
    const SafetensorsTensor &tensor = *checkpoint->lookup(name);
    if (projection && format == WeightFormat::Fp8Block &&
        tensor.dtype != SafetensorsDType::F8_E4M3 && tensor.shape.size() == 2)
      return quantized(name, tensor);
    Value value = stored(name, tensor);
    if (tensor.dtype != SafetensorsDType::F8_E4M3)
      return widenIt ? widen(value) : value;
    std::string scaleName = name + "_scale_inv";
    if (format == WeightFormat::Bf16)
      return widen(dequantizedToBf16(name, tensor, scaleName));
    Value scale = stored(scaleName, *checkpoint->lookup(scaleName));
    return DequantizeOp::create(
        b, loc, this->tensor(tensor.shape), value, scale, /*zero_point=*/Value(), nullptr,
        b.getDenseI64ArrayAttr({c.fp8->weightBlockRows, c.fp8->weightBlockCols}));
  }

  /// A weight quantized to FP8 E4M3 in 128x128 blocks as the plan is
  /// written (#tern.block_quantized), dequantized as an FP8 checkpoint's.
  Value quantized(const std::string &name, const SafetensorsTensor &tensor) {
    ElementsAttr source = storedAttr(name, tensor);
    auto part = [&](bool scales) {
      RankedTensorType type = BlockQuantizedElementsAttr::getQuantizedType(source, kFp8WeightBlock,
                                                                           kFp8WeightBlock, scales);
      return ConstantOp::create(b, loc, type,
                                BlockQuantizedElementsAttr::get(b.getContext(), type, source,
                                                                kFp8WeightBlock, kFp8WeightBlock,
                                                                scales));
    };
    return DequantizeOp::create(b, loc, this->tensor(tensor.shape), part(false), part(true),
                                /*zero_point=*/Value(), nullptr,
                                b.getDenseI64ArrayAttr({kFp8WeightBlock, kFp8WeightBlock}));
  }

  /// An FP8 weight as bf16 (#tern.block_dequantized, computed as the plan
  /// is written).
  Value dequantizedToBf16(const std::string &name, const SafetensorsTensor &tensor,
                          const std::string &scaleName) {
    auto type = RankedTensorType::get(tensor.shape, b.getBF16Type());
    auto data =
        BlockDequantizedElementsAttr::get(b.getContext(), type, storedAttr(name, tensor),
                                          storedAttr(scaleName, *checkpoint->lookup(scaleName)),
                                          c.fp8->weightBlockRows, c.fp8->weightBlockCols);
    return ConstantOp::create(b, loc, type, data);
  }

  /// A checkpoint tensor as a constant, in its stored type, that references
  /// the mapped bytes (the blob keeps the checkpoint alive).
  Value stored(const std::string &name, const SafetensorsTensor &tensor) {
    ElementsAttr data = storedAttr(name, tensor);
    return ConstantOp::create(b, loc, cast<RankedTensorType>(data.getType()), data);
  }

  /// The attribute of a checkpoint tensor, made once per name (stored).
  ElementsAttr storedAttr(const std::string &name, const SafetensorsTensor &tensor) {
    Type element = tensor.dtype == SafetensorsDType::BF16      ? Type(b.getBF16Type())
                   : tensor.dtype == SafetensorsDType::F16     ? Type(b.getF16Type())
                   : tensor.dtype == SafetensorsDType::F8_E4M3 ? Type(b.getType<Float8E4M3FNType>())
                                                               : Type(f32);
    auto type = RankedTensorType::get(tensor.shape, element);
    ElementsAttr &data = weightAttrs[name];
    if (data)
      return data;
    size_t alignment = getDTypeBytes(tensor.dtype);
    std::string key = "hf." + name;
    if (reinterpret_cast<uintptr_t>(tensor.data.data()) % alignment != 0) {
      data = DenseResourceElementsAttr::get(
          type, key, HeapAsmResourceBlob::allocateAndCopyWithAlign(tensor.data, alignment));
    } else {
      AsmResourceBlob blob(
          tensor.data, alignment, [keepAlive = checkpoint](void *, size_t, size_t) {},
          /*dataIsMutable=*/false);
      data = DenseResourceElementsAttr::get(type, key, std::move(blob));
    }
    return data;
  }

  Value widen(Value value) {
    auto type = cast<RankedTensorType>(value.getType());
    if (type.getElementType() == f32)
      return value;
    return CastOp::create(b, loc, type.clone(f32), value);
  }

  /// x [rows, in] times the transpose of the checkpoint weight `name` [out,
  /// in]; a router's weight is no `projection` (--weights keeps it as stored).
  Value linear(Value x, const std::string &name, bool projection = true) {
    ModuleScope scope(*this, moduleOf(name));
    return project(x, weight(name, /*widenIt=*/true, projection));
  }

  /// x [rows, in] times the transpose of w [out, in].
  Value project(Value x, Value w) {
    int64_t rows = cast<RankedTensorType>(x.getType()).getDimSize(0);
    int64_t out = cast<RankedTensorType>(w.getType()).getDimSize(0);
    return GemmOp::create(b, loc, tensor({rows, out}), x, w, Value(), false, true,
                          llvm::APFloat(1.0f), llvm::APFloat(1.0f));
  }

  Value rmsNorm(Value x, const std::string &name) {
    ModuleScope scope(*this, moduleOf(name));
    Value scale = weight(name);
    return RMSNormOp::create(b, loc, x.getType(), x, scale, llvm::APFloat(float(c.rmsNormEps)),
                             uint64_t(cast<RankedTensorType>(x.getType()).getRank() - 1));
  }

  Value rotary(Value x) {
    return RotaryOp::create(b, loc, x.getType(), x, cos, sin, c.ropeInterleave);
  }
  Value add(Value x, Value y) { return AddOp::create(b, loc, x.getType(), x, y); }
  Value reshape(Value x, ArrayRef<int64_t> shape) {
    auto type = cast<RankedTensorType>(x.getType());
    return ReshapeOp::create(b, loc, type.clone(shape), x, Value());
  }
  Value slice(Value x, ArrayRef<int64_t> starts, ArrayRef<int64_t> ends) {
    SmallVector<int64_t> shape, steps(starts.size(), 1);
    for (auto [start, end] : llvm::zip_equal(starts, ends))
      shape.push_back(end - start);
    return SliceOp::create(b, loc, tensor(shape), x, starts, ends, steps);
  }
  Value transpose(Value x, ArrayRef<int64_t> permutation) {
    auto type = cast<RankedTensorType>(x.getType());
    SmallVector<int64_t> shape;
    for (int64_t axis : permutation)
      shape.push_back(type.getDimSize(axis));
    return TransposeOp::create(b, loc, tensor(shape), x, permutation);
  }
  Value splat(ArrayRef<int64_t> shape, float value) {
    RankedTensorType type = tensor(shape);
    return ConstantOp::create(b, loc, type, DenseElementsAttr::get(type, value));
  }
  Value constant(RankedTensorType type, ArrayRef<float> values) {
    return ConstantOp::create(b, loc, type, DenseElementsAttr::get(type, values));
  }
  RankedTensorType tensor(ArrayRef<int64_t> shape) { return RankedTensorType::get(shape, f32); }

  std::shared_ptr<const Checkpoint> checkpoint;
  const DeepSeekConfig &c;
  WeightAttrs &weightAttrs;
  WeightFormat format;
  Step step;
  int64_t seq; // tokens computed at once: prompt positions, or sequences
  OpBuilder &b;
  Location fileLoc; // the checkpoint
  Location loc;     // where the ops being built come from (ModuleScope)
  Type f32;
  Value cos, sin;
  Value causalMask;                   // Prompt, Prefill
  Value decodeMask;                   // Decode
  MutableArrayRef<LayerCache> caches; // Prefill, Decode
  Value cacheRows;                    // Prefill, Decode
  Value blockTable;                   // Decode from a paged cache
};

} // namespace

Value DeepSeekModel::hidden(Step step, Value ids, const CacheAccess &cache) {
  int64_t tokens = cast<RankedTensorType>(ids.getType()).getDimSize(0);
  ModelBuilder builder(checkpoint, config, weights, format, step, tokens, b, loc);
  return builder.hidden(ids, cache);
}

Value DeepSeekModel::logits(Value x) {
  int64_t rows = cast<RankedTensorType>(x.getType()).getDimSize(0);
  return ModelBuilder(checkpoint, config, weights, format, Step::Prompt, rows, b, loc).logits(x);
}

} // namespace mlir::tern::hf
