//===- Passes.h - Lowering tern to linalg -----------------------*- C++ -*-===//
#ifndef TERN_CODEGEN_LINALG_PASSES_H
#define TERN_CODEGEN_LINALG_PASSES_H

#include "ir/TernDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::tern {

#define GEN_PASS_DECL
#include "codegen/linalg/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "codegen/linalg/Passes.h.inc"

} // namespace mlir::tern

#endif // TERN_CODEGEN_LINALG_PASSES_H
