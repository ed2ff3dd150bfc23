//===- NNConverters.cpp - ONNX contractions, reductions, norms, quant -----===//
#include "frontend/onnx/GraphImporter.h"

#include "llvm/ADT/StringExtras.h"

#include <map>

namespace mlir::tern::onnx_import {
namespace {

/// Collects inputs [first, numInputs) that are present.
FailureOr<SmallVector<Value>> presentInputs(NodeContext &ctx, size_t first = 0) {
  SmallVector<Value> values;
  for (size_t i = first; i < ctx.numInputs(); ++i) {
    if (!ctx.hasInput(i))
      continue;
    FailureOr<Value> v = ctx.input(i);
    if (failed(v))
      return failure();
    values.push_back(*v);
  }
  return values;
}

LogicalResult convertMatMul(NodeContext &ctx) {
  FailureOr<Value> a = ctx.input(0), b = ctx.input(1);
  if (failed(a) || failed(b))
    return failure();
  return ctx.setResult(ctx.create<MatMulOp>(ValueRange{*a, *b}));
}

LogicalResult convertGemm(NodeContext &ctx) {
  FailureOr<SmallVector<Value>> operands = presentInputs(ctx);
  if (failed(operands))
    return failure();
  return ctx.setResult(ctx.create<GemmOp>(
      *operands, {ctx.namedAttr("trans_a", ctx.builder.getBoolAttr(ctx.getInt("transA", 0))),
                  ctx.namedAttr("trans_b", ctx.builder.getBoolAttr(ctx.getInt("transB", 0))),
                  ctx.namedAttr("alpha", ctx.builder.getF32FloatAttr(ctx.getFloat("alpha", 1))),
                  ctx.namedAttr("beta", ctx.builder.getF32FloatAttr(ctx.getFloat("beta", 1)))}));
}

/// Makes an implicit einsum output explicit (labels used once, sorted).
FailureOr<std::string> normalizeEquation(NodeContext &ctx, std::string equation) {
  llvm::erase_if(equation, [](char c) { return llvm::isSpace(c); });
  if (equation.find("...") != std::string::npos)
    return ctx.error() << "einsum ellipsis ('...') is not supported";
  if (equation.find("->") != std::string::npos)
    return equation;
  std::map<char, int> uses;
  for (char c : equation)
    if (llvm::isAlpha(c))
      ++uses[c];
  equation += "->";
  for (auto [label, count] : uses)
    if (count == 1)
      equation += label;
  return equation;
}

LogicalResult convertEinsum(NodeContext &ctx) {
  FailureOr<std::string> equation = normalizeEquation(ctx, ctx.getString("equation", ""));
  FailureOr<SmallVector<Value>> operands = presentInputs(ctx);
  if (failed(equation) || failed(operands))
    return failure();
  return ctx.setResult(ctx.create<EinsumOp>(
      *operands, {ctx.namedAttr("equation", ctx.builder.getStringAttr(*equation))}));
}

LogicalResult convertSoftmax(NodeContext &ctx) {
  FailureOr<Value> x = ctx.input(0);
  if (failed(x))
    return failure();
  return ctx.setResult(ctx.create<SoftmaxOp>(
      ValueRange{*x},
      {ctx.namedAttr("axis", ctx.builder.getI64IntegerAttr(ctx.getInt("axis", -1)))}));
}

template <typename OpTy> LogicalResult convertReduce(NodeContext &ctx) {
  FailureOr<std::optional<SmallVector<int64_t>>> given = ctx.intsFromInputOrAttr(1, "axes");
  if (failed(given))
    return failure();
  SmallVector<int64_t> axes = given->value_or(SmallVector<int64_t>());
  FailureOr<Value> x = ctx.input(0);
  if (failed(x))
    return failure();
  if (axes.empty() && ctx.getInt("noop_with_empty_axes", 0)) {
    ctx.setOutput(0, *x);
    return success();
  }
  return ctx.setResult(ctx.create<OpTy>(
      ValueRange{*x},
      {ctx.namedAttr("axes", ctx.builder.getDenseI64ArrayAttr(axes)),
       ctx.namedAttr("keepdims", ctx.builder.getBoolAttr(ctx.getInt("keepdims", 1)))}));
}

LogicalResult convertTopK(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> k = ctx.requireInts(1, "K");
  if (failed(k))
    return failure();
  if (k->size() != 1 || (*k)[0] <= 0)
    return ctx.error() << "K must be a single positive value";
  FailureOr<Value> x = ctx.input(0);
  if (failed(x))
    return failure();
  FailureOr<TopKOp> op = ctx.create<TopKOp>(
      ValueRange{*x},
      {ctx.namedAttr("k", ctx.builder.getI64IntegerAttr((*k)[0])),
       ctx.namedAttr("axis", ctx.builder.getI64IntegerAttr(ctx.getInt("axis", -1))),
       ctx.namedAttr("largest", ctx.builder.getBoolAttr(ctx.getInt("largest", 1))),
       ctx.namedAttr("sorted", ctx.builder.getBoolAttr(ctx.getInt("sorted", 1)))},
      {}, 2);
  if (failed(op))
    return failure();
  ctx.setOutput(0, op->getValues());
  ctx.setOutput(1, op->getIndices());
  return success();
}

/// Emits rms_norm(x, scale) with the node's axis and epsilon (`epsilon` when
/// the node has none: the op's schema default).
FailureOr<Value> emitRMSNorm(NodeContext &ctx, Value x, Value scale, float epsilon = 1e-5f) {
  FailureOr<RMSNormOp> op = ctx.create<RMSNormOp>(
      ValueRange{x, scale},
      {ctx.namedAttr("epsilon", ctx.builder.getF32FloatAttr(ctx.getFloat("epsilon", epsilon))),
       ctx.namedAttr("axis", ctx.builder.getI64IntegerAttr(ctx.getInt("axis", -1)))});
  return failed(op) ? FailureOr<Value>(failure()) : op->getResult();
}

/// SimplifiedLayerNormalization's optional statistics outputs.
LogicalResult rejectStatisticsOutputs(NodeContext &ctx) {
  if (ctx.hasOutput(1) || ctx.hasOutput(2))
    return ctx.error() << "the optional mean and inverse-std-dev outputs are not supported";
  return success();
}

LogicalResult convertRMSNorm(NodeContext &ctx) {
  FailureOr<Value> x = ctx.input(0), scale = ctx.input(1);
  if (failed(rejectStatisticsOutputs(ctx)) || failed(x) || failed(scale))
    return failure();
  FailureOr<Value> y = emitRMSNorm(ctx, *x, *scale);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

/// com.microsoft SkipSimplifiedLayerNormalization: rms_norm(x + skip (+ bias)),
/// with the sum as output 3.
LogicalResult convertSkipRMSNorm(NodeContext &ctx) {
  FailureOr<Value> x = ctx.input(0), skip = ctx.input(1), gamma = ctx.input(2);
  if (failed(rejectStatisticsOutputs(ctx)) || failed(x) || failed(skip) || failed(gamma))
    return failure();
  FailureOr<AddOp> sum = ctx.create<AddOp>(ValueRange{*x, *skip});
  if (failed(sum))
    return failure();
  Value total = sum->getResult();
  if (ctx.hasInput(3)) {
    FailureOr<Value> bias = ctx.input(3);
    if (failed(bias))
      return failure();
    FailureOr<AddOp> withBias = ctx.create<AddOp>(ValueRange{total, *bias});
    if (failed(withBias))
      return failure();
    total = withBias->getResult();
  }
  // ONNX Runtime's schema default for this op (kDefaultSkipLayerNormEpsilon).
  FailureOr<Value> y = emitRMSNorm(ctx, total, *gamma, /*epsilon=*/1e-12f);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  ctx.setOutput(3, total);
  return success();
}

/// LayerNormalization's optional Mean and InvStdDev outputs, computed in f32
/// (the stash type) over dimensions `axis..rank` with kept dimensions.
LogicalResult emitLayerNormStatistics(NodeContext &ctx, Value x, int64_t axis) {
  RankedTensorType type = getTensorType(x);
  if (ctx.getInt("stash_type", 1) != 1)
    return ctx.error() << "stash_type " << ctx.getInt("stash_type", 1)
                       << " is not supported (only 1, float32)";
  Type f32 = ctx.builder.getF32Type();
  if (type.getElementType() != f32) {
    FailureOr<CastOp> cast = ctx.create<CastOp>(ValueRange{x}, {}, TypeRange{type.clone(f32)});
    if (failed(cast))
      return failure();
    x = cast->getResult();
  }
  SmallVector<int64_t> axes;
  for (int64_t d = axis; d < type.getRank(); ++d)
    axes.push_back(d);
  auto reduceMean = [&](Value v) -> FailureOr<Value> {
    FailureOr<ReduceMeanOp> op = ctx.create<ReduceMeanOp>(
        ValueRange{v}, {ctx.namedAttr("axes", ctx.builder.getDenseI64ArrayAttr(axes)),
                        ctx.namedAttr("keepdims", ctx.builder.getBoolAttr(true))});
    return failed(op) ? FailureOr<Value>(failure()) : op->getResult();
  };
  FailureOr<Value> mean = reduceMean(x);
  if (failed(mean))
    return failure();
  FailureOr<SubOp> centered = ctx.create<SubOp>(ValueRange{x, *mean});
  if (failed(centered))
    return failure();
  FailureOr<MulOp> squared = ctx.create<MulOp>(ValueRange{*centered, *centered});
  if (failed(squared))
    return failure();
  FailureOr<Value> variance = reduceMean(*squared);
  if (failed(variance))
    return failure();
  Value epsilon = ConstantOp::create(
      ctx.builder, ctx.loc,
      DenseElementsAttr::get(RankedTensorType::get({}, f32),
                             ctx.builder.getF32FloatAttr(ctx.getFloat("epsilon", 1e-5f))));
  FailureOr<AddOp> shifted = ctx.create<AddOp>(ValueRange{*variance, epsilon});
  if (failed(shifted))
    return failure();
  FailureOr<RsqrtOp> invStdDev = ctx.create<RsqrtOp>(ValueRange{*shifted});
  if (failed(invStdDev))
    return failure();
  ctx.setOutput(1, *mean);
  ctx.setOutput(2, *invStdDev);
  return success();
}

LogicalResult convertLayerNorm(NodeContext &ctx) {
  FailureOr<SmallVector<Value>> operands = presentInputs(ctx);
  if (failed(operands))
    return failure();
  if (failed(ctx.setResult(ctx.create<LayerNormOp>(
          *operands,
          {ctx.namedAttr("epsilon", ctx.builder.getF32FloatAttr(ctx.getFloat("epsilon", 1e-5f))),
           ctx.namedAttr("axis", ctx.builder.getI64IntegerAttr(ctx.getInt("axis", -1)))}))))
    return failure();
  if (!ctx.hasOutput(1) && !ctx.hasOutput(2))
    return success();
  // The op verified the axis already.
  int64_t rank = ctx.inputType(0).getRank(), axis = ctx.getInt("axis", -1);
  return emitLayerNormStatistics(ctx, (*operands)[0], axis < 0 ? axis + rank : axis);
}

/// RotaryEmbedding (ai.onnx 23 and com.microsoft, which orders its inputs
/// differently). Caches indexed by position_ids are gathered first; a 3-D
/// input is viewed as [batch, seq, heads, head_dim] around the rotation.
LogicalResult convertRotary(NodeContext &ctx, size_t cosIndex, size_t sinIndex,
                            size_t positionIndex) {
  if (ctx.getFloat("scale", 1.0f) != 1.0f || ctx.getInt("is_packed_batching", 0))
    return ctx.error() << "scale and is_packed_batching are not supported";
  FailureOr<Value> x = ctx.input(0), cos = ctx.input(cosIndex), sin = ctx.input(sinIndex);
  if (failed(x) || failed(cos) || failed(sin))
    return failure();
  RankedTensorType input = ctx.inputType(0);
  if (input.getRank() != 3 && input.getRank() != 4)
    return ctx.error() << "input must be 3-D or 4-D, got rank " << input.getRank();
  Value c = *cos, s = *sin;
  // Caches are [max_position, half] indexed by position_ids, or already
  // [batch, sequence, half] without them.
  int64_t cacheRank = getTensorType(c).getRank();
  if (cacheRank != (ctx.hasInput(positionIndex) ? 2 : 3))
    return ctx.error() << "cos_cache must be 2-D with position_ids and 3-D without (got rank "
                       << cacheRank << ")";
  // ONNX Runtime derives a missing num_heads from the full-width cache.
  int64_t fullHalf = getTensorType(c).getShape().back();
  if (ctx.hasInput(positionIndex)) {
    FailureOr<Value> positions = ctx.input(positionIndex);
    if (failed(positions))
      return failure();
    if (ctx.inputType(positionIndex).getRank() != 2)
      return ctx.error() << "position_ids must be 2-D [batch, sequence]";
    for (Value *cache : {&c, &s}) {
      FailureOr<GatherOp> gather =
          ctx.create<GatherOp>(ValueRange{*cache, *positions},
                               {ctx.namedAttr("axis", ctx.builder.getI64IntegerAttr(0))});
      if (failed(gather))
        return failure();
      *cache = gather->getResult();
    }
  }
  // With rotary_embedding_dim, only the first rotary_embedding_dim / 2
  // columns of a wider cache are used.
  auto cacheType = cast<RankedTensorType>(c.getType());
  int64_t half = cacheType.getShape().back();
  int64_t rotaryDim = ctx.getInt("rotary_embedding_dim", 0);
  if (rotaryDim > 0 && half != rotaryDim / 2) {
    if (rotaryDim % 2 != 0 || ShapedType::isDynamic(half) || half < rotaryDim / 2)
      return ctx.error() << "rotary_embedding_dim " << rotaryDim << " needs a cache at least "
                         << rotaryDim / 2 << " wide (got " << formatShape(cacheType.getShape())
                         << ")";
    int64_t rank = cacheType.getRank();
    SmallVector<int64_t> starts(rank, 0), ends(rank, INT64_MAX), steps(rank, 1);
    ends.back() = rotaryDim / 2;
    for (Value *cache : {&c, &s}) {
      FailureOr<SliceOp> slice = ctx.create<SliceOp>(
          ValueRange{*cache}, {ctx.namedAttr("starts", ctx.builder.getDenseI64ArrayAttr(starts)),
                               ctx.namedAttr("ends", ctx.builder.getDenseI64ArrayAttr(ends)),
                               ctx.namedAttr("steps", ctx.builder.getDenseI64ArrayAttr(steps))});
      if (failed(slice))
        return failure();
      *cache = slice->getResult();
    }
  }
  // cos/sin are [batch, seq, half]: add the heads dimension.
  int64_t headsAxis = input.getRank() == 4 ? 1 : 2;
  Value rotated = *x;
  if (input.getRank() == 3) {
    int64_t heads = ctx.getInt("num_heads", 0);
    int64_t hidden = input.getDimSize(2);
    if (heads <= 0 && !ShapedType::isDynamic(fullHalf) && fullHalf > 0 &&
        !ShapedType::isDynamic(hidden) && hidden % (2 * fullHalf) == 0)
      heads = hidden / (2 * fullHalf);
    if (heads <= 0 || ShapedType::isDynamic(hidden) || hidden % heads != 0)
      return ctx.error() << "a 3-D input needs num_heads dividing a static hidden size";
    auto split = input.clone({input.getDimSize(0), input.getDimSize(1), heads, hidden / heads});
    FailureOr<ReshapeOp> view = ctx.create<ReshapeOp>(ValueRange{rotated}, {}, TypeRange{split});
    if (failed(view))
      return failure();
    rotated = view->getResult();
  }
  for (Value *cache : {&c, &s}) {
    FailureOr<UnsqueezeOp> u = ctx.create<UnsqueezeOp>(
        ValueRange{*cache}, {ctx.namedAttr("axes", ctx.builder.getDenseI64ArrayAttr({headsAxis}))});
    if (failed(u))
      return failure();
    *cache = u->getResult();
  }
  FailureOr<RotaryOp> op = ctx.create<RotaryOp>(
      ValueRange{rotated, c, s},
      {ctx.namedAttr("interleaved", ctx.builder.getBoolAttr(ctx.getInt("interleaved", 0)))});
  if (failed(op))
    return failure();
  Value result = op->getResult();
  if (input.getRank() == 3) {
    FailureOr<ReshapeOp> back = ctx.create<ReshapeOp>(ValueRange{result}, {}, TypeRange{input});
    if (failed(back))
      return failure();
    result = back->getResult();
  }
  ctx.setOutput(0, result);
  return success();
}

LogicalResult convertOnnxRotary(NodeContext &ctx) { return convertRotary(ctx, 1, 2, 3); }
LogicalResult convertMsRotary(NodeContext &ctx) { return convertRotary(ctx, 2, 3, 1); }

/// True when every element of `attr` is zero.
bool isAllZero(ElementsAttr attr) {
  if (!attr || !isa<DenseElementsAttr>(attr))
    return false;
  for (Attribute value : attr.getValues<Attribute>()) {
    if (auto f = dyn_cast<FloatAttr>(value); f && f.getValue().isZero())
      continue;
    if (auto i = dyn_cast<IntegerAttr>(value); i && i.getValue().isZero())
      continue;
    return false;
  }
  return true;
}

/// The tern scale layout attributes for an ONNX (De)QuantizeLinear node, and
/// the scale (input 1) and zero point (input 2, null when absent or a
/// constant zero) reshaped to scalars when ONNX gives a per-tensor one as [1].
FailureOr<std::pair<Value, Value>> quantScaleAndZeroPoint(NodeContext &ctx,
                                                          SmallVectorImpl<NamedAttribute> &attrs) {
  FailureOr<Value> scale = ctx.input(1);
  if (failed(scale))
    return failure();
  Value zeroPoint;
  if (ctx.hasInput(2) && !isAllZero(ctx.constant(2))) {
    if (!isa<IntegerType>(ctx.inputType(2).getElementType()))
      return ctx.error() << "a zero point of " << ctx.inputType(2).getElementType()
                         << " must be a compile-time zero";
    FailureOr<Value> given = ctx.input(2);
    if (failed(given))
      return failure();
    zeroPoint = *given;
  }
  SmallVector<Value, 2> values = {*scale};
  if (zeroPoint)
    values.push_back(zeroPoint);
  auto both = [&]() -> std::pair<Value, Value> {
    return {values[0], zeroPoint ? values[1] : Value()};
  };
  RankedTensorType input = ctx.inputType(0), scaleType = ctx.inputType(1);
  int64_t blockSize = ctx.getInt("block_size", 0);
  int64_t axis = ctx.getInt("axis", 1);
  if (blockSize > 0) {
    FailureOr<int64_t> normalized =
        normalizeAxis(axis, input.getRank(), [&] { return ctx.error(); });
    if (failed(normalized))
      return failure();
    SmallVector<int64_t> blocks(input.getRank(), 1);
    blocks[*normalized] = blockSize;
    attrs.push_back(ctx.namedAttr("block_size", ctx.builder.getDenseI64ArrayAttr(blocks)));
    return both();
  }
  if (scaleType.getRank() == 0)
    return both();
  auto toScalar = [&]() -> FailureOr<std::pair<Value, Value>> {
    for (Value &value : values) {
      auto type = cast<RankedTensorType>(value.getType());
      FailureOr<ReshapeOp> scalar =
          ctx.create<ReshapeOp>(ValueRange{value}, {}, TypeRange{type.clone(ArrayRef<int64_t>{})});
      if (failed(scalar))
        return failure();
      value = scalar->getResult();
    }
    return both();
  };
  bool single = scaleType.getRank() == 1 && scaleType.getDimSize(0) == 1;
  if (single && input.getRank() == 0)
    return toScalar();
  FailureOr<int64_t> normalized = normalizeAxis(axis, input.getRank(), [&] { return ctx.error(); });
  if (failed(normalized))
    return failure();
  // ONNX also writes a per-tensor scale as [1].
  if (single && input.getDimSize(*normalized) != 1)
    return toScalar();
  attrs.push_back(ctx.namedAttr("axis", ctx.builder.getI64IntegerAttr(*normalized)));
  return both();
}

/// Operands of a tern (de)quantize: the data, the scale, the zero point if
/// there is one.
SmallVector<Value, 3> quantOperands(Value x, std::pair<Value, Value> scale) {
  SmallVector<Value, 3> operands = {x, scale.first};
  if (scale.second)
    operands.push_back(scale.second);
  return operands;
}

LogicalResult convertQuantize(NodeContext &ctx) {
  Type element;
  if (ctx.hasInput(2)) {
    element = ctx.inputType(2).getElementType();
  } else {
    int64_t dtype = ctx.getInt("output_dtype", onnx::TensorProto::UINT8);
    FailureOr<Type> converted =
        convertElementType(static_cast<int32_t>(dtype), ctx.builder.getContext(),
                           "the quantized output", [&] { return ctx.error(); });
    if (failed(converted))
      return failure();
    element = *converted;
  }
  SmallVector<NamedAttribute> attrs;
  FailureOr<std::pair<Value, Value>> scale = quantScaleAndZeroPoint(ctx, attrs);
  FailureOr<Value> x = ctx.input(0);
  if (failed(scale) || failed(x))
    return failure();
  return ctx.setResult(ctx.create<QuantizeOp>(quantOperands(*x, *scale), attrs,
                                              TypeRange{ctx.inputType(0).clone(element)}));
}

LogicalResult convertDequantize(NodeContext &ctx) {
  SmallVector<NamedAttribute> attrs;
  FailureOr<std::pair<Value, Value>> scale = quantScaleAndZeroPoint(ctx, attrs);
  FailureOr<Value> x = ctx.input(0);
  if (failed(scale) || failed(x))
    return failure();
  return ctx.setResult(ctx.create<DequantizeOp>(quantOperands(*x, *scale), attrs));
}

} // namespace

void addNNConverters(ConverterTable &table) {
  table[":MatMul"] = {convertMatMul, 2, 2, /*sinceOpset=*/1};
  table[":Gemm"] = {convertGemm, 2, 3, /*sinceOpset=*/7};
  table[":Einsum"] = {convertEinsum, 1, kVariadic, /*sinceOpset=*/12};
  table[":Softmax"] = {convertSoftmax, 1, 1};
  table[":ReduceSum"] = {convertReduce<ReduceSumOp>, 1, 2, /*sinceOpset=*/1};
  table[":ReduceMean"] = {convertReduce<ReduceMeanOp>, 1, 2, /*sinceOpset=*/1};
  table[":ReduceMax"] = {convertReduce<ReduceMaxOp>, 1, 2, /*sinceOpset=*/1};
  table[":ReduceMin"] = {convertReduce<ReduceMinOp>, 1, 2, /*sinceOpset=*/1};
  table[":TopK"] = {convertTopK, 2, 2, /*sinceOpset=*/10};
  table[":RMSNormalization"] = {convertRMSNorm, 2, 2, /*sinceOpset=*/23};
  table[":SimplifiedLayerNormalization"] = {convertRMSNorm, 2, 2};
  table["com.microsoft:SimplifiedLayerNormalization"] = {convertRMSNorm, 2, 2};
  table["com.microsoft:SkipSimplifiedLayerNormalization"] = {convertSkipRMSNorm, 3, 4};
  table[":LayerNormalization"] = {convertLayerNorm, 2, 3, /*sinceOpset=*/17};
  table[":RotaryEmbedding"] = {convertOnnxRotary, 3, 4, /*sinceOpset=*/23};
  table["com.microsoft:RotaryEmbedding"] = {convertMsRotary, 4, 4};
  table[":QuantizeLinear"] = {convertQuantize, 2, 3, /*sinceOpset=*/10};
  table[":DequantizeLinear"] = {convertDequantize, 2, 3, /*sinceOpset=*/10};
}

} // namespace mlir::tern::onnx_import
