//===- TernToLinalg.cpp - tern to linalg on tensors -----------------------===//
//
// The pass, and the elementwise ops and constants. Each elementwise
// op becomes one linalg.generic whose indexing maps carry the broadcasting;
// --linalg-fuse-elementwise-ops merges chains of them afterwards.
//
//===----------------------------------------------------------------------===//
#include "codegen/linalg/TernToLinalg.h"

#include "codegen/linalg/Fp8Emulation.h"
#include "codegen/linalg/LinalgBuilders.h"
#include "codegen/linalg/Passes.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/TypeSwitch.h"

namespace mlir::tern {
#define GEN_PASS_DEF_CONVERTTERNTOLINALGPASS
#include "codegen/linalg/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;
using namespace mlir::tern;

namespace {

Value floatConstant(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

template <typename FloatOp, typename IntOp>
Value binaryOp(OpBuilder &b, Location loc, ValueRange args) {
  if (isa<FloatType>(args[0].getType()))
    return FloatOp::create(b, loc, args[0], args[1]);
  return IntOp::create(b, loc, args[0], args[1]);
}

/// Element conversion for tern.cast. FP8 goes through f32: widening is
/// exact, and rounding once from f32 avoids double rounding.
Value buildCast(OpBuilder &b, Location loc, Value x, Type to, bool saturate) {
  Type from = x.getType();
  if (from == to)
    return x;
  if (isFp8(from))
    return buildCast(b, loc, extendQuantizedToF32(b, loc, x), to, saturate);
  if (isFp8(to))
    return truncateF32ToFp8(b, loc, buildCast(b, loc, x, b.getF32Type(), saturate),
                            cast<FloatType>(to), saturate);
  auto fromFloat = dyn_cast<FloatType>(from), toFloat = dyn_cast<FloatType>(to);
  // f16 <-> bf16 have the same width: widen to f32 (exact), then round.
  if (fromFloat && toFloat && fromFloat.getWidth() == toFloat.getWidth())
    return buildCast(b, loc, arith::ExtFOp::create(b, loc, b.getF32Type(), x), to, saturate);
  if (fromFloat && toFloat)
    return fromFloat.getWidth() < toFloat.getWidth()
               ? Value(arith::ExtFOp::create(b, loc, to, x))
               : Value(arith::TruncFOp::create(b, loc, to, x));
  if (toFloat)
    return from.isInteger(1) ? Value(arith::UIToFPOp::create(b, loc, to, x))
                             : Value(arith::SIToFPOp::create(b, loc, to, x));
  if (to.isInteger(1)) {
    Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(from));
    if (fromFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x, zero);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero);
  }
  if (fromFloat)
    return arith::FPToSIOp::create(b, loc, to, x);
  unsigned fromWidth = from.getIntOrFloatBitWidth(), toWidth = to.getIntOrFloatBitWidth();
  if (fromWidth > toWidth)
    return arith::TruncIOp::create(b, loc, to, x);
  return from.isInteger(1) ? Value(arith::ExtUIOp::create(b, loc, to, x))
                           : Value(arith::ExtSIOp::create(b, loc, to, x));
}

/// x ^ y for integers by squaring, one step per bit of y (a loop of the
/// type's width), wrapping; y < 0 gives 0 unless x is 1 or -1, whose powers
/// alternate (math.ipowi's rule).
Value buildIntegerPower(OpBuilder &b, Location loc, Value x, Value y) {
  Type type = x.getType();
  unsigned width = type.getIntOrFloatBitWidth();
  auto constant = [&](int64_t value) -> Value {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
  };
  Value zero = constant(0), one = constant(1);
  Value lower = arith::ConstantIndexOp::create(b, loc, 0);
  Value upper = arith::ConstantIndexOp::create(b, loc, width - 1); // the sign bit is not a step
  Value step = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop =
      scf::ForOp::create(b, loc, lower, upper, step, ValueRange{one, x, y},
                         [&](OpBuilder &nested, Location loc, Value, ValueRange state) {
                           Value power = state[0], square = state[1], bits = state[2];
                           Value lowBit =
                               arith::TruncIOp::create(nested, loc, nested.getI1Type(), bits);
                           Value times = arith::MulIOp::create(nested, loc, power, square);
                           power = arith::SelectOp::create(nested, loc, lowBit, times, power);
                           square = arith::MulIOp::create(nested, loc, square, square);
                           bits = arith::ShRUIOp::create(nested, loc, bits, one);
                           scf::YieldOp::create(nested, loc, ValueRange{power, square, bits});
                         });
  Value power = loop.getResult(0);
  // y < 0: 1 for x = 1, (-1)^y for x = -1 (odd y: its low bit), else 0.
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, y, zero);
  Value odd = arith::TruncIOp::create(b, loc, b.getI1Type(), y);
  Value isOne = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, one);
  Value isMinusOne = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, constant(-1));
  Value minusOnePower = arith::SelectOp::create(b, loc, odd, constant(-1), one);
  Value reciprocal = arith::SelectOp::create(
      b, loc, isOne, one, arith::SelectOp::create(b, loc, isMinusOne, minusOnePower, zero));
  return arith::SelectOp::create(b, loc, negative, reciprocal, power);
}

/// True for the elementwise ops buildScalar knows.
bool isLowerableElementwise(Operation *op) {
  return isa<CastOp, AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp, PowOp, AndOp, OrOp, EqOp, LtOp, LeOp,
             GtOp, GeOp, WhereOp, SqrtOp, RsqrtOp, ReciprocalOp, ExpOp, LogOp, TanhOp, ErfOp, CosOp,
             SinOp, SigmoidOp, SiluOp, ReluOp, NegOp, AbsOp, NotOp>(op);
}

/// The scalar computation of an elementwise tern op on one element of each
/// operand.
Value buildScalar(Operation *op, OpBuilder &b, Location loc, ValueRange args, Type resultType) {
  Type in = args.front().getType();
  bool isFloat = isa<FloatType>(in);
  auto compare = [&](arith::CmpFPredicate f, arith::CmpIPredicate i) -> Value {
    if (isFloat)
      return arith::CmpFOp::create(b, loc, f, args[0], args[1]);
    return arith::CmpIOp::create(b, loc, i, args[0], args[1]);
  };
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](AddOp) { return binaryOp<arith::AddFOp, arith::AddIOp>(b, loc, args); })
      .Case([&](SubOp) { return binaryOp<arith::SubFOp, arith::SubIOp>(b, loc, args); })
      .Case([&](MulOp) { return binaryOp<arith::MulFOp, arith::MulIOp>(b, loc, args); })
      .Case([&](DivOp) { return binaryOp<arith::DivFOp, arith::DivSIOp>(b, loc, args); })
      .Case([&](MaxOp) { return binaryOp<arith::MaximumFOp, arith::MaxSIOp>(b, loc, args); })
      .Case([&](MinOp) { return binaryOp<arith::MinimumFOp, arith::MinSIOp>(b, loc, args); })
      .Case([&](PowOp) -> Value {
        if (isFloat)
          return math::PowFOp::create(b, loc, args[0], args[1]);
        return buildIntegerPower(b, loc, args[0], args[1]);
      })
      .Case([&](AndOp) -> Value { return arith::AndIOp::create(b, loc, args[0], args[1]); })
      .Case([&](OrOp) -> Value { return arith::OrIOp::create(b, loc, args[0], args[1]); })
      .Case([&](EqOp) { return compare(arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq); })
      .Case([&](LtOp) { return compare(arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt); })
      .Case([&](LeOp) { return compare(arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle); })
      .Case([&](GtOp) { return compare(arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt); })
      .Case([&](GeOp) { return compare(arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge); })
      .Case([&](WhereOp) -> Value {
        return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
      })
      .Case([&](SqrtOp) -> Value { return math::SqrtOp::create(b, loc, args[0]); })
      .Case([&](RsqrtOp) -> Value { return math::RsqrtOp::create(b, loc, args[0]); })
      .Case([&](ReciprocalOp) -> Value {
        return arith::DivFOp::create(b, loc, floatConstant(b, loc, in, 1.0), args[0]);
      })
      .Case([&](ExpOp) -> Value { return math::ExpOp::create(b, loc, args[0]); })
      .Case([&](LogOp) -> Value { return math::LogOp::create(b, loc, args[0]); })
      .Case([&](TanhOp) -> Value { return math::TanhOp::create(b, loc, args[0]); })
      .Case([&](ErfOp) -> Value { return math::ErfOp::create(b, loc, args[0]); })
      .Case([&](CosOp) -> Value { return math::CosOp::create(b, loc, args[0]); })
      .Case([&](SinOp) -> Value { return math::SinOp::create(b, loc, args[0]); })
      .Case([&](SigmoidOp) { return buildSigmoid(b, loc, args[0]); })
      .Case([&](SiluOp) { return buildSilu(b, loc, args[0]); })
      .Case([&](ReluOp) -> Value {
        Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(in));
        if (isFloat)
          return arith::MaximumFOp::create(b, loc, args[0], zero);
        return arith::MaxSIOp::create(b, loc, args[0], zero);
      })
      .Case([&](NegOp) -> Value {
        if (isFloat)
          return arith::NegFOp::create(b, loc, args[0]);
        Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(in));
        return arith::SubIOp::create(b, loc, zero, args[0]);
      })
      .Case([&](AbsOp) -> Value {
        if (isFloat)
          return math::AbsFOp::create(b, loc, args[0]);
        return math::AbsIOp::create(b, loc, args[0]);
      })
      .Case([&](NotOp) -> Value {
        Value one = arith::ConstantOp::create(b, loc, b.getBoolAttr(true));
        return arith::XOrIOp::create(b, loc, args[0], one);
      })
      .Case([&](CastOp cast) { return buildCast(b, loc, args[0], resultType, cast.getSaturate()); })
      .Default([](Operation *) { return Value(); });
}

// elementwise(x, y, ...) => linalg.generic(x, y, ...) { scalar(x_i, y_i, ...) }
struct LowerElementwise final : RewritePattern {
  explicit LowerElementwise(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}

  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!isLowerableElementwise(op))
      return rewriter.notifyMatchFailure(op, "not an elementwise op with a lowering");
    if (!hasStaticShapes(op))
      return rewriter.notifyMatchFailure(op, "dynamic shapes are not lowered yet");
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    SmallVector<AffineMap> maps;
    for (Type operand : op->getOperandTypes())
      maps.push_back(broadcastMap(cast<RankedTensorType>(operand), resultType, getContext()));
    Value result = elementwise(rewriter, op->getLoc(), resultType, op->getOperands(), maps,
                               [&](OpBuilder &b, Location loc, ValueRange args) {
                                 return buildScalar(op, b, loc, args, resultType.getElementType());
                               });
    rewriter.replaceOp(op, result);
    return success();
  }
};

// tern.constant => arith.constant
struct LowerConstant final : OpRewritePattern<ConstantOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ConstantOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, cast<TypedAttr>(op.getValue()));
    return success();
  }
};

struct ConvertTernToLinalgPass final
    : tern::impl::ConvertTernToLinalgPassBase<ConvertTernToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateTernToLinalgPatterns(patterns, fp8Products, splitAttention);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace

void mlir::tern::populateElementwiseToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerElementwise, LowerConstant>(patterns.getContext());
}

void mlir::tern::populateTernToLinalgPatterns(RewritePatternSet &patterns, bool fp8Products,
                                              bool splitAttention) {
  populateElementwiseToLinalgPatterns(patterns);
  populateContractionsToLinalgPatterns(patterns, fp8Products);
  populateDataMovementToLinalgPatterns(patterns);
  populateIndexingToLinalgPatterns(patterns);
  populateQuantToLinalgPatterns(patterns);
  populateMoEToLinalgPatterns(patterns);
  populateAttentionToLinalgPatterns(patterns, splitAttention);
  populateReductionsToLinalgPatterns(patterns);
}
