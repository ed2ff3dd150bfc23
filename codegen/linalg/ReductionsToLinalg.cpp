//===- ReductionsToLinalg.cpp - reductions, softmax, norms ----------------===//
//
// Each becomes reductions (linalg.generic with reduction iterators) and
// elementwise generics that read the reduced values through maps which skip
// the reduced dimensions.
//
//===----------------------------------------------------------------------===//
#include "codegen/linalg/LinalgBuilders.h"
#include "codegen/linalg/TernToLinalg.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

/// The map from `rank` dimensions to those not in `axes`.
AffineMap keptDimsMap(int64_t rank, ArrayRef<int64_t> axes, MLIRContext *context) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(axes, d))
      exprs.push_back(getAffineDimExpr(d, context));
  return AffineMap::get(rank, 0, exprs, context);
}

SmallVector<int64_t> normalizedAxes(ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<int64_t> result;
  for (int64_t axis : axes)
    result.push_back(staticAxis(axis, rank));
  if (result.empty())
    result = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  llvm::sort(result);
  return result;
}

/// A norm's normalized dimensions, `axis` to the last, and their element count.
std::pair<SmallVector<int64_t>, int64_t> normalizedDims(RankedTensorType type, uint64_t axis) {
  int64_t first = staticAxis(axis, type.getRank());
  SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(first, type.getRank()));
  int64_t count = 1;
  for (int64_t d : axes)
    count *= type.getDimSize(d);
  return {axes, count};
}

template <typename OpTy> constexpr ReductionKind kindOf() {
  if constexpr (std::is_same_v<OpTy, ReduceMaxOp>)
    return ReductionKind::Max;
  else if constexpr (std::is_same_v<OpTy, ReduceMinOp>)
    return ReductionKind::Min;
  else
    return ReductionKind::Sum;
}

// reduce_{sum,mean,max,min}(x, axes) => reduction (/ count for mean), reshaped for keepdims
template <typename OpTy> struct LowerReduce final : StaticShapePattern<OpTy> {
  using StaticShapePattern<OpTy>::StaticShapePattern;

  LogicalResult rewriteStatic(OpTy op, PatternRewriter &rewriter) const override {
    auto input = cast<RankedTensorType>(op.getInput().getType());
    bool isMean = std::is_same_v<OpTy, ReduceMeanOp>;
    if (isMean && !isa<FloatType>(input.getElementType()))
      return rewriter.notifyMatchFailure(op, "integer means are not lowered yet");
    Location loc = op.getLoc();
    SmallVector<int64_t> axes = normalizedAxes(op.getAxes(), input.getRank());
    Value reduced = reduce(rewriter, loc, op.getInput(), axes, kindOf<OpTy>());
    if (isMean) {
      int64_t count = 1;
      for (int64_t axis : axes)
        count *= input.getDimSize(axis);
      auto type = cast<RankedTensorType>(reduced.getType());
      Value divisor = arith::ConstantOp::create(
          rewriter, loc, rewriter.getFloatAttr(type.getElementType(), static_cast<double>(count)));
      reduced = elementwise(rewriter, loc, type, ValueRange{reduced},
                            {rewriter.getMultiDimIdentityMap(type.getRank())},
                            [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                              return arith::DivFOp::create(b, l, args[0], divisor);
                            });
    }
    rewriter.replaceOp(op, reshapeStatic(rewriter, loc, reduced, op.getType()));
    return success();
  }
};

// softmax(x, axis) => e = exp(x - max(x)); e / sum(e)
struct LowerSoftmax final : StaticShapePattern<SoftmaxOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(SoftmaxOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    SmallVector<int64_t> axes = normalizedAxes({static_cast<int64_t>(op.getAxis())}, rank);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap kept = keptDimsMap(rank, axes, getContext());
    Value max = reduce(rewriter, loc, op.getInput(), axes, ReductionKind::Max);
    Value exp = elementwise(rewriter, loc, type, ValueRange{op.getInput(), max}, {identity, kept},
                            [](OpBuilder &b, Location l, ValueRange args) -> Value {
                              return math::ExpOp::create(
                                  b, l, arith::SubFOp::create(b, l, args[0], args[1]));
                            });
    Value sum = reduce(rewriter, loc, exp, axes, ReductionKind::Sum);
    rewriter.replaceOp(op, elementwise(rewriter, loc, type, ValueRange{exp, sum}, {identity, kept},
                                       [](OpBuilder &b, Location l, ValueRange args) -> Value {
                                         return arith::DivFOp::create(b, l, args[0], args[1]);
                                       }));
    return success();
  }
};

/// x * rsqrt(sum(x * x) / n + epsilon) * scale (+ bias), the sum over `axes`
/// (n elements): rms_norm, and layer_norm once x is centred.
Value scaleByRms(OpBuilder &builder, Location loc, Value x, Value scale, Value bias, double epsilon,
                 ArrayRef<int64_t> axes, int64_t count) {
  auto type = cast<RankedTensorType>(x.getType());
  Type element = type.getElementType();
  MLIRContext *context = builder.getContext();
  AffineMap identity = builder.getMultiDimIdentityMap(type.getRank());
  Value squares = elementwise(builder, loc, type, ValueRange{x}, {identity},
                              [](OpBuilder &b, Location l, ValueRange args) -> Value {
                                return arith::MulFOp::create(b, l, args[0], args[0]);
                              });
  Value sum = reduce(builder, loc, squares, axes, ReductionKind::Sum);
  Value n = arith::ConstantOp::create(builder, loc,
                                      builder.getFloatAttr(element, static_cast<double>(count)));
  Value eps = arith::ConstantOp::create(builder, loc, builder.getFloatAttr(element, epsilon));
  SmallVector<Value> inputs = {x, sum, scale};
  SmallVector<AffineMap> maps = {
      identity, keptDimsMap(type.getRank(), axes, context),
      broadcastMap(cast<RankedTensorType>(scale.getType()), type, context)};
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(broadcastMap(cast<RankedTensorType>(bias.getType()), type, context));
  }
  return elementwise(
      builder, loc, type, inputs, maps, [&](OpBuilder &b, Location l, ValueRange args) -> Value {
        Value mean = arith::DivFOp::create(b, l, args[1], n);
        Value inv = math::RsqrtOp::create(b, l, arith::AddFOp::create(b, l, mean, eps));
        Value y = arith::MulFOp::create(b, l, arith::MulFOp::create(b, l, args[0], inv), args[2]);
        return args.size() == 4 ? Value(arith::AddFOp::create(b, l, y, args[3])) : y;
      });
}

// rms_norm(x, w) => x * rsqrt(sum(x * x) / n + epsilon) * w, over axis..rank
struct LowerRMSNorm final : StaticShapePattern<RMSNormOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(RMSNormOp op, PatternRewriter &rewriter) const override {
    auto [axes, count] = normalizedDims(op.getType(), op.getAxis());
    rewriter.replaceOp(op, scaleByRms(rewriter, op.getLoc(), op.getInput(), op.getScale(), Value(),
                                      op.getEpsilon().convertToDouble(), axes, count));
    return success();
  }
};

// layer_norm(x, w, b) => c = x - sum(x) / n; c * rsqrt(sum(c * c) / n + epsilon) * w + b
struct LowerLayerNorm final : StaticShapePattern<LayerNormOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(LayerNormOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    auto [axes, count] = normalizedDims(type, op.getAxis());
    Value n = arith::ConstantOp::create(
        rewriter, loc, rewriter.getFloatAttr(type.getElementType(), static_cast<double>(count)));
    Value sum = reduce(rewriter, loc, op.getInput(), axes, ReductionKind::Sum);
    Value centered = elementwise(rewriter, loc, type, ValueRange{op.getInput(), sum},
                                 {rewriter.getMultiDimIdentityMap(type.getRank()),
                                  keptDimsMap(type.getRank(), axes, getContext())},
                                 [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                                   Value mean = arith::DivFOp::create(b, l, args[1], n);
                                   return arith::SubFOp::create(b, l, args[0], mean);
                                 });
    rewriter.replaceOp(op, scaleByRms(rewriter, loc, centered, op.getScale(), op.getBias(),
                                      op.getEpsilon().convertToDouble(), axes, count));
    return success();
  }
};

// softmax / rms_norm / layer_norm on f16 or bf16 => the same op in f32
// between casts. Sums and reciprocal square roots lose too much in 8 or 11
// mantissa bits; ONNX's norms compute in f32 by default (stash_type = 1), and
// so do the reference models (PyTorch's softmax(..., dtype=float32)).
template <typename OpTy> struct ComputeInF32 final : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    if (!type.getElementType().isF16() && !type.getElementType().isBF16())
      return rewriter.notifyMatchFailure(op, "already f32");
    if (!hasStaticShapes(op))
      return rewriter.notifyMatchFailure(op, "dynamic shapes are not lowered yet");
    Location loc = op.getLoc();
    Type f32 = rewriter.getF32Type();
    IRMapping mapping;
    for (Value operand : op->getOperands())
      mapping.map(operand,
                  CastOp::create(rewriter, loc,
                                 cast<RankedTensorType>(operand.getType()).clone(f32), operand));
    Operation *wide = rewriter.clone(*op, mapping);
    wide->getResult(0).setType(type.clone(f32));
    rewriter.replaceOpWithNewOp<CastOp>(op, type, wide->getResult(0));
    return success();
  }
};

} // namespace

void mlir::tern::populateReductionsToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerReduce<ReduceSumOp>, LowerReduce<ReduceMeanOp>, LowerReduce<ReduceMaxOp>,
               LowerReduce<ReduceMinOp>, LowerSoftmax, LowerRMSNorm, LowerLayerNorm>(
      patterns.getContext());
  patterns.add<ComputeInF32<SoftmaxOp>, ComputeInF32<RMSNormOp>, ComputeInF32<LayerNormOp>>(
      patterns.getContext(), /*benefit=*/2);
}
