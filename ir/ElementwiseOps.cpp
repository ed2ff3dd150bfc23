//===- ElementwiseOps.cpp - Constant, where and cast ----------------------===//
//
// Unary and binary ops are fully described in ElementwiseOps.td.
//
//===----------------------------------------------------------------------===//
#include "ir/TernOps.h"

using namespace mlir;
using namespace mlir::tern;

LogicalResult ConstantOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  types.push_back(getValue().getType());
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult WhereOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  auto element = cast<RankedTensorType>(getTrueValue().getType()).getElementType();
  return inferBroadcastTypes(getOperands(), element, types, emitError);
}

// The target element type is the op's own: only the shape is inferred.
LogicalResult CastOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  auto input = cast<RankedTensorType>(getInput().getType());
  types.push_back(input.clone(getType().getElementType()));
  return success();
}

/// True when every `from` value is exactly a `to` value (bf16 -> f32).
static bool widensExactly(Type from, Type to) {
  auto fromFloat = dyn_cast<FloatType>(from), toFloat = dyn_cast<FloatType>(to);
  return fromFloat && toFloat &&
         llvm::APFloatBase::isRepresentableBy(fromFloat.getFloatSemantics(),
                                              toFloat.getFloatSemantics());
}

// cast(x : T) to T => x
// cast(cast(x : T) to U) to V, T -> U exact => cast(x) to V
// cast(inline float constant) to a 16/32/64-bit float => the rounded constant
OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto inner = getInput().getDefiningOp<CastOp>();
      inner && widensExactly(getElementTypeOrSelf(inner.getInput()),
                             getElementTypeOrSelf(inner.getType()))) {
    if (inner.getInput().getType() == getType())
      return inner.getInput();
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  // Weights are resources and never folded here; inline constants (RoPE
  // tables, masks) are small. FP8's saturation is the lowering's.
  auto to = dyn_cast<FloatType>(getType().getElementType());
  auto dense = dyn_cast_or_null<DenseFPElementsAttr>(adaptor.getInput());
  if (!dense || !to || to.getWidth() < 16)
    return {};
  return dense.mapValues(to, [&](const APFloat &value) {
    APFloat converted = value;
    bool losesInfo;
    converted.convert(to.getFloatSemantics(), APFloat::rmNearestTiesToEven, &losesInfo);
    return converted.bitcastToAPInt();
  });
}

// x * sigmoid(x) (either order) => silu(x), the form that
// torch.onnx.export writes for F.silu and that fusion and codegen expect.
LogicalResult MulOp::canonicalize(MulOp op, PatternRewriter &rewriter) {
  for (auto [x, other] :
       {std::pair(op.getLhs(), op.getRhs()), std::pair(op.getRhs(), op.getLhs())}) {
    auto sigmoid = other.getDefiningOp<SigmoidOp>();
    if (!sigmoid || sigmoid.getInput() != x)
      continue;
    rewriter.replaceOpWithNewOp<SiluOp>(op, x);
    return success();
  }
  return failure();
}
