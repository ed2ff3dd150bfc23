//===- FusionUtils.h - What fusion passes do around a match ---*- C++ -*-===//
#ifndef TERN_PASSES_FUSIONUTILS_H
#define TERN_PASSES_FUSIONUTILS_H

#include "ir/TernOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::tern {

/// Whether an op's `axis` attribute (I64Attr accessors return the bits
/// unsigned) names the last dimension of a rank-`rank` value.
inline bool isLastAxis(uint64_t axis, int64_t rank) {
  return int64_t(axis) == rank - 1 || int64_t(axis) == -1;
}

/// Whether reduction `axes` name exactly the last dimension of a rank-`rank`
/// value (importers write it as rank - 1, exporters as -1).
inline bool isLastAxisOnly(ArrayRef<int64_t> axes, int64_t rank) {
  return axes.size() == 1 && isLastAxis(axes.front(), rank);
}

/// The value of a splat float constant, also through the broadcasts of a
/// scalar that exporters write (tern.expand without a shape operand), or
/// nullopt.
inline std::optional<double> getSplatFloat(Value value) {
  while (auto expand = value.getDefiningOp<ExpandOp>()) {
    if (expand.getShape())
      return std::nullopt;
    value = expand.getInput();
  }
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.isSplat() ||
      !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  return attr.getSplatValue<APFloat>().convertToDouble();
}

/// Runs `fuse` on each op of type OpTy in `func` that `isCandidate` accepts
/// (all collected before the first rewrite, which leaves the old ops in
/// place), then erases what the rewrites left dead, so that later passes
/// never see the unfused form. Returns whether anything was fused.
template <typename OpTy>
bool fuseEach(func::FuncOp func, function_ref<bool(OpTy)> isCandidate,
              function_ref<LogicalResult(OpTy)> fuse) {
  SmallVector<OpTy> candidates;
  func.walk([&](OpTy op) {
    if (isCandidate(op))
      candidates.push_back(op);
  });
  bool changed = false;
  for (OpTy op : candidates)
    changed |= succeeded(fuse(op));
  if (changed) {
    IRRewriter rewriter(func.getContext());
    (void)runRegionDCE(rewriter, func->getRegions());
  }
  return changed;
}

} // namespace mlir::tern

#endif // TERN_PASSES_FUSIONUTILS_H
