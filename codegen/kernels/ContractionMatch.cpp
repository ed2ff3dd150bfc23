//===- ContractionMatch.cpp - Matmul-like linalg contractions -------------===//
#include "codegen/kernels/ContractionMatch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::tern {

SmallVector<Value> MatmulLikeContraction::operandIndices(OpOperand *operand,
                                                         ArrayRef<Value> loopIndices) const {
  AffineMap map = linalg::LinalgOp(op).getMatchingIndexingMap(operand);
  SmallVector<Value> result;
  for (unsigned i = 0; i < map.getNumResults(); ++i)
    result.push_back(loopIndices[map.getDimPosition(i)]);
  return result;
}

Value ContractionLoopEmitter::index(int64_t value) {
  Value &cached = indexConstants[value];
  if (!cached)
    cached = arith::ConstantIndexOp::create(constants, loc, value);
  return cached;
}

SmallVector<Value> ContractionLoopEmitter::emitParallel(ArrayRef<int64_t> counts) {
  SmallVector<Value> upper;
  for (unsigned dim : match.batch)
    upper.push_back(index(match.ranges[dim]));
  for (int64_t count : counts)
    upper.push_back(index(count));
  SmallVector<Value> lower(upper.size(), index(0)), steps(upper.size(), index(1));
  auto parallel = scf::ParallelOp::create(b, loc, lower, upper, steps);
  constants.setInsertionPoint(parallel);
  b.setInsertionPointToStart(parallel.getBody());
  Block::BlockArgListType ivs = parallel.getBody()->getArguments();
  for (auto [dim, iv] : llvm::zip(match.batch, ivs))
    loopIndices[dim] = iv;
  return SmallVector<Value>(ivs.drop_front(match.batch.size()));
}

FailureOr<MatmulLikeContraction> matchMatmulLikeContraction(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !linalg::isaContractionOpInterface(op))
    return failure();
  FailureOr<linalg::ContractionDimensions> dims = linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 || dims->k.size() != 1 ||
      dims->batch.size() + 3 != op.getNumLoops())
    return failure();
  if (!llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isProjectedPermutation(); }))
    return failure();

  MatmulLikeContraction match{op, nullptr, nullptr, dims->m[0], dims->n[0], dims->k[0], {}, {}};
  match.batch = llvm::to_vector(dims->batch);
  match.ranges = op.getStaticLoopRanges();
  // Dynamic and empty loops stay with the generic lowering (which drops
  // empty ones).
  if (llvm::any_of(match.ranges, [](int64_t size) { return size <= 0; }))
    return failure();
  OpOperand *first = op.getDpsInputOperand(0), *second = op.getDpsInputOperand(1);
  bool firstIsLhs = op.getMatchingIndexingMap(first).isFunctionOfDim(match.m);
  match.lhs = firstIsLhs ? first : second;
  match.rhs = firstIsLhs ? second : first;
  return match;
}

} // namespace mlir::tern
