//===- MarkInputsReadOnly.cpp - Inputs are the caller's, never written ----===//
//
// The runtime binds an entry function's inputs to the caller's buffers (the
// C++ API takes them as `const void *`), and a caller may run a plan twice on
// the same inputs. One-shot bufferization takes function arguments as
// writable unless told otherwise, and would then do an in-place update (a
// scatter into an input, say) in the caller's buffer. Marked read-only, an
// input that an op would update is copied first. States stay writable:
// updating them in place is their point.
//
//===----------------------------------------------------------------------===//
#include "codegen/schedule/Passes.h"
#include "codegen/schedule/Schedule.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::tern {
#define GEN_PASS_DEF_MARKINPUTSREADONLYPASS
#include "codegen/schedule/Passes.h.inc"

namespace {

struct MarkInputsReadOnlyPass final : impl::MarkInputsReadOnlyPassBase<MarkInputsReadOnlyPass> {
  void runOnOperation() override {
    auto readOnly = BoolAttr::get(&getContext(), false);
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal() || !func.isPublic())
        continue;
      for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
        if (isa<TensorType>(func.getArgumentTypes()[i]) && !func.getArgAttr(i, kStateAttr))
          func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName, readOnly);
    }
  }
};

} // namespace
} // namespace mlir::tern
