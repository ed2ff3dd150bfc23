//===- SplitAttention.h - Latent attention over visible positions -*- C++ -*-===//
//
// Decoding attends each query to the positions its sequence holds, not to
// every position the cache could hold: the cached positions are cut into
// chunks, a fixed number of splits take the chunks round robin, each split
// runs an online softmax over its chunks up to its query's last position
// (FlashDecoding's split KV), and a combine weighs the splits' partial sums.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_CODEGEN_LINALG_SPLITATTENTION_H
#define TERN_CODEGEN_LINALG_SPLITATTENTION_H

#include "mlir/IR/Builders.h"

namespace mlir::tern {

/// The cached positions tern.mla_attention reads: a cache [B, S, W], or a
/// pool of blocks [blocks, P, W] with a block table [B, S / P].
struct LatentCache {
  Value cache;
  Value blockTable;
  int64_t positions = 0;
};

/// The most splits of one query's positions: the iterations threads share
/// (with one sequence, one split per thread and more to balance).
inline constexpr int64_t kMaxAttentionSplits = 8;

/// mixed[b, h, l] = sum over s <= last[b] of softmax_s(scores[b, h, s]) *
/// cache[b, s, l] for l < `latent`, where scores[b, h, s] = query[b, h] .
/// cache[b, s] * scale (+ mask[b, h, s], broadcast, when given), in the
/// query's element type (f32). `lastPositions` [B] is clamped into [0, S).
/// Positions after a query's last one are not read.
Value buildSplitLatentAttention(OpBuilder &b, Location loc, Value query, const LatentCache &cache,
                                Value lastPositions, Value mask, double scale, int64_t latent);

} // namespace mlir::tern

#endif // TERN_CODEGEN_LINALG_SPLITATTENTION_H
