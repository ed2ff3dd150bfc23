//===- TernToLinalg.cpp - tern to linalg on tensors -----------------------===//
//
// Statically shaped elementwise ops, constants and matmuls. Each elementwise
// op becomes one linalg.generic whose indexing maps carry the broadcasting;
// --linalg-fuse-elementwise-ops merges chains of them afterwards.
//
//===----------------------------------------------------------------------===//
#include "codegen/TernToLinalg.h"

#include "codegen/Passes.h"
#include "ir/TernOps.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/TypeSwitch.h"

namespace mlir::tern {
#define GEN_PASS_DEF_CONVERTTERNTOLINALGPASS
#include "codegen/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;
using namespace mlir::tern;

namespace {

bool allStatic(Operation *op) {
  auto isStatic = [](Type type) { return cast<RankedTensorType>(type).hasStaticShape(); };
  return llvm::all_of(op->getOperandTypes(), isStatic) &&
         llvm::all_of(op->getResultTypes(), isStatic);
}

/// The map from the result's iteration space to an operand broadcast into
/// it: trailing dimensions align, and a size-1 dimension against a larger
/// one reads index 0.
AffineMap broadcastMap(RankedTensorType operand, RankedTensorType result, MLIRContext *context) {
  SmallVector<AffineExpr> exprs;
  int64_t offset = result.getRank() - operand.getRank();
  for (int64_t d = 0; d < operand.getRank(); ++d) {
    bool stretched = operand.getDimSize(d) == 1 && result.getDimSize(d + offset) != 1;
    exprs.push_back(stretched ? getAffineConstantExpr(0, context)
                              : getAffineDimExpr(d + offset, context));
  }
  return AffineMap::get(result.getRank(), 0, exprs, context);
}

Value floatConstant(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

template <typename FloatOp, typename IntOp>
Value binaryOp(OpBuilder &b, Location loc, ValueRange args) {
  if (isa<FloatType>(args[0].getType()))
    return FloatOp::create(b, loc, args[0], args[1]);
  return IntOp::create(b, loc, args[0], args[1]);
}

bool isFp8(Type type) { return isa<Float8E4M3FNType, Float8E5M2Type>(type); }

/// Element conversion for tern.cast (FP8 conversions come with the FP8 work).
Value buildCast(OpBuilder &b, Location loc, Value x, Type to) {
  Type from = x.getType();
  auto fromFloat = dyn_cast<FloatType>(from), toFloat = dyn_cast<FloatType>(to);
  if (fromFloat && toFloat)
    return fromFloat.getWidth() < toFloat.getWidth() ? Value(arith::ExtFOp::create(b, loc, to, x))
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

/// True for the elementwise ops buildScalar knows.
bool isLowerableElementwise(Operation *op) {
  if (auto cast = dyn_cast<CastOp>(op))
    return !isFp8(getElementTypeOrSelf(cast.getInput())) && !isFp8(getElementTypeOrSelf(cast));
  return isa<AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp, PowOp, AndOp, OrOp, EqOp, LtOp, LeOp, GtOp,
             GeOp, WhereOp, SqrtOp, RsqrtOp, ReciprocalOp, ExpOp, LogOp, TanhOp, ErfOp, CosOp,
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
  auto sigmoid = [&](Value x) -> Value {
    Value one = floatConstant(b, loc, in, 1.0);
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    return arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, e));
  };
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](AddOp) { return binaryOp<arith::AddFOp, arith::AddIOp>(b, loc, args); })
      .Case([&](SubOp) { return binaryOp<arith::SubFOp, arith::SubIOp>(b, loc, args); })
      .Case([&](MulOp) { return binaryOp<arith::MulFOp, arith::MulIOp>(b, loc, args); })
      .Case([&](DivOp) { return binaryOp<arith::DivFOp, arith::DivSIOp>(b, loc, args); })
      .Case([&](MaxOp) { return binaryOp<arith::MaximumFOp, arith::MaxSIOp>(b, loc, args); })
      .Case([&](MinOp) { return binaryOp<arith::MinimumFOp, arith::MinSIOp>(b, loc, args); })
      .Case([&](PowOp) -> Value { return math::PowFOp::create(b, loc, args[0], args[1]); })
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
      .Case([&](SigmoidOp) { return sigmoid(args[0]); })
      .Case([&](SiluOp) -> Value { return arith::MulFOp::create(b, loc, args[0], sigmoid(args[0])); })
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
      .Case([&](CastOp) { return buildCast(b, loc, args[0], resultType); })
      .Default([](Operation *) { return Value(); });
}

// elementwise(x, y, ...) => linalg.generic(x, y, ...) { scalar(x_i, y_i, ...) }
struct LowerElementwise final : RewritePattern {
  explicit LowerElementwise(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}

  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!isLowerableElementwise(op))
      return rewriter.notifyMatchFailure(op, "not an elementwise op with a lowering");
    if (!allStatic(op))
      return rewriter.notifyMatchFailure(op, "dynamic shapes are not lowered yet");
    Location loc = op->getLoc();
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    SmallVector<AffineMap> maps;
    for (Type operand : op->getOperandTypes())
      maps.push_back(broadcastMap(cast<RankedTensorType>(operand), resultType, getContext()));
    maps.push_back(rewriter.getMultiDimIdentityMap(resultType.getRank()));
    SmallVector<utils::IteratorType> iterators(resultType.getRank(), utils::IteratorType::parallel);
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         resultType.getElementType());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, op->getOperands(), ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          Value result = buildScalar(op, b, bodyLoc, args.drop_back(), resultType.getElementType());
          linalg::YieldOp::create(b, bodyLoc, result);
        });
    rewriter.replaceOp(op, generic.getResults());
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

// matmul(a, b) => linalg.matmul / linalg.batch_matmul(a, b, fill(0))
struct LowerMatMul final : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MatMulOp op, PatternRewriter &rewriter) const override {
    if (!allStatic(op))
      return rewriter.notifyMatchFailure(op, "dynamic shapes are not lowered yet");
    RankedTensorType lhs = op.getLhs().getType(), rhs = op.getRhs().getType();
    bool plain = lhs.getRank() == 2 && rhs.getRank() == 2;
    bool batched = lhs.getRank() == 3 && rhs.getRank() == 3 && lhs.getDimSize(0) == rhs.getDimSize(0);
    if (!plain && !batched)
      return rewriter.notifyMatchFailure(op, "only 2-D and equal-batch 3-D matmuls are lowered yet");
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    Value zero = arith::ConstantOp::create(rewriter, loc,
                                           rewriter.getZeroAttr(resultType.getElementType()));
    Value empty = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                          resultType.getElementType());
    Value init = linalg::FillOp::create(rewriter, loc, ValueRange{zero}, ValueRange{empty})
                     .getResult(0);
    ValueRange inputs = op->getOperands();
    if (plain)
      rewriter.replaceOp(op, linalg::MatmulOp::create(rewriter, loc, TypeRange{resultType}, inputs,
                                                      ValueRange{init})
                                 ->getResults());
    else
      rewriter.replaceOp(op, linalg::BatchMatmulOp::create(rewriter, loc, TypeRange{resultType},
                                                           inputs, ValueRange{init})
                                 ->getResults());
    return success();
  }
};

struct ConvertTernToLinalgPass final
    : tern::impl::ConvertTernToLinalgPassBase<ConvertTernToLinalgPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateTernToLinalgPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace

void mlir::tern::populateTernToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerElementwise, LowerConstant, LowerMatMul>(patterns.getContext());
}
