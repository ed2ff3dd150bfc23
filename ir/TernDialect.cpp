//===- TernDialect.cpp - The tern dialect ---------------------------------===//
#include "ir/TernDialect.h"

#include "ir/Contract.h"
#include "ir/TernOps.h"

using namespace mlir;
using namespace mlir::tern;

#include "ir/TernDialect.cpp.inc"

void TernDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "ir/TernOps.cpp.inc"
      >();
}

Operation *TernDialect::materializeConstant(OpBuilder &builder, Attribute value, Type type,
                                            Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}

LogicalResult TernDialect::verifyOperationAttribute(Operation *op, NamedAttribute attribute) {
  return verifyContractAttribute(op, attribute);
}

LogicalResult TernDialect::verifyRegionArgAttribute(Operation *op, unsigned regionIndex,
                                                    unsigned argIndex, NamedAttribute attribute) {
  return verifyContractArgAttribute(op, argIndex, attribute);
}

LogicalResult TernDialect::verifyRegionResultAttribute(Operation *op, unsigned regionIndex,
                                                       unsigned resultIndex,
                                                       NamedAttribute attribute) {
  return verifyContractResultAttribute(op, resultIndex, attribute);
}
