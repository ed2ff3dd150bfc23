//===- Passes.h - Kernel lowering passes ------------------------*- C++ -*-===//
#ifndef TERN_CODEGEN_KERNELS_PASSES_H
#define TERN_CODEGEN_KERNELS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/Pass.h"

namespace mlir::tern {

#define GEN_PASS_DECL
#include "codegen/kernels/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "codegen/kernels/Passes.h.inc"

} // namespace mlir::tern

#endif // TERN_CODEGEN_KERNELS_PASSES_H
