//===- DataMovementToLinalg.cpp - reshapes and transposes -----------------===//
#include "codegen/LinalgBuilders.h"
#include "codegen/TernToLinalg.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

// reshape / squeeze / unsqueeze (static) => tensor.collapse_shape + expand_shape
template <typename OpTy> struct LowerReshapeLike final : StaticShapePattern<OpTy> {
  using StaticShapePattern<OpTy>::StaticShapePattern;

  LogicalResult rewriteStatic(OpTy op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeStatic(rewriter, op.getLoc(), op.getInput(), op.getType()));
    return success();
  }
};

// transpose(x, perm) => linalg.transpose
struct LowerTranspose final : StaticShapePattern<TransposeOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(TransposeOp op, PatternRewriter &rewriter) const override {
    Value init = createEmpty(rewriter, op.getLoc(), op.getType());
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(), op.getInput(), init,
                                                       op.getPermutation())
                               ->getResults());
    return success();
  }
};

// slice(x) with positive steps => tensor.extract_slice
struct LowerSlice final : StaticShapePattern<SliceOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(SliceOp op, PatternRewriter &rewriter) const override {
    if (llvm::any_of(op.getSteps(), [](int64_t step) { return step < 0; }))
      return rewriter.notifyMatchFailure(op, "negative steps are not lowered yet");
    RankedTensorType input = cast<RankedTensorType>(op.getInput().getType());
    SmallVector<OpFoldResult> offsets, sizes, strides;
    for (int64_t d = 0; d < input.getRank(); ++d) {
      SliceBounds bounds =
          getSliceBounds(input.getDimSize(d), op.getStarts()[d], op.getEnds()[d], op.getSteps()[d]);
      offsets.push_back(rewriter.getIndexAttr(bounds.start));
      sizes.push_back(rewriter.getIndexAttr(bounds.length));
      strides.push_back(rewriter.getIndexAttr(op.getSteps()[d]));
    }
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(op, op.getType(), op.getInput(), offsets,
                                                        sizes, strides);
    return success();
  }
};

// split(x) => one tensor.extract_slice per piece
struct LowerSplit final : StaticShapePattern<SplitOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(SplitOp op, PatternRewriter &rewriter) const override {
    RankedTensorType input = cast<RankedTensorType>(op.getInput().getType());
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += input.getRank();
    SmallVector<Value> pieces;
    int64_t offset = 0;
    for (auto [size, result] : llvm::zip_equal(op.getSizes(), op.getResults())) {
      SmallVector<OpFoldResult> offsets(input.getRank(), rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes, strides(input.getRank(), rewriter.getIndexAttr(1));
      for (int64_t dim : cast<RankedTensorType>(result.getType()).getShape())
        sizes.push_back(rewriter.getIndexAttr(dim));
      offsets[axis] = rewriter.getIndexAttr(offset);
      offset += size;
      pieces.push_back(tensor::ExtractSliceOp::create(rewriter, op.getLoc(),
                                                      cast<RankedTensorType>(result.getType()),
                                                      op.getInput(), offsets, sizes, strides));
    }
    rewriter.replaceOp(op, pieces);
    return success();
  }
};

// concat(xs, axis) => tensor.concat
struct LowerConcat final : StaticShapePattern<ConcatOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(ConcatOp op, PatternRewriter &rewriter) const override {
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += op.getType().getRank();
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(op, axis, op.getInputs());
    return success();
  }
};

} // namespace

void mlir::tern::populateDataMovementToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerReshapeLike<ReshapeOp>, LowerReshapeLike<SqueezeOp>,
               LowerReshapeLike<UnsqueezeOp>, LowerTranspose, LowerSlice, LowerSplit, LowerConcat>(
      patterns.getContext());
}
