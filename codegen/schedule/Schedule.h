//===- Schedule.h - The scheduled, bufferized form of a module ---*- C++ -*-===//
//
// After tern-outline-kernels a module holds entry functions (the schedule:
// allocations, weights, dispatches) and a nested module @kernels. These
// helpers are shared by the passes that build that form and by the plan
// builder that reads it; the attributes they exchange are in ir/Contract.h.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_CODEGEN_SCHEDULE_SCHEDULE_H
#define TERN_CODEGEN_SCHEDULE_SCHEDULE_H

#include "ir/Contract.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/IRMapping.h"

#include <optional>

namespace mlir::tern {

/// Name of the nested module that holds the kernels.
inline constexpr llvm::StringLiteral kKernelsModuleName = "kernels";
/// The module @kernels nested in `module`, or null.
ModuleOp getKernelsModule(ModuleOp module);
/// The module @kernels nested in `module`, created at its end if missing.
ModuleOp getOrCreateKernelsModule(ModuleOp module);

/// Follows view ops (reshapes, subviews, casts) back to the buffer they view.
Value getRootBuffer(Value value);

/// Clones into `builder` the chain of view and constant ops that defines
/// `value`, unless `mapping` already maps it; fails (with an error at the
/// value) on anything else, which a kernel cannot capture.
LogicalResult cloneViewOrConstant(OpBuilder &builder, Value value, IRMapping &mapping);

/// Bytes a statically shaped memref occupies (sub-byte elements take a
/// byte each, as the LLVM lowering stores them); nullopt when dynamic or on
/// overflow.
std::optional<uint64_t> getStaticByteSize(MemRefType type);

} // namespace mlir::tern

#endif // TERN_CODEGEN_SCHEDULE_SCHEDULE_H
