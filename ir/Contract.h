//===- Contract.h - Attributes the stages of Tern exchange ------*- C++ -*-===//
//
// The discardable attributes the importers write, the passes read and
// rewrite, and the plan builder turns into the manifest, declared once. The
// dialect verifies those with rules (TernDialect::verifyOperationAttribute
// and its argument/result hooks): a state's argument and result agree,
// names are unique, sizes are non-negative. The entry-point attributes are
// in EntryPoints.h.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_IR_CONTRACT_H
#define TERN_IR_CONTRACT_H

#include "mlir/IR/Operation.h"

#include "llvm/ADT/StringRef.h"

namespace mlir::tern {

/// On the module: the --target it is compiled for (target/Target.h names).
inline constexpr llvm::StringLiteral kTargetAttr = "tern.target";
/// On the module: the float type activations are stored in between ops
/// (tern-narrow-activations, ternc --precision), "bf16"; absent: as
/// imported, f32.
inline constexpr llvm::StringLiteral kPrecisionAttr = "tern.precision";
/// On the module: how an imported checkpoint's projection weights are
/// stored (ternc --weights), "fp8-block" or "bf16"; absent: as the
/// checkpoint stores them.
inline constexpr llvm::StringLiteral kWeightsAttr = "tern.weights";
/// On the module: how the activations of products with block-quantized
/// weights are quantized at run time (tern-quantize-activations, ternc
/// --fp8-activations): "fp8-block", FP8 E4M3 in 1 x (the weight's K block)
/// blocks; absent: not quantized.
inline constexpr llvm::StringLiteral kActivationsAttr = "tern.activations";
inline constexpr llvm::StringLiteral kFp8BlockActivations = "fp8-block";
/// On an entry function's argument or result: the name a caller passes or
/// receives it by (the ONNX graph input, "input_ids", "logits").
inline constexpr llvm::StringLiteral kNameAttr = "tern.name";
/// On an entry function's integer argument compiled for one value (ternc
/// --input-value): that value, an integer elements attribute of the
/// argument's shape and element type. The plan records it and the runtime
/// refuses any other.
inline constexpr llvm::StringLiteral kInputValueAttr = "tern.input_value";
/// On an entry function's signless integer argument or result (a unit
/// attribute): the caller's elements are unsigned integers of that width
/// (tern-signless-integers retyped them); plans record unsigned dtypes.
inline constexpr llvm::StringLiteral kUnsignedAttr = "tern.unsigned";
/// On an entry function's argument and the result that returns it updated
/// (before tern-bind-state-buffers): the name of the runtime-owned state
/// it is (a KV cache).
inline constexpr llvm::StringLiteral kStateAttr = "tern.state";
/// On a memref.alloc of the schedule: its byte offset in the arena.
inline constexpr llvm::StringLiteral kArenaOffsetAttr = "tern.arena_offset";
/// On an entry function of the schedule: arena bytes it needs.
inline constexpr llvm::StringLiteral kArenaSizeAttr = "tern.arena_size";
/// On an entry function of the schedule: the most allocation bytes live at
/// once.
inline constexpr llvm::StringLiteral kArenaLivePeakAttr = "tern.arena_live_peak";
/// On a function of the host's @kernels module (a unit attribute): a task,
/// one of a kernel's parallel loops over a range of its iterations, which the
/// kernel hands to the runtime's threads (tern-outline-host-tasks,
/// tern-dispatch-host-tasks).
inline constexpr llvm::StringLiteral kHostTaskAttr = "tern.host_task";

/// The dialect's check of a tern attribute on an operation: the target, the
/// arena sizes, the entry-point attributes; unknown tern attributes are
/// errors.
LogicalResult verifyContractAttribute(Operation *op, NamedAttribute attribute);
/// The check of a tern attribute on argument `index` of a function: names
/// and states are non-empty strings, unique among inputs (and among
/// outputs, the arguments bufferization made of results); an input value
/// has the argument's shape and element type.
LogicalResult verifyContractArgAttribute(Operation *op, unsigned index, NamedAttribute attribute);
/// The check of a tern attribute on result `index` of a function: as for
/// arguments, and a state result has an argument of the same state and type.
LogicalResult verifyContractResultAttribute(Operation *op, unsigned index,
                                            NamedAttribute attribute);

} // namespace mlir::tern

#endif // TERN_IR_CONTRACT_H
