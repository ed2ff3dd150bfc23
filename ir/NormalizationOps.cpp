//===- NormalizationOps.cpp - softmax, topk, norms, rotary ----------------===//
//
// The reductions are fully described in NormalizationOps.td.
//
//===----------------------------------------------------------------------===//
#include "ir/TernOps.h"

using namespace mlir;
using namespace mlir::tern;

LogicalResult SoftmaxOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType input = getTensorType(getInput());
  if (failed(normalizeAxis(getAxis(), input.getRank(), emitError)))
    return failure();
  types.push_back(input);
  return success();
}

LogicalResult TopKOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType input = getTensorType(getInput());
  FailureOr<int64_t> axis = normalizeAxis(getAxis(), input.getRank(), emitError);
  if (failed(axis))
    return failure();
  int64_t dim = input.getDimSize(*axis);
  if (!ShapedType::isDynamic(dim) && static_cast<int64_t>(getK()) > dim)
    return emitError() << "k (" << getK() << ") exceeds the size of dimension " << *axis << " ("
                       << dim << ")";
  SmallVector<int64_t> shape(input.getShape());
  shape[*axis] = getK();
  types.push_back(input.clone(shape));
  types.push_back(RankedTensorType::get(shape, IntegerType::get(getContext(), 64)));
  return success();
}

/// Checks that `param` (a norm's scale or bias) broadcasts to the normalized
/// dimensions `axis..rank` of `input`.
static LogicalResult checkNormParam(RankedTensorType input, Value param, int64_t axis,
                                    StringRef name, EmitErrorFn emitError) {
  ArrayRef<int64_t> normalized = input.getShape().drop_front(axis);
  RankedTensorType type = getTensorType(param);
  if (!isBroadcastableTo(type.getShape(), normalized))
    return emitError() << name << " shape " << formatShape(type.getShape())
                       << " does not broadcast to the normalized shape " << formatShape(normalized);
  return success();
}

LogicalResult RMSNormOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType input = getTensorType(getInput());
  FailureOr<int64_t> axis = normalizeAxis(getAxis(), input.getRank(), emitError);
  if (failed(axis) || failed(checkNormParam(input, getScale(), *axis, "scale", emitError)))
    return failure();
  if (getEpsilon().isNegative())
    return emitError() << "epsilon must be non-negative";
  types.push_back(input);
  return success();
}

LogicalResult LayerNormOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType input = getTensorType(getInput());
  FailureOr<int64_t> axis = normalizeAxis(getAxis(), input.getRank(), emitError);
  if (failed(axis) || failed(checkNormParam(input, getScale(), *axis, "scale", emitError)))
    return failure();
  if (getBias() && failed(checkNormParam(input, getBias(), *axis, "bias", emitError)))
    return failure();
  if (getEpsilon().isNegative())
    return emitError() << "epsilon must be non-negative";
  types.push_back(input);
  return success();
}

LogicalResult RotaryOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType input = getTensorType(getInput());
  RankedTensorType cos = getTensorType(getCos()), sin = getTensorType(getSin());
  if (input.getRank() == 0 || cos.getRank() == 0)
    return emitError() << "input, cos and sin must have rank at least 1";
  if (!areCompatibleTypes(cos, sin))
    return emitError() << "cos shape " << formatShape(cos.getShape()) << " differs from sin shape "
                       << formatShape(sin.getShape());
  int64_t half = cos.getShape().back(), width = input.getShape().back();
  if (!ShapedType::isDynamic(half) && !ShapedType::isDynamic(width) && 2 * half > width)
    return emitError() << "rotary width 2 x " << half << " exceeds the last dimension (" << width
                       << ")";
  SmallVector<int64_t> target(input.getShape());
  target.back() = half;
  if (!isBroadcastableTo(cos.getShape(), target))
    return emitError() << "cos/sin shape " << formatShape(cos.getShape())
                       << " does not broadcast to " << formatShape(target);
  types.push_back(input);
  return success();
}
