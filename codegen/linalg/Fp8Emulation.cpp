//===- Fp8Emulation.cpp - 8-bit float conversions in integer arithmetic ---===//
#include "codegen/linalg/Fp8Emulation.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

namespace mlir::tern {

namespace {

/// The bit layout of an 8-bit float: 1 sign bit, then the exponent, then
/// `mantissaBits`.
struct Fp8Layout {
  explicit Fp8Layout(FloatType type) : semantics(type.getFloatSemantics()) {
    mantissaBits = APFloat::semanticsPrecision(semantics) - 1;
    bias = 1 - APFloat::semanticsMinExponent(semantics);
    hasInf = APFloat::semanticsHasInf(semantics);
    largest = APFloat::getLargest(semantics).bitcastToAPInt().getZExtValue();
    nan = APFloat::getQNaN(semantics).bitcastToAPInt().getZExtValue();
  }

  const llvm::fltSemantics &semantics;
  int64_t mantissaBits, bias;
  bool hasInf;
  int64_t largest, nan;
};

/// Small helper for i32 and f32 arithmetic at one location (rounding to FP8).
struct Emitter {
  OpBuilder &b;
  Location loc;

  Value i32(int64_t value) { return arith::ConstantIntOp::create(b, loc, value, 32); }
  Value f32(double value) { return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value)); }
  Value shl(Value x, int64_t n) { return arith::ShLIOp::create(b, loc, x, i32(n)); }
  Value shr(Value x, int64_t n) { return arith::ShRUIOp::create(b, loc, x, i32(n)); }
  Value andMask(Value x, int64_t mask) { return arith::AndIOp::create(b, loc, x, i32(mask)); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value orI(Value x, Value y) { return arith::OrIOp::create(b, loc, x, y); }
  Value select(Value c, Value x, Value y) { return arith::SelectOp::create(b, loc, c, x, y); }
  Value bitsToF32(Value x) { return arith::BitcastOp::create(b, loc, b.getF32Type(), x); }
  Value f32ToBits(Value x) { return arith::BitcastOp::create(b, loc, b.getI32Type(), x); }
};

} // namespace

bool isFp8(Type type) {
  return isa<Float8E4M3FNType, Float8E5M2Type, Float8E4M3FNUZType, Float8E5M2FNUZType>(type);
}

bool isFp8Fnuz(Type type) { return isa<Float8E4M3FNUZType, Float8E5M2FNUZType>(type); }

Value extendQuantizedToF32(OpBuilder &b, Location loc, Value q) {
  // Expanded for the target by tern-expand-fp8-conversions.
  if (isFp8(q.getType()))
    return arith::ExtFOp::create(b, loc, b.getF32Type(), q);
  return arith::SIToFPOp::create(b, loc, b.getF32Type(), q);
}

// Through f16, which holds every E4M3FN and E5M2 value exactly and which
// both targets widen in one instruction (x86's F16C vcvtph2ps, PTX's cvt):
// the magnitude's bits, shifted into f16's exponent and mantissa fields,
// are the value times 2^(bias - 15) (subnormals too: f16's exponent field
// is wider), so one multiply by a power of two restores it exactly. E5M2 is
// f16's upper byte (same bias), infinities and NaNs included; E4M3FN's one
// NaN code (S.1111.111) has no f16 counterpart and is selected.
namespace {

// The FNUZ types' exponent bias is one more than f16's can hold at the top
// (E5M2FNUZ's largest exponent field is f16's infinity), so their codes are
// widened from integers: the significand (the implicit bit set unless
// subnormal) converted exactly to f32, times 2 to the code's exponent, a
// power of two built from its bits. 0x80 is the one NaN.
Value extendFp8FnuzToF32(OpBuilder &b, Location loc, Value x, const Fp8Layout &layout) {
  Emitter e{b, loc};
  int64_t m = layout.mantissaBits;
  Value byte = arith::BitcastOp::create(b, loc, b.getI8Type(), x);
  Value bits = arith::ExtUIOp::create(b, loc, b.getI32Type(), byte);
  Value exponent = e.andMask(e.shr(bits, m), (1 << (7 - m)) - 1);
  Value mantissa = e.andMask(bits, (1 << m) - 1);
  Value isNormal = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, exponent, e.i32(0));
  Value significand = e.select(isNormal, e.orI(mantissa, e.i32(1 << m)), mantissa);
  // value = significand * 2^(max(exponent, 1) - bias - m); the power's f32
  // exponent field is that plus 127, always normal for 8-bit formats.
  Value scaleExponent =
      e.add(arith::MaxSIOp::create(b, loc, exponent, e.i32(1)), e.i32(127 - layout.bias - m));
  Value magnitude =
      arith::MulFOp::create(b, loc, arith::UIToFPOp::create(b, loc, b.getF32Type(), significand),
                            e.bitsToF32(e.shl(scaleExponent, 23)));
  Value isNegative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, e.andMask(bits, 0x80), e.i32(0));
  Value value = e.select(isNegative, arith::NegFOp::create(b, loc, magnitude), magnitude);
  Value isNan = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, bits, e.i32(layout.nan));
  Value nan = e.f32(APFloat::getQNaN(APFloat::IEEEsingle()).convertToDouble());
  return e.select(isNan, nan, value);
}

} // namespace

Value extendFp8ToF32(OpBuilder &b, Location loc, Value x) {
  Fp8Layout layout(cast<FloatType>(x.getType()));
  if (isFp8Fnuz(x.getType()))
    return extendFp8FnuzToF32(b, loc, x, layout);
  auto constant = [&](int64_t value) { return arith::ConstantIntOp::create(b, loc, value, 16); };
  Value byte = arith::BitcastOp::create(b, loc, b.getI8Type(), x);
  Value bits = arith::ExtUIOp::create(b, loc, b.getI16Type(), byte);
  // The sign goes to f16's bit 15 and the magnitude up by the difference in
  // mantissa bits: with E5M2's two, the whole byte up by 8.
  int64_t shift = 10 - layout.mantissaBits;
  Value magnitude, half;
  if (shift == 8) {
    half = arith::ShLIOp::create(b, loc, bits, constant(8));
  } else {
    magnitude = arith::AndIOp::create(b, loc, bits, constant(0x7F));
    Value sign = arith::ShLIOp::create(b, loc, arith::AndIOp::create(b, loc, bits, constant(0x80)),
                                       constant(8));
    half = arith::OrIOp::create(b, loc, sign,
                                arith::ShLIOp::create(b, loc, magnitude, constant(shift)));
  }
  Value halfFloat = arith::BitcastOp::create(b, loc, b.getF16Type(), half);
  Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), halfFloat);
  if (layout.bias != 15)
    wide = arith::MulFOp::create(
        b, loc, wide,
        arith::ConstantOp::create(b, loc, b.getF32FloatAttr(std::ldexp(1.0, 15 - layout.bias))));
  if (layout.hasInf)
    return wide;
  if (!magnitude)
    magnitude = arith::AndIOp::create(b, loc, bits, constant(0x7F));
  Value isNan = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, magnitude,
                                      constant(layout.nan & 0x7F));
  Value nan = arith::ConstantOp::create(
      b, loc, b.getF32FloatAttr(APFloat::getQNaN(APFloat::IEEEsingle()).convertToFloat()));
  return arith::SelectOp::create(b, loc, isNan, nan, wide);
}

Value truncateF32ToFp8(OpBuilder &b, Location loc, Value x, FloatType to, bool saturate) {
  Fp8Layout layout(to);
  Emitter e{b, loc};
  int64_t m = layout.mantissaBits, shift = 23 - m;
  Value bits = e.f32ToBits(x);
  Value sign = e.shl(e.shr(bits, 31), 7);
  Value absBits = e.andMask(bits, 0x7FFFFFFF);
  // Normal results: round the f32 mantissa to m bits, ties to even (a carry
  // moves into the exponent), then rebias the exponent.
  Value roundingBias = e.add(e.i32((1 << (shift - 1)) - 1), e.andMask(e.shr(absBits, shift), 1));
  Value normal = arith::SubIOp::create(b, loc, e.shr(e.add(absBits, roundingBias), shift),
                                       e.i32((127 - layout.bias) << m));
  // Below the smallest normal: the code is the value in units of the
  // smallest subnormal, rounded to even (it may round up to the smallest
  // normal, whose code follows the largest subnormal's).
  Value magnitude = e.bitsToF32(absBits);
  Value units =
      arith::MulFOp::create(b, loc, magnitude, e.f32(std::ldexp(1.0, layout.bias + m - 1)));
  Value subnormal =
      arith::FPToUIOp::create(b, loc, b.getI32Type(), math::RoundEvenOp::create(b, loc, units));
  Value isSubnormal = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, magnitude,
                                            e.f32(std::ldexp(1.0, 1 - layout.bias)));
  Value code = e.select(isSubnormal, subnormal, normal);
  int64_t overflowCode = saturate        ? layout.largest
                         : layout.hasInf ? layout.largest + 1
                                         : layout.nan;
  Value overflows =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, code, e.i32(layout.largest));
  code = e.select(overflows, e.i32(overflowCode), code);
  Value isNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
  code = e.select(isNan, e.i32(layout.nan & 0x7F), code);
  if (isFp8Fnuz(to)) {
    // NaN is 0x80 whatever the sign; zero has no sign.
    code = e.select(isNan, e.i32(layout.nan), code);
    Value isZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, code, e.i32(0));
    sign = e.select(isZero, e.i32(0), sign);
  }
  Value byte = arith::TruncIOp::create(b, loc, b.getI8Type(), e.orI(code, sign));
  return arith::BitcastOp::create(b, loc, to, byte);
}

} // namespace mlir::tern
