//===- DispatchHostTasks.cpp - Task calls -> the runtime's thread pool ----===//
//
// On the LLVM dialect, after tern-outline-host-tasks and the conversion to
// LLVM: every kernel takes the runtime's context as a last parameter
// (target/HostAbi.h), and each call of a task over a range becomes
//
//   args = [each parameter in an 8-byte slot]
//   context->parallelFor(context, @task_packed, args, begin, end)
//
// where @task_packed(args, begin, end) loads the parameters back and calls
// the task, which LLVM then inlines into it.
//
//===----------------------------------------------------------------------===//
#include "codegen/kernels/Passes.h"
#include "ir/Contract.h"
#include "target/HostAbi.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::tern {
#define GEN_PASS_DEF_DISPATCHHOSTTASKSPASS
#include "codegen/kernels/Passes.h.inc"

namespace {

/// @name_packed(args: ptr, begin: i64, end: i64): task(args[0], ..., begin, end).
LLVM::LLVMFuncOp createPackedTask(LLVM::LLVMFuncOp task, SymbolTable &symbols) {
  MLIRContext *context = task.getContext();
  Location loc = task.getLoc();
  auto ptr = LLVM::LLVMPointerType::get(context);
  auto i64 = IntegerType::get(context, 64);
  OpBuilder b(task);
  b.setInsertionPointAfter(task);
  auto packed = LLVM::LLVMFuncOp::create(
      b, loc, (task.getSymName() + "_packed").str(),
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context), {ptr, i64, i64}),
      LLVM::Linkage::Internal);
  symbols.insert(packed);
  Block *entry = packed.addEntryBlock(b);
  b.setInsertionPointToStart(entry);
  ArrayRef<Type> params = task.getFunctionType().getParams();
  SmallVector<Value> operands;
  for (auto [slot, type] : llvm::enumerate(params.drop_back(2))) {
    Value address = LLVM::GEPOp::create(b, loc, ptr, i64, entry->getArgument(0),
                                        ArrayRef<LLVM::GEPArg>{int32_t(slot)});
    operands.push_back(LLVM::LoadOp::create(b, loc, type, address));
  }
  operands.push_back(entry->getArgument(1));
  operands.push_back(entry->getArgument(2));
  LLVM::CallOp::create(b, loc, task, operands);
  LLVM::ReturnOp::create(b, loc, ValueRange{});
  return packed;
}

/// Appends the context parameter to a kernel; returns it.
Value addContextParameter(LLVM::LLVMFuncOp kernel) {
  auto ptr = LLVM::LLVMPointerType::get(kernel.getContext());
  LLVM::LLVMFunctionType type = kernel.getFunctionType();
  SmallVector<Type> params(type.getParams());
  params.push_back(ptr);
  kernel.setFunctionType(LLVM::LLVMFunctionType::get(type.getReturnType(), params));
  return kernel.front().addArgument(ptr, kernel.getLoc());
}

/// Replaces `call`, a kernel's call of a task over [begin, end), with the
/// runtime's parallelFor over the same range.
void dispatch(LLVM::CallOp call, LLVM::LLVMFuncOp packed, Value context) {
  MLIRContext *ctx = call.getContext();
  Location loc = call.getLoc();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  auto i64 = IntegerType::get(ctx, 64);
  auto kernel = call->getParentOfType<LLVM::LLVMFuncOp>();
  OpBuilder b(call);
  ValueRange operands = call.getArgOperands();
  ValueRange parameters = operands.drop_back(2);
  // The slots live in the kernel's frame, which outlasts the parallelFor.
  Value args;
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&kernel.front());
    Value slots = LLVM::ConstantOp::create(b, loc, i64, std::max<int64_t>(parameters.size(), 1));
    args = LLVM::AllocaOp::create(b, loc, ptr, i64, slots, /*alignment=*/8);
  }
  for (auto [slot, value] : llvm::enumerate(parameters)) {
    Value address =
        LLVM::GEPOp::create(b, loc, ptr, i64, args, ArrayRef<LLVM::GEPArg>{int32_t(slot)});
    LLVM::StoreOp::create(b, loc, value, address);
  }
  Value field =
      LLVM::GEPOp::create(b, loc, ptr, ptr, context,
                          ArrayRef<LLVM::GEPArg>{int32_t(::tern::kHostContextParallelForField)});
  Value parallelFor = LLVM::LoadOp::create(b, loc, ptr, field);
  Value task = LLVM::AddressOfOp::create(b, loc, packed);
  auto calleeType =
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptr, ptr, ptr, i64, i64});
  LLVM::CallOp::create(
      b, loc, calleeType,
      ValueRange{parallelFor, context, task, args, operands[operands.size() - 2], operands.back()});
  call.erase();
}

struct DispatchHostTasksPass final : impl::DispatchHostTasksPassBase<DispatchHostTasksPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    llvm::DenseMap<StringAttr, LLVM::LLVMFuncOp> packedTasks;
    SmallVector<LLVM::LLVMFuncOp> kernels;
    for (auto func : llvm::to_vector(module.getOps<LLVM::LLVMFuncOp>())) {
      if (func.isExternal())
        continue;
      if (!func->hasAttr(kHostTaskAttr)) {
        kernels.push_back(func);
        continue;
      }
      if (func.getNumArguments() < 2 ||
          !llvm::all_of(func.getFunctionType().getParams().take_back(2),
                        [](Type type) { return type.isInteger(64); })) {
        func.emitOpError() << "is a host task but does not end with its range (i64 begin, end)";
        return signalPassFailure();
      }
      func.setLinkage(LLVM::Linkage::Internal);
      packedTasks[func.getSymNameAttr()] = createPackedTask(func, symbols);
    }
    for (LLVM::LLVMFuncOp kernel : kernels) {
      Value context = addContextParameter(kernel);
      SmallVector<LLVM::CallOp> calls;
      kernel.walk([&](LLVM::CallOp call) {
        if (std::optional<StringRef> callee = call.getCallee())
          if (packedTasks.count(StringAttr::get(call.getContext(), *callee)))
            calls.push_back(call);
      });
      for (LLVM::CallOp call : calls)
        dispatch(call, packedTasks.lookup(StringAttr::get(call.getContext(), *call.getCallee())),
                 context);
    }
  }
};

} // namespace
} // namespace mlir::tern
