//===- Registration.h - Dialects, passes and pipelines ----------*- C++ -*-===//
#ifndef TERN_COMPILER_REGISTRATION_H
#define TERN_COMPILER_REGISTRATION_H

#include "mlir/IR/DialectRegistry.h"

namespace mlir::tern {

/// Adds the dialects and external interface models the compile pipeline
/// creates or relies on (bufferization models of arith/linalg/tensor/func,
/// the LLVM conversion interfaces convert-gpu-to-nvvm gathers, translations).
void registerCompilerDialects(DialectRegistry &registry);

/// Registers every Tern pass and pipeline (and the upstream passes tests
/// run beside them) for tern-opt's command line.
void registerCompilerPasses();

} // namespace mlir::tern

#endif // TERN_COMPILER_REGISTRATION_H
