//===- KernelFormationRules.h - What goes into one kernel -------*- C++ -*-===//
//
// Tern's rules for which producer joins its consumer's kernel, decided on
// linalg ops on tensors before bufferization (tern-form-kernels applies
// them). Upstream's default, any single-use elementwise producer into any
// generic, recomputes a producer once per element of the dimensions its
// consumer broadcasts it over: an activation fused into a matmul is
// recomputed N times. These rules only recompute what is a conversion of
// weights, which is the point of fusing it (no widened weight is written).
//
//===----------------------------------------------------------------------===//
#ifndef TERN_CODEGEN_SCHEDULE_KERNELFORMATIONRULES_H
#define TERN_CODEGEN_SCHEDULE_KERNELFORMATIONRULES_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include "llvm/ADT/SetVector.h"

#include <optional>

namespace mlir::tern {

/// Why a producer joins its consumer's kernel, or None.
enum class KernelFusion {
  None,
  /// An elementwise producer of an elementwise consumer.
  ElementwiseChain,
  /// An elementwise producer of a reduction that reads each of its elements
  /// once (the squares of an RMSNorm into their sum).
  ReductionInput,
  /// An elementwise function of constants only (a widening cast or a block
  /// dequantization of a weight) into the contraction or reduction reading
  /// it: converted in registers, recomputed per use.
  WeightConversion,
};

/// A row chain: a reduction over some dimensions of its input (a row's max,
/// sum or sum of squares), the elementwise ops on the same rows around it
/// and an elementwise op that reads its result (a softmax, an RMSNorm). It
/// becomes one kernel iterating over the rows, each row computed whole.
struct RowChain {
  /// The elementwise op the chain ends with.
  linalg::GenericOp root;
  /// For each of the root's loops, whether it iterates over rows (tiled by
  /// one) rather than within a row.
  SmallVector<bool> rowLoops;
  /// The producers that join it: reductions over a row, elementwise ops and
  /// fills, each used only inside the chain.
  llvm::SetVector<Operation *> members;
};

/// The row chain `root` ends, if it ends one.
std::optional<RowChain> getRowChain(linalg::GenericOp root);

/// The rule that fuses `operand`'s producer into its owner, if any. Both
/// must be linalg.generic ops on tensors and the producer elementwise with
/// no other use.
KernelFusion getKernelFusion(OpOperand &operand);

/// "elementwise-chain", "reduction-input", "weight-conversion" or "none".
llvm::StringRef getKernelFusionName(KernelFusion fusion);

} // namespace mlir::tern

#endif // TERN_CODEGEN_SCHEDULE_KERNELFORMATIONRULES_H
