//===- QuantToLinalg.cpp - quantize and dequantize ------------------------===//
//
// Both become one elementwise generic that reads the scale (and a zero
// point, in the same layout) through a map for its layout: per tensor `() `,
// per axis `(d_axis)`, blocked `(d_i floordiv block_i)`. The arithmetic is
// in f32, as ONNX specifies, and FP8 rounding is emulated (Fp8Emulation.h).
//
//===----------------------------------------------------------------------===//
#include "codegen/linalg/Fp8Emulation.h"
#include "codegen/linalg/LinalgBuilders.h"
#include "codegen/linalg/TernToLinalg.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

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

/// The maps of the data, the scale and the zero point if there is one.
template <typename OpTy> SmallVector<AffineMap> operandMaps(OpTy op) {
  int64_t rank = cast<RankedTensorType>(op.getInput().getType()).getRank();
  SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(rank, op.getContext()),
                                 scaleMap(op)};
  if (op.getZeroPoint())
    maps.push_back(scaleMap(op));
  return maps;
}

Value integerToF32(OpBuilder &b, Location loc, Value x) {
  return arith::SIToFPOp::create(b, loc, b.getF32Type(), x);
}

Value toF32(OpBuilder &b, Location loc, Value x) {
  if (x.getType().isF32())
    return x;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), x);
}

/// Rounds an f32 to the quantized element type, plus the zero point (f32, or
/// null for 0), saturating.
Value quantizeScalar(OpBuilder &b, Location loc, Value x, Type element, Value zeroPoint) {
  if (isFp8(element))
    return truncateF32ToFp8(b, loc, x, cast<FloatType>(element), /*saturate=*/true);
  unsigned width = element.getIntOrFloatBitWidth();
  auto bound = [&](double value) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
  };
  Value rounded = math::RoundEvenOp::create(b, loc, x);
  if (zeroPoint)
    rounded = arith::AddFOp::create(b, loc, rounded, zeroPoint);
  // The largest f32 not above the type's maximum (2^31 - 1 is not an f32).
  float highest = static_cast<float>(std::ldexp(1.0, width - 1) - 1);
  if (static_cast<double>(highest) > std::ldexp(1.0, width - 1) - 1)
    highest = std::nextafter(highest, 0.0f);
  Value low = bound(-std::ldexp(1.0, width - 1)), high = bound(highest);
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
    Value result =
        elementwise(rewriter, op.getLoc(), type, op->getOperands(), operandMaps(op),
                    [&](OpBuilder &b, Location loc, ValueRange args) {
                      Value x = toF32(b, loc, args[0]);
                      Value scaled = arith::DivFOp::create(b, loc, x, toF32(b, loc, args[1]));
                      Value zeroPoint = args.size() > 2 ? integerToF32(b, loc, args[2]) : Value();
                      return quantizeScalar(b, loc, scaled, type.getElementType(), zeroPoint);
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
    Value result =
        elementwise(rewriter, op.getLoc(), type, op->getOperands(), operandMaps(op),
                    [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
                      Value q = extendQuantizedToF32(b, loc, args[0]);
                      // q - zero point is exact in f32 (both below 2^24).
                      if (args.size() > 2)
                        q = arith::SubFOp::create(b, loc, q, integerToF32(b, loc, args[2]));
                      Value product = arith::MulFOp::create(b, loc, q, toF32(b, loc, args[1]));
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
