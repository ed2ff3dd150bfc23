//===- StreamContractions.cpp - Contractions as streams of rows -----------===//
//
// A contraction whose right operand and output are contiguous along N
// (out[m, n] += lhs[m, k] * rhs[k, n], as a [K, N] weight is stored) is
// computed with K outside M and N: each step of K streams one row of the
// right operand through a block of the output held in the L1 cache, a loop
// over contiguous n that LLVM's loop vectorizer turns into vector code, and
// the weight is read once, in memory order, whatever M is. Register tiles
// (tern-tile-contractions) walk such a weight down its columns instead, a
// new cache line and often a new page per step of K. Every output still
// adds its products in K order onto its initial value, each with one
// rounding (math.fma), as the register tiles and tern-fma-reductions' plain
// loops do: results do not depend on which of them computes a product.
//
//===----------------------------------------------------------------------===//
#include "codegen/kernels/ContractionMatch.h"
#include "codegen/kernels/Passes.h"
#include "codegen/linalg/LinalgBuilders.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::tern {
#define GEN_PASS_DEF_STREAMCONTRACTIONSPASS
#include "codegen/kernels/Passes.h.inc"

namespace {

/// The fewest columns a block may have: a vector loop's worth of f32.
constexpr int64_t kMinBlockColumns = 16;
/// Blocks are the iterations threads share (tern-outline-host-tasks): a
/// product wide enough is cut into at least this many, each at least
/// kMinSharedBlockColumns wide (whole cache lines of a weight row).
constexpr int64_t kMinBlocks = 8;
constexpr int64_t kMinSharedBlockColumns = 512;
/// The bytes of a block of the weight that tiles of rows share (a slice of
/// K): a share of the L2 cache.
constexpr int64_t kSliceBytes = 256 * 1024;

/// Whether `operand` is indexed by `dim` in its last dimension, which is
/// contiguous in memory.
bool isContiguousAlong(linalg::LinalgOp op, OpOperand *operand, unsigned dim) {
  AffineMap map = op.getMatchingIndexingMap(operand);
  auto type = dyn_cast<MemRefType>(operand->get().getType());
  return type && map.getNumResults() > 0 && map.getDimPosition(map.getNumResults() - 1) == dim &&
         type.isLastDimUnitStride();
}

/// The columns of a block of the weight's scales: the `c` of every scale
/// index that depends on n, all `n floordiv c`; nullopt if there are none or
/// they differ.
std::optional<int64_t> getScaleBlockColumns(const MatmulLikeContraction &match) {
  linalg::LinalgOp op = match.op;
  std::optional<int64_t> columns;
  for (OpOperand *scale : match.rhsScales) {
    for (AffineExpr expr : op.getMatchingIndexingMap(scale).getResults()) {
      if (!expr.isFunctionOfDim(match.n))
        continue;
      auto floorDiv = dyn_cast<AffineBinaryOpExpr>(expr);
      if (!floorDiv || floorDiv.getKind() != AffineExprKind::FloorDiv ||
          floorDiv.getLHS() != getAffineDimExpr(match.n, op.getContext()))
        return std::nullopt;
      auto divisor = dyn_cast<AffineConstantExpr>(floorDiv.getRHS());
      if (!divisor || (columns && *columns != divisor.getValue()))
        return std::nullopt;
      columns = divisor.getValue();
    }
  }
  return columns;
}

/// Emits the streamed loop nest of one contraction in place of it:
///   scf.parallel (batch..., block) {
///     for k: a[m] = lhs[m, k] for each of the M rows
///            for n in block: b = rhs[k, n]
///                            out[m, n] = body(a[m], b, out[m, n]) for each m
///   }
/// with the rows unrolled, so that each element of the weight row is loaded
/// (and widened) once for all of them. More than kRowTile rows go in tiles
/// of kRowTile, each streaming a slice of K at a time, so that the slice of
/// the weight the tiles share stays in the L2 cache:
///   scf.parallel (batch..., block) {
///     for each slice of K: for each tile of rows: for k in the slice: (as above)
///   }
/// Where the body is elementwise and the weight has no scales, a tile is
/// kVectorRows rows by two vector registers' worth of columns (vectorColumns;
/// a panel's for a weight packed in panels) held in registers through the
/// slice instead (columns past the last whole vector as above):
///     for each slice of K: for each tile of rows: for each vector of columns:
///       acc[r] = out[row r, columns]
///       for k in the slice: b = rhs[k, columns]
///                           acc[r] = body(broadcast(lhs[row r, k]), b, acc[r])
///       out[row r, columns] = acc[r]
/// Each output still adds its products in K order.
class StreamEmitter : ContractionLoopEmitter {
public:
  /// The most rows the columns loop updates at once.
  static constexpr int64_t kRowTile = 8;
  /// The rows of a tile in vector registers: with two registers per row, 12
  /// accumulators, which leaves AVX2's 16 registers room for the weight's
  /// two and a broadcast, and keeps an FMA unit's pipeline full.
  static constexpr int64_t kVectorRows = 6;

  /// `vectorBits`: the bits of one of the CPU's vector registers. A weight
  /// packed in panels sets a vector tile's columns to a panel's.
  StreamEmitter(const MatmulLikeContraction &match, int64_t vectorBits)
      : ContractionLoopEmitter(match),
        vectorColumns(
            match.rhsPanelColumns > 0
                ? match.rhsPanelColumns
                : std::max<int64_t>(1, 2 * vectorBits /
                                           getElementTypeOrSelf(op.getDpsInitOperand(0)->get())
                                               .getIntOrFloatBitWidth())) {}

  void emit(int64_t blockColumns, int64_t sliceK) {
    int64_t sizeN = match.ranges[match.n], sizeM = match.ranges[match.m];
    int64_t sizeK = match.ranges[match.k];
    Value block = emitParallel({llvm::divideCeilSigned(sizeN, blockColumns)}).front();
    first = arith::MulIOp::create(b, loc, block, index(blockColumns));
    last = arith::MinUIOp::create(b, loc, arith::AddIOp::create(b, loc, first, index(blockColumns)),
                                  index(sizeN));
    // A paneled weight is read by vector tiles whatever the rows: the row
    // tiles' columns loop would cross a panel every few columns.
    if (sizeM <= kRowTile && !(match.rhsPanelColumns > 0 && canVectorize())) {
      emitRowTile(index(0), index(sizeK), getRowIndices(index(0), sizeM), first, last);
    } else {
      // One slice of all of K needs no loop over slices, and its K loops
      // keep constant bounds, which tern-outline-host-tasks counts when it
      // weighs sharing the blocks among threads.
      Value kFirst = index(0), kLast = index(sizeK);
      if (sliceK < sizeK) {
        auto slices = scf::ForOp::create(b, loc, index(0), index(sizeK), index(sliceK));
        b.setInsertionPointToStart(slices.getBody());
        kFirst = slices.getInductionVar();
        kLast = arith::MinUIOp::create(b, loc, arith::AddIOp::create(b, loc, kFirst, index(sliceK)),
                                       index(sizeK));
      }
      bool vectors = canVectorize();
      int64_t tileRows = vectors ? kVectorRows : kRowTile;
      auto emitTile = [&](Value firstRow, int64_t rows) {
        SmallVector<Value> rowIndices = getRowIndices(firstRow, rows);
        if (vectors)
          emitVectorTile(kFirst, kLast, rowIndices);
        else
          emitRowTile(kFirst, kLast, rowIndices, first, last);
      };
      int64_t wholeTiles = sizeM / tileRows;
      if (wholeTiles > 0) {
        auto tiles =
            scf::ForOp::create(b, loc, index(0), index(wholeTiles * tileRows), index(tileRows));
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(tiles.getBody());
        emitTile(tiles.getInductionVar(), tileRows);
      }
      if (sizeM % tileRows)
        emitTile(index(wholeTiles * tileRows), sizeM % tileRows);
    }
    op->erase();
  }

private:
  /// Whether the body can run on vectors of columns: elementwise scalar
  /// ops only, and no scales (whose indices may change along a vector).
  bool canVectorize() { return match.rhsScales.empty() && hasScalarElementwiseBody(op); }

  /// The index of the first column of the last whole vector's end in the
  /// block: first + (last - first) / vectorColumns * vectorColumns.
  Value wholeVectorsEnd() {
    Value width = arith::SubIOp::create(b, loc, last, first);
    Value whole = arith::MulIOp::create(
        b, loc, arith::DivUIOp::create(b, loc, width, index(vectorColumns)), index(vectorColumns));
    return arith::AddIOp::create(b, loc, first, whole);
  }

  /// The tile of rows `rowIndices` over the slice [kFirst, kLast), its whole
  /// vectors of columns in registers, the rest as emitRowTile.
  void emitVectorTile(Value kFirst, Value kLast, ArrayRef<Value> rowIndices) {
    OpBuilder::InsertionGuard guard(b);
    Value vectorsEnd = wholeVectorsEnd();
    OpOperand *out = op.getDpsInitOperand(0);
    Type outElement = getElementTypeOrSelf(out->get());
    auto outVector = VectorType::get({vectorColumns}, outElement);
    auto columns = scf::ForOp::create(b, loc, first, vectorsEnd, index(vectorColumns));
    {
      OpBuilder::InsertionGuard inColumns(b);
      b.setInsertionPointToStart(columns.getBody());
      loopIndices[match.n] = columns.getInductionVar();
      SmallVector<Value> initial;
      for (Value row : rowIndices) {
        loopIndices[match.m] = row;
        initial.push_back(vector::LoadOp::create(b, loc, outVector, out->get(),
                                                 match.operandIndices(out, loopIndices)));
      }
      auto kLoop = scf::ForOp::create(b, loc, kFirst, kLast, index(1), initial);
      {
        OpBuilder::InsertionGuard inK(b);
        b.setInsertionPointToStart(kLoop.getBody());
        loopIndices[match.k] = kLoop.getInductionVar();
        Type rhsElement = getElementTypeOrSelf(match.rhs->get());
        Value rhs = vector::LoadOp::create(b, loc, VectorType::get({vectorColumns}, rhsElement),
                                           match.rhs->get(), match.rhsIndices(b, loc, loopIndices));
        SmallVector<Value> results;
        for (auto [row, acc] : llvm::zip(rowIndices, kLoop.getRegionIterArgs())) {
          loopIndices[match.m] = row;
          Value lhs = memref::LoadOp::create(b, loc, match.lhs->get(),
                                             match.operandIndices(match.lhs, loopIndices));
          auto lhsVector = VectorType::get({vectorColumns}, lhs.getType());
          results.push_back(
              emitVectorBody(vector::BroadcastOp::create(b, loc, lhsVector, lhs), rhs, acc));
        }
        scf::YieldOp::create(b, loc, results);
      }
      for (auto [row, result] : llvm::zip(rowIndices, kLoop.getResults())) {
        loopIndices[match.m] = row;
        loopIndices[match.n] = columns.getInductionVar();
        vector::StoreOp::create(b, loc, result, out->get(), match.operandIndices(out, loopIndices));
      }
    }
    // The columns past the last whole vector, one at a time.
    emitRowTile(kFirst, kLast, rowIndices, vectorsEnd, last);
  }

  /// The body on vectors of columns: each op cloned with vector types.
  Value emitVectorBody(Value lhs, Value rhs, Value acc) {
    IRMapping mapping;
    mapping.map(op.getMatchingBlockArgument(match.lhs), lhs);
    mapping.map(op.getMatchingBlockArgument(match.rhs), rhs);
    mapping.map(op.getMatchingBlockArgument(op.getDpsInitOperand(0)), acc);
    return cloneContractionBody(b, match, mapping, vectorColumns);
  }

  /// The indices of `rows` rows from `firstRow`: constants where it is one.
  SmallVector<Value> getRowIndices(Value firstRow, int64_t rows) {
    std::optional<int64_t> constantRow = getConstantIntValue(firstRow);
    SmallVector<Value> rowIndices;
    for (int64_t m = 0; m < rows; ++m) {
      if (constantRow)
        rowIndices.push_back(index(*constantRow + m));
      else
        rowIndices.push_back(
            m == 0 ? firstRow : arith::AddIOp::create(b, loc, firstRow, index(m)).getResult());
    }
    return rowIndices;
  }

  /// for k in [kFirst, kLast): the rows `rowIndices` updated by row k of
  /// the weight in columns [from, to), unrolled.
  void emitRowTile(Value kFirst, Value kLast, ArrayRef<Value> rowIndices, Value from, Value to) {
    OpBuilder::InsertionGuard guard(b);
    auto kLoop = scf::ForOp::create(b, loc, kFirst, kLast, index(1));
    b.setInsertionPointToStart(kLoop.getBody());
    loopIndices[match.k] = kLoop.getInductionVar();
    SmallVector<Value> lhs;
    for (Value row : rowIndices) {
      loopIndices[match.m] = row;
      lhs.push_back(load(match.lhs));
    }
    emitColumns(rowIndices, lhs, from, to);
  }

  /// for n in [from, to): the body for each of `rows`, whose left operands
  /// are `lhs`, and the weight's element at n. Where the weight's scales
  /// come in blocks of columns, the columns go block by block, each block's
  /// scales loaded once before its loop:
  ///   for each block of scales in [from, to): s = scales at its first column
  ///     for n in the block's columns within [from, to): (as above, with s)
  void emitColumns(ValueRange rows, ValueRange lhs, Value from, Value to) {
    OpBuilder::InsertionGuard guard(b);
    if (std::optional<int64_t> blockColumns = getScaleBlockColumns(match)) {
      Value width = index(*blockColumns);
      Value firstBlock = arith::DivUIOp::create(b, loc, from, width);
      Value lastBlock = arith::DivUIOp::create(
          b, loc, arith::AddIOp::create(b, loc, to, index(*blockColumns - 1)), width);
      auto blocks = scf::ForOp::create(b, loc, firstBlock, lastBlock, index(1));
      b.setInsertionPointToStart(blocks.getBody());
      Value start = arith::MulIOp::create(b, loc, blocks.getInductionVar(), width);
      Value lo = arith::MaxUIOp::create(b, loc, from, start);
      Value hi = arith::MinUIOp::create(b, loc, to, arith::AddIOp::create(b, loc, start, width));
      loopIndices[match.n] = lo;
      SmallVector<Value> scales = loadScales();
      emitColumnLoop(rows, lhs, lo, hi, scales);
      return;
    }
    emitColumnLoop(rows, lhs, from, to, {});
  }

  /// A quantized weight's scales at the current loop indices.
  SmallVector<Value> loadScales() {
    SmallVector<Value> scales;
    for (OpOperand *scale : match.rhsScales) {
      AffineMap map = op.getMatchingIndexingMap(scale);
      SmallVector<Value> indices;
      for (unsigned i = 0; i < map.getNumResults(); ++i)
        indices.push_back(affine::AffineApplyOp::create(b, loc, map.getSubMap({i}), loopIndices));
      scales.push_back(memref::LoadOp::create(b, loc, scale->get(), indices));
    }
    return scales;
  }

  /// for n in [from, to): as emitColumns, with the weight's `scales` if
  /// loaded already (else loaded at each n).
  void emitColumnLoop(ValueRange rows, ValueRange lhs, Value from, Value to,
                      ArrayRef<Value> blockScales) {
    OpBuilder::InsertionGuard guard(b);
    auto nLoop = scf::ForOp::create(b, loc, from, to, index(1));
    b.setInsertionPointToStart(nLoop.getBody());
    loopIndices[match.n] = nLoop.getInductionVar();
    Value rhs = load(match.rhs);
    SmallVector<Value> scales(blockScales);
    if (scales.empty())
      scales = loadScales();
    OpOperand *out = op.getDpsInitOperand(0);
    for (auto [row, left] : llvm::zip(rows, lhs)) {
      loopIndices[match.m] = row;
      SmallVector<Value> outIndices = match.operandIndices(out, loopIndices);
      IRMapping mapping;
      mapping.map(op.getMatchingBlockArgument(match.lhs), left);
      mapping.map(op.getMatchingBlockArgument(match.rhs), rhs);
      for (auto [operand, value] : llvm::zip(match.rhsScales, scales))
        mapping.map(op.getMatchingBlockArgument(operand), value);
      mapping.map(op.getMatchingBlockArgument(out),
                  memref::LoadOp::create(b, loc, out->get(), outIndices));
      Value result = cloneContractionBody(b, match, mapping);
      memref::StoreOp::create(b, loc, result, out->get(), outIndices);
    }
  }

  Value load(OpOperand *operand) {
    return memref::LoadOp::create(b, loc, operand->get(),
                                  operand == match.rhs
                                      ? match.rhsIndices(b, loc, loopIndices)
                                      : match.operandIndices(operand, loopIndices));
  }

  /// The columns of a tile in vector registers.
  int64_t vectorColumns;
  /// The block's columns.
  Value first, last;
};

struct StreamContractionsPass final : impl::StreamContractionsPassBase<StreamContractionsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (blockBytes < 1) {
      getOperation().emitError() << "block-bytes (" << int64_t(blockBytes)
                                 << ") must be at least 1";
      return signalPassFailure();
    }
    if (!llvm::is_contained({128, 256, 512}, int64_t(vectorBits))) {
      getOperation().emitError() << "vector-bits (" << int64_t(vectorBits)
                                 << ") must be 128, 256 or 512";
      return signalPassFailure();
    }
    struct Streamed {
      MatmulLikeContraction match;
      int64_t columns, sliceK;
    };
    SmallVector<Streamed, 2> matches;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasIndexSemantics())
        return;
      FailureOr<MatmulLikeContraction> match = matchMatmulLikeContraction(
          op, /*allowRhsScales=*/true, /*allowLhsScales=*/false, /*allowRhsPanels=*/true);
      if (failed(match))
        return;
      // A paneled weight is contiguous along each panel's columns.
      int64_t panel = match->rhsPanelColumns;
      Type element = getElementTypeOrSelf(op.getDpsInitOperand(0)->get());
      if (!element.isIntOrFloat() || (panel == 0 && !isContiguousAlong(op, match->rhs, match->n)) ||
          !isContiguousAlong(op, op.getDpsInitOperand(0), match->n))
        return;
      // A block of one tile of rows of the output fits in blockBytes.
      int64_t sizeM = match->ranges[match->m], sizeN = match->ranges[match->n];
      int64_t rowBytes = std::min(sizeM, StreamEmitter::kRowTile) *
                         llvm::divideCeil(element.getIntOrFloatBitWidth(), 8);
      int64_t columns = std::min(blockBytes / rowBytes, sizeN);
      if (columns < std::min(kMinBlockColumns, sizeN))
        return;
      // As few blocks as that allows, of equal size but the last, and enough
      // to share among threads: wide ones where the weight streams from
      // memory once (a few rows), narrower where tiles of rows read it from
      // the L2 cache.
      int64_t sharedColumns =
          sizeM <= StreamEmitter::kRowTile ? kMinSharedBlockColumns : kMinBlockColumns * 4;
      int64_t blocks = std::max(llvm::divideCeilSigned(sizeN, columns),
                                std::min(kMinBlocks, sizeN / sharedColumns));
      columns = llvm::divideCeilSigned(sizeN, blocks);
      // Whole blocks of scales per block of columns, so that each run of
      // columns sharing a scale is whole (and vectorizes without a rest).
      if (std::optional<int64_t> scaleColumns = getScaleBlockColumns(*match))
        if (columns > *scaleColumns)
          columns = llvm::alignTo(columns, *scaleColumns);
      // Whole panels per block, each one vector tile's columns.
      if (panel > 0)
        columns = llvm::alignTo(columns, panel);
      // The slice of K whose block of the weight the tiles of rows share.
      Type weight = getElementTypeOrSelf(match->rhs->get());
      if (!weight.isIntOrFloat())
        return;
      int64_t weightRowBytes = columns * llvm::divideCeil(weight.getIntOrFloatBitWidth(), 8);
      int64_t sliceK =
          std::clamp<int64_t>(kSliceBytes / weightRowBytes, 1, match->ranges[match->k]);
      // One tile of rows shares nothing: it reads each panel whole, and a
      // block's panels one after another, one run of memory.
      if (panel > 0 && sizeM <= StreamEmitter::kVectorRows)
        sliceK = match->ranges[match->k];
      matches.push_back({*match, columns, sliceK});
    });
    for (auto &[match, columns, sliceK] : matches)
      StreamEmitter(match, vectorBits).emit(columns, sliceK);
  }
};

} // namespace
} // namespace mlir::tern
