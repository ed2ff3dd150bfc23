//===- SplitAttention.cpp - Latent attention over visible positions -------===//
//
//   scf.forall (n) over B x splits, b = n / splits, j = n mod splits:
//     if j < used[b] (chunks holding b's positions up to its last):
//       m = -inf, l = 0, acc = 0 (acc in place in the split's output)
//       scf.for c = j to used[b] step splits:   // the split's chunks
//         s = query[b] . chunk^T * scale (+ mask), -inf after last[b] (and,
//             in a dense cache's last chunk, which overhangs its end and is
//             read from S - chunk on, before the chunk's own positions)
//         m' = max(m, max s); p = exp(s - m'); l = l exp(m - m') + sum p
//         acc = acc exp(m - m') + p . chunk[:, :L]
//   M = max over splits of m; w = exp(m - M); mixed = sum w acc / sum w l
//
// The chunk is a view of the cache (of a block of the pool through the
// block table), so nothing is copied; the splits are fixed, not derived
// from the batch, so a sequence's result does not depend on what it is
// batched with; empty splits neither compute nor write their sums (the
// combine gives them weight 0 before it reads them).
//
//===----------------------------------------------------------------------===//
#include "codegen/linalg/SplitAttention.h"

#include "codegen/linalg/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "llvm/ADT/bit.h"

#include <limits>

using namespace mlir;
using namespace mlir::tern;

namespace {

/// The most positions per chunk, and the bytes of one chunk's scores (a
/// per-iteration scratch buffer; three of them live at once).
constexpr int64_t kMaxChunkPositions = 64;
constexpr int64_t kChunkScoreBytes = 16 * 1024;

/// Positions per chunk: a power of two that keeps one chunk's scores small,
/// at most `positions`, and dividing `blockRows` for a paged cache (a chunk
/// is a view of one block). A dense cache's last chunk may overhang its end:
/// it is read from S - chunk on, and the positions before it are left out.
int64_t pickChunkPositions(int64_t heads, int64_t positions, int64_t blockRows) {
  int64_t chunk = std::clamp<int64_t>(kChunkScoreBytes / (heads * 4), 1, kMaxChunkPositions);
  chunk = int64_t(llvm::bit_floor(uint64_t(std::min(chunk, positions))));
  while (blockRows > 0 && blockRows % chunk != 0)
    chunk /= 2;
  return chunk;
}

struct SplitBuilder {
  OpBuilder &b;
  Location loc;
  Type f32;
  int64_t heads, width, latent;

  Value index(int64_t value) { return arith::ConstantIndexOp::create(b, loc, value); }
  /// A scalar of the compute type, built with `nb` (a region's builder) or
  /// the lowering's.
  Value scalar(OpBuilder &nb, Location l, double value) {
    return arith::ConstantOp::create(nb, l, nb.getFloatAttr(f32, value));
  }
  /// The sums' start and the weight of what is not visible.
  static constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();
  RankedTensorType tensor(ArrayRef<int64_t> shape) { return RankedTensorType::get(shape, f32); }
  AffineMap map(unsigned dims, ArrayRef<unsigned> results) {
    SmallVector<AffineExpr> exprs;
    for (unsigned d : results)
      exprs.push_back(b.getAffineDimExpr(d));
    return AffineMap::get(dims, 0, exprs, b.getContext());
  }
  /// The reference point of an online softmax's exponentials: the running
  /// maximum, or 0 while it is -inf (nothing visible yet), so that exp never
  /// sees -inf - -inf.
  Value reference(OpBuilder &nb, Location l, Value maximum) {
    Value none = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, maximum,
                                       scalar(nb, l, kMinusInfinity));
    return arith::SelectOp::create(nb, l, none, scalar(nb, l, 0.0), maximum);
  }
  Value widen(OpBuilder &nb, Location l, Value value) {
    return value.getType() == f32 ? value : arith::ExtFOp::create(nb, l, f32, value);
  }

  /// Scores of the query rows `query` [H, W] against `chunk` [P, W], the
  /// cache's positions from `viewStart` on, scaled, masked, and -inf at
  /// positions before `first` (another chunk's) or after `last`: [H, P].
  Value scores(Value query, Value chunk, int64_t positions, Value viewStart, Value first,
               Value last, Value batchIndex, Value mask, double scale) {
    Value products = contract(b, loc, tensor({heads, positions}), ValueRange{query, chunk},
                              {map(3, {0, 2}), map(3, {1, 2}), map(3, {0, 1})},
                              {utils::IteratorType::parallel, utils::IteratorType::parallel,
                               utils::IteratorType::reduction});
    return elementwise(
        b, loc, tensor({heads, positions}), ValueRange{products}, {map(2, {0, 1})},
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value x = arith::MulFOp::create(nb, l, args[0], scalar(nb, l, scale));
          Value position =
              arith::AddIOp::create(nb, l, viewStart, linalg::IndexOp::create(nb, l, 1));
          if (mask) {
            // The mask broadcasts to [B, H, S] from the trailing dimensions.
            auto maskType = cast<RankedTensorType>(mask.getType());
            Value full[3] = {batchIndex, linalg::IndexOp::create(nb, l, 0), position};
            SmallVector<Value> at;
            for (int64_t d = 0; d < maskType.getRank(); ++d) {
              int64_t dim = 3 - maskType.getRank() + d;
              at.push_back(maskType.getDimSize(d) == 1
                               ? Value(arith::ConstantIndexOp::create(nb, l, 0))
                               : full[dim]);
            }
            x = arith::AddFOp::create(nb, l, x,
                                      widen(nb, l, tensor::ExtractOp::create(nb, l, mask, at)));
          }
          Value fromFirst =
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, position, first);
          Value toLast = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sle, position, last);
          Value visible = arith::AndIOp::create(nb, l, fromFirst, toLast);
          return arith::SelectOp::create(nb, l, visible, x, scalar(nb, l, kMinusInfinity));
        });
  }
};

} // namespace

Value mlir::tern::buildSplitLatentAttention(OpBuilder &b, Location loc, Value query,
                                            const LatentCache &cache, Value lastPositions,
                                            Value mask, double scale, int64_t latent) {
  auto queryType = cast<RankedTensorType>(query.getType());
  Type f32 = queryType.getElementType();
  int64_t batch = queryType.getDimSize(0), heads = queryType.getDimSize(1),
          width = queryType.getDimSize(2);
  auto cacheType = cast<RankedTensorType>(cache.cache.getType());
  int64_t blockRows = cache.blockTable ? cacheType.getDimSize(1) : 0;
  int64_t chunk = pickChunkPositions(heads, cache.positions, blockRows);
  int64_t splits = std::min(llvm::divideCeilSigned(cache.positions, chunk), kMaxAttentionSplits);
  SplitBuilder s{b, loc, f32, heads, width, latent};
  OpFoldResult zero = b.getIndexAttr(0);

  auto mType = s.tensor({batch * splits, heads});
  auto accType = s.tensor({batch * splits, heads, latent});
  auto forall =
      scf::ForallOp::create(b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(batch * splits)},
                            ValueRange{createEmpty(b, loc, mType), createEmpty(b, loc, mType),
                                       createEmpty(b, loc, accType)},
                            getKernelIterationMapping(b));
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(forall.getTerminator());
    // A short sequence fills only its first splits: spread them over the
    // threads' ranges.
    Value n = spreadIteration(b, loc, forall.getInductionVar(0), batch * splits);
    Value accShared = forall.getRegionIterArgs()[2];
    Value batchIndex = arith::DivUIOp::create(b, loc, n, s.index(splits));
    Value split = arith::RemUIOp::create(b, loc, n, s.index(splits));
    Value lastPosition = tensor::ExtractOp::create(b, loc, lastPositions, ValueRange{batchIndex});
    Value last = clampIndex(b, loc, lastPosition, cache.positions);
    Value lastChunk = arith::DivUIOp::create(b, loc, last, s.index(chunk));
    Value used = arith::AddIOp::create(b, loc, lastChunk, s.index(1));
    Value nonEmpty = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, split, used);
    auto accSlot = [&](OpBuilder &nb, Location l) {
      return sliceOf(nb, l, accShared, {n, zero, zero}, {1, heads, latent}, {heads, latent});
    };
    // The running maximum and sum before any position: -inf and 0.
    auto startingSums = [&](OpBuilder &nb, Location l) {
      return std::pair(createFilled(nb, l, s.tensor({heads}),
                                    nb.getFloatAttr(f32, SplitBuilder::kMinusInfinity)),
                       createFilled(nb, l, s.tensor({heads}), nb.getFloatAttr(f32, 0.0)));
    };
    auto ifNonEmpty = scf::IfOp::create(
        b, loc, nonEmpty,
        [&](OpBuilder &nb, Location l) {
          Value acc = linalg::FillOp::create(nb, l, ValueRange{s.scalar(nb, l, 0.0)},
                                             ValueRange{accSlot(nb, l)})
                          .getResult(0);
          auto [m, sum] = startingSums(nb, l);
          Value rows =
              sliceOf(nb, l, query, {batchIndex, zero, zero}, {1, heads, width}, {heads, width});
          auto loop = scf::ForOp::create(
              nb, l, split, used, s.index(splits), ValueRange{m, sum, acc},
              [&](OpBuilder &fb, Location fl, Value c, ValueRange carried) {
                OpBuilder::InsertionGuard inner(b);
                b.setInsertionPoint(fb.getInsertionBlock(), fb.getInsertionPoint());
                Value start = arith::MulIOp::create(b, fl, c, s.index(chunk));
                // The chunk's rows of the cache: [chunk, W], and their
                // latents [chunk, L].
                SmallVector<OpFoldResult> at;
                Value viewStart;
                if (cache.blockTable) {
                  Value blockOfSequence = arith::DivUIOp::create(b, fl, start, s.index(blockRows));
                  Value tableEntry = tensor::ExtractOp::create(
                      b, fl, cache.blockTable, ValueRange{batchIndex, blockOfSequence});
                  Value block = clampIndex(b, fl, tableEntry, cacheType.getDimSize(0));
                  at = {block, arith::RemUIOp::create(b, fl, start, s.index(blockRows)).getResult(),
                        zero};
                  viewStart = start;
                } else {
                  viewStart =
                      arith::MinUIOp::create(b, fl, start, s.index(cache.positions - chunk));
                  at = {batchIndex, viewStart, zero};
                }
                Value rowsOfChunk =
                    sliceOf(b, fl, cache.cache, at, {1, chunk, width}, {chunk, width});
                Value latents =
                    sliceOf(b, fl, cache.cache, at, {1, chunk, latent}, {chunk, latent});
                Value scores = s.scores(rows, rowsOfChunk, chunk, viewStart, start, last,
                                        batchIndex, mask, scale);

                // Online softmax: the new maximum, the probabilities against
                // it, and the old sums rescaled to it. The loop's tensors
                // are updated in place (one-shot bufferization wants a
                // loop's results in its arguments' buffers): the sums first,
                // which read the old maximum, then the maximum.
                Value mOld = carried[0], sumOld = carried[1], accOld = carried[2];
                Value chunkMax = reduce(b, fl, scores, {1}, ReductionKind::Max);
                Value mNew =
                    elementwise(b, fl, s.tensor({heads}), ValueRange{mOld, chunkMax},
                                {s.map(1, {0}), s.map(1, {0})},
                                [](OpBuilder &eb, Location el, ValueRange args) -> Value {
                                  return arith::MaximumFOp::create(eb, el, args[0], args[1]);
                                });
                Value probs = elementwise(
                    b, fl, s.tensor({heads, chunk}), ValueRange{scores, mNew},
                    {s.map(2, {0, 1}), s.map(2, {0})},
                    [&](OpBuilder &eb, Location el, ValueRange args) -> Value {
                      return math::ExpOp::create(
                          eb, el,
                          arith::SubFOp::create(eb, el, args[0], s.reference(eb, el, args[1])));
                    });
                auto rescale = [&](OpBuilder &eb, Location el, Value old, Value next) -> Value {
                  return math::ExpOp::create(
                      eb, el, arith::SubFOp::create(eb, el, old, s.reference(eb, el, next)));
                };
                Value probSum = reduce(b, fl, probs, {1}, ReductionKind::Sum);
                auto updateInPlace =
                    [&](Value carriedValue, ValueRange inputs, ArrayRef<AffineMap> maps,
                        function_ref<Value(OpBuilder &, Location, ValueRange)> body,
                        ArrayRef<utils::IteratorType> iterators, AffineMap carriedMap) {
                      SmallVector<AffineMap> allMaps(maps);
                      allMaps.push_back(carriedMap);
                      return linalg::GenericOp::create(
                                 b, fl, TypeRange{carriedValue.getType()}, inputs,
                                 ValueRange{carriedValue}, allMaps, iterators,
                                 [&](OpBuilder &eb, Location el, ValueRange args) {
                                   linalg::YieldOp::create(eb, el, body(eb, el, args));
                                 })
                          .getResult(0);
                    };
                SmallVector<utils::IteratorType> perHead = {utils::IteratorType::parallel};
                SmallVector<utils::IteratorType> perLatent(2, utils::IteratorType::parallel);
                SmallVector<utils::IteratorType> sumOfChunk = {utils::IteratorType::parallel,
                                                               utils::IteratorType::parallel,
                                                               utils::IteratorType::reduction};
                // sum = sum * rescale + sum of the probabilities.
                Value sumNew = updateInPlace(
                    sumOld, ValueRange{mOld, mNew, probSum},
                    {s.map(1, {0}), s.map(1, {0}), s.map(1, {0})},
                    [&](OpBuilder &eb, Location el, ValueRange args) -> Value {
                      Value kept =
                          arith::MulFOp::create(eb, el, args[3], rescale(eb, el, args[0], args[1]));
                      return arith::AddFOp::create(eb, el, kept, args[2]);
                    },
                    perHead, s.map(1, {0}));
                // acc = acc * rescale; then acc += probs . latents.
                Value accScaled = updateInPlace(
                    accOld, ValueRange{mOld, mNew}, {s.map(2, {0}), s.map(2, {0})},
                    [&](OpBuilder &eb, Location el, ValueRange args) -> Value {
                      return arith::MulFOp::create(eb, el, args[2],
                                                   rescale(eb, el, args[0], args[1]));
                    },
                    perLatent, s.map(2, {0, 1}));
                Value accNew = updateInPlace(
                    accScaled, ValueRange{probs, latents}, {s.map(3, {0, 2}), s.map(3, {2, 1})},
                    [&](OpBuilder &eb, Location el, ValueRange args) -> Value {
                      Value term = arith::MulFOp::create(eb, el, args[0], s.widen(eb, el, args[1]));
                      return arith::AddFOp::create(eb, el, args[2], term);
                    },
                    sumOfChunk, s.map(3, {0, 1}));
                // m = the new maximum, last (computed again: a plain copy
                // of mNew would fold away, and with it the update in place).
                Value mKept = updateInPlace(
                    mOld, ValueRange{chunkMax}, {s.map(1, {0})},
                    [](OpBuilder &eb, Location el, ValueRange args) -> Value {
                      return arith::MaximumFOp::create(eb, el, args[1], args[0]);
                    },
                    perHead, s.map(1, {0}));
                scf::YieldOp::create(b, fl, ValueRange{mKept, sumNew, accNew});
              });
          scf::YieldOp::create(nb, l, loop.getResults());
        },
        [&](OpBuilder &nb, Location l) {
          // Nothing visible: weight 0 in the combine, which then ignores
          // the split's sums, so they are left as they are.
          auto [m, sum] = startingSums(nb, l);
          scf::YieldOp::create(nb, l, ValueRange{m, sum, accSlot(nb, l)});
        });

    b.setInsertionPointToStart(forall.getTerminator().getBody());
    SmallVector<OpFoldResult> one(3, b.getIndexAttr(1));
    for (int part = 0; part < 2; ++part)
      tensor::ParallelInsertSliceOp::create(
          b, loc, ifNonEmpty.getResult(part), forall.getRegionIterArgs()[part],
          ArrayRef<OpFoldResult>{n, zero},
          ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(heads)},
          ArrayRef<OpFoldResult>{one[0], one[1]});
    tensor::ParallelInsertSliceOp::create(
        b, loc, ifNonEmpty.getResult(2), accShared, ArrayRef<OpFoldResult>{n, zero, zero},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(heads), b.getIndexAttr(latent)},
        one);
  }

  // The combine: each split's sums weighed by exp(m - M), M the largest m
  // of the query's splits; a split with m = -inf gets weight 0 and its sums,
  // never written, are not used.
  Value m = reshapeStatic(b, loc, forall.getResult(0), s.tensor({batch, splits, heads}));
  Value sums = reshapeStatic(b, loc, forall.getResult(1), s.tensor({batch, splits, heads}));
  Value acc = reshapeStatic(b, loc, forall.getResult(2), s.tensor({batch, splits, heads, latent}));
  Value maximum = reduce(b, loc, m, {1}, ReductionKind::Max);
  Value weights = elementwise(
      b, loc, s.tensor({batch, splits, heads}), ValueRange{m, maximum},
      {s.map(3, {0, 1, 2}), s.map(3, {0, 2})},
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value none = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, args[0],
                                           s.scalar(nb, l, SplitBuilder::kMinusInfinity));
        Value weight = math::ExpOp::create(nb, l, arith::SubFOp::create(nb, l, args[0], args[1]));
        return arith::SelectOp::create(nb, l, none, s.scalar(nb, l, 0.0), weight);
      });
  SmallVector<utils::IteratorType> splitLast = {
      utils::IteratorType::parallel, utils::IteratorType::parallel, utils::IteratorType::reduction};
  Value denominator =
      contract(b, loc, s.tensor({batch, heads}), ValueRange{weights, sums},
               {s.map(3, {0, 2, 1}), s.map(3, {0, 2, 1}), s.map(3, {0, 1})}, splitLast);
  SmallVector<utils::IteratorType> mixedIterators(3, utils::IteratorType::parallel);
  mixedIterators.push_back(utils::IteratorType::reduction);
  auto mixedType = s.tensor({batch, heads, latent});
  Value weighted =
      linalg::GenericOp::create(
          b, loc, TypeRange{mixedType}, ValueRange{weights, acc},
          ValueRange{createFilled(b, loc, mixedType, b.getFloatAttr(f32, 0.0))},
          {s.map(4, {0, 3, 1}), s.map(4, {0, 3, 1, 2}), s.map(4, {0, 1, 2})}, mixedIterators,
          [&](OpBuilder &nb, Location l, ValueRange args) {
            Value zero = s.scalar(nb, l, 0.0);
            Value zeroWeight =
                arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, args[0], zero);
            Value product = arith::MulFOp::create(nb, l, args[0], args[1]);
            Value term = arith::SelectOp::create(nb, l, zeroWeight, zero, product);
            linalg::YieldOp::create(nb, l, arith::AddFOp::create(nb, l, args[2], term).getResult());
          })
          .getResult(0);
  return elementwise(b, loc, mixedType, ValueRange{weighted, denominator},
                     {s.map(3, {0, 1, 2}), s.map(3, {0, 1})},
                     [](OpBuilder &nb, Location l, ValueRange args) -> Value {
                       return arith::DivFOp::create(nb, l, args[0], args[1]);
                     });
}
