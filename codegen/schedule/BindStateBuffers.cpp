//===- BindStateBuffers.cpp - State results become in-place arguments -----===//
//
// An entry function states an update of runtime-owned state (a KV cache) as
// value semantics: the old contents come in as an argument, the new ones go
// out as a result. The runtime has one buffer per state, so the plan can
// only hold the update if bufferization wrote it into the argument's buffer.
// This pass checks exactly that and drops the then-redundant result.
//
//===----------------------------------------------------------------------===//
#include "codegen/schedule/Passes.h"
#include "codegen/schedule/Schedule.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/BitVector.h"

namespace mlir::tern {
#define GEN_PASS_DEF_BINDSTATEBUFFERSPASS
#include "codegen/schedule/Passes.h.inc"

namespace {

Value stripCasts(Value value) {
  while (auto cast = value.getDefiningOp<memref::CastOp>())
    value = cast.getSource();
  return value;
}

LogicalResult bindStateResults(func::FuncOp func) {
  // The dialect verified that state arguments are named once and that each
  // state result has its argument (ir/Contract.h).
  llvm::StringMap<BlockArgument> stateArgs;
  for (BlockArgument arg : func.getArguments())
    if (auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), kStateAttr))
      stateArgs[name.getValue()] = arg;
  auto ret = cast<func::ReturnOp>(func.front().getTerminator());
  llvm::BitVector drop(func.getNumResults());
  for (unsigned i = 0, e = func.getNumResults(); i < e; ++i) {
    auto name = func.getResultAttrOfType<StringAttr>(i, kStateAttr);
    if (!name)
      continue;
    auto it = stateArgs.find(name.getValue());
    assert(it != stateArgs.end() && "the dialect verifies that a state result has its argument");
    if (stripCasts(ret.getOperand(i)) != it->second)
      return func.emitOpError() << "cannot update state '" << name.getValue()
                                << "' in place: result #" << i << " is not computed in argument #"
                                << it->second.getArgNumber()
                                << "'s buffer (the old contents must not be read after the update)";
    drop.set(i);
  }
  if (drop.none())
    return success();
  ret->eraseOperands(drop);
  return func.eraseResults(drop);
}

/// The runtime has one buffer per state name, so every entry function that
/// names a state must give it the same type.
LogicalResult checkStateTypes(ModuleOp module) {
  llvm::StringMap<std::pair<Type, func::FuncOp>> seen;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (!func.isPublic() || func.isExternal())
      continue;
    for (BlockArgument arg : func.getArguments()) {
      auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), kStateAttr);
      if (!name)
        continue;
      auto [it, inserted] = seen.try_emplace(name.getValue(), arg.getType(), func);
      if (!inserted && it->second.first != arg.getType())
        return func.emitOpError() << "has state '" << name.getValue() << "' of type "
                                  << arg.getType() << ", but @" << it->second.second.getSymName()
                                  << " has it as " << it->second.first;
    }
  }
  return success();
}

struct BindStateBuffersPass final : impl::BindStateBuffersPassBase<BindStateBuffersPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal() && failed(bindStateResults(func)))
        return signalPassFailure();
    if (failed(checkStateTypes(getOperation())))
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::tern
