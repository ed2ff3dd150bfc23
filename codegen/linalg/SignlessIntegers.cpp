//===- SignlessIntegers.cpp - Unsigned integers as signless ones ----------===//
//
// The lowering's arith ops take signless integers, and their signed forms
// are what convert-tern-to-linalg picks for integers. This pass retypes every
// unsigned tensor (ui8 .. ui64, ONNX's UINT types) to the signless type of
// its width, the same bits, and rewrites the ops whose meaning depends on
// signedness into signed ops that compute the unsigned result:
//
//   order (max, min, comparisons, reduce_max/min, topk): adding 2^(w-1),
//     wrapping, flips the top bit, which maps unsigned order onto signed
//     order; values handed on are flipped back;
//   div: both sides zero-extended to twice the width, divided, truncated;
//   casts from unsigned: zero extension (a sign extension corrected where
//     the value was negative as signed); to floats through that extension
//     (ui64 through f64, from x - 2^63 where the top bit is set: rounded
//     twice there);
//   casts from floats to unsigned: through the signed type of twice the width
//     (ui64: from 2^63 on, through x - 2^63 with the top bit flipped back);
//   (de)quantization of unsigned data: dequantize reads it zero-extended;
//     quantize goes to i32, is clamped to the unsigned range and truncated.
//
// Entry functions keep the caller's view: retyped arguments and results
// carry `tern.unsigned`, which the plan records as unsigned element types.
//
//===----------------------------------------------------------------------===//
#include "codegen/linalg/Passes.h"
#include "ir/Contract.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace mlir::tern {
#define GEN_PASS_DEF_SIGNLESSINTEGERSPASS
#include "codegen/linalg/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;
using namespace mlir::tern;

namespace {

/// The signless type of an unsigned tensor type, else null.
RankedTensorType signlessOf(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  auto element = tensor ? dyn_cast<IntegerType>(tensor.getElementType()) : nullptr;
  if (!element || !element.isUnsigned())
    return nullptr;
  return tensor.clone(IntegerType::get(type.getContext(), element.getWidth()));
}

/// Rewrites one op on (formerly) unsigned operands; the IR is signless.
class Rewriter {
public:
  explicit Rewriter(Operation *op) : b(op), loc(op->getLoc()) {}

  unsigned widthOf(Value v) {
    return cast<RankedTensorType>(v.getType()).getElementType().getIntOrFloatBitWidth();
  }
  Value scalar(Type element, const APInt &value) {
    auto type = RankedTensorType::get({}, element);
    return ConstantOp::create(b, loc, type, DenseElementsAttr::get(type, value));
  }
  /// v + 2^(w-1), wrapping: the top bit flipped.
  Value flip(Value v) {
    Type element = cast<RankedTensorType>(v.getType()).getElementType();
    return AddOp::create(b, loc, v.getType(), v,
                         scalar(element, APInt::getSignedMinValue(widthOf(v))));
  }
  /// v (unsigned bits) in the wider signless type `wide`: a sign extension,
  /// plus 2^w where it was negative.
  Value zeroExtend(Value v, Type wideElement) {
    auto type = cast<RankedTensorType>(v.getType());
    unsigned width = widthOf(v), wideWidth = wideElement.getIntOrFloatBitWidth();
    Value extended = CastOp::create(b, loc, type.clone(wideElement), v);
    Value zero = scalar(type.getElementType(), APInt(width, 0));
    Value negative = LtOp::create(b, loc, type.clone(b.getI1Type()), v, zero);
    Value corrected = AddOp::create(b, loc, extended.getType(), extended,
                                    scalar(wideElement, APInt::getOneBitSet(wideWidth, width)));
    return WhereOp::create(b, loc, extended.getType(), negative, corrected, extended);
  }
  /// The signless integer type of twice `v`'s width (at most 64).
  Type doubleWidth(Value v) { return b.getIntegerType(std::min(2 * widthOf(v), 64u)); }

  OpBuilder b;
  Location loc;
};

/// The values that were unsigned; a rewrite that replaces one adds the
/// replacement, which later ops read as unsigned too.
using UnsignedValues = DenseSet<Value>;

/// The signed op on flipped operands computes the unsigned order; result
/// `flipResult` (if any) is flipped back.
void rewriteOrder(Operation *op, std::optional<unsigned> flipResult, UnsignedValues &values) {
  Rewriter r(op);
  for (OpOperand &operand : op->getOpOperands())
    operand.set(r.flip(operand.get()));
  if (!flipResult)
    return;
  r.b.setInsertionPointAfter(op);
  Value result = op->getResult(*flipResult);
  Value flipped = r.flip(result);
  result.replaceAllUsesExcept(flipped, flipped.getDefiningOp());
  values.insert(flipped);
}

LogicalResult rewriteDiv(DivOp op, UnsignedValues &values) {
  Rewriter r(op);
  if (r.widthOf(op.getLhs()) == 64)
    return op.emitOpError("divides 64-bit unsigned integers, which Tern does not compute "
                          "(it has no wider integer to divide them in)");
  Type wide = r.doubleWidth(op.getLhs());
  Value lhs = r.zeroExtend(op.getLhs(), wide), rhs = r.zeroExtend(op.getRhs(), wide);
  auto type = cast<RankedTensorType>(op.getType());
  Value quotient = DivOp::create(r.b, r.loc, type.clone(wide), lhs, rhs);
  Value narrowed = CastOp::create(r.b, r.loc, type, quotient);
  values.insert(narrowed);
  op.replaceAllUsesWith(narrowed);
  op.erase();
  return success();
}

/// A cast from an unsigned input (`fromUnsigned`) or to an unsigned result.
void rewriteCast(CastOp op, bool fromUnsigned, bool toUnsigned, UnsignedValues &values) {
  Rewriter r(op);
  auto from = cast<RankedTensorType>(op.getInput().getType());
  auto to = cast<RankedTensorType>(op.getType());
  Type toElement = to.getElementType();
  if (fromUnsigned && isa<FloatType>(toElement)) {
    if (r.widthOf(op.getInput()) < 64) {
      op.getInputMutable().assign(r.zeroExtend(op.getInput(), r.doubleWidth(op.getInput())));
      return;
    }
    // In f64: x where its top bit is clear, else (x - 2^63) + 2^63.
    Value x = op.getInput();
    auto wide = from.clone(r.b.getF64Type());
    Value low = CastOp::create(r.b, r.loc, wide, x);
    Value shifted = CastOp::create(r.b, r.loc, wide, r.flip(x));
    auto f64 = RankedTensorType::get({}, r.b.getF64Type());
    Value offset =
        ConstantOp::create(r.b, r.loc, f64, DenseElementsAttr::get(f64, std::ldexp(1.0, 63)));
    Value high = AddOp::create(r.b, r.loc, wide, shifted, offset);
    Value zero = r.scalar(from.getElementType(), APInt(64, 0));
    Value topBit = LtOp::create(r.b, r.loc, from.clone(r.b.getI1Type()), x, zero);
    op.getInputMutable().assign(WhereOp::create(r.b, r.loc, wide, topBit, high, low).getResult());
    return;
  }
  if (fromUnsigned && isa<IntegerType>(toElement) && !toElement.isInteger(1) &&
      toElement.getIntOrFloatBitWidth() > from.getElementType().getIntOrFloatBitWidth()) {
    op.getInputMutable().assign(r.zeroExtend(op.getInput(), toElement));
    return;
  }
  if (toUnsigned && isa<FloatType>(from.getElementType()) &&
      toElement.getIntOrFloatBitWidth() < 64) {
    Type wide = r.b.getIntegerType(2 * toElement.getIntOrFloatBitWidth());
    Value widened = CastOp::create(r.b, r.loc, to.clone(wide), op.getInput());
    op.getInputMutable().assign(widened);
    return;
  }
  if (toUnsigned && isa<FloatType>(from.getElementType())) {
    // ui64 from a float: in f64, values from 2^63 on converted less 2^63 and
    // their top bit flipped back on.
    auto f64 = from.clone(r.b.getF64Type());
    Value x = CastOp::create(r.b, r.loc, f64, op.getInput());
    auto scalarF64 = RankedTensorType::get({}, r.b.getF64Type());
    Value offset = ConstantOp::create(r.b, r.loc, scalarF64,
                                      DenseElementsAttr::get(scalarF64, std::ldexp(1.0, 63)));
    Value high = CastOp::create(r.b, r.loc, to, SubOp::create(r.b, r.loc, f64, x, offset));
    Value big = GeOp::create(r.b, r.loc, from.clone(r.b.getI1Type()), x, offset);
    Value converted =
        WhereOp::create(r.b, r.loc, to, big, r.flip(high), CastOp::create(r.b, r.loc, to, x));
    values.insert(converted);
    op.replaceAllUsesWith(converted);
    op.erase();
  }
}

/// Dequantizing unsigned data: the data and zero point zero-extended to
/// twice their width (ui8 to i16, ui16 to i32), which the op reads signed.
void rewriteDequantize(DequantizeOp op) {
  Rewriter r(op);
  Type wide = r.doubleWidth(op.getInput());
  op.getInputMutable().assign(r.zeroExtend(op.getInput(), wide));
  if (Value zeroPoint = op.getZeroPoint())
    op.getZeroPointMutable().assign(r.zeroExtend(zeroPoint, wide));
}

/// Quantizing to unsigned: to i32 (the zero point zero-extended), clamped to
/// the unsigned range, truncated.
void rewriteQuantize(QuantizeOp op, UnsignedValues &values) {
  Rewriter r(op);
  auto type = cast<RankedTensorType>(op.getType());
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  Type i32 = r.b.getI32Type();
  Value zeroPoint = op.getZeroPoint() ? r.zeroExtend(op.getZeroPoint(), i32) : Value();
  auto wide = type.clone(i32);
  Value quantized = QuantizeOp::create(r.b, r.loc, wide, op.getInput(), op.getScale(), zeroPoint,
                                       op.getAxisAttr(), op.getBlockSizeAttr());
  Value low = MaxOp::create(r.b, r.loc, wide, quantized, r.scalar(i32, APInt(32, 0)));
  Value clamped =
      MinOp::create(r.b, r.loc, wide, low, r.scalar(i32, APInt::getLowBitsSet(32, width)));
  Value narrowed = CastOp::create(r.b, r.loc, type, clamped);
  values.insert(narrowed);
  op.replaceAllUsesWith(narrowed);
  op.erase();
}

struct SignlessIntegersPass final : tern::impl::SignlessIntegersPassBase<SignlessIntegersPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (failed(runOnFunction(func)))
        return signalPassFailure();
  }

  LogicalResult runOnFunction(func::FuncOp func) {
    // What was unsigned, recorded before the types change.
    DenseSet<Value> unsignedValues;
    func.walk([&](Operation *op) {
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            if (signlessOf(arg.getType()))
              unsignedValues.insert(arg);
      for (Value result : op->getResults())
        if (signlessOf(result.getType()))
          unsignedValues.insert(result);
    });
    if (unsignedValues.empty())
      return success();
    auto isUnsigned = [&](Value v) { return unsignedValues.contains(v); };

    SmallVector<Operation *> ops;
    func.walk([&](Operation *op) { ops.push_back(op); });
    for (Value value : unsignedValues)
      value.setType(signlessOf(value.getType()));
    for (Operation *op : ops)
      if (auto constant = dyn_cast<ConstantOp>(op))
        if (isUnsigned(constant.getResult()))
          constant.setValueAttr(retypeConstant(constant.getValue(), constant.getType()));

    Builder b(func.getContext());
    FunctionType type = func.getFunctionType();
    for (unsigned i = 0; i < type.getNumInputs(); ++i) {
      RankedTensorType signless = signlessOf(type.getInput(i));
      if (!signless)
        continue;
      func.setArgAttr(i, kUnsignedAttr, b.getUnitAttr());
      if (auto value = func.getArgAttrOfType<DenseIntElementsAttr>(i, kInputValueAttr))
        func.setArgAttr(i, kInputValueAttr, value.bitcast(signless.getElementType()));
    }
    for (unsigned i = 0; i < type.getNumResults(); ++i)
      if (signlessOf(type.getResult(i)))
        func.setResultAttr(i, kUnsignedAttr, b.getUnitAttr());
    func.setType(b.getFunctionType(func.front().getArgumentTypes(),
                                   func.front().getTerminator()->getOperandTypes()));

    for (Operation *op : ops) {
      bool onUnsigned = llvm::any_of(op->getOperands(), isUnsigned);
      if (auto cast = dyn_cast<CastOp>(op)) {
        if (onUnsigned || isUnsigned(cast.getResult()))
          rewriteCast(cast, onUnsigned, isUnsigned(cast.getResult()), unsignedValues);
        continue;
      }
      if (auto quantize = dyn_cast<QuantizeOp>(op)) {
        if (isUnsigned(quantize.getResult()))
          rewriteQuantize(quantize, unsignedValues);
        continue;
      }
      if (!onUnsigned)
        continue;
      LogicalResult rewritten =
          llvm::TypeSwitch<Operation *, LogicalResult>(op)
              .Case<MaxOp, MinOp, ReduceMaxOp, ReduceMinOp, TopKOp>([&](Operation *op) {
                // topk's values are result 0, its indices need nothing.
                rewriteOrder(op, /*flipResult=*/0, unsignedValues);
                return success();
              })
              .Case<LtOp, LeOp, GtOp, GeOp>([&](Operation *op) {
                rewriteOrder(op, /*flipResult=*/std::nullopt, unsignedValues);
                return success();
              })
              .Case([&](DivOp op) { return rewriteDiv(op, unsignedValues); })
              .Case([](DequantizeOp op) {
                rewriteDequantize(op);
                return success();
              })
              .Default([](Operation *) { return success(); });
      if (failed(rewritten))
        return failure();
    }
    return success();
  }

  /// An unsigned constant's bits as the signless type.
  static ElementsAttr retypeConstant(ElementsAttr value, Type type) {
    if (auto dense = dyn_cast<DenseIntElementsAttr>(value))
      return dense.bitcast(cast<ShapedType>(type).getElementType());
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
      return DenseResourceElementsAttr::get(cast<ShapedType>(type), resource.getRawHandle());
    return value;
  }
};

} // namespace
