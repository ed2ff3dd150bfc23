//===- TernOps.cpp - Generated op definitions -----------------------------===//
//
// The hand-written parts of the ops live in one file per family
// (ElementwiseOps.cpp, ShapeOps.cpp, ...); this file instantiates what
// TableGen generated.
//
//===----------------------------------------------------------------------===//
#include "ir/TernOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::tern;

#include "ir/TernInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "ir/TernOps.cpp.inc"
