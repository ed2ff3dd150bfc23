//===- OutlineKernels.cpp - Compute ops into kernels, entries into schedules ===//
//
// After bufferization an entry function mixes three things: buffers
// (allocations, weights, arguments), views of them, and compute ops. This
// pass moves each compute op into a kernel function of the nested module
// @kernels, which takes root buffers only and rebuilds the views inside, so
// that a launch is "kernel k on buffers b0..bn" and nothing else.
//
//===----------------------------------------------------------------------===//
#include "codegen/schedule/Passes.h"
#include "codegen/schedule/Schedule.h"
#include "ir/TernOps.h"

#include "ir/TernDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/StringExtras.h"

#include <set>

namespace mlir::tern {
#define GEN_PASS_DEF_OUTLINEKERNELSPASS
#include "codegen/schedule/Passes.h.inc"

namespace {

/// Ops that stay in the schedule: they name or reshape buffers, and compute
/// nothing.
bool isScheduleOp(Operation *op) {
  return isa<memref::AllocOp, memref::GetGlobalOp, func::ReturnOp, DispatchOp, ViewLikeOpInterface>(
             op) ||
         op->hasTrait<OpTrait::ConstantLike>();
}

bool isPathSeparator(char c) { return c == '.' || c == '/'; }

/// Which part of the model `op` computes: the names its ops' locations carry
/// (a checkpoint's module paths, ONNX node names) reduced to their longest
/// common prefix of whole components, or a short list of them when they
/// share none; empty when no op is named. Only computations count:
/// constants, allocations and views are shared and reused between unrelated
/// ops (CSE, folding, bufferization), so their locations are whichever op
/// made them first.
std::string describeSource(Operation *op) {
  std::set<std::string> names;
  op->walk([&](Operation *inner) {
    if (inner->hasTrait<OpTrait::ConstantLike>() ||
        isa<ViewLikeOpInterface, memref::AllocOp, memref::AllocaOp>(inner))
      return;
    inner->getLoc()->walk([&](Location loc) {
      if (auto name = dyn_cast<NameLoc>(loc))
        names.insert(name.getName().str());
      return WalkResult::advance();
    });
  });
  if (names.size() <= 1)
    return names.empty() ? "" : *names.begin();
  // Sorted: the first and last share what all share.
  const std::string &first = *names.begin(), &last = *names.rbegin();
  size_t common = 0;
  while (common < first.size() && common < last.size() && first[common] == last[common])
    ++common;
  auto endsComponent = [&](const std::string &name) {
    return name.size() == common || isPathSeparator(name[common]);
  };
  while (common > 0 && !llvm::all_of(names, endsComponent))
    --common;
  while (common > 0 && isPathSeparator(first[common - 1]))
    --common;
  if (common > 0)
    return first.substr(0, common);
  std::vector<std::string> shown(names.begin(),
                                 std::next(names.begin(), std::min<size_t>(names.size(), 2)));
  std::string list = llvm::join(shown, " + ");
  if (names.size() > shown.size())
    list += " + " + std::to_string(names.size() - shown.size()) + " more";
  return list;
}

/// Builds kernels for one entry function.
class KernelOutliner {
public:
  KernelOutliner(func::FuncOp entry, ModuleOp kernels)
      : entry(entry), kernels(kernels), symbols(kernels) {}

  LogicalResult run() {
    if (!entry.getBody().hasOneBlock())
      return entry.emitOpError("has control flow; entry functions must be one block");
    unsigned index = 0;
    for (Operation &op : llvm::make_early_inc_range(entry.front())) {
      if (isScheduleOp(&op))
        continue;
      if (failed(outline(op, index++)))
        return failure();
    }
    return success();
  }

private:
  LogicalResult outline(Operation &op, unsigned index) {
    if (op.getNumResults() != 0)
      return op.emitOpError("produces a value the schedule would need; only ops that write "
                            "buffers can become kernels");
    // Values the op reads: its operands and whatever its regions capture.
    llvm::SetVector<Value> used(op.operand_begin(), op.operand_end());
    getUsedValuesDefinedAbove(op.getRegions(), used);

    SmallVector<Value> roots;
    for (Value value : used) {
      if (!isa<MemRefType>(value.getType()))
        continue;
      Value root = getRootBuffer(value);
      if (!llvm::is_contained(roots, root))
        roots.push_back(root);
    }

    OpBuilder builder(kernels.getBodyRegion());
    builder.setInsertionPointToEnd(kernels.getBody());
    std::string name =
        (entry.getSymName() + "_" + op.getName().stripDialect() + "_" + llvm::Twine(index)).str();
    std::replace(name.begin(), name.end(), '.', '_');
    auto type = builder.getFunctionType(ValueRange(roots).getTypes(), {});
    auto kernel = func::FuncOp::create(builder, op.getLoc(), name, type);
    symbols.insert(kernel); // renames on a clash

    IRMapping mapping;
    Block *body = kernel.addEntryBlock();
    mapping.map(roots, body->getArguments());
    builder.setInsertionPointToStart(body);
    for (Value value : used)
      if (failed(cloneViewOrConstant(builder, value, mapping)))
        return failure();
    builder.clone(op, mapping);
    func::ReturnOp::create(builder, op.getLoc());
    // Copies, the op itself or inside it (bufferization copies a branch's
    // result into its destination), become linalg ops too, so that every
    // kernel is a loop nest: a GPU has no memrefCopy to call.
    kernel.walk([&](memref::CopyOp copy) {
      OpBuilder copyBuilder(copy);
      linalg::CopyOp::create(copyBuilder, copy.getLoc(), copy.getSource(), copy.getTarget());
      copy.erase();
    });

    OpBuilder scheduleBuilder(&op);
    auto kernelRef = SymbolRefAttr::get(kernels.getSymNameAttr(),
                                        {FlatSymbolRefAttr::get(kernel.getSymNameAttr())});
    std::string source = describeSource(&op);
    DispatchOp::create(scheduleBuilder, op.getLoc(), kernelRef, roots,
                       source.empty() ? StringAttr() : scheduleBuilder.getStringAttr(source));
    op.erase();
    return success();
  }

  func::FuncOp entry;
  ModuleOp kernels;
  SymbolTable symbols;
};

struct OutlineKernelsPass final : impl::OutlineKernelsPassBase<OutlineKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> entries;
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        entries.push_back(func);
    if (entries.empty())
      return;

    ModuleOp kernels = getOrCreateKernelsModule(module);
    for (func::FuncOp entry : entries)
      if (failed(KernelOutliner(entry, kernels).run()))
        return signalPassFailure();
  }
};

} // namespace
} // namespace mlir::tern
