//===- Schedule.cpp - The scheduled, bufferized form of a module ----------===//
#include "codegen/schedule/Schedule.h"

#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::tern {

ModuleOp getKernelsModule(ModuleOp module) {
  for (auto nested : module.getOps<ModuleOp>())
    if (nested.getSymName() == kKernelsModuleName)
      return nested;
  return nullptr;
}

ModuleOp getOrCreateKernelsModule(ModuleOp module) {
  if (ModuleOp kernels = getKernelsModule(module))
    return kernels;
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  return ModuleOp::create(builder, module.getLoc(), kKernelsModuleName);
}

Value getRootBuffer(Value value) {
  while (auto view = value.getDefiningOp<ViewLikeOpInterface>())
    value = view.getViewSource();
  return value;
}

LogicalResult cloneViewOrConstant(OpBuilder &builder, Value value, IRMapping &mapping) {
  if (mapping.contains(value))
    return success();
  Operation *def = value.getDefiningOp();
  if (!def || !(isa<ViewLikeOpInterface>(def) || def->hasTrait<OpTrait::ConstantLike>()))
    return emitError(value.getLoc())
           << "a kernel can only capture buffers, views and constants; this value is computed "
              "outside it";
  for (Value operand : def->getOperands())
    if (failed(cloneViewOrConstant(builder, operand, mapping)))
      return failure();
  builder.clone(*def, mapping);
  return success();
}

std::optional<uint64_t> getStaticByteSize(MemRefType type) {
  if (!type.hasStaticShape() || !type.getElementType().isIntOrFloat())
    return std::nullopt;
  uint64_t bytes = llvm::divideCeil(type.getElementTypeBitWidth(), 8);
  for (int64_t dim : type.getShape()) {
    bool overflow = false;
    bytes = llvm::SaturatingMultiply(bytes, uint64_t(dim), &overflow);
    if (overflow)
      return std::nullopt;
  }
  return bytes;
}

} // namespace mlir::tern
