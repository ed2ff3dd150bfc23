//===- QuantToLinalg.cpp - quantize and dequantize ------------------------===//
//
// Both become one elementwise generic that reads the scale through a map
// for its layout: per tensor `() `, per axis `(d_axis)`, blocked
// `(d_i floordiv block_i)`. The arithmetic is in f32, as ONNX specifies,
// and FP8 rounding is emulated (Fp8Emulation.h).
//
//===----------------------------------------------------------------------===//
#include "codegen/linalg/Fp8Emulation.h"
#include "codegen/linalg/LinalgBuilders.h"
#include "codegen/linalg/TernToLinalg.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

/// The map from the data's iteration space to its scale.
template <typename OpTy> AffineMap scaleMap(OpTy op) {
  MLIRContext *context = op.getContext();
  int64_t rank = cast<RankedTensorType>(op.getInput().getType()).getRank();
  SmallVector<AffineExpr> exprs;
  if (std::optional<ArrayRef<int64_t>> blocks = op.getBlockSize()) {
    for (auto [d, block] : llvm::enumerate(*blocks))
      exprs.push_back(getAffineDimExpr(d, context).floorDiv(block));
  } else if (std::optional<uint64_t> axis = op.getAxis()) {
    exprs.push_back(getAffineDimExpr(static_cast<int64_t>(*axis), context));
  }
  return AffineMap::get(rank, 0, exprs, context);
}

Value toF32(OpBuilder &b, Location loc, Value x) {
  if (x.getType().isF32())
    return x;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), x);
}

/// Rounds an f32 to the quantized element type, saturating.
Value quantizeScalar(OpBuilder &b, Location loc, Value x, Type element) {
  if (isFp8(element))
    return truncateF32ToFp8(b, loc, x, cast<FloatType>(element), /*saturate=*/true);
  unsigned width = element.getIntOrFloatBitWidth();
  auto bound = [&](double value) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
  };
  Value rounded = math::RoundEvenOp::create(b, loc, x);
  Value low = bound(-std::ldexp(1.0, width - 1)), high = bound(std::ldexp(1.0, width - 1) - 1);
  // maxnumf/minnumf drop a NaN: NaN saturates to the low bound, as on x86.
  Value clamped =
      arith::MinNumFOp::create(b, loc, arith::MaxNumFOp::create(b, loc, rounded, low), high);
  return arith::FPToSIOp::create(b, loc, element, clamped);
}

// quantize(x, s) => generic { quantize(f32(x) / f32(s)) }
struct LowerQuantize final : StaticShapePattern<QuantizeOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(QuantizeOp op, PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value result = elementwise(rewriter, op.getLoc(), type, op->getOperands(),
                               {rewriter.getMultiDimIdentityMap(type.getRank()), scaleMap(op)},
                               [&](OpBuilder &b, Location loc, ValueRange args) {
                                 Value x = toF32(b, loc, args[0]);
                                 Value scaled =
                                     arith::DivFOp::create(b, loc, x, toF32(b, loc, args[1]));
                                 return quantizeScalar(b, loc, scaled, type.getElementType());
                               });
    rewriter.replaceOp(op, result);
    return success();
  }
};

// dequantize(q, s) => generic { f32(q) * f32(s), rounded to the result type }
struct LowerDequantize final : StaticShapePattern<DequantizeOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(DequantizeOp op, PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Type element = type.getElementType();
    Value result = elementwise(rewriter, op.getLoc(), type, op->getOperands(),
                               {rewriter.getMultiDimIdentityMap(type.getRank()), scaleMap(op)},
                               [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
                                 Value q = extendQuantizedToF32(b, loc, args[0]);
                                 Value product =
                                     arith::MulFOp::create(b, loc, q, toF32(b, loc, args[1]));
                                 if (element.isF32())
                                   return product;
                                 return arith::TruncFOp::create(b, loc, element, product);
                               });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::tern::populateQuantToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerQuantize, LowerDequantize>(patterns.getContext());
}
