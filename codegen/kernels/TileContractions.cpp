//===- TileContractions.cpp - Contractions tiled in registers -------------===//
//
// A contraction's plain loop nest computes one output element per parallel
// iteration and loads two operands for every multiply-add. Here each
// iteration computes a tile of tileM x tileN outputs instead, kept in
// registers (loop-carried values) through the K loop: each step of K loads
// tileM + tileN operands for tileM * tileN multiply-adds. The result is still
// an scf.parallel, which the host runs as loops and tern-map-kernels-to-gpu
// turns into one GPU thread per tile. Every output still adds its products
// in K order onto its initial value, so results do not change by a bit
// (with `fused-multiply-add`, the host's, each product rounds once, as the
// host's other contraction loops add them).
//
// Tiles overhanging M or N read the last row or column instead (in bounds)
// and skip the stores that would land outside.
//
//===----------------------------------------------------------------------===//
#include "codegen/kernels/ContractionMatch.h"
#include "codegen/kernels/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::tern {
#define GEN_PASS_DEF_TILECONTRACTIONSPASS
#include "codegen/kernels/Passes.h.inc"

namespace {

/// The most registers one tile may hold as accumulators.
constexpr int64_t kMaxTileElements = 64;

/// The largest tile of at most `limit` along a loop of `size` whose tiles
/// overhang the loop by at most a quarter, so that little work is wasted.
int64_t pickTile(int64_t size, int64_t limit) {
  for (int64_t tile = std::min(limit, size); tile > 1; --tile)
    if (llvm::divideCeilSigned(size, tile) * tile * 4 <= size * 5)
      return tile;
  return 1;
}

/// Emits the tiled loop nest of one contraction in place of it.
class RegisterTileEmitter : ContractionLoopEmitter {
public:
  RegisterTileEmitter(const MatmulLikeContraction &match, int64_t tileM, int64_t tileN,
                      bool fusedMultiplyAdd)
      : ContractionLoopEmitter(match), tileM(tileM), tileN(tileN),
        fusedMultiplyAdd(fusedMultiplyAdd) {}

  // scf.parallel (batch..., tm, tn) {
  //   acc[r][c] = C[tm * tileM + r, tn * tileN + c]
  //   for k: acc[r][c] = body(A[row r, k], B[k, col c], acc[r][c])
  //   C[...] = acc[r][c] where inside C
  // }
  void emit() {
    int64_t sizeM = match.ranges[match.m], sizeN = match.ranges[match.n];
    SmallVector<Value> tiles =
        emitParallel({llvm::divideCeilSigned(sizeM, tileM), llvm::divideCeilSigned(sizeN, tileN)});
    rows = tileIndices(tiles[0], tileM, sizeM);
    cols = tileIndices(tiles[1], tileN, sizeN);

    OpOperand *init = op.getDpsInitOperand(0);
    SmallVector<Value> initial;
    for (int64_t r = 0; r < tileM; ++r)
      for (int64_t c = 0; c < tileN; ++c)
        initial.push_back(load(init, r, c, nullptr));
    auto loop =
        scf::ForOp::create(b, loc, index(0), index(match.ranges[match.k]), index(1), initial);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      scf::YieldOp::create(b, loc, step(loop.getInductionVar(), loop.getRegionIterArgs()));
    }
    for (int64_t r = 0; r < tileM; ++r)
      for (int64_t c = 0; c < tileN; ++c)
        store(loop.getResult(r * tileN + c), r, c);
    op->erase();
  }

private:
  /// One step of K: the left operand at the tile's rows and the right one
  /// at its columns, then the body once per output of the tile.
  SmallVector<Value> step(Value k, ValueRange accumulators) {
    SmallVector<Value> lhs, rhs;
    for (int64_t r = 0; r < tileM; ++r)
      lhs.push_back(load(match.lhs, r, 0, k));
    for (int64_t c = 0; c < tileN; ++c)
      rhs.push_back(load(match.rhs, 0, c, k));
    SmallVector<Value> results;
    for (int64_t r = 0; r < tileM; ++r)
      for (int64_t c = 0; c < tileN; ++c) {
        IRMapping mapping;
        mapping.map(op.getMatchingBlockArgument(match.lhs), lhs[r]);
        mapping.map(op.getMatchingBlockArgument(match.rhs), rhs[c]);
        mapping.map(op.getMatchingBlockArgument(op.getDpsInitOperand(0)),
                    accumulators[r * tileN + c]);
        results.push_back(
            cloneContractionBody(b, match, mapping, /*vectorWidth=*/0, fusedMultiplyAdd));
      }
    return results;
  }

  /// Where a tile's i-th index along a loop falls.
  struct TileIndex {
    Value at;
    /// `at` clamped to the loop's last index, for loads.
    Value clamped;
    /// Whether `at` is inside the loop; null where it always is.
    Value inside;
  };

  /// The indices `iv * tile + i` of one tile along a loop of `size`. Only
  /// where tiles overhang the loop are they clamped and checked; the first
  /// index of a tile is always inside.
  SmallVector<TileIndex> tileIndices(Value iv, int64_t tile, int64_t size) {
    Value base = arith::MulIOp::create(b, loc, iv, index(tile));
    SmallVector<TileIndex> indices{{base, base, nullptr}};
    for (int64_t i = 1; i < tile; ++i) {
      Value at = arith::AddIOp::create(b, loc, base, index(i));
      if (size % tile == 0) {
        indices.push_back({at, at, nullptr});
        continue;
      }
      Value clamped = arith::MinUIOp::create(b, loc, at, index(size - 1));
      Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, at, index(size));
      indices.push_back({at, clamped, inside});
    }
    return indices;
  }

  /// The operand's element at row r and column c of the tile and at `k`
  /// (null for the output, which has no K).
  Value load(OpOperand *operand, int64_t r, int64_t c, Value k) {
    loopIndices[match.m] = rows[r].clamped;
    loopIndices[match.n] = cols[c].clamped;
    loopIndices[match.k] = k;
    return memref::LoadOp::create(b, loc, operand->get(),
                                  match.operandIndices(operand, loopIndices));
  }

  void store(Value value, int64_t r, int64_t c) {
    loopIndices[match.m] = rows[r].at;
    loopIndices[match.n] = cols[c].at;
    OpOperand *init = op.getDpsInitOperand(0);
    SmallVector<Value> indices = match.operandIndices(init, loopIndices);
    Value inside = rows[r].inside;
    if (Value colInside = cols[c].inside)
      inside = inside ? arith::AndIOp::create(b, loc, inside, colInside).getResult() : colInside;
    if (!inside) {
      memref::StoreOp::create(b, loc, value, init->get(), indices);
      return;
    }
    auto guard = scf::IfOp::create(b, loc, inside, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard insertion(b);
    b.setInsertionPointToStart(&guard.getThenRegion().front());
    memref::StoreOp::create(b, loc, value, init->get(), indices);
  }

  int64_t tileM, tileN;
  bool fusedMultiplyAdd;
  SmallVector<TileIndex> rows, cols;
};

struct TileContractionsPass final : impl::TileContractionsPassBase<TileContractionsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp kernel = getOperation();
    // Each at most the limit first, so that the product cannot overflow.
    if (tileM < 1 || tileN < 1 || tileM > kMaxTileElements || tileN > kMaxTileElements ||
        tileM * tileN > kMaxTileElements) {
      kernel.emitError() << "tile-m (" << int64_t(tileM) << ") and tile-n (" << int64_t(tileN)
                         << ") must be at least 1 with a product of at most " << kMaxTileElements;
      return signalPassFailure();
    }
    SmallVector<MatmulLikeContraction, 2> matches;
    kernel.walk([&](linalg::LinalgOp op) {
      // A body that reads its own indices would need them per tile element.
      if (op.hasIndexSemantics())
        return;
      if (FailureOr<MatmulLikeContraction> match = matchMatmulLikeContraction(op); succeeded(match))
        matches.push_back(*match);
    });
    for (const MatmulLikeContraction &match : matches) {
      int64_t rowsPerTile = pickTile(match.ranges[match.m], tileM);
      int64_t colsPerTile = pickTile(match.ranges[match.n], tileN);
      if (rowsPerTile * colsPerTile > 1)
        RegisterTileEmitter(match, rowsPerTile, colsPerTile, fusedMultiplyAdd).emit();
    }
  }
};

} // namespace
} // namespace mlir::tern
