//===- BufferizeFunctionsInOrder.cpp - Reproducible bufferization ---------===//
//
// One-shot module bufferization takes the functions that call nothing in the
// order a DenseMap keyed by their addresses iterates them, so the module's
// functions are handed to it one at a time instead, the others parked in a
// module of their own meanwhile. The globals it creates for constants stay
// in the module, where the next function's bufferization finds and reuses
// them.
//
//===----------------------------------------------------------------------===//
#include "codegen/schedule/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Pass/PassManager.h"

namespace mlir::tern {
#define GEN_PASS_DEF_BUFFERIZEFUNCTIONSINORDERPASS
#include "codegen/schedule/Passes.h.inc"

namespace {

struct BufferizeFunctionsInOrderPass final
    : impl::BufferizeFunctionsInOrderPassBase<BufferizeFunctionsInOrderPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    OpPassManager bufferize(ModuleOp::getOperationName());
    bufferization::OneShotBufferizePassOptions options;
    options.bufferizeFunctionBoundaries = true;
    options.functionBoundaryTypeConversion = bufferization::LayoutMapOption::IdentityLayoutMap;
    bufferize.addPass(bufferization::createOneShotBufferizePass(options));

    SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    bool calls = module.walk([](func::CallOp) { return WalkResult::interrupt(); }).wasInterrupted();
    if (functions.size() < 2 || calls) {
      if (failed(runPipeline(bufferize, module)))
        signalPassFailure();
      return;
    }

    OpBuilder builder(module.getContext());
    OwningOpRef<ModuleOp> parked = ModuleOp::create(builder, module.getLoc());
    Block *parking = parked->getBody();
    for (func::FuncOp function : functions)
      function->moveBefore(parking, parking->end());
    bool failedAny = false;
    for (func::FuncOp function : functions) {
      function->moveBefore(module.getBody(), module.getBody()->end());
      failedAny |= failed(runPipeline(bufferize, module));
      function->moveBefore(parking, parking->end());
    }
    // Back in their order, after the globals.
    for (func::FuncOp function : functions)
      function->moveBefore(module.getBody(), module.getBody()->end());
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::tern
