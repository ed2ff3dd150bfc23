//===- TernDialect.h - The tern dialect -------------------------*- C++ -*-===//
#ifndef TERN_IR_TERNDIALECT_H
#define TERN_IR_TERNDIALECT_H

#include "mlir/IR/Dialect.h"

#include "ir/TernDialect.h.inc"

#endif // TERN_IR_TERNDIALECT_H
