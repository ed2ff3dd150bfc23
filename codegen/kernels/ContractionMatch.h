//===- ContractionMatch.h - Matmul-like linalg contractions -----*- C++ -*-===//
//
// The contractions the kernel passes compute themselves (on tensor cores,
// streamed or tiled in registers): one M, one N and one K loop plus batch loops, on
// buffers, with static sizes and operands read through projected
// permutations, so that every operand element has one place in memory.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_CODEGEN_CONTRACTIONMATCH_H
#define TERN_CODEGEN_CONTRACTIONMATCH_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::tern {

/// A matched contraction and what its emitters need to know about it.
struct MatmulLikeContraction {
  linalg::LinalgOp op;
  /// The input indexed by m (and k), and the one indexed by n (and k).
  OpOperand *lhs, *rhs;
  /// Further inputs the body reads with the right operand's element only,
  /// at (k, n)-only affine indices: the block scales of a quantized weight
  /// (matchMatmulLikeContraction with `allowRhsScales`).
  SmallVector<OpOperand *> rhsScales;
  /// Likewise the scales the body combines with the left operand's element
  /// only, read at (m, k)-only affine indices: the block scales of quantized
  /// activations (with `allowLhsScales`).
  SmallVector<OpOperand *> lhsScales;
  unsigned m, n, k;
  SmallVector<unsigned> batch;
  /// The static size of every loop, all positive.
  SmallVector<int64_t> ranges;
  /// The columns of a panel where the right operand is a weight packed in
  /// panels, [ceil(N / C), K, C] read at (n floordiv C, k, n mod C)
  /// (tern-pack-weight-panels); 0 otherwise.
  int64_t rhsPanelColumns = 0;

  /// The indices of `operand` (one of the op's but the scales and a paneled
  /// right operand) for one index per loop.
  SmallVector<Value> operandIndices(OpOperand *operand, ArrayRef<Value> loopIndices) const;
  /// The right operand's indices for one index per loop, a panel's computed
  /// at `b`.
  SmallVector<Value> rhsIndices(OpBuilder &b, Location loc, ArrayRef<Value> loopIndices) const;
};

/// What the emitters that replace a matched contraction with loops share:
/// a builder at the op, one before the loop nest for index constants (made
/// once each) and one index per loop, set as the loops are emitted.
class ContractionLoopEmitter {
protected:
  explicit ContractionLoopEmitter(const MatmulLikeContraction &match)
      : match(match), op(match.op), b(match.op), constants(match.op), loc(match.op->getLoc()),
        loopIndices(match.ranges.size()) {}

  /// The index constant `value`, before the loop nest.
  Value index(int64_t value);

  /// Starts the loop nest: an scf.parallel over the batch loops and then
  /// loops of `counts` iterations, the builder in its body and the batch
  /// loops' indices set. Returns the induction variables after the batch's.
  SmallVector<Value> emitParallel(ArrayRef<int64_t> counts);

  const MatmulLikeContraction &match;
  linalg::LinalgOp op;
  /// `constants` inserts before the outermost loop once it exists.
  OpBuilder b, constants;
  Location loc;
  SmallVector<Value> loopIndices;

private:
  DenseMap<int64_t, Value> indexConstants;
};

/// The product a float body's last step `out + product` adds to the output's
/// element, on f32 or f64, where nothing else reads the product; null for
/// any other body. Host kernels add it with one rounding (`math.fma`).
arith::MulFOp getProductAddedToOutput(linalg::LinalgOp op);

/// Clones the body of `match.op` at `b`, its block arguments mapped by
/// `mapping`, and returns the value it yields. With `fusedMultiplyAdd`, a
/// float body's last step, `out + x * y` on f32 or f64, becomes
/// `math.fma(x, y, out)`: each step of K rounds once, as BLAS libraries and
/// GPUs add products, and the host's FMA units run it as one instruction
/// (CPUs without them call libm's fma, which rounds the same: a plan's
/// results do not depend on the CPU). With `vectorWidth` > 0 every result is
/// a vector of that many elements of its type (the mapped arguments must be
/// vectors already).
Value cloneContractionBody(OpBuilder &b, const MatmulLikeContraction &match, IRMapping &mapping,
                           int64_t vectorWidth = 0, bool fusedMultiplyAdd = true);

/// Matches a linalg op on buffers with two inputs and one output whose loops
/// are one M, one N, one K and batch loops, all of static positive size,
/// with projected-permutation indexing maps. Fails otherwise. With
/// `allowRhsScales`, also `out += f(lhs) * g(rhs, scales...)` with further
/// inputs after the two that the body combines with the right operand's
/// element only and reads at indices of K and N alone (a block-scaled FP8
/// weight dequantized as it is read). With `allowLhsScales` too, inputs read
/// at indices of M and K alone that the body combines with the left
/// operand's element only (FP8 activations dequantized as they are read).
/// With `allowRhsPanels`, also `out += lhs * rhs` with two inputs whose
/// second, the right operand, is a weight packed in panels (rhsPanelColumns).
FailureOr<MatmulLikeContraction> matchMatmulLikeContraction(linalg::LinalgOp op,
                                                            bool allowRhsScales = false,
                                                            bool allowLhsScales = false,
                                                            bool allowRhsPanels = false);

} // namespace mlir::tern

#endif // TERN_CODEGEN_CONTRACTIONMATCH_H
