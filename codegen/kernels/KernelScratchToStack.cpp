//===- KernelScratchToStack.cpp - Per-iteration buffers on the stack ------===//
#include "codegen/kernels/Passes.h"
#include "codegen/schedule/Schedule.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::tern {
#define GEN_PASS_DEF_KERNELSCRATCHTOSTACKPASS
#include "codegen/kernels/Passes.h.inc"

namespace {

struct KernelScratchToStackPass final
    : impl::KernelScratchToStackPassBase<KernelScratchToStackPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp kernel = getOperation();
    if (kernel.isExternal())
      return;
    SmallVector<memref::AllocOp> scratch;
    kernel.walk([&](memref::AllocOp alloc) {
      if (alloc->getParentOfType<scf::ForallOp>())
        scratch.push_back(alloc);
    });
    for (memref::AllocOp alloc : scratch) {
      std::optional<uint64_t> bytes = getStaticByteSize(alloc.getType());
      if (!bytes || *bytes > uint64_t(maxBytes)) {
        alloc.emitOpError() << "allocates " << alloc.getType()
                            << " in each iteration of a parallel loop; such scratch must have a "
                               "static shape and at most "
                            << int64_t(maxBytes) << " bytes";
        return signalPassFailure();
      }
      OpBuilder builder(alloc);
      if (hoist)
        builder.setInsertionPointToStart(&kernel.front());
      auto stack = memref::AllocaOp::create(builder, alloc.getLoc(), alloc.getType(),
                                            alloc.getAlignmentAttr());
      alloc.replaceAllUsesWith(stack.getResult());
      alloc.erase();
    }
  }
};

} // namespace
} // namespace mlir::tern
