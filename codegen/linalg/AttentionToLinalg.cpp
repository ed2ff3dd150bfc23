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
// The products with kv_b are contractions over views of kv_b as stored that
// widen (bf16) or dequantize (FP8 with block scales) each element as they
// read it, so no converted copy of kv_b is made per step; so are the
// products with the cache, which widen a bf16 cache as they read it; the
// softmax and the rest are tern ops, which the other patterns lower. With
// split-attention (the host) an op with last_positions attends only to the
// positions each query sees, in splits of the cache (SplitAttention.h);
// otherwise (GPUs) to every position under a mask, a paged cache read
// through its block table where the products read it. A target with an attention kernel of its own
// would take the op whole.
//
//===----------------------------------------------------------------------===//
#include "codegen/linalg/LinalgBuilders.h"
#include "codegen/linalg/SplitAttention.h"
#include "codegen/linalg/TernToLinalg.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

/// One of kv_b's per-head blocks, W_UK (each head's N key rows) or W_UV
/// (its V value rows), in kv_b's stored precision.
struct HeadBlock {
  /// [H, rows, L], or [L, H, rows] when `latentMajor` (read through the
  /// transposed constant the prompt's gemm reads, so that the plan stores
  /// kv_b once).
  Value weight;
  bool latentMajor = false;
  /// Block-quantized: [H, rows / blockRows, ceil(L / blockCols)].
  Value scales;
  int64_t blockRows = 1, blockCols = 1;
};

/// W_UK and W_UV as views of kv_b as stored: a (widened) constant through
/// its stored transpose; a block dequantization (possibly rounded to bf16)
/// whose blocks do not straddle a head's key and value rows as its data and
/// scales; anything else as it is. The products below widen or dequantize
/// each element as they read it, so no converted copy of kv_b is made per
/// step.
std::pair<HeadBlock, HeadBlock> splitHeads(PatternRewriter &rewriter, MLAAttentionOp op) {
  Location loc = op.getLoc();
  RankedTensorType qType = op.getQNope().getType();
  int64_t heads = qType.getDimSize(1), nope = qType.getDimSize(2);
  int64_t latent = op.getLatentDim(), values = op.getValueDim(), rows = nope + values;
  auto reshape = [&](Value value, ArrayRef<int64_t> shape) -> Value {
    auto type = cast<RankedTensorType>(value.getType()).clone(shape);
    return ReshapeOp::create(rewriter, loc, type, value, Value());
  };
  auto slice = [&](Value value, ArrayRef<int64_t> starts, ArrayRef<int64_t> ends) -> Value {
    SmallVector<int64_t> shape, steps(starts.size(), 1);
    for (auto [start, end] : llvm::zip_equal(starts, ends))
      shape.push_back(end - start);
    auto type = cast<RankedTensorType>(value.getType()).clone(shape);
    return SliceOp::create(rewriter, loc, type, value, starts, ends, steps);
  };
  Value kvB = op.getKvB();
  HeadBlock keys, vals;

  // Under a cast: a widened bf16 constant, or (--precision=bf16) a
  // dequantized FP8 weight rounded to bf16, read here without that rounding.
  auto converted = kvB.getDefiningOp<CastOp>();
  Value stored = converted ? converted.getInput() : kvB;
  if (ConcatElementsAttr transposed = getStoredTransposed(stored)) {
    Value perHead = reshape(ConstantOp::create(rewriter, loc, transposed), {latent, heads, rows});
    keys.weight = slice(perHead, {0, 0, 0}, {latent, heads, nope});
    vals.weight = slice(perHead, {0, 0, nope}, {latent, heads, rows});
    keys.latentMajor = vals.latentMajor = true;
    return {keys, vals};
  }

  auto dequantize = stored.getDefiningOp<DequantizeOp>();
  std::optional<ArrayRef<int64_t>> block = dequantize ? dequantize.getBlockSize() : std::nullopt;
  if (block && block->size() == 2 && nope % (*block)[0] == 0 && values % (*block)[0] == 0) {
    int64_t blockRows = (*block)[0];
    int64_t scaleCols = cast<RankedTensorType>(dequantize.getScale().getType()).getDimSize(1);
    Value data = reshape(dequantize.getInput(), {heads, rows, latent});
    Value scales = reshape(dequantize.getScale(), {heads, rows / blockRows, scaleCols});
    for (auto [part, first, count] :
         {std::tuple(&keys, int64_t(0), nope), std::tuple(&vals, nope, values)}) {
      part->weight = slice(data, {0, first, 0}, {heads, first + count, latent});
      part->scales =
          slice(scales, {0, first / blockRows, 0}, {heads, (first + count) / blockRows, scaleCols});
      part->blockRows = blockRows;
      part->blockCols = (*block)[1];
    }
    return {keys, vals};
  }

  Value perHead = reshape(kvB, {heads, rows, latent});
  keys.weight = slice(perHead, {0, 0, 0}, {heads, nope, latent});
  vals.weight = slice(perHead, {0, nope, 0}, {heads, rows, latent});
  return {keys, vals};
}

/// `lhs` [B, H, K] times each head's block, [B, H, M]: summed over the
/// block's rows for the query into the latent space (K = N, M = L), over
/// its latent columns for the values out of it (K = L, M = V).
Value timesHeadBlock(PatternRewriter &rewriter, Location loc, Value lhs, const HeadBlock &block,
                     bool sumRows, RankedTensorType type) {
  MLIRContext *context = rewriter.getContext();
  AffineExpr b = getAffineDimExpr(0, context), h = getAffineDimExpr(1, context),
             out = getAffineDimExpr(2, context), sum = getAffineDimExpr(3, context);
  AffineExpr row = sumRows ? sum : out, column = sumRows ? out : sum;
  auto map = [&](ArrayRef<AffineExpr> exprs) { return AffineMap::get(4, 0, exprs, context); };
  SmallVector<AffineMap> maps = {map({b, h, sum}),
                                 block.latentMajor ? map({column, h, row}) : map({h, row, column})};
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  if (!block.scales) {
    maps.push_back(map({b, h, out}));
    return contract(rewriter, loc, type, ValueRange{lhs, block.weight}, maps, iterators);
  }
  maps.push_back(map({h, row.floorDiv(block.blockRows), column.floorDiv(block.blockCols)}));
  maps.push_back(map({b, h, out}));
  return contractScaled(rewriter, loc, type, lhs, block.weight, block.scales, maps, iterators);
}

/// sum over s of lhs[b, h, s] * cache(b, s, out) (`sumOverPositions`), or
/// over d of lhs[b, h, d] * cache(b, out, d): [B, H, M] of `type`, where
/// cache(b, s, c) is the paged cache's pool[table[b, s / P], s mod P, c],
/// read through the table where the product reads it (no gathered copy of
/// the sequences' blocks), widened, the block number clamped into the pool.
Value timesPagedCache(PatternRewriter &rewriter, Location loc, RankedTensorType type, Value lhs,
                      Value pool, Value table, bool sumOverPositions) {
  MLIRContext *context = rewriter.getContext();
  RankedTensorType poolType = getTensorType(pool);
  int64_t blocks = poolType.getDimSize(0), rows = poolType.getDimSize(1);
  Type acc = type.getElementType();
  // Dimensions (b, h, out, sum); the position is `sum` or `out`.
  unsigned positionDim = sumOverPositions ? 3 : 2, columnDim = sumOverPositions ? 2 : 3;
  AffineExpr b = getAffineDimExpr(0, context), h = getAffineDimExpr(1, context),
             out = getAffineDimExpr(2, context), sum = getAffineDimExpr(3, context);
  AffineExpr position = getAffineDimExpr(positionDim, context);
  auto map = [&](ArrayRef<AffineExpr> exprs) { return AffineMap::get(4, 0, exprs, context); };
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  Value init = createFilled(rewriter, loc, type, cast<TypedAttr>(rewriter.getZeroAttr(acc)));
  return linalg::GenericOp::create(
             rewriter, loc, TypeRange{type}, ValueRange{lhs, table}, ValueRange{init},
             {map({b, h, sum}), map({b, position.floorDiv(rows)}), map({b, h, out})}, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value block = clampIndex(nb, l, args[1], blocks);
               Value row =
                   arith::RemUIOp::create(nb, l, linalg::IndexOp::create(nb, l, positionDim),
                                          arith::ConstantIndexOp::create(nb, l, rows));
               Value column = linalg::IndexOp::create(nb, l, columnDim);
               Value cached =
                   tensor::ExtractOp::create(nb, l, pool, ValueRange{block, row, column});
               if (cached.getType() != acc)
                 cached = arith::ExtFOp::create(nb, l, acc, cached);
               Value product = arith::MulFOp::create(nb, l, args[0], cached);
               linalg::YieldOp::create(nb, l,
                                       arith::AddFOp::create(nb, l, args[2], product).getResult());
             })
      .getResult(0);
}

/// [B, 1, S] of `type`'s element: 0 where position s is at most the query's
/// last position (clamped into [0, S)), -inf after it.
Value visibleMask(PatternRewriter &rewriter, Location loc, Value lastPositions,
                  RankedTensorType type) {
  int64_t positions = type.getDimSize(2);
  Type element = type.getElementType();
  MLIRContext *context = rewriter.getContext();
  return elementwise(rewriter, loc, type, ValueRange{lastPositions},
                     {AffineMap::get(3, 0, {getAffineDimExpr(0, context)}, context)},
                     [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                       Value last = clampIndex(b, l, args[0], positions);
                       Value visible = arith::CmpIOp::create(
                           b, l, arith::CmpIPredicate::sle, linalg::IndexOp::create(b, l, 2), last);
                       Value shown = arith::ConstantOp::create(b, l, b.getFloatAttr(element, 0.0));
                       Value hidden =
                           arith::ConstantOp::create(b, l, b.getFloatAttr(element, -INFINITY));
                       return arith::SelectOp::create(b, l, visible, shown, hidden);
                     });
}

struct LowerMLAAttention final : StaticShapePattern<MLAAttentionOp> {
  LowerMLAAttention(MLIRContext *context, bool splitAttention)
      : StaticShapePattern(context), splitAttention(splitAttention) {}

  LogicalResult rewriteStatic(MLAAttentionOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType qType = op.getQNope().getType(), cacheType = op.getLatentCache().getType();
    int64_t batch = qType.getDimSize(0), heads = qType.getDimSize(1);
    int64_t positions = op.getPositions(), width = cacheType.getDimSize(2);
    int64_t latent = op.getLatentDim(), values = op.getValueDim();
    // Scores, softmax and the weighted latents in the accumulator type (f32
    // for a bf16 op, as transformers' softmax is), rounded once at the end.
    Type compute = accumulatorType(qType.getElementType());
    auto tensor = [&](ArrayRef<int64_t> shape) { return RankedTensorType::get(shape, compute); };
    auto widened = [&](Value value) -> Value {
      auto type = cast<RankedTensorType>(value.getType());
      if (type.getElementType() == compute)
        return value;
      return CastOp::create(rewriter, loc, type.clone(compute), value);
    };

    // The query in the latent space (W_UK), then its RoPE part: [B, H, L + R].
    auto [keyUp, valueUp] = splitHeads(rewriter, op);
    Value query =
        timesHeadBlock(rewriter, loc, op.getQNope(), keyUp, true, tensor({batch, heads, latent}));
    query = ConcatOp::create(rewriter, loc, tensor({batch, heads, width}),
                             ValueRange{query, widened(op.getQRope())}, 2);

    // mixed[b, h, l] = sum over s of probs[b, h, s] * cache[b, s, l], l < L.
    Value mixed;
    double scale = op.getScale().convertToDouble();
    if (splitAttention && op.getLastPositions()) {
      LatentCache cache{op.getLatentCache(), op.getBlockTable(), positions};
      mixed = buildSplitLatentAttention(rewriter, loc, query, cache, op.getLastPositions(),
                                        op.getMask(), scale, latent);
    } else {
      mixed = attendToEveryPosition(rewriter, loc, op, query, scale, compute);
    }
    // W_UV maps each head to its values.
    rewriter.replaceOp(op, timesHeadBlock(rewriter, loc, mixed, valueUp, false,
                                          qType.clone({batch, heads, values})));
    return success();
  }

private:
  /// The probabilities over every position of the op's cache (dense, or
  /// paged and read through its block table), masked, times the latents:
  /// [B, H, L] of `compute`.
  Value attendToEveryPosition(PatternRewriter &rewriter, Location loc, MLAAttentionOp op,
                              Value query, double scale, Type compute) const {
    Value cache = op.getLatentCache(), table = op.getBlockTable();
    RankedTensorType cacheType = getTensorType(cache);
    int64_t batch = op.getQNope().getType().getDimSize(0), positions = op.getPositions();
    int64_t heads = op.getQNope().getType().getDimSize(1), latent = op.getLatentDim();
    auto tensor = [&](ArrayRef<int64_t> shape) { return RankedTensorType::get(shape, compute); };
    // Products with the cache, which may be stored narrower (bf16): its
    // elements are widened where they are read. Dimensions (b, h, out, sum).
    MLIRContext *context = rewriter.getContext();
    AffineExpr b = getAffineDimExpr(0, context), h = getAffineDimExpr(1, context),
               out = getAffineDimExpr(2, context), sum = getAffineDimExpr(3, context);
    auto map = [&](ArrayRef<AffineExpr> exprs) { return AffineMap::get(4, 0, exprs, context); };
    SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    auto timesCache = [&](ArrayRef<int64_t> shape, Value lhs, Value rhs, AffineMap rhsMap) {
      return contract(rewriter, loc, tensor(shape), ValueRange{lhs, rhs},
                      {map({b, h, sum}), rhsMap, map({b, h, out})}, iterators);
    };

    // scores[b, h, s] = sum over d of query[b, h, d] * cache[b, s, d].
    Value scores = table ? timesPagedCache(rewriter, loc, tensor({batch, heads, positions}), query,
                                           cache, table, /*sumOverPositions=*/false)
                         : timesCache({batch, heads, positions}, query, cache, map({b, out, sum}));
    auto scalarType = RankedTensorType::get({}, compute);
    Value scaleValue = ConstantOp::create(
        rewriter, loc, scalarType,
        DenseElementsAttr::get(scalarType,
                               ArrayRef<Attribute>{rewriter.getFloatAttr(compute, scale)}));
    scores = MulOp::create(rewriter, loc, scores.getType(), scores, scaleValue);
    if (Value mask = op.getMask()) {
      if (getTensorType(mask).getElementType() != compute)
        mask = CastOp::create(rewriter, loc, getTensorType(mask).clone(compute), mask);
      scores = AddOp::create(rewriter, loc, scores.getType(), scores, mask);
    }
    if (Value last = op.getLastPositions())
      scores = AddOp::create(rewriter, loc, scores.getType(), scores,
                             visibleMask(rewriter, loc, last, tensor({batch, 1, positions})));
    Value probs = SoftmaxOp::create(rewriter, loc, scores.getType(), scores, uint64_t(2));
    // mixed[b, h, l] = sum over s of probs[b, h, s] * cache[b, s, l], l < L.
    if (table)
      return timesPagedCache(rewriter, loc, tensor({batch, heads, latent}), probs, cache, table,
                             /*sumOverPositions=*/true);
    Value latents =
        SliceOp::create(rewriter, loc, cacheType.clone({batch, positions, latent}), cache,
                        ArrayRef<int64_t>{0, 0, 0}, ArrayRef<int64_t>{batch, positions, latent},
                        ArrayRef<int64_t>{1, 1, 1});
    return timesCache({batch, heads, latent}, probs, latents, map({b, sum, out}));
  }

  bool splitAttention;
};

} // namespace

void mlir::tern::populateAttentionToLinalgPatterns(RewritePatternSet &patterns,
                                                   bool splitAttention) {
  patterns.add<LowerMLAAttention>(patterns.getContext(), splitAttention);
}
