//===- AttentionToLinalg.cpp - mla_attention, absorbed --------------------===//
//
// tern.mla_attention computed in the latent space, as DeepSeek decodes it:
// each head's key block of kv_b (W_UK, [N, L]) is folded into its query, the
// scores are taken against the cached latents and RoPE keys directly, the
// probabilities weigh the latents, and each head's value block (W_UV, [V,
// L]) maps the result to the head's values. No per-head key or value of a
// cached position is ever formed: per position the kernels read the L + R
// cached values once, instead of H * (N + R + V).
//
// The op is rewritten into tern ops (einsums over views of kv_b and of the
// cache, the softmax of the per-head form), which the other patterns lower;
// a target with an attention kernel of its own would take the op whole.
//
//===----------------------------------------------------------------------===//
#include "codegen/linalg/LinalgBuilders.h"
#include "codegen/linalg/TernToLinalg.h"
#include "ir/TernOps.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

struct LowerMLAAttention final : StaticShapePattern<MLAAttentionOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(MLAAttentionOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType qType = op.getQNope().getType(), cacheType = op.getLatentCache().getType();
    int64_t batch = qType.getDimSize(0), heads = qType.getDimSize(1), nope = qType.getDimSize(2);
    int64_t positions = cacheType.getDimSize(1), width = cacheType.getDimSize(2);
    int64_t latent = op.getLatentDim(), values = op.getValueDim();
    auto tensor = [&](ArrayRef<int64_t> shape) { return qType.clone(shape); };
    auto slice = [&](Value input, ArrayRef<int64_t> starts, ArrayRef<int64_t> ends) {
      SmallVector<int64_t> shape, steps(starts.size(), 1);
      for (auto [start, end] : llvm::zip_equal(starts, ends))
        shape.push_back(end - start);
      return SliceOp::create(rewriter, loc, tensor(shape), input, starts, ends, steps);
    };
    auto einsum = [&](ArrayRef<int64_t> shape, Value a, Value b, StringRef equation) {
      return EinsumOp::create(rewriter, loc, tensor(shape), ValueRange{a, b}, equation);
    };

    // Each head's key rows of kv_b (W_UK) and value rows (W_UV). A constant
    // kv_b (or a widened one) is read as the plan stores it for its gemm in
    // the prompt's attention, transposed ([L, H * (N + V)]), so that the plan
    // holds it once; anything else as it is, [H * (N + V), L].
    Value kvB = op.getKvB();
    auto widen = kvB.getDefiningOp<CastOp>();
    Value keyUp, valueUp;
    StringRef queryEquation = "bhn,hnl->bhl", outputEquation = "bhl,hel->bhe";
    if (ConcatElementsAttr transposed = getStoredTransposed(widen ? widen.getInput() : kvB)) {
      Value stored = ConstantOp::create(rewriter, loc, transposed);
      if (widen)
        stored = CastOp::create(rewriter, loc, tensor({latent, heads * (nope + values)}), stored,
                                widen.getSaturate());
      Value perHead =
          ReshapeOp::create(rewriter, loc, tensor({latent, heads, nope + values}), stored, Value());
      keyUp = slice(perHead, {0, 0, 0}, {latent, heads, nope});
      valueUp = slice(perHead, {0, 0, nope}, {latent, heads, nope + values});
      queryEquation = "bhn,lhn->bhl";
      outputEquation = "bhl,lhe->bhe";
    } else {
      Value perHead =
          ReshapeOp::create(rewriter, loc, tensor({heads, nope + values, latent}), kvB, Value());
      keyUp = slice(perHead, {0, 0, 0}, {heads, nope, latent});
      valueUp = slice(perHead, {0, nope, 0}, {heads, nope + values, latent});
    }

    // The query in the latent space, then its RoPE part: [B, H, L + R].
    Value query = einsum({batch, heads, latent}, op.getQNope(), keyUp, queryEquation);
    query = ConcatOp::create(rewriter, loc, tensor({batch, heads, width}),
                             ValueRange{query, op.getQRope()}, 2);
    Value scores = einsum({batch, heads, positions}, query, op.getLatentCache(), "bhd,bsd->bhs");
    auto scalarType = RankedTensorType::get({}, qType.getElementType());
    Value scale = ConstantOp::create(
        rewriter, loc, scalarType,
        DenseElementsAttr::get(scalarType,
                               ArrayRef<Attribute>{rewriter.getFloatAttr(
                                   qType.getElementType(), op.getScale().convertToDouble())}));
    scores = MulOp::create(rewriter, loc, scores.getType(), scores, scale);
    scores = AddOp::create(rewriter, loc, scores.getType(), scores, op.getMask());
    Value probs = SoftmaxOp::create(rewriter, loc, scores.getType(), scores, uint64_t(2));

    // The probabilities weigh the latents; W_UV maps each head to its values.
    Value latents = slice(op.getLatentCache(), {0, 0, 0}, {batch, positions, latent});
    Value mixed = einsum({batch, heads, latent}, probs, latents, "bhs,bsl->bhl");
    rewriter.replaceOp(op, einsum({batch, heads, values}, mixed, valueUp, outputEquation));
    return success();
  }
};

} // namespace

void mlir::tern::populateAttentionToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerMLAAttention>(patterns.getContext());
}
