//===- Schedule.h - The scheduled, bufferized form of a module ---*- C++ -*-===//
//
// After tern-outline-kernels a module holds entry functions (the schedule:
// allocations, weights, dispatches) and a nested module @kernels. These
// helpers and attribute names are shared by the passes that build that form
// and by the plan builder that reads it.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_CODEGEN_SCHEDULE_H
#define TERN_CODEGEN_SCHEDULE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/IRMapping.h"

#include <optional>

namespace mlir::tern {

/// Name of the nested module that holds the kernels.
inline constexpr llvm::StringLiteral kKernelsModuleName = "kernels";
/// Byte offset of an allocation in the arena (on memref.alloc).
inline constexpr llvm::StringLiteral kArenaOffsetAttr = "tern.arena_offset";
/// Arena bytes an entry function needs (on the entry function).
inline constexpr llvm::StringLiteral kArenaSizeAttr = "tern.arena_size";
/// The most allocation bytes live at once (on the entry function).
inline constexpr llvm::StringLiteral kArenaLivePeakAttr = "tern.arena_live_peak";
/// On an entry function's argument (and result, before tern-bind-state-buffers):
/// the name of the runtime-owned state it is.
inline constexpr llvm::StringLiteral kStateAttr = "tern.state";

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

#endif // TERN_CODEGEN_SCHEDULE_H
