//===- TernDialect.h - The tern dialect -------------------------*- C++ -*-===//
#ifndef TERN_IR_TERNDIALECT_H
#define TERN_IR_TERNDIALECT_H

#include "mlir/Dialect/SCF/IR/DeviceMappingInterface.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"

#include "ir/TernDialect.h.inc"

namespace mlir::tern {
/// Marks ops that compute in f32 whatever their storage type (TernDialect.td).
template <typename ConcreteType>
class ComputesInF32 : public OpTrait::TraitBase<ConcreteType, ComputesInF32> {};
} // namespace mlir::tern

#define GET_ATTRDEF_CLASSES
#include "ir/TernAttrs.h.inc"

#endif // TERN_IR_TERNDIALECT_H
