//===- Passes.h - Lowering tern to linalg -----------------------*- C++ -*-===//
#ifndef TERN_CODEGEN_LINALG_PASSES_H
#define TERN_CODEGEN_LINALG_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::tern {

#define GEN_PASS_DECL
#include "codegen/linalg/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "codegen/linalg/Passes.h.inc"

} // namespace mlir::tern

#endif // TERN_CODEGEN_LINALG_PASSES_H
