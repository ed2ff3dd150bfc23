//===- Emit.h - What the compile pipeline's result is written as -*- C++ -*-===//
#ifndef TERN_COMPILER_EMIT_H
#define TERN_COMPILER_EMIT_H

#include "codegen/plan/PlanBuilder.h"
#include "target/Target.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace mlir::tern {

/// The PTX of every GPU module, each under a "// ---- kernel module @name"
/// line (ternc --emit=ptx; tern-run --extract-ptx writes the same).
void printPtxModules(ModuleOp module, llvm::raw_ostream &os);

/// The plan of a module the whole compile pipeline ran on: the manifest
/// with the target's description, the weights, and the code (PTX, or for
/// the host the kernels compiled and linked into a shared object).
/// Errors are reported as diagnostics.
FailureOr<PlanContents> buildPlan(ModuleOp module, const ::tern::Target &target,
                                  llvm::StringRef compilerVersion);

} // namespace mlir::tern

#endif // TERN_COMPILER_EMIT_H
