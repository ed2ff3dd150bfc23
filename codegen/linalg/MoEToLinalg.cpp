//===- MoEToLinalg.cpp - moe_route and moe_experts to linalg --------------===//
//
// tern.moe_route decomposes into the reference routing (ir/MoEReference.h).
//
// tern.moe_experts runs only the experts each token chose: one parallel
// iteration per (token, choice) reads its expert's weights through a view
// at the expert's offset into stacked weights, computes the expert's MLP on
// the token, and writes one row; a second kernel adds each token's rows,
// times their routing weights, in choice order (no atomics: the same sum on
// every run).
//
// The weights are stacked here, at compile time, in the layout these
// kernels read: gate and up side by side and transposed, [E, hidden, 2 *
// inter], and down transposed, [E, inter, hidden], so that a row of a weight
// is contiguous along the outputs: the host streams it row by row
// (tern-stream-contractions), a GPU's threads read it coalesced. The stack is a #tern.concat_elements of the checkpoint's constants:
// nothing is copied at compile time, the plan writer streams and transposes
// them.
// Each expert's products add in the same order as the dense gemms, so an
// expert's output is the same to the bit; only the final sum's order
// differs from the dense form.
//
//===----------------------------------------------------------------------===//
#include "codegen/linalg/LinalgBuilders.h"
#include "codegen/linalg/TernToLinalg.h"
#include "ir/MoEReference.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

/// The experts' weights stacked into one constant [E, cols, rows]: expert
/// e's matrices of `groups` (each [rows_g, cols]) transposed and side by
/// side, as a #tern.concat_elements of the checkpoint's own constants, so
/// nothing is copied (the plan writer streams and transposes them). Identical
/// stacks are one attribute, so prefill, decode and every specialization
/// share one weight. Fails unless every weight is a constant of one element
/// type.
FailureOr<Value> stackExperts(OpBuilder &b, Location loc, ArrayRef<ValueRange> groups) {
  int64_t experts = groups.front().size(), rows = 0;
  auto first = cast<RankedTensorType>(groups.front().front().getType());
  for (ValueRange group : groups)
    rows += cast<RankedTensorType>(group.front().getType()).getDimSize(0);
  SmallVector<Attribute> parts;
  for (int64_t e = 0; e < experts; ++e)
    for (ValueRange group : groups) {
      ElementsAttr data;
      if (getElementTypeOrSelf(group[e]) != first.getElementType() ||
          !matchPattern(group[e], m_Constant(&data)))
        return failure();
      parts.push_back(data);
    }
  auto type = RankedTensorType::get({experts, first.getDimSize(1), rows}, first.getElementType());
  auto stacked =
      ConcatElementsAttr::get(b.getContext(), type, b.getArrayAttr(parts), groups.size());
  return arith::ConstantOp::create(b, loc, type, stacked).getResult();
}

/// The [1, N] product of a [1, K] row and a [K, N] matrix (products added
/// in K order, as tern.gemm adds them).
Value rowTimesMatrix(OpBuilder &b, Location loc, Value row, Value matrix, Type element) {
  int64_t n = cast<RankedTensorType>(matrix.getType()).getDimSize(1);
  MLIRContext *context = b.getContext();
  AffineExpr m = getAffineDimExpr(0, context), j = getAffineDimExpr(1, context),
             k = getAffineDimExpr(2, context);
  SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {m, k}, context),
                                 AffineMap::get(3, 0, {k, j}, context),
                                 AffineMap::get(3, 0, {m, j}, context)};
  return contract(b, loc, RankedTensorType::get({1, n}, element), ValueRange{row, matrix}, maps,
                  {utils::IteratorType::parallel, utils::IteratorType::parallel,
                   utils::IteratorType::reduction});
}

/// A static [1, ...] slice of `source` at `offsets` with `sizes`, dropping
/// the dimensions of size 1 before the last two.
Value sliceOf(OpBuilder &b, Location loc, Value source, ArrayRef<OpFoldResult> offsets,
              ArrayRef<int64_t> sizes, ArrayRef<int64_t> resultShape) {
  auto sourceType = cast<RankedTensorType>(source.getType());
  SmallVector<OpFoldResult> sizeAttrs, strides(sizes.size(), b.getIndexAttr(1));
  for (int64_t size : sizes)
    sizeAttrs.push_back(b.getIndexAttr(size));
  auto type = RankedTensorType::get(resultShape, sourceType.getElementType());
  return tensor::ExtractSliceOp::create(b, loc, type, source, offsets, sizeAttrs, strides);
}

// moe_experts(x, idx, w, gate, up, down) =>
//   rows = scf.forall (t, j) { e = idx[t, j]; expert e's MLP on x[t] }
//   result[t] = sum over j of w[t, j] * rows[t, j]
struct LowerMoEExperts final : StaticShapePattern<MoEExpertsOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(MoEExpertsOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type element = type.getElementType();
    int64_t tokens = type.getDimSize(0), hidden = type.getDimSize(1);
    int64_t choices = op.getIndices().getType().getDimSize(1);
    int64_t inter = getTensorType(op.getGate().front()).getDimSize(0);
    int64_t experts = op.getNumExperts();

    FailureOr<Value> gateUp = stackExperts(rewriter, loc, {op.getGate(), op.getUp()});
    FailureOr<Value> down = stackExperts(rewriter, loc, {op.getDown()});
    if (failed(gateUp) || failed(down))
      return rewriter.notifyMatchFailure(
          op, "expert weights must be constants of one element type per projection");

    auto rowsType = RankedTensorType::get({tokens, choices, hidden}, element);
    Value rowsInit = createEmpty(rewriter, loc, rowsType);
    auto forall = scf::ForallOp::create(
        rewriter, loc,
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(tokens), rewriter.getIndexAttr(choices)},
        ValueRange{rowsInit}, std::nullopt);
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(forall.getTerminator());
      Value t = forall.getInductionVar(0), j = forall.getInductionVar(1);
      OpFoldResult zero = rewriter.getIndexAttr(0);
      // Kernels cannot report errors: a bad index reads some expert, never
      // out of bounds.
      Value e = normalizeIndex(
          rewriter, loc,
          tensor::ExtractOp::create(rewriter, loc, op.getIndices(), ValueRange{t, j}), experts);

      Value row = sliceOf(rewriter, loc, op.getHidden(), {t, zero}, {1, hidden}, {1, hidden});
      Value gateUpRows = sliceOf(rewriter, loc, *gateUp, {e, zero, zero}, {1, hidden, 2 * inter},
                                 {hidden, 2 * inter});
      Value projected = rowTimesMatrix(rewriter, loc, row, gateUpRows, element);
      Value gated = sliceOf(rewriter, loc, projected, {zero, zero}, {1, inter}, {1, inter});
      Value upped = sliceOf(rewriter, loc, projected, {zero, rewriter.getIndexAttr(inter)},
                            {1, inter}, {1, inter});
      auto interType = RankedTensorType::get({1, inter}, element);
      AffineMap identity = rewriter.getMultiDimIdentityMap(2);
      Value activated =
          elementwise(rewriter, loc, interType, ValueRange{gated, upped}, {identity, identity},
                      [](OpBuilder &b, Location l, ValueRange args) -> Value {
                        return arith::MulFOp::create(b, l, buildSilu(b, l, args[0]), args[1]);
                      });
      Value downRows =
          sliceOf(rewriter, loc, *down, {e, zero, zero}, {1, inter, hidden}, {inter, hidden});
      Value output = rowTimesMatrix(rewriter, loc, activated, downRows, element);

      rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
      SmallVector<OpFoldResult> offsets = {t, j, zero},
                                sizes = {rewriter.getIndexAttr(1), rewriter.getIndexAttr(1),
                                         rewriter.getIndexAttr(hidden)};
      SmallVector<OpFoldResult> strides(3, rewriter.getIndexAttr(1));
      tensor::ParallelInsertSliceOp::create(rewriter, loc, output, forall.getRegionIterArgs()[0],
                                            offsets, sizes, strides);
    }

    // result[t, m] = sum over j of rows[t, j, m] * w[t, j], j in order.
    MLIRContext *context = getContext();
    AffineExpr t = getAffineDimExpr(0, context), m = getAffineDimExpr(1, context),
               j = getAffineDimExpr(2, context);
    Value result =
        contract(rewriter, loc, type, ValueRange{forall.getResult(0), op.getWeights()},
                 {AffineMap::get(3, 0, {t, j, m}, context), AffineMap::get(3, 0, {t, j}, context),
                  AffineMap::get(3, 0, {t, m}, context)},
                 {utils::IteratorType::parallel, utils::IteratorType::parallel,
                  utils::IteratorType::reduction});
    rewriter.replaceOp(op, result);
    return success();
  }
};

// moe_route(logits, bias) => the reference routing in tern ops (top-k,
// scatters, masks), which the other patterns lower in turn; a routing kernel
// in place of this decomposition is future work.
struct DecomposeMoERoute final : StaticShapePattern<MoERouteOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(MoERouteOp op, PatternRewriter &rewriter) const override {
    if (!getElementTypeOrSelf(op.getLogits()).isF32())
      return rewriter.notifyMatchFailure(op, "the reference routing is written in f32");
    MoERouting routing;
    routing.sigmoid = op.getScoring() == MoERouteOp::kSigmoid;
    routing.k = op.getK();
    routing.nGroup = op.getNGroup();
    routing.topkGroup = op.getTopkGroup();
    routing.groupTop2Sum = op.getGroupScore() == MoERouteOp::kGroupTop2Sum;
    routing.droppedFill = float(op.getDroppedFill().convertToDouble());
    routing.maskedWeights = op.getMaskedWeights();
    routing.normalize = op.getNormalize();
    routing.normEpsilon = float(op.getNormEpsilon().convertToDouble());
    routing.scaling = float(op.getScaling().convertToDouble());
    auto [indices, weights] = buildReferenceRouting(rewriter, op.getLoc(), op.getLogits(),
                                                    op.getCorrectionBias(), routing);
    rewriter.replaceOp(op, {indices, weights});
    return success();
  }
};

} // namespace

void mlir::tern::populateMoEToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerMoEExperts, DecomposeMoERoute>(patterns.getContext());
}
