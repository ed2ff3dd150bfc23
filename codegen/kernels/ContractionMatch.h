//===- ContractionMatch.h - Matmul-like linalg contractions -----*- C++ -*-===//
//
// The contractions the kernel passes compute themselves (on tensor cores, or
// tiled in registers): one M, one N and one K loop plus batch loops, on
// buffers, with static sizes and operands read through projected
// permutations, so that every operand element has one place in memory.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_CODEGEN_CONTRACTIONMATCH_H
#define TERN_CODEGEN_CONTRACTIONMATCH_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::tern {

/// A matched contraction and what its emitters need to know about it.
struct MatmulLikeContraction {
  linalg::LinalgOp op;
  /// The input indexed by m (and k), and the one indexed by n (and k).
  OpOperand *lhs, *rhs;
  unsigned m, n, k;
  SmallVector<unsigned> batch;
  /// The static size of every loop, all positive.
  SmallVector<int64_t> ranges;

  /// The indices of `operand` (one of the op's) for one index per loop.
  SmallVector<Value> operandIndices(OpOperand *operand, ArrayRef<Value> loopIndices) const;
};

/// Matches a linalg op on buffers with two inputs and one output whose loops
/// are one M, one N, one K and batch loops, all of static positive size,
/// with projected-permutation indexing maps. Fails otherwise.
FailureOr<MatmulLikeContraction> matchMatmulLikeContraction(linalg::LinalgOp op);

} // namespace mlir::tern

#endif // TERN_CODEGEN_CONTRACTIONMATCH_H
