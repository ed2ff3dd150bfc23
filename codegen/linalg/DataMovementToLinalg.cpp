//===- DataMovementToLinalg.cpp - reshapes, broadcasts, transposes --------===//
#include "codegen/linalg/LinalgBuilders.h"
#include "codegen/linalg/TernToLinalg.h"
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

// expand(x) => generic reading x through its broadcasting map
struct LowerExpand final : StaticShapePattern<ExpandOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(ExpandOp op, PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    auto input = cast<RankedTensorType>(op.getInput().getType());
    rewriter.replaceOp(op,
                       elementwise(rewriter, op.getLoc(), type, ValueRange{op.getInput()},
                                   {broadcastMap(input, type, getContext())},
                                   [](OpBuilder &, Location, ValueRange args) { return args[0]; }));
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

// slice(x) with positive steps => tensor.extract_slice; with a negative one
// => a copy that reads x at start + step * i in each dimension (an affine
// map; extract_slice has no negative strides)
struct LowerSlice final : StaticShapePattern<SliceOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(SliceOp op, PatternRewriter &rewriter) const override {
    // tensor.extract_slice rejects offsets at the end, even for empty slices.
    if (op.getType().getNumElements() == 0) {
      rewriter.replaceOp(op, createEmpty(rewriter, op.getLoc(), op.getType()));
      return success();
    }
    RankedTensorType input = cast<RankedTensorType>(op.getInput().getType());
    if (llvm::any_of(op.getSteps(), [](int64_t step) { return step < 0; })) {
      SmallVector<AffineExpr> reads;
      for (int64_t d = 0; d < input.getRank(); ++d) {
        int64_t step = op.getSteps()[d];
        SliceBounds bounds =
            getSliceBounds(input.getDimSize(d), op.getStarts()[d], op.getEnds()[d], step);
        reads.push_back(rewriter.getAffineDimExpr(d) * step + bounds.start);
      }
      auto type = cast<RankedTensorType>(op.getType());
      AffineMap read = AffineMap::get(input.getRank(), 0, reads, rewriter.getContext());
      rewriter.replaceOp(
          op, elementwise(rewriter, op.getLoc(), type, op.getInput(), {read},
                          [](OpBuilder &, Location, ValueRange args) { return args[0]; }));
      return success();
    }
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
    int64_t axis = staticAxis(op.getAxis(), input.getRank());
    SmallVector<Value> pieces;
    int64_t offset = 0;
    for (auto [size, result] : llvm::zip_equal(op.getSizes(), op.getResults())) {
      auto type = cast<RankedTensorType>(result.getType());
      if (size == 0) {
        pieces.push_back(createEmpty(rewriter, op.getLoc(), type));
        continue;
      }
      SmallVector<OpFoldResult> offsets(input.getRank(), rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes, strides(input.getRank(), rewriter.getIndexAttr(1));
      for (int64_t dim : type.getShape())
        sizes.push_back(rewriter.getIndexAttr(dim));
      offsets[axis] = rewriter.getIndexAttr(offset);
      offset += size;
      pieces.push_back(tensor::ExtractSliceOp::create(rewriter, op.getLoc(), type, op.getInput(),
                                                      offsets, sizes, strides));
    }
    rewriter.replaceOp(op, pieces);
    return success();
  }
};

// concat(xs, axis) => tensor.concat
struct LowerConcat final : StaticShapePattern<ConcatOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(ConcatOp op, PatternRewriter &rewriter) const override {
    int64_t axis = staticAxis(op.getAxis(), op.getType().getRank());
    // Empty inputs add nothing, and tensor.concat would insert them past
    // the end.
    SmallVector<Value> inputs = llvm::filter_to_vector(op.getInputs(), [](Value input) {
      return cast<RankedTensorType>(input.getType()).getNumElements() != 0;
    });
    if (inputs.empty())
      rewriter.replaceOp(op, createEmpty(rewriter, op.getLoc(), op.getType()));
    else if (inputs.size() == 1)
      rewriter.replaceOp(op, inputs.front());
    else
      rewriter.replaceOpWithNewOp<tensor::ConcatOp>(op, axis, inputs);
    return success();
  }
};

} // namespace

void mlir::tern::populateDataMovementToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerExpand, LowerReshapeLike<ReshapeOp>, LowerReshapeLike<SqueezeOp>,
               LowerReshapeLike<UnsqueezeOp>, LowerTranspose, LowerSlice, LowerSplit, LowerConcat>(
      patterns.getContext());
}
