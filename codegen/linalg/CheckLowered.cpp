//===- CheckLowered.cpp - No tern op left after the lowering --------------===//
#include "codegen/linalg/Passes.h"

#include "ir/TernDialect.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::tern {
#define GEN_PASS_DEF_CHECKLOWEREDTOLINALGPASS
#include "codegen/linalg/Passes.h.inc"

namespace {

struct CheckLoweredToLinalgPass final
    : impl::CheckLoweredToLinalgPassBase<CheckLoweredToLinalgPass> {
  void runOnOperation() override {
    bool lowered = true;
    getOperation().walk([&](Operation *op) {
      if (!isa<TernDialect>(op->getDialect()))
        return;
      bool dynamic = llvm::any_of(op->getResultTypes(), [](Type type) {
        auto shaped = dyn_cast<ShapedType>(type);
        return shaped && !shaped.hasStaticShape();
      });
      op->emitError() << "'" << op->getName() << "' has no lowering to linalg yet"
                      << (dynamic ? " for dynamic shapes (pin them with --dim)" : "");
      lowered = false;
    });
    if (!lowered)
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::tern
