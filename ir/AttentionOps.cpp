//===- AttentionOps.cpp - mla_attention shapes ----------------------------===//
//
// The semantics are in AttentionOps.td; this file checks that the operands
// describe one latent attention and infers its result, [B, H, V].
//
//===----------------------------------------------------------------------===//
#include "ir/TernOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tern;

/// True when static dimensions `a` and `b` differ.
static bool conflicts(int64_t a, int64_t b) {
  return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
}

LogicalResult MLAAttentionOp::inferResultTypes(SmallVectorImpl<Type> &types,
                                               EmitErrorFn emitError) {
  RankedTensorType qNope = getTensorType(getQNope()), qRope = getTensorType(getQRope());
  RankedTensorType cache = getTensorType(getLatentCache()), kvB = getTensorType(getKvB());
  if (qNope.getRank() != 3 || qRope.getRank() != 3 || cache.getRank() != 3)
    return emitError() << "q_nope, q_rope and latent_cache must have rank 3 ([B, H, N], [B, H, "
                          "R], [B, S, L + R]), got shapes "
                       << formatShape(qNope.getShape()) << ", " << formatShape(qRope.getShape())
                       << " and " << formatShape(cache.getShape());
  if (kvB.getRank() != 2)
    return emitError() << "kv_b must have rank 2 ([H * (N + V), L]), got shape "
                       << formatShape(kvB.getShape());
  if (!qNope.hasStaticShape() || !qRope.hasStaticShape() || !kvB.hasStaticShape() ||
      ShapedType::isDynamic(cache.getDimSize(2)))
    return emitError() << "the head count and widths (q_nope, q_rope, kv_b, latent_cache's last "
                          "dimension) must be static";
  int64_t batch = qNope.getDimSize(0), heads = qNope.getDimSize(1);
  int64_t nope = qNope.getDimSize(2), rope = qRope.getDimSize(2);
  int64_t latent = kvB.getDimSize(1);
  if (qRope.getDimSize(0) != batch || qRope.getDimSize(1) != heads)
    return emitError() << "q_rope " << formatShape(qRope.getShape())
                       << " must have the batch and heads of q_nope "
                       << formatShape(qNope.getShape());
  if (Value blockTable = getBlockTable()) {
    RankedTensorType table = getTensorType(blockTable);
    if (table.getRank() != 2 || conflicts(table.getDimSize(0), batch))
      return emitError() << "block_table " << formatShape(table.getShape())
                         << " must be [B, blocks per sequence] with B = " << batch;
  } else if (conflicts(cache.getDimSize(0), batch)) {
    return emitError() << "latent_cache has batch " << cache.getDimSize(0) << " but q_nope has "
                       << batch;
  }
  // After the block table's rank is checked: S counts its blocks.
  int64_t positions = getPositions();
  if (Value last = getLastPositions()) {
    RankedTensorType type = getTensorType(last);
    if (type.getRank() != 1 || conflicts(type.getDimSize(0), batch))
      return emitError() << "last_positions " << formatShape(type.getShape())
                         << " must be [B] with B = " << batch;
  }
  if (cache.getDimSize(2) != latent + rope)
    return emitError() << "latent_cache's last dimension must be L + R = " << latent << " + "
                       << rope << " (kv_b's columns, q_rope's width), got " << cache.getDimSize(2);
  int64_t rowsPerHead = kvB.getDimSize(0) / heads;
  if (kvB.getDimSize(0) % heads != 0 || rowsPerHead <= nope)
    return emitError() << "kv_b's " << kvB.getDimSize(0) << " rows must be " << heads
                       << " heads of N = " << nope << " key rows and at least one value row";
  if (Value maskValue = getMask()) {
    RankedTensorType mask = getTensorType(maskValue);
    if (mask.getElementType() != qNope.getElementType())
      return emitError() << "mask has element type " << mask.getElementType()
                         << " but the queries have " << qNope.getElementType();
    if (!isBroadcastableTo(mask.getShape(), {batch, heads, positions}))
      return emitError() << "mask " << formatShape(mask.getShape()) << " does not broadcast to "
                         << formatShape({batch, heads, positions}) << " ([B, H, S])";
  }
  if (getScale().convertToDouble() <= 0.0 || !std::isfinite(getScale().convertToDouble()))
    return emitError() << "scale must be positive and finite";
  types.push_back(qNope.clone({batch, heads, rowsPerHead - nope}));
  return success();
}

int64_t MLAAttentionOp::getPositions() {
  RankedTensorType cache = getTensorType(getLatentCache());
  if (Value blockTable = getBlockTable()) {
    int64_t blocks = getTensorType(blockTable).getDimSize(1);
    int64_t rows = cache.getDimSize(1);
    if (ShapedType::isDynamic(blocks) || ShapedType::isDynamic(rows))
      return ShapedType::kDynamic;
    return blocks * rows;
  }
  return cache.getDimSize(1);
}
