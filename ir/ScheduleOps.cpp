//===- ScheduleOps.cpp - tern.dispatch ------------------------------------===//
#include "ir/TernOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace mlir::tern;

LogicalResult DispatchOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  Operation *callee =
      symbolTable.lookupSymbolIn((*this)->getParentOfType<ModuleOp>(), getKernelAttr());
  if (!callee || !isa<FunctionOpInterface>(callee))
    return emitOpError() << "kernel " << getKernelAttr() << " is not a function";
  auto func = dyn_cast<func::FuncOp>(callee);
  if (!func)
    return success(); // lowered: the signature is the target's now
  if (TypeRange(func.getFunctionType().getInputs()) != TypeRange(getBuffers().getTypes()) ||
      func.getNumResults() != 0)
    return emitOpError() << "buffer types (" << getBuffers().getTypes()
                         << ") do not match the kernel's signature " << func.getFunctionType();
  return success();
}
