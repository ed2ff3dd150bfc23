//===- Passes.h - Kernel lowering passes ------------------------*- C++ -*-===//
#ifndef TERN_CODEGEN_KERNELS_PASSES_H
#define TERN_CODEGEN_KERNELS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::tern {

#define GEN_PASS_DECL
#include "codegen/kernels/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "codegen/kernels/Passes.h.inc"

} // namespace mlir::tern

#endif // TERN_CODEGEN_KERNELS_PASSES_H
