//===- QuantOps.cpp - quantize / dequantize scale layouts -----------------===//
#include "ir/TernOps.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::tern;

/// Checks the scale layout shared by quantize and dequantize: per tensor
/// (rank 0), per axis (1-D with `axis`) or blocked (`block_size`).
static LogicalResult checkScaleLayout(RankedTensorType input, RankedTensorType scale,
                                      std::optional<int64_t> axis,
                                      std::optional<ArrayRef<int64_t>> blockSize,
                                      EmitErrorFn emitError) {
  if (blockSize) {
    if (axis)
      return emitError() << "takes either axis or block_size, not both";
    if (blockSize->size() != static_cast<size_t>(input.getRank()) ||
        scale.getRank() != input.getRank())
      return emitError() << "blocked scales need block_size and scale of the input's rank ("
                         << input.getRank() << "), got " << blockSize->size() << " and "
                         << scale.getRank();
    for (int64_t d = 0; d < input.getRank(); ++d) {
      int64_t block = (*blockSize)[d], dim = input.getDimSize(d), blocks = scale.getDimSize(d);
      if (block <= 0)
        return emitError() << "block_size[" << d << "] must be positive (got " << block << ")";
      if (ShapedType::isDynamic(dim) || ShapedType::isDynamic(blocks))
        continue;
      if (blocks != static_cast<int64_t>(llvm::divideCeil(dim, block)))
        return emitError() << "scale dimension " << d << " is " << blocks << " but ceil(" << dim
                           << " / " << block << ") = " << llvm::divideCeil(dim, block);
    }
    return success();
  }
  if (scale.getRank() == 0) {
    if (axis)
      return emitError() << "a per-tensor (rank-0) scale takes no axis";
    return success();
  }
  if (scale.getRank() != 1)
    return emitError() << "a scale of rank " << scale.getRank() << " needs block_size";
  if (!axis)
    return emitError() << "a rank-1 scale needs an axis (per axis) or block_size (blocked)";
  FailureOr<int64_t> normalized = normalizeAxis(*axis, input.getRank(), emitError);
  if (failed(normalized))
    return failure();
  if (!areCompatibleTypes(scale, scale.clone({input.getDimSize(*normalized)})))
    return emitError() << "per-axis scale has " << scale.getDimSize(0) << " elements but dimension "
                       << *normalized << " has " << input.getDimSize(*normalized);
  return success();
}

/// A zero point has the scale's shape and the quantized element type.
static LogicalResult checkZeroPoint(Value zeroPoint, RankedTensorType scale, Type quantized,
                                    EmitErrorFn emitError) {
  if (!zeroPoint)
    return success();
  auto type = cast<RankedTensorType>(zeroPoint.getType());
  if (type.getShape() != scale.getShape() || type.getElementType() != quantized)
    return emitError() << "zero point " << type << " differs from the scale's shape (" << scale
                       << ") or the quantized element type (" << quantized << ")";
  return success();
}

LogicalResult QuantizeOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto scale = cast<RankedTensorType>(getScale().getType());
  if (scale.getElementType() != input.getElementType())
    return emitError() << "scale element type " << scale.getElementType()
                       << " differs from the input's " << input.getElementType();
  if (failed(checkScaleLayout(input, scale, getAxis(), getBlockSize(), emitError)) ||
      failed(checkZeroPoint(getZeroPoint(), scale, getType().getElementType(), emitError)))
    return failure();
  types.push_back(input.clone(getType().getElementType()));
  return success();
}

LogicalResult DequantizeOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto scale = cast<RankedTensorType>(getScale().getType());
  if (failed(checkScaleLayout(input, scale, getAxis(), getBlockSize(), emitError)) ||
      failed(checkZeroPoint(getZeroPoint(), scale, input.getElementType(), emitError)))
    return failure();
  types.push_back(input.clone(scale.getElementType()));
  return success();
}
