//===- CollapseContractionDims.cpp - One loop per contraction role --------===//
//
// The kernel passes that compute contractions themselves take one M, one N
// and one K loop. Fusion leaves some contractions with a role split over
// several loops (a projection whose output is viewed as heads); when those
// loops are consecutive and walk every operand contiguously, upstream's
// collapseOpIterationDims merges them into one, the operands viewed through
// memref.collapse_shape.
//
//===----------------------------------------------------------------------===//
#include "codegen/kernels/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::tern {
#define GEN_PASS_DEF_COLLAPSECONTRACTIONDIMSPASS
#include "codegen/kernels/Passes.h.inc"

namespace {

/// The loop groups of `op` worth merging: each role's loops when there are
/// several, consecutive in the iteration space and kept together, in order,
/// by every indexing map (projected permutations, as the kernel passes
/// after this one need).
SmallVector<ReassociationIndices> getMergeableGroups(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || !linalg::isaContractionOpInterface(op) ||
      !llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isProjectedPermutation(); }))
    return {};
  FailureOr<linalg::ContractionDimensions> dims = linalg::inferContractionDims(op);
  if (failed(dims))
    return {};
  SmallVector<ReassociationIndices> groups;
  for (ArrayRef<unsigned> role : {ArrayRef<unsigned>(dims->batch), ArrayRef<unsigned>(dims->m),
                                  ArrayRef<unsigned>(dims->n), ArrayRef<unsigned>(dims->k)}) {
    if (role.size() < 2)
      continue;
    ReassociationIndices group(role.begin(), role.end());
    llvm::sort(group);
    if (group.back() - group.front() + 1 != int64_t(group.size()))
      continue;
    if (linalg::areDimSequencesPreserved(op.getIndexingMapsArray(), {group}))
      groups.push_back(group);
  }
  return groups;
}

/// How an operand read through `map` collapses when the loop `groups`
/// merge: each group's results (consecutive, in order, where present) into
/// one dimension, every other result alone.
SmallVector<ReassociationIndices> getOperandGroups(AffineMap map,
                                                   ArrayRef<ReassociationIndices> groups) {
  SmallVector<ReassociationIndices> result;
  for (unsigned i = 0; i < map.getNumResults();) {
    unsigned dim = map.getDimPosition(i);
    const ReassociationIndices *group = llvm::find_if(
        groups, [&](const ReassociationIndices &g) { return g.front() == int64_t(dim); });
    int64_t size = group == groups.end() ? 1 : group->size();
    result.push_back(llvm::to_vector(llvm::seq<int64_t>(i, i + size)));
    i += size;
  }
  return result;
}

struct CollapseContractionDimsPass final
    : impl::CollapseContractionDimsPassBase<CollapseContractionDimsPass> {
  void runOnOperation() override {
    SmallVector<std::pair<linalg::LinalgOp, SmallVector<ReassociationIndices>>> contractions;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (SmallVector<ReassociationIndices> groups = getMergeableGroups(op); !groups.empty())
        contractions.emplace_back(op, std::move(groups));
    });
    IRRewriter rewriter(&getContext());
    for (auto &[op, groups] : contractions) {
      // The operands must be contiguous in memory along each group, which
      // collapse_shape needs.
      bool collapsible = llvm::all_of(op->getOpOperands(), [&](OpOperand &operand) {
        auto type = dyn_cast<MemRefType>(operand.get().getType());
        return type && memref::CollapseShapeOp::isGuaranteedCollapsible(
                           type, getOperandGroups(op.getMatchingIndexingMap(&operand), groups));
      });
      if (!collapsible)
        continue;
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::CollapseResult> collapsed =
          linalg::collapseOpIterationDims(op, groups, rewriter);
      if (succeeded(collapsed))
        rewriter.replaceOp(op, collapsed->results);
    }
  }
};

} // namespace
} // namespace mlir::tern
