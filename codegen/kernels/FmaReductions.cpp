//===- FmaReductions.cpp - Products added with one rounding ---------------===//
//
// The host's contraction emitters (tern-stream-contractions,
// tern-tile-contractions) add each product to its sum with math.fma. The
// reductions they leave to the plain loop nest get the same body here, so
// that every product of a plan rounds once however its loops were formed:
// a fused kernel and its unfused twin, or one shape and another, agree to
// the bit.
//
//===----------------------------------------------------------------------===//
#include "codegen/kernels/ContractionMatch.h"
#include "codegen/kernels/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::tern {
#define GEN_PASS_DEF_FMAREDUCTIONSPASS
#include "codegen/kernels/Passes.h.inc"

namespace {

struct FmaReductionsPass final : impl::FmaReductionsPassBase<FmaReductionsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> reductions;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.getNumDpsInits() == 1 && op.getNumReductionLoops() > 0 && getProductAddedToOutput(op))
        reductions.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : reductions) {
      // A named op's body is its definition's: only a generic's can change.
      if (!isa<linalg::GenericOp>(op)) {
        rewriter.setInsertionPoint(op);
        FailureOr<linalg::GenericOp> generic = linalg::generalizeNamedOp(rewriter, op);
        if (failed(generic))
          continue;
        op = *generic;
      }
      arith::MulFOp product = getProductAddedToOutput(op);
      Operation *sum = op.getBlock()->getTerminator()->getOperand(0).getDefiningOp();
      OpBuilder b(sum);
      Value fma = math::FmaOp::create(b, sum->getLoc(), product.getLhs(), product.getRhs(),
                                      op.getMatchingBlockArgument(op.getDpsInitOperand(0)));
      sum->getResult(0).replaceAllUsesWith(fma);
      sum->erase();
      product->erase();
    }
  }
};

} // namespace
} // namespace mlir::tern
