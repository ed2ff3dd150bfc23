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
///     for k: for m: a = lhs[m, k]
///                   for n in block: out[m, n] = body(a, rhs[k, n], out[m, n])
///   }
void emitStreamed(const MatmulLikeContraction &match, int64_t blockColumns) {
  linalg::LinalgOp op = match.op;
  Location loc = op->getLoc();
  OpBuilder b(op), constants(op);
  // Index constants are made once, before the loop nest.
  DenseMap<int64_t, Value> indexConstants;
  auto index = [&](int64_t value) {
    Value &cached = indexConstants[value];
    if (!cached)
      cached = arith::ConstantIndexOp::create(constants, loc, value);
    return cached;
  };
  int64_t sizeN = match.ranges[match.n];

  SmallVector<Value> upper;
  for (unsigned dim : match.batch)
    upper.push_back(index(match.ranges[dim]));
  upper.push_back(index(llvm::divideCeilSigned(sizeN, blockColumns)));
  SmallVector<Value> lower(upper.size(), index(0)), steps(upper.size(), index(1));
  Value zero = index(0), one = index(1);
  auto parallel = scf::ParallelOp::create(b, loc, lower, upper, steps);
  constants.setInsertionPoint(parallel);
  b.setInsertionPointToStart(parallel.getBody());

  SmallVector<Value> loopIndices(match.ranges.size());
  ValueRange ivs = parallel.getInductionVars();
  for (auto [dim, iv] : llvm::zip(match.batch, ivs))
    loopIndices[dim] = iv;
  Value first = arith::MulIOp::create(b, loc, ivs.back(), index(blockColumns));
  Value last = arith::MinUIOp::create(
      b, loc, arith::AddIOp::create(b, loc, first, index(blockColumns)), index(sizeN));

  auto kLoop = scf::ForOp::create(b, loc, zero, index(match.ranges[match.k]), one);
  b.setInsertionPointToStart(kLoop.getBody());
  loopIndices[match.k] = kLoop.getInductionVar();
  auto mLoop = scf::ForOp::create(b, loc, zero, index(match.ranges[match.m]), one);
  b.setInsertionPointToStart(mLoop.getBody());
  loopIndices[match.m] = mLoop.getInductionVar();
  Value lhs = memref::LoadOp::create(b, loc, match.lhs->get(),
                                     match.operandIndices(match.lhs, loopIndices));
  auto nLoop = scf::ForOp::create(b, loc, first, last, one);
  b.setInsertionPointToStart(nLoop.getBody());
  loopIndices[match.n] = nLoop.getInductionVar();

  OpOperand *out = op.getDpsInitOperand(0);
  SmallVector<Value> outIndices = match.operandIndices(out, loopIndices);
  Value rhs = memref::LoadOp::create(b, loc, match.rhs->get(),
                                     match.operandIndices(match.rhs, loopIndices));
  Value accumulator = memref::LoadOp::create(b, loc, out->get(), outIndices);
  Block *body = op.getBlock();
  IRMapping mapping;
  mapping.map(op.getMatchingBlockArgument(match.lhs), lhs);
  mapping.map(op.getMatchingBlockArgument(match.rhs), rhs);
  mapping.map(op.getMatchingBlockArgument(out), accumulator);
  for (Operation &bodyOp : body->without_terminator())
    b.clone(bodyOp, mapping);
  Value result = mapping.lookupOrDefault(body->getTerminator()->getOperand(0));
  memref::StoreOp::create(b, loc, result, out->get(), outIndices);
  op->erase();
}

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
      FailureOr<MatmulLikeContraction> match = matchMatmulLikeContraction(op);
      Type element = getElementTypeOrSelf(op.getDpsInitOperand(0)->get());
      if (failed(match) || !element.isIntOrFloat() ||
          !isContiguousAlong(op, match->rhs, match->n) ||
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
      emitStreamed(match, columns);
  }
};

} // namespace
} // namespace mlir::tern
