//===- MoEReference.h - MoE routing as plain tern ops -----------*- C++ -*-===//
//
// The routing math of DeepSeek's MoE gates written with ordinary tern ops
// (top-k, scatters, masks): what the HuggingFace importer writes, as the
// reference code computes it, and what tern.moe_route decomposes into where
// no routing kernel exists. One builder for both, so the two cannot drift.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_IR_MOEREFERENCE_H
#define TERN_IR_MOEREFERENCE_H

#include "mlir/IR/Builders.h"

namespace mlir::tern {

/// A router, in the terms of tern.moe_route's attributes (see MoEOps.td).
struct MoERouting {
  bool sigmoid = false; ///< else softmax
  int64_t k = 1;
  /// Experts split into nGroup groups, of which topkGroup are kept; no group
  /// limit (and no mask) when nGroup is 1.
  int64_t nGroup = 1, topkGroup = 1;
  bool groupTop2Sum = false; ///< else the group's max
  float droppedFill = 0.0f;
  /// Experts outside the kept groups weigh droppedFill, not their score.
  bool maskedWeights = false;
  bool normalize = false;
  float normEpsilon = 0.0f;
  float scaling = 1.0f;
};

/// The chosen experts [tokens, k] (i64) and their weights [tokens, k] for
/// router `logits` [tokens, experts] (f32), with the correction bias
/// [experts] or a null value.
std::pair<Value, Value> buildReferenceRouting(OpBuilder &b, Location loc, Value logits, Value bias,
                                              const MoERouting &routing);

} // namespace mlir::tern

#endif // TERN_IR_MOEREFERENCE_H
