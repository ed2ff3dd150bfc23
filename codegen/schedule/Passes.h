//===- Passes.h - Scheduling passes -----------------------------*- C++ -*-===//
#ifndef TERN_CODEGEN_SCHEDULE_PASSES_H
#define TERN_CODEGEN_SCHEDULE_PASSES_H

#include "ir/TernDialect.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::tern {

#define GEN_PASS_DECL
#include "codegen/schedule/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "codegen/schedule/Passes.h.inc"

} // namespace mlir::tern

#endif // TERN_CODEGEN_SCHEDULE_PASSES_H
