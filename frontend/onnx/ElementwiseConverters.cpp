//===- ElementwiseConverters.cpp - ONNX elementwise ops -------------------===//
//
// Unary, binary (with broadcasting), variadic, Where, Cast. Integer inputs
// known at compile time (shape arithmetic) are evaluated instead of emitted,
// and so are Casts that narrow DOUBLE constants.
//
//===----------------------------------------------------------------------===//
#include "frontend/onnx/GraphImporter.h"

#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

namespace mlir::tern::onnx_import {
namespace {

using IntFn = std::optional<int64_t> (*)(int64_t, int64_t);

template <typename OpTy> LogicalResult convertUnary(NodeContext &ctx) {
  FailureOr<Value> x = ctx.input(0);
  if (failed(x))
    return failure();
  FailureOr<OpTy> op = ctx.create<OpTy>(ValueRange{*x});
  if (failed(op))
    return failure();
  ctx.setOutput(0, op->getResult());
  return success();
}

LogicalResult convertIdentity(NodeContext &ctx) {
  if (ElementsAttr value = ctx.constant(0)) {
    ctx.setConstantOutput(0, value);
    return success();
  }
  FailureOr<Value> x = ctx.input(0);
  if (failed(x))
    return failure();
  ctx.setOutput(0, *x);
  if (const KnownInts *known = ctx.known(0))
    ctx.setKnown(0, *known);
  return success();
}

/// Folds a unary integer op on known inputs; emits `OpTy` otherwise.
template <typename OpTy, int64_t (*Fn)(int64_t)>
LogicalResult convertFoldableUnary(NodeContext &ctx) {
  std::optional<KnownInts> known;
  if (const KnownInts *in = ctx.known(0)) {
    known = *in;
    for (std::optional<int64_t> &v : known->values)
      if (v)
        v = Fn(*v);
  }
  return ctx.setFoldableOutput(known, ctx.inputType(0).getElementType(), [&]() -> FailureOr<Value> {
    FailureOr<Value> x = ctx.input(0);
    if (failed(x))
      return failure();
    FailureOr<OpTy> op = ctx.create<OpTy>(ValueRange{*x});
    return failed(op) ? FailureOr<Value>(failure()) : op->getResult();
  });
}

/// Binary op over inputs `lhs` and `rhs` values, folded on known integers.
template <typename OpTy> FailureOr<Value> emitBinary(NodeContext &ctx, Value lhs, Value rhs) {
  FailureOr<OpTy> op = ctx.create<OpTy>(ValueRange{lhs, rhs});
  return failed(op) ? FailureOr<Value>(failure()) : op->getResult();
}

template <typename OpTy, IntFn Fn> LogicalResult convertBinary(NodeContext &ctx) {
  std::optional<KnownInts> known;
  const KnownInts *lhs = ctx.known(0), *rhs = ctx.known(1);
  if (Fn && lhs && rhs)
    known = broadcastKnown(*lhs, *rhs, Fn);
  Builder b(ctx.builder.getContext());
  Type element = ctx.inputType(0).getElementType();
  if (std::is_same_v<OpTy, EqOp> || std::is_same_v<OpTy, LtOp> || std::is_same_v<OpTy, LeOp> ||
      std::is_same_v<OpTy, GtOp> || std::is_same_v<OpTy, GeOp>)
    element = b.getI1Type();
  return ctx.setFoldableOutput(known, element, [&]() -> FailureOr<Value> {
    FailureOr<Value> x = ctx.input(0), y = ctx.input(1);
    if (failed(x) || failed(y))
      return failure();
    return emitBinary<OpTy>(ctx, *x, *y);
  });
}

/// ONNX Pow allows an exponent of another type and returns the base's. An
/// integer base with a float exponent is raised in the exponent's type and
/// truncated back (ONNX's reference: np.power(x, y).astype(x.dtype)); any
/// other exponent is cast to the base's type.
LogicalResult convertPow(NodeContext &ctx) {
  FailureOr<Value> x = ctx.input(0), y = ctx.input(1);
  if (failed(x) || failed(y))
    return failure();
  RankedTensorType base = ctx.inputType(0), exponent = ctx.inputType(1);
  auto castTo = [&](Value value, Type element) -> FailureOr<Value> {
    auto type = cast<RankedTensorType>(value.getType());
    if (type.getElementType() == element)
      return value;
    FailureOr<CastOp> cast =
        ctx.create<CastOp>(ValueRange{value}, {}, TypeRange{type.clone(element)});
    if (failed(cast))
      return failure();
    return cast->getResult();
  };
  Type computeIn =
      isa<IntegerType>(base.getElementType()) && isa<FloatType>(exponent.getElementType())
          ? exponent.getElementType()
          : base.getElementType();
  FailureOr<Value> lhs = castTo(*x, computeIn), rhs = castTo(*y, computeIn);
  if (failed(lhs) || failed(rhs))
    return failure();
  FailureOr<Value> result = emitBinary<PowOp>(ctx, *lhs, *rhs);
  if (succeeded(result))
    result = castTo(*result, base.getElementType());
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Sum, Max, Min, Mean take any number of inputs: a chain of binary ops,
/// or `Fn` over known integers (Max/Min of shape vectors).
template <typename OpTy, IntFn Fn = nullptr, bool IsMean = false>
LogicalResult convertVariadic(NodeContext &ctx) {
  std::optional<KnownInts> known;
  if (Fn != nullptr && ctx.known(0)) {
    known = *ctx.known(0);
    for (size_t i = 1; known && i < ctx.numInputs(); ++i)
      known = ctx.known(i) ? broadcastKnown(*known, *ctx.known(i), Fn) : std::nullopt;
    if (known && known->isFullyKnown()) {
      ctx.setConstantOutput(0, known->toAttr(ctx.inputType(0).getElementType()));
      return success();
    }
  }
  FailureOr<Value> acc = ctx.input(0);
  for (size_t i = 1; succeeded(acc) && i < ctx.numInputs(); ++i) {
    FailureOr<Value> next = ctx.input(i);
    acc = failed(next) ? FailureOr<Value>(failure()) : emitBinary<OpTy>(ctx, *acc, *next);
  }
  if (failed(acc))
    return failure();
  if (IsMean && ctx.numInputs() > 1) {
    Type element = ctx.inputType(0).getElementType();
    if (!isa<FloatType>(element))
      return ctx.error() << "Mean needs float inputs";
    auto scalar = RankedTensorType::get({}, element);
    Value count = ConstantOp::create(
        ctx.builder, ctx.loc,
        DenseElementsAttr::get(scalar, ctx.builder.getFloatAttr(element, ctx.numInputs())));
    acc = emitBinary<DivOp>(ctx, *acc, count);
    if (failed(acc))
      return failure();
  }
  ctx.setOutput(0, *acc);
  if (known)
    ctx.setKnown(0, std::move(*known));
  return success();
}

LogicalResult convertWhere(NodeContext &ctx) {
  std::optional<KnownInts> known;
  const KnownInts *c = ctx.known(0), *a = ctx.known(1), *b = ctx.known(2);
  if (c && a && b) {
    // where(c, a, b) = a * c + b * !c, evaluated in two broadcasts.
    std::optional<KnownInts> picked = broadcastKnown(*c, *a, [](int64_t c, int64_t a) {
      return c ? std::optional<int64_t>(a) : std::optional<int64_t>(INT64_MIN);
    });
    if (picked)
      known = broadcastKnown(*picked, *b, [](int64_t p, int64_t b) {
        return p == INT64_MIN ? std::optional<int64_t>(b) : std::optional<int64_t>(p);
      });
    if (known && known->isFullyKnown() &&
        llvm::any_of(known->values, [](auto v) { return *v == INT64_MIN; }))
      known.reset(); // INT64_MIN itself was selected: do not trust the sentinel.
  }
  return ctx.setFoldableOutput(known, ctx.inputType(1).getElementType(), [&]() -> FailureOr<Value> {
    FailureOr<Value> cond = ctx.input(0), x = ctx.input(1), y = ctx.input(2);
    if (failed(cond) || failed(x) || failed(y))
      return failure();
    FailureOr<WhereOp> op = ctx.create<WhereOp>(ValueRange{*cond, *x, *y});
    return failed(op) ? FailureOr<Value>(failure()) : op->getResult();
  });
}

/// The elements of a DOUBLE constant (none if its data is gone).
SmallVector<double> getDoubles(ElementsAttr value) {
  SmallVector<double> doubles;
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    for (const APFloat &v : dense.getValues<APFloat>())
      doubles.push_back(v.convertToDouble());
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob()) {
      ArrayRef<char> bytes = blob->getData();
      doubles.resize(bytes.size() / sizeof(double));
      std::memcpy(doubles.data(), bytes.data(), doubles.size() * sizeof(double));
    }
  }
  return doubles; // fewer than the elements when they cannot be read
}

/// Whether a Cast of a DOUBLE constant to `element` folds at import: to
/// f32, f16 and bf16, as exporters narrow Python floats, so that no f64 op
/// is left; other casts run as tern.cast.
bool foldsDoubleConstantTo(Type element) {
  return element.isF32() || element.isF16() || element.isBF16();
}

/// A DOUBLE constant cast to the float type `element` at compile time,
/// each value rounded once to nearest even (IEEE, as ONNX Cast: beyond the
/// range, infinity).
LogicalResult narrowDoubleConstant(NodeContext &ctx, ElementsAttr value, Type element) {
  auto floatType = cast<FloatType>(element);
  SmallVector<double> doubles = getDoubles(value);
  if (static_cast<int64_t>(doubles.size()) != value.getNumElements())
    return ctx.error() << "cannot read the DOUBLE constant it casts";
  SmallVector<APFloat> narrowed;
  for (double v : doubles) {
    APFloat x(v);
    bool losesInfo;
    x.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven, &losesInfo);
    narrowed.push_back(x);
  }
  auto type = cast<RankedTensorType>(value.getType()).clone(element);
  ctx.setConstantOutput(0, DenseElementsAttr::get(type, narrowed));
  return success();
}

/// Converts input 0 to `element`, folding known integers and DOUBLE
/// constants.
LogicalResult emitCast(NodeContext &ctx, Type element) {
  RankedTensorType type = ctx.inputType(0);
  if (type.getElementType() == element)
    return convertIdentity(ctx);
  if (ElementsAttr value = ctx.constant(0);
      value && value.getElementType().isF64() && foldsDoubleConstantTo(element))
    return narrowDoubleConstant(ctx, value, element);
  std::optional<KnownInts> known;
  if (const KnownInts *in = ctx.known(0); in && element.isSignlessInteger()) {
    known = *in;
    unsigned width = element.getIntOrFloatBitWidth();
    for (std::optional<int64_t> &v : known->values)
      if (v)
        v = width == 1 ? (*v != 0) : APInt(64, *v).trunc(width).getSExtValue();
  }
  // Known integers converted to float stay compile-time constants, so that
  // float shape arithmetic (arange(seq, dtype=float)) still folds.
  if (const KnownInts *in = ctx.known(0); in && in->isFullyKnown() && isa<FloatType>(element)) {
    SmallVector<Attribute> values;
    for (std::optional<int64_t> v : in->values)
      values.push_back(ctx.builder.getFloatAttr(element, static_cast<double>(*v)));
    ctx.setConstantOutput(0, DenseElementsAttr::get(type.clone(element), values));
    return success();
  }
  bool saturate = ctx.getInt("saturate", 1) != 0;
  return ctx.setFoldableOutput(known, element, [&]() -> FailureOr<Value> {
    FailureOr<Value> x = ctx.input(0);
    if (failed(x))
      return failure();
    NamedAttribute attr = ctx.namedAttr("saturate", ctx.builder.getBoolAttr(saturate));
    FailureOr<CastOp> op =
        ctx.create<CastOp>(ValueRange{*x}, {attr}, TypeRange{type.clone(element)});
    return failed(op) ? FailureOr<Value>(failure()) : op->getResult();
  });
}

LogicalResult convertCast(NodeContext &ctx) {
  const onnx::AttributeProto *to = ctx.attr("to");
  if (!to || to->type() != onnx::AttributeProto::INT)
    return ctx.error() << "needs an integer 'to' attribute";
  FailureOr<Type> element =
      convertElementType(static_cast<int32_t>(to->i()), ctx.builder.getContext(),
                         "the 'to' attribute", [&] { return ctx.error(); });
  return failed(element) ? failure() : emitCast(ctx, *element);
}

LogicalResult convertCastLike(NodeContext &ctx) {
  if (!ctx.hasInput(1))
    return ctx.error() << "needs a target_type input";
  return emitCast(ctx, ctx.inputType(1).getElementType());
}

std::optional<int64_t> addFn(int64_t a, int64_t b) {
  int64_t r;
  return llvm::AddOverflow(a, b, r) ? std::nullopt : std::optional<int64_t>(r);
}
std::optional<int64_t> subFn(int64_t a, int64_t b) {
  int64_t r;
  return llvm::SubOverflow(a, b, r) ? std::nullopt : std::optional<int64_t>(r);
}
std::optional<int64_t> mulFn(int64_t a, int64_t b) {
  int64_t r;
  return llvm::MulOverflow(a, b, r) ? std::nullopt : std::optional<int64_t>(r);
}
std::optional<int64_t> divFn(int64_t a, int64_t b) {
  if (b == 0 || (a == INT64_MIN && b == -1))
    return std::nullopt;
  return a / b;
}
std::optional<int64_t> maxFn(int64_t a, int64_t b) { return std::max(a, b); }
std::optional<int64_t> minFn(int64_t a, int64_t b) { return std::min(a, b); }
std::optional<int64_t> eqFn(int64_t a, int64_t b) { return a == b; }
std::optional<int64_t> ltFn(int64_t a, int64_t b) { return a < b; }
std::optional<int64_t> leFn(int64_t a, int64_t b) { return a <= b; }
std::optional<int64_t> gtFn(int64_t a, int64_t b) { return a > b; }
std::optional<int64_t> geFn(int64_t a, int64_t b) { return a >= b; }
std::optional<int64_t> andFn(int64_t a, int64_t b) { return a && b; }
std::optional<int64_t> orFn(int64_t a, int64_t b) { return a || b; }
int64_t negFn(int64_t a) { return a == INT64_MIN ? a : -a; }
int64_t absFn(int64_t a) { return a < 0 ? negFn(a) : a; }
int64_t notFn(int64_t a) { return !a; }

} // namespace

void addElementwiseConverters(ConverterTable &table) {
  table[":Sqrt"] = {convertUnary<SqrtOp>, 1, 1, /*sinceOpset=*/6};
  table[":Reciprocal"] = {convertUnary<ReciprocalOp>, 1, 1, /*sinceOpset=*/6};
  table[":Exp"] = {convertUnary<ExpOp>, 1, 1, /*sinceOpset=*/6};
  table[":Log"] = {convertUnary<LogOp>, 1, 1, /*sinceOpset=*/6};
  table[":Sigmoid"] = {convertUnary<SigmoidOp>, 1, 1, /*sinceOpset=*/6};
  table[":Tanh"] = {convertUnary<TanhOp>, 1, 1, /*sinceOpset=*/6};
  table[":Erf"] = {convertUnary<ErfOp>, 1, 1, /*sinceOpset=*/9};
  table[":Cos"] = {convertUnary<CosOp>, 1, 1, /*sinceOpset=*/7};
  table[":Sin"] = {convertUnary<SinOp>, 1, 1, /*sinceOpset=*/7};
  table[":Relu"] = {convertUnary<ReluOp>, 1, 1, /*sinceOpset=*/6};
  table[":Neg"] = {convertFoldableUnary<NegOp, negFn>, 1, 1, /*sinceOpset=*/6};
  table[":Abs"] = {convertFoldableUnary<AbsOp, absFn>, 1, 1, /*sinceOpset=*/6};
  table[":Not"] = {convertFoldableUnary<NotOp, notFn>, 1, 1, /*sinceOpset=*/1};
  table[":Identity"] = {convertIdentity, 1, 1, /*sinceOpset=*/1};
  table[":Add"] = {convertBinary<AddOp, addFn>, 2, 2, /*sinceOpset=*/7};
  table[":Sub"] = {convertBinary<SubOp, subFn>, 2, 2, /*sinceOpset=*/7};
  table[":Mul"] = {convertBinary<MulOp, mulFn>, 2, 2, /*sinceOpset=*/7};
  table[":Div"] = {convertBinary<DivOp, divFn>, 2, 2, /*sinceOpset=*/7};
  table[":Pow"] = {convertPow, 2, 2, /*sinceOpset=*/7};
  table[":And"] = {convertBinary<AndOp, andFn>, 2, 2, /*sinceOpset=*/7};
  table[":Or"] = {convertBinary<OrOp, orFn>, 2, 2, /*sinceOpset=*/7};
  table[":Equal"] = {convertBinary<EqOp, eqFn>, 2, 2, /*sinceOpset=*/7};
  table[":Less"] = {convertBinary<LtOp, ltFn>, 2, 2, /*sinceOpset=*/7};
  table[":LessOrEqual"] = {convertBinary<LeOp, leFn>, 2, 2, /*sinceOpset=*/12};
  table[":Greater"] = {convertBinary<GtOp, gtFn>, 2, 2, /*sinceOpset=*/7};
  table[":GreaterOrEqual"] = {convertBinary<GeOp, geFn>, 2, 2, /*sinceOpset=*/12};
  table[":Sum"] = {convertVariadic<AddOp, addFn>, 1, kVariadic, /*sinceOpset=*/8};
  table[":Max"] = {convertVariadic<MaxOp, maxFn>, 1, kVariadic, /*sinceOpset=*/8};
  table[":Min"] = {convertVariadic<MinOp, minFn>, 1, kVariadic, /*sinceOpset=*/8};
  table[":Mean"] = {convertVariadic<AddOp, nullptr, /*IsMean=*/true>, 1, kVariadic,
                    /*sinceOpset=*/8};
  table[":Where"] = {convertWhere, 3, 3, /*sinceOpset=*/9};
  table[":Cast"] = {convertCast, 1, 1, /*sinceOpset=*/6};
  table[":CastLike"] = {convertCastLike, 2, 2, /*sinceOpset=*/15};
}

} // namespace mlir::tern::onnx_import
