//===- TernDialect.h - The tern dialect -------------------------*- C++ -*-===//
#ifndef TERN_IR_TERNDIALECT_H
#define TERN_IR_TERNDIALECT_H

#include "mlir/Dialect/SCF/IR/DeviceMappingInterface.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"

#include "ir/TernDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "ir/TernAttrs.h.inc"

#endif // TERN_IR_TERNDIALECT_H
