//===- TernOps.h - Tern ops -------------------------------------*- C++ -*-===//
#ifndef TERN_IR_TERNOPS_H
#define TERN_IR_TERNOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "ir/ShapeUtils.h"
#include "ir/TernDialect.h"

#include "ir/TernInterfaces.h.inc"

#define GET_OP_CLASSES
#include "ir/TernOps.h.inc"

#endif // TERN_IR_TERNOPS_H
