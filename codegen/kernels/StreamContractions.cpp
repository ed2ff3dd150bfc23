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
// adds its products in K order onto its initial value: results do not
// change by a bit.
//
//===----------------------------------------------------------------------===//
#include "codegen/kernels/ContractionMatch.h"
#include "codegen/kernels/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::tern {
#define GEN_PASS_DEF_STREAMCONTRACTIONSPASS
#include "codegen/kernels/Passes.h.inc"

namespace {

/// The fewest columns a block may have: a vector loop's worth of f32.
constexpr int64_t kMinBlockColumns = 16;

/// Whether `operand` is indexed by `dim` in its last dimension, which is
/// contiguous in memory.
bool isContiguousAlong(linalg::LinalgOp op, OpOperand *operand, unsigned dim) {
  AffineMap map = op.getMatchingIndexingMap(operand);
  auto type = dyn_cast<MemRefType>(operand->get().getType());
  return type && map.getNumResults() > 0 && map.getDimPosition(map.getNumResults() - 1) == dim &&
         type.isLastDimUnitStride();
}

/// Emits the streamed loop nest of one contraction in place of it:
///   scf.parallel (batch..., block) {
///     for k: a[m] = lhs[m, k] for each of the M rows
///            for n in block: b = rhs[k, n]
///                            out[m, n] = body(a[m], b, out[m, n]) for each m
///   }
/// with the rows unrolled, so that each element of the weight row is loaded
/// (and widened) once for all of them; with more than kUnrolledRows rows
/// they are a loop around the columns instead.
class StreamEmitter : ContractionLoopEmitter {
public:
  explicit StreamEmitter(const MatmulLikeContraction &match) : ContractionLoopEmitter(match) {}

  void emit(int64_t blockColumns) {
    int64_t sizeN = match.ranges[match.n], sizeM = match.ranges[match.m];
    Value block = emitParallel({llvm::divideCeilSigned(sizeN, blockColumns)}).front();
    first = arith::MulIOp::create(b, loc, block, index(blockColumns));
    last = arith::MinUIOp::create(b, loc, arith::AddIOp::create(b, loc, first, index(blockColumns)),
                                  index(sizeN));

    auto kLoop = scf::ForOp::create(b, loc, index(0), index(match.ranges[match.k]), index(1));
    b.setInsertionPointToStart(kLoop.getBody());
    loopIndices[match.k] = kLoop.getInductionVar();
    if (sizeM <= kUnrolledRows) {
      SmallVector<Value> rows, lhs;
      for (int64_t m = 0; m < sizeM; ++m) {
        rows.push_back(index(m));
        loopIndices[match.m] = rows.back();
        lhs.push_back(load(match.lhs));
      }
      emitColumns(rows, lhs);
    } else {
      auto mLoop = scf::ForOp::create(b, loc, index(0), index(sizeM), index(1));
      b.setInsertionPointToStart(mLoop.getBody());
      loopIndices[match.m] = mLoop.getInductionVar();
      emitColumns(mLoop.getInductionVar(), load(match.lhs));
    }
    op->erase();
  }

private:
  /// The most rows the columns loop updates at once.
  static constexpr int64_t kUnrolledRows = 8;

  /// for n in the block: the body for each of `rows`, whose left operands
  /// are `lhs`, and the weight's element at n.
  void emitColumns(ValueRange rows, ValueRange lhs) {
    OpBuilder::InsertionGuard guard(b);
    auto nLoop = scf::ForOp::create(b, loc, first, last, index(1));
    b.setInsertionPointToStart(nLoop.getBody());
    loopIndices[match.n] = nLoop.getInductionVar();
    Value rhs = load(match.rhs);
    // A quantized weight's scales, at their functions of k and n.
    SmallVector<Value> scales;
    for (OpOperand *scale : match.rhsScales) {
      AffineMap map = op.getMatchingIndexingMap(scale);
      SmallVector<Value> indices;
      for (unsigned i = 0; i < map.getNumResults(); ++i)
        indices.push_back(affine::AffineApplyOp::create(b, loc, map.getSubMap({i}), loopIndices));
      scales.push_back(memref::LoadOp::create(b, loc, scale->get(), indices));
    }
    OpOperand *out = op.getDpsInitOperand(0);
    Block *body = op.getBlock();
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
      for (Operation &bodyOp : body->without_terminator())
        b.clone(bodyOp, mapping);
      Value result = mapping.lookupOrDefault(body->getTerminator()->getOperand(0));
      memref::StoreOp::create(b, loc, result, out->get(), outIndices);
    }
  }

  Value load(OpOperand *operand) {
    return memref::LoadOp::create(b, loc, operand->get(),
                                  match.operandIndices(operand, loopIndices));
  }

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
    SmallVector<std::pair<MatmulLikeContraction, int64_t>> matches;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasIndexSemantics())
        return;
      FailureOr<MatmulLikeContraction> match =
          matchMatmulLikeContraction(op, /*allowRhsScales=*/true);
      if (failed(match))
        return;
      Type element = getElementTypeOrSelf(op.getDpsInitOperand(0)->get());
      if (!element.isIntOrFloat() || !isContiguousAlong(op, match->rhs, match->n) ||
          !isContiguousAlong(op, op.getDpsInitOperand(0), match->n))
        return;
      // A block's M rows of the output fit in blockBytes. Too many rows for
      // a block as wide as a vector loop: register tiles do better.
      int64_t rowBytes =
          match->ranges[match->m] * llvm::divideCeil(element.getIntOrFloatBitWidth(), 8);
      int64_t sizeN = match->ranges[match->n];
      int64_t columns = std::min(blockBytes / rowBytes, sizeN);
      if (columns < std::min(kMinBlockColumns, sizeN))
        return;
      // As few blocks as that allows, of equal size but the last.
      int64_t blocks = llvm::divideCeilSigned(sizeN, columns);
      matches.emplace_back(*match, llvm::divideCeilSigned(sizeN, blocks));
    });
    for (auto &[match, columns] : matches)
      StreamEmitter(match).emit(columns);
  }
};

} // namespace
} // namespace mlir::tern
