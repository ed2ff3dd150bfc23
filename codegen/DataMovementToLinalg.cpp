//===- DataMovementToLinalg.cpp - reshapes and transposes -----------------===//
#include "codegen/LinalgBuilders.h"
#include "codegen/TernToLinalg.h"
#include "ir/TernOps.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

// reshape / squeeze / unsqueeze (static) => tensor.collapse_shape + expand_shape
template <typename OpTy> struct LowerReshapeLike final : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return rewriter.notifyMatchFailure(op, "dynamic shapes are not lowered yet");
    rewriter.replaceOp(op, reshapeStatic(rewriter, op.getLoc(), op.getInput(), op.getType()));
    return success();
  }
};

// transpose(x, perm) => linalg.transpose
struct LowerTranspose final : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TransposeOp op, PatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return rewriter.notifyMatchFailure(op, "dynamic shapes are not lowered yet");
    Value init = createEmpty(rewriter, op.getLoc(), op.getType());
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(), op.getInput(), init,
                                                       op.getPermutation())
                               ->getResults());
    return success();
  }
};

} // namespace

void mlir::tern::populateDataMovementToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerReshapeLike<ReshapeOp>, LowerReshapeLike<SqueezeOp>,
               LowerReshapeLike<UnsqueezeOp>, LowerTranspose>(patterns.getContext());
}
