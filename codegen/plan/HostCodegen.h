//===- HostCodegen.h - @kernels (LLVM dialect) -> a shared object -*- C++ -*-===//
#ifndef TERN_CODEGEN_PLAN_HOSTCODEGEN_H
#define TERN_CODEGEN_PLAN_HOSTCODEGEN_H

#include "target/Target.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace mlir::tern {

/// Compiles the kernels module (already in the LLVM dialect) for the host
/// target's CPU and features and links it into an ELF shared object with
/// ld.lld; returns the object's bytes. Each named kernel is exported as
/// `void name(void **buffers)`, taking one pointer per buffer, the
/// convention the host runtime calls.
FailureOr<std::string> buildHostLibrary(ModuleOp kernels,
                                        const std::vector<std::string> &kernelNames,
                                        const ::tern::Target &target);

} // namespace mlir::tern

#endif // TERN_CODEGEN_PLAN_HOSTCODEGEN_H
