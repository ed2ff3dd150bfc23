//===- DeduplicateKernels.cpp - One kernel per distinct body --------------===//
//
// A model's layers repeat: every decoder layer of a DeepSeek checkpoint with
// the same shapes outlines into the same kernels, differing only in their
// names (the weights are buffer arguments). Compiling each copy costs most
// of a large model's code generation (LLVM for the host, PTX for a GPU), so
// identical kernels become one and every dispatch of a copy calls it.
// Bodies are compared structurally, ignoring locations: a dispatch keeps its
// own `source`, so profiles still name the layer that ran.
//
//===----------------------------------------------------------------------===//
#include "codegen/schedule/Passes.h"
#include "codegen/schedule/Schedule.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/OperationSupport.h"
#include "llvm/ADT/MapVector.h"

namespace mlir::tern {
#define GEN_PASS_DEF_DEDUPLICATEKERNELSPASS
#include "codegen/schedule/Passes.h.inc"

namespace {

/// Everything of a kernel but its name: its signature and attributes, and
/// its body without locations.
llvm::hash_code hashKernel(func::FuncOp kernel) {
  llvm::hash_code hash = llvm::hash_value(kernel.getFunctionType().getAsOpaquePointer());
  kernel.getBody().walk([&](Operation *op) {
    hash = llvm::hash_combine(
        hash, OperationEquivalence::computeHash(op, OperationEquivalence::ignoreHashValue,
                                                OperationEquivalence::ignoreHashValue,
                                                OperationEquivalence::IgnoreLocations));
  });
  return hash;
}

bool areIdentical(func::FuncOp a, func::FuncOp b) {
  auto withoutName = [](func::FuncOp kernel) {
    NamedAttrList attrs(kernel->getAttrDictionary());
    attrs.erase(SymbolTable::getSymbolAttrName());
    return attrs.getDictionary(kernel.getContext());
  };
  return a.getFunctionType() == b.getFunctionType() && withoutName(a) == withoutName(b) &&
         OperationEquivalence::isRegionEquivalentTo(&a.getBody(), &b.getBody(),
                                                    OperationEquivalence::IgnoreLocations);
}

struct DeduplicateKernelsPass final
    : impl::DeduplicateKernelsPassBase<DeduplicateKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    ModuleOp kernels = getKernelsModule(module);
    if (!kernels)
      return;
    // The first kernel of each body, by hash; then what each copy becomes.
    llvm::DenseMap<llvm::hash_code, SmallVector<func::FuncOp, 1>> firsts;
    llvm::DenseMap<StringAttr, StringAttr> replacements;
    SmallVector<func::FuncOp> copies;
    for (auto kernel : kernels.getOps<func::FuncOp>()) {
      if (kernel.isExternal())
        continue;
      SmallVector<func::FuncOp, 1> &candidates = firsts[hashKernel(kernel)];
      auto first = llvm::find_if(candidates, [&](func::FuncOp candidate) {
        return areIdentical(candidate, kernel);
      });
      if (first == candidates.end()) {
        candidates.push_back(kernel);
        continue;
      }
      replacements[kernel.getSymNameAttr()] = first->getSymNameAttr();
      copies.push_back(kernel);
    }
    if (copies.empty())
      return;
    module.walk([&](DispatchOp dispatch) {
      SymbolRefAttr callee = dispatch.getKernel();
      if (StringAttr first = replacements.lookup(callee.getLeafReference()))
        dispatch.setKernelAttr(SymbolRefAttr::get(callee.getRootReference(),
                                                  {FlatSymbolRefAttr::get(first)}));
    });
    for (func::FuncOp copy : copies)
      copy.erase();
  }
};

} // namespace
} // namespace mlir::tern
