//===- KernelFormationRules.cpp - What goes into one kernel ---------------===//
#include "codegen/schedule/KernelFormationRules.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::tern {

namespace {

bool isElementwise(linalg::GenericOp op) { return op.getNumLoops() == op.getNumParallelLoops(); }

/// Whether `op` reads constants only (a weight or a scale), through its
/// inputs and through what its body captures (a gather's table).
bool readsOnlyConstants(linalg::GenericOp op) {
  auto isConstant = [](Value value) { return matchPattern(value, m_Constant()); };
  llvm::SetVector<Value> captured;
  getUsedValuesDefinedAbove(op->getRegions(), captured);
  return llvm::all_of(op.getDpsInputs(), isConstant) && llvm::all_of(captured, isConstant);
}

/// A reduction of one input that reads each of its elements once (a max,
/// a sum): a row's reduction, not a contraction.
bool isRowReduction(linalg::GenericOp op) {
  return !isElementwise(op) && op.getNumDpsInputs() == 1 && op.getNumDpsInits() == 1 &&
         op.getMatchingIndexingMap(op.getDpsInputOperand(0)).isPermutation();
}

/// What may join a row chain: fills, elementwise ops, row reductions.
bool isRowChainOp(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics())
    return false;
  if (isa<linalg::FillOp>(op))
    return true;
  auto generic = dyn_cast<linalg::GenericOp>(op);
  return generic && (isElementwise(generic) || isRowReduction(generic));
}

} // namespace

std::optional<RowChain> getRowChain(linalg::GenericOp root) {
  if (!root.hasPureTensorSemantics() || !isElementwise(root) || root.getNumDpsInits() != 1)
    return std::nullopt;
  // The rows are the loops the root reads a row reduction's result with:
  // the reduction's result broadcast along the others.
  linalg::GenericOp reduction;
  RowChain chain{root, {}, {}};
  for (OpOperand *input : root.getDpsInputOperands()) {
    auto producer = input->get().getDefiningOp<linalg::GenericOp>();
    AffineMap map = root.getMatchingIndexingMap(input);
    if (!producer || !isRowReduction(producer) || !map.isProjectedPermutation() ||
        map.getNumResults() == 0 || map.getNumResults() == map.getNumDims())
      continue;
    reduction = producer;
    chain.rowLoops.assign(root.getNumLoops(), false);
    for (AffineExpr result : map.getResults())
      chain.rowLoops[cast<AffineDimExpr>(result).getPosition()] = true;
    break;
  }
  if (!reduction)
    return std::nullopt;
  // The producers whose every user is in the chain join it, to a fixpoint:
  // a producer used outside would be computed twice.
  llvm::SetVector<Operation *> inChain;
  inChain.insert(root);
  for (bool grew = true; grew;) {
    grew = false;
    for (Operation *member : llvm::to_vector(inChain))
      for (Value operand : member->getOperands()) {
        Operation *producer = operand.getDefiningOp();
        if (!producer || inChain.contains(producer) || !isRowChainOp(producer) ||
            !llvm::all_of(producer->getUsers(),
                          [&](Operation *user) { return inChain.contains(user); }))
          continue;
        inChain.insert(producer);
        grew = true;
      }
  }
  if (!inChain.contains(reduction))
    return std::nullopt;
  inChain.remove(root);
  chain.members = std::move(inChain);
  return chain;
}

KernelFusion getKernelFusion(OpOperand &operand) {
  auto producer = operand.get().getDefiningOp<linalg::GenericOp>();
  auto consumer = dyn_cast<linalg::GenericOp>(operand.getOwner());
  if (!producer || !consumer || !producer.hasPureTensorSemantics() ||
      !consumer.hasPureTensorSemantics() || !isElementwise(producer) || !producer->hasOneUse())
    return KernelFusion::None;
  if (isElementwise(consumer))
    return KernelFusion::ElementwiseChain;
  // The consumer reduces: it reads each element of the producer once only
  // when its map for the operand is a permutation of all its loops.
  if (consumer.getMatchingIndexingMap(&operand).isPermutation())
    return KernelFusion::ReductionInput;
  if (readsOnlyConstants(producer))
    return KernelFusion::WeightConversion;
  return KernelFusion::None;
}

llvm::StringRef getKernelFusionName(KernelFusion fusion) {
  switch (fusion) {
  case KernelFusion::None:
    return "none";
  case KernelFusion::ElementwiseChain:
    return "elementwise-chain";
  case KernelFusion::ReductionInput:
    return "reduction-input";
  case KernelFusion::WeightConversion:
    return "weight-conversion";
  }
  llvm_unreachable("unknown kernel fusion");
}

} // namespace mlir::tern
