//===- ContractionMatch.cpp - Matmul-like linalg contractions -------------===//
#include "codegen/kernels/ContractionMatch.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::tern {

SmallVector<Value> MatmulLikeContraction::operandIndices(OpOperand *operand,
                                                         ArrayRef<Value> loopIndices) const {
  AffineMap map = linalg::LinalgOp(op).getMatchingIndexingMap(operand);
  SmallVector<Value> result;
  for (unsigned i = 0; i < map.getNumResults(); ++i)
    result.push_back(loopIndices[map.getDimPosition(i)]);
  return result;
}

SmallVector<Value> MatmulLikeContraction::rhsIndices(OpBuilder &b, Location loc,
                                                     ArrayRef<Value> loopIndices) const {
  if (rhsPanelColumns == 0)
    return operandIndices(rhs, loopIndices);
  AffineExpr n = b.getAffineDimExpr(0);
  Value column = loopIndices[this->n];
  return {affine::AffineApplyOp::create(b, loc, n.floorDiv(rhsPanelColumns), column),
          loopIndices[k], affine::AffineApplyOp::create(b, loc, n % rhsPanelColumns, column)};
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

arith::MulFOp getProductAddedToOutput(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  auto add = body->getTerminator()->getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add || add->getBlock() != body || !(add.getType().isF32() || add.getType().isF64()))
    return nullptr;
  BlockArgument out = op.getMatchingBlockArgument(op.getDpsInitOperand(0));
  Value product = add.getLhs() == out ? add.getRhs() : add.getRhs() == out ? add.getLhs() : nullptr;
  auto mul = product ? product.getDefiningOp<arith::MulFOp>() : nullptr;
  if (!mul || mul->getBlock() != body || !mul->hasOneUse())
    return nullptr;
  return mul;
}

Value cloneContractionBody(OpBuilder &b, const MatmulLikeContraction &match, IRMapping &mapping,
                           int64_t vectorWidth, bool fusedMultiplyAdd) {
  linalg::LinalgOp op = match.op;
  Block *body = op.getBlock();
  Value yielded = body->getTerminator()->getOperand(0);
  arith::MulFOp product = fusedMultiplyAdd ? getProductAddedToOutput(op) : nullptr;
  Operation *sum = product ? yielded.getDefiningOp() : nullptr;
  auto retype = [&](Value value) {
    if (vectorWidth > 0)
      value.setType(VectorType::get({vectorWidth}, value.getType()));
  };
  for (Operation &bodyOp : body->without_terminator()) {
    if (&bodyOp == product.getOperation() || &bodyOp == sum)
      continue;
    for (Value result : b.clone(bodyOp, mapping)->getResults())
      retype(result);
  }
  if (!product)
    return mapping.lookupOrDefault(yielded);
  Value out = mapping.lookup(op.getMatchingBlockArgument(op.getDpsInitOperand(0)));
  return math::FmaOp::create(b, sum->getLoc(), mapping.lookupOrDefault(product.getLhs()),
                             mapping.lookupOrDefault(product.getRhs()), out);
}

namespace {

/// Whether `value`, computed in `body`, depends on no block argument but
/// those in `allowed`.
bool dependsOnlyOn(Value value, Block *body, ArrayRef<BlockArgument> allowed) {
  SmallVector<Value> worklist = {value};
  DenseSet<Value> seen;
  while (!worklist.empty()) {
    Value current = worklist.pop_back_val();
    if (!seen.insert(current).second)
      continue;
    if (auto arg = dyn_cast<BlockArgument>(current)) {
      if (arg.getOwner() == body && !llvm::is_contained(allowed, arg))
        return false;
      continue;
    }
    Operation *def = current.getDefiningOp();
    if (def->getBlock() != body)
      continue; // defined outside the body: an invariant
    if (def->getNumRegions() != 0 || !isPure(def))
      return false;
    llvm::append_range(worklist, def->getOperands());
  }
  return true;
}

/// The body `out + x * y` (either order of each), x computed from the left
/// operand's element and its scales' alone and y from the right operand's
/// and its scales'.
bool isScaledProductSum(linalg::LinalgOp op, OpOperand *lhs, OpOperand *rhs,
                        ArrayRef<OpOperand *> lhsScales, ArrayRef<OpOperand *> scales) {
  Block *body = op.getBlock();
  Value yielded = body->getTerminator()->getOperand(0);
  auto add = yielded.getDefiningOp<arith::AddFOp>();
  BlockArgument out = op.getMatchingBlockArgument(op.getDpsInitOperand(0));
  if (!add || add->getBlock() != body)
    return false;
  Value product = add.getLhs() == out ? add.getRhs() : add.getLhs();
  auto mul = product.getDefiningOp<arith::MulFOp>();
  if ((add.getLhs() != out && add.getRhs() != out) || !mul || mul->getBlock() != body)
    return false;
  SmallVector<BlockArgument> left = {op.getMatchingBlockArgument(lhs)};
  for (OpOperand *scale : lhsScales)
    left.push_back(op.getMatchingBlockArgument(scale));
  SmallVector<BlockArgument> right = {op.getMatchingBlockArgument(rhs)};
  for (OpOperand *scale : scales)
    right.push_back(op.getMatchingBlockArgument(scale));
  for (auto [x, y] : {std::pair(mul.getLhs(), mul.getRhs()), std::pair(mul.getRhs(), mul.getLhs())})
    if (dependsOnlyOn(x, body, left) && dependsOnlyOn(y, body, right))
      return true;
  return false;
}

/// The contraction dimensions of `out += lhs * rhs` from the operands' maps
/// (projected permutations): m in lhs and out, n in rhs and out, k in lhs
/// and rhs, batch in all three; fails on any other loop.
FailureOr<linalg::ContractionDimensions> inferDims(linalg::LinalgOp op, OpOperand *lhs,
                                                   OpOperand *rhs) {
  AffineMap lhsMap = op.getMatchingIndexingMap(lhs), rhsMap = op.getMatchingIndexingMap(rhs),
            outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  linalg::ContractionDimensions dims;
  for (unsigned d = 0; d < op.getNumLoops(); ++d) {
    bool inLhs = lhsMap.isFunctionOfDim(d), inRhs = rhsMap.isFunctionOfDim(d),
         inOut = outMap.isFunctionOfDim(d);
    if (inLhs && inRhs && inOut)
      dims.batch.push_back(d);
    else if (inLhs && inOut && !inRhs)
      dims.m.push_back(d);
    else if (inRhs && inOut && !inLhs)
      dims.n.push_back(d);
    else if (inLhs && inRhs && !inOut)
      dims.k.push_back(d);
    else
      return failure();
  }
  return dims;
}

/// The columns of a panel if `op`'s second input is read as a weight packed
/// in panels, `(n floordiv C, k, n mod C)` on a [ceil(N / C), K, C] buffer
/// with the identity layout; 0 otherwise.
int64_t getRhsPanelColumns(linalg::LinalgOp op) {
  OpOperand *rhs = op.getDpsInputOperand(1);
  AffineMap map = op.getMatchingIndexingMap(rhs);
  auto type = dyn_cast<MemRefType>(rhs->get().getType());
  if (!type || !type.getLayout().isIdentity() || map.getNumResults() != 3 ||
      !isa<AffineDimExpr>(map.getResult(1)))
    return 0;
  auto floorDiv = dyn_cast<AffineBinaryOpExpr>(map.getResult(0));
  auto mod = dyn_cast<AffineBinaryOpExpr>(map.getResult(2));
  if (!floorDiv || !mod || floorDiv.getKind() != AffineExprKind::FloorDiv ||
      mod.getKind() != AffineExprKind::Mod || floorDiv.getLHS() != mod.getLHS() ||
      !isa<AffineDimExpr>(floorDiv.getLHS()) || floorDiv.getLHS() == map.getResult(1))
    return 0;
  auto columns = dyn_cast<AffineConstantExpr>(floorDiv.getRHS());
  if (!columns || columns.getValue() < 1 || mod.getRHS() != floorDiv.getRHS() ||
      type.getDimSize(2) != columns.getValue())
    return 0;
  return columns.getValue();
}

} // namespace

FailureOr<MatmulLikeContraction> matchMatmulLikeContraction(linalg::LinalgOp op,
                                                            bool allowRhsScales,
                                                            bool allowLhsScales,
                                                            bool allowRhsPanels) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 || op.getNumDpsInputs() < 2)
    return failure();
  SmallVector<OpOperand *> scales, lhsScales;
  FailureOr<linalg::ContractionDimensions> dims;
  int64_t panelColumns = allowRhsPanels && op.getNumDpsInputs() == 2 ? getRhsPanelColumns(op) : 0;
  if (panelColumns > 0) {
    // The maps are no projected permutations, which the contraction
    // interface needs: the dimensions from the maps, the body checked here.
    OpOperand *lhs = op.getDpsInputOperand(0), *rhs = op.getDpsInputOperand(1);
    dims = inferDims(op, lhs, rhs);
    if (failed(dims) || !isScaledProductSum(op, lhs, rhs, {}, {}))
      return failure();
  } else if (op.getNumDpsInputs() == 2) {
    if (!linalg::isaContractionOpInterface(op))
      return failure();
    dims = linalg::inferContractionDims(op);
  } else {
    if (!allowRhsScales)
      return failure();
    OpOperand *lhs = op.getDpsInputOperand(0), *rhs = op.getDpsInputOperand(1);
    dims = inferDims(op, lhs, rhs);
    if (failed(dims) || dims->k.size() != 1 || dims->n.size() != 1 || dims->m.size() != 1)
      return failure();
    // The weight's scales are read at functions of k and n alone, the
    // activations' at functions of m and k alone.
    for (OpOperand &scale : op->getOpOperands().slice(2, op.getNumDpsInputs() - 2)) {
      AffineMap map = op.getMatchingIndexingMap(&scale);
      bool readsM = map.isFunctionOfDim(dims->m[0]);
      unsigned other = readsM ? dims->m[0] : dims->n[0];
      for (unsigned d = 0; d < op.getNumLoops(); ++d)
        if (d != dims->k[0] && d != other && map.isFunctionOfDim(d))
          return failure();
      (readsM ? lhsScales : scales).push_back(&scale);
    }
    if ((!lhsScales.empty() && !allowLhsScales) ||
        !isScaledProductSum(op, lhs, rhs, lhsScales, scales))
      return failure();
  }
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 || dims->k.size() != 1 ||
      dims->batch.size() + 3 != op.getNumLoops())
    return failure();
  OpOperand *paneled = panelColumns > 0 ? op.getDpsInputOperand(1) : nullptr;
  for (OpOperand &operand : op->getOpOperands())
    if (!llvm::is_contained(scales, &operand) && !llvm::is_contained(lhsScales, &operand) &&
        &operand != paneled && !op.getMatchingIndexingMap(&operand).isProjectedPermutation())
      return failure();

  MatmulLikeContraction match{op,         nullptr,    nullptr,    scales, lhsScales,
                              dims->m[0], dims->n[0], dims->k[0], {},     {}};
  match.batch = llvm::to_vector(dims->batch);
  match.rhsPanelColumns = panelColumns;
  // A panel's map must read n and k themselves: (n floordiv C, k, n mod C).
  if (paneled) {
    AffineMap map = op.getMatchingIndexingMap(paneled);
    if (map.getDimPosition(1) != match.k || cast<AffineBinaryOpExpr>(map.getResult(0)).getLHS() !=
                                                getAffineDimExpr(match.n, op.getContext()))
      return failure();
  }
  match.ranges = op.getStaticLoopRanges();
  // Dynamic and empty loops stay with the generic lowering (which drops
  // empty ones).
  if (llvm::any_of(match.ranges, [](int64_t size) { return size <= 0; }))
    return failure();
  OpOperand *first = op.getDpsInputOperand(0), *second = op.getDpsInputOperand(1);
  // With scales or panels, the body or the maps fixed which input is which.
  bool firstIsLhs = !scales.empty() || !lhsScales.empty() || paneled ||
                    op.getMatchingIndexingMap(first).isFunctionOfDim(match.m);
  match.lhs = firstIsLhs ? first : second;
  match.rhs = firstIsLhs ? second : first;
  return match;
}

} // namespace mlir::tern
