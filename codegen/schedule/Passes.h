//===- Passes.h - Scheduling passes -----------------------------*- C++ -*-===//
#ifndef TERN_CODEGEN_SCHEDULE_PASSES_H
#define TERN_CODEGEN_SCHEDULE_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::tern {

#define GEN_PASS_DECL
#include "codegen/schedule/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "codegen/schedule/Passes.h.inc"

} // namespace mlir::tern

#endif // TERN_CODEGEN_SCHEDULE_PASSES_H
