//===- MoEDispatch.h - Routing choices grouped by expert --------*- C++ -*-===//
//
// tern.moe_experts computes the rows routed to one expert together, in
// blocks of rows that share the expert's weights (as vLLM's fused_moe and
// DeepGEMM's contiguous layout do). The dispatch says where each routing
// choice's row goes in that expert-sorted, block-padded order; it is built
// from the routing's expert indices with static shapes only, so that the
// same lowering serves the host and GPUs and no count leaves the device.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_CODEGEN_LINALG_MOEDISPATCH_H
#define TERN_CODEGEN_LINALG_MOEDISPATCH_H

#include "mlir/IR/Builders.h"

namespace mlir::tern {

/// Routing choices of T tokens, k each, over E experts, in blocks of
/// `blockRows`: expert x's c_x choices fill ceil(c_x / blockRows) blocks,
/// experts in order, each expert's choices in (token, choice) order, so
/// the layout is deterministic. At most ceil(T k / blockRows) + min(E, T k)
/// blocks are used: `blocks` is that bound, and the blocks past the used
/// ones have no expert.
struct MoEDispatch {
  int64_t blockRows = 1, blocks = 0;
  /// i64 [T, k]: the row (block * blockRows + place) of each choice.
  Value position;
  /// i64 [blocks]: each block's expert, or -1 for an unused block.
  Value blockExpert;
  /// i64 [blocks * blockRows]: the token each row reads (0 for the rows
  /// that pad a block: computed, never read).
  Value rowToken;
};

/// The most bytes of one block's per-row intermediates (gate and up side by
/// side): the kernels keep them as scratch of one parallel iteration, which
/// tern-kernel-scratch-to-stack bounds by the same number (its max-bytes).
inline constexpr int64_t kMoEBlockScratchBytes = 65536;

/// The rows per block for T k choices over E experts: about the rows an
/// expert gets on average (a power of two, 1 to 8), so that a block rarely
/// computes rows nobody reads; and few enough that the block's
/// intermediates, `rowBytes` per row, fit kMoEBlockScratchBytes (DeepSeek's
/// experts: 4 rows of 2 x 1408 or 2 x 2048 f32).
int64_t pickMoEBlockRows(int64_t choices, int64_t experts, int64_t rowBytes);

/// Builds the dispatch of `indices` (integer [T, k]; out-of-range indices
/// are clamped as normalizeIndex does) over `experts` experts as linalg ops
/// on tensors.
MoEDispatch buildMoEDispatch(OpBuilder &b, Location loc, Value indices, int64_t experts,
                             int64_t blockRows);

} // namespace mlir::tern

#endif // TERN_CODEGEN_LINALG_MOEDISPATCH_H
