//===- InferShapes.cpp - Refine result types from operands ----------------===//
//
// A plain in-order walk rather than rewrite patterns: refining a result type
// never changes the IR's structure, and one pass over a function in program
// order sees every producer before its users.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "ir/TernOps.h"

namespace mlir::tern {
#define GEN_PASS_DEF_INFERSHAPESPASS
#include "passes/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;
using namespace mlir::tern;

namespace {

struct InferShapesPass final : tern::impl::InferShapesPassBase<InferShapesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    WalkResult walk = func.walk([](InferTypesOpInterface op) {
      SmallVector<Type> inferred;
      if (failed(op.inferResultTypes(inferred, [&] { return op->emitOpError(); })))
        return WalkResult::interrupt();
      for (auto [result, type] : llvm::zip_equal(op->getResults(), inferred)) {
        // Keep every static dimension either side knows.
        RankedTensorType refined =
            joinTypes(cast<RankedTensorType>(type), cast<RankedTensorType>(result.getType()));
        if (refined && refined != result.getType())
          result.setType(refined);
      }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    // func.return's operands may now be more static than the signature.
    Operation *terminator =
        func.getBody().empty() ? nullptr : func.getBody().back().getTerminator();
    if (auto ret = dyn_cast_or_null<func::ReturnOp>(terminator)) {
      func.setType(
          FunctionType::get(&getContext(), func.getArgumentTypes(), ret.getOperandTypes()));
    }
  }
};

} // namespace
