//===- ShapeOps.cpp - Shape inference and folds for data movement ops -----===//
#include "ir/TernOps.h"

#include "mlir/IR/BuiltinAttributes.h"

#include "llvm/ADT/STLExtras.h"

#include <numeric>

using namespace mlir;
using namespace mlir::tern;

//===----------------------------------------------------------------------===//
// shape_of
//===----------------------------------------------------------------------===//

LogicalResult ShapeOfOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn) {
  Builder b(getContext());
  types.push_back(RankedTensorType::get({getTensorType(getInput()).getRank()}, b.getI64Type()));
  return success();
}

// shape_of(x : static) => constant
OpFoldResult ShapeOfOp::fold(FoldAdaptor) {
  RankedTensorType input = getTensorType(getInput());
  // A dense attribute needs a static type: a `tensor<?xi64>` result waits
  // for tern-infer-shapes to make it `tensor<rank x i64>`.
  if (!input.hasStaticShape() || !getType().hasStaticShape())
    return {};
  return DenseIntElementsAttr::get(getType(), input.getShape());
}

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType input = getTensorType(getInput());
  SmallVector<int64_t> shape(getType().getShape());
  if (getShape()) {
    int64_t length = getTensorType(getShape()).getDimSize(0);
    if (!ShapedType::isDynamic(length) && length != getType().getRank())
      return emitError() << "shape operand has " << length << " elements but the result has rank "
                         << getType().getRank();
  } else if (llvm::count_if(shape, ShapedType::isDynamic) > 1) {
    return emitError() << "result shape " << formatShape(shape)
                       << " has more than one dynamic dimension and no shape operand";
  }
  std::optional<int64_t> inputCount = getStaticElementCount(input.getShape());
  if (inputCount) {
    // One dynamic result dimension is determined by the element count.
    auto dynamicDims = llvm::make_filter_range(llvm::seq<size_t>(0, shape.size()), [&](size_t i) {
      return ShapedType::isDynamic(shape[i]);
    });
    if (llvm::range_size(dynamicDims) == 1) {
      size_t index = *dynamicDims.begin();
      shape[index] = 1;
      int64_t rest = *getStaticElementCount(shape);
      if (rest == 0 || *inputCount % rest != 0)
        return emitError() << "input of " << *inputCount << " elements cannot be reshaped to "
                           << formatShape(getType().getShape());
      shape[index] = *inputCount / rest;
    }
    std::optional<int64_t> resultCount = getStaticElementCount(shape);
    if (resultCount && *resultCount != *inputCount)
      return emitError() << "input of " << *inputCount << " elements cannot be reshaped to "
                         << formatShape(shape) << " (" << *resultCount << " elements)";
  }
  types.push_back(getType().clone(shape));
  return success();
}

// reshape(x : T) -> T => x
OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (!getShape() && getInput().getType() == getType() && getType().hasStaticShape())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// expand
//===----------------------------------------------------------------------===//

LogicalResult ExpandOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType input = getTensorType(getInput());
  if (input.getRank() > getType().getRank())
    return emitError() << "input rank " << input.getRank() << " exceeds the result rank "
                       << getType().getRank();
  // As in ONNX Expand, `shape` broadcasts against the input: the result has
  // the larger of the two ranks.
  if (getShape()) {
    int64_t length = getTensorType(getShape()).getDimSize(0);
    if (!ShapedType::isDynamic(length) && std::max(input.getRank(), length) != getType().getRank())
      return emitError() << "result rank " << getType().getRank()
                         << " is not the larger of the input rank " << input.getRank()
                         << " and the shape operand's length " << length;
  }
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(input.getShape(), getType().getShape(), emitError);
  if (failed(shape))
    return failure();
  types.push_back(getType().clone(*shape));
  return success();
}

// expand(x : T) -> T => x
OpFoldResult ExpandOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType() && getType().hasStaticShape())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// transpose
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType input = getTensorType(getInput());
  ArrayRef<int64_t> perm = getPermutation();
  if (static_cast<int64_t>(perm.size()) != input.getRank())
    return emitError() << "permutation has " << perm.size() << " entries but the input has rank "
                       << input.getRank();
  SmallVector<bool> seen(perm.size(), false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= input.getRank() || seen[p])
      return emitError() << "permutation " << formatShape(perm) << " is not a permutation of [0, "
                         << input.getRank() << ")";
    seen[p] = true;
    shape.push_back(input.getDimSize(p));
  }
  types.push_back(input.clone(shape));
  return success();
}

// transpose(x, identity) => x
OpFoldResult TransposeOp::fold(FoldAdaptor) {
  ArrayRef<int64_t> perm = getPermutation();
  for (auto [index, p] : llvm::enumerate(perm))
    if (p != static_cast<int64_t>(index))
      return {};
  return getInput().getType() == getType() ? getInput() : Value();
}

//===----------------------------------------------------------------------===//
// concat
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  if (getInputs().empty())
    return emitError() << "needs at least one input";
  RankedTensorType first = getTensorType(getInputs().front());
  FailureOr<int64_t> axis = normalizeAxis(getAxis(), first.getRank(), emitError);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(first.getShape());
  for (auto [index, value] : llvm::enumerate(getInputs().drop_front())) {
    RankedTensorType type = getTensorType(value);
    if (type.getRank() != first.getRank())
      return emitError() << "input #" << index + 1 << " has rank " << type.getRank()
                         << " but input #0 has rank " << first.getRank();
    for (int64_t d = 0; d < first.getRank(); ++d) {
      int64_t dim = type.getDimSize(d);
      if (d == *axis) {
        shape[d] = ShapedType::isDynamic(shape[d]) || ShapedType::isDynamic(dim)
                       ? ShapedType::kDynamic
                       : shape[d] + dim;
      } else if (ShapedType::isDynamic(shape[d])) {
        shape[d] = dim;
      } else if (!ShapedType::isDynamic(dim) && dim != shape[d]) {
        return emitError() << "input #" << index + 1 << " has size " << dim << " in dimension " << d
                           << " but the other inputs have " << shape[d];
      }
    }
  }
  types.push_back(first.clone(shape));
  return success();
}

//===----------------------------------------------------------------------===//
// slice
//===----------------------------------------------------------------------===//

LogicalResult SliceOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType input = getTensorType(getInput());
  size_t rank = input.getRank();
  if (getStarts().size() != rank || getEnds().size() != rank || getSteps().size() != rank)
    return emitError() << "starts, ends and steps need " << rank << " entries each (got "
                       << getStarts().size() << ", " << getEnds().size() << ", "
                       << getSteps().size() << ")";
  SmallVector<int64_t> shape;
  for (size_t d = 0; d < rank; ++d) {
    int64_t step = getSteps()[d];
    if (step == 0)
      return emitError() << "step of dimension " << d << " must be nonzero (got 0)";
    // Walking backwards negates the step, which INT64_MIN does not survive.
    if (step == std::numeric_limits<int64_t>::min())
      return emitError() << "step of dimension " << d << " must be greater than INT64_MIN";
    int64_t dim = input.getDimSize(d);
    shape.push_back(ShapedType::isDynamic(dim)
                        ? ShapedType::kDynamic
                        : getSliceBounds(dim, getStarts()[d], getEnds()[d], step).length);
  }
  types.push_back(input.clone(shape));
  return success();
}

//===----------------------------------------------------------------------===//
// split
//===----------------------------------------------------------------------===//

LogicalResult SplitOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType input = getTensorType(getInput());
  FailureOr<int64_t> axis = normalizeAxis(getAxis(), input.getRank(), emitError);
  if (failed(axis))
    return failure();
  if (getSizes().empty())
    return emitError() << "sizes must not be empty";
  int64_t total = 0;
  for (int64_t size : getSizes()) {
    if (size < 0)
      return emitError() << "sizes must be non-negative (got " << size << ")";
    if (llvm::AddOverflow(total, size, total))
      return emitError() << "sizes overflow int64";
  }
  int64_t dim = input.getDimSize(*axis);
  if (!ShapedType::isDynamic(dim) && total != dim)
    return emitError() << "sizes add up to " << total << " but dimension " << *axis << " is "
                       << dim;
  for (int64_t size : getSizes()) {
    SmallVector<int64_t> shape(input.getShape());
    shape[*axis] = size;
    types.push_back(input.clone(shape));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// squeeze / unsqueeze
//===----------------------------------------------------------------------===//

LogicalResult SqueezeOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType input = getTensorType(getInput());
  FailureOr<SmallVector<int64_t>> axes = normalizeAxes(getAxes(), input.getRank(), emitError);
  if (failed(axes))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < input.getRank(); ++d) {
    int64_t dim = input.getDimSize(d);
    if (!llvm::is_contained(*axes, d)) {
      shape.push_back(dim);
      continue;
    }
    if (!ShapedType::isDynamic(dim) && dim != 1)
      return emitError() << "cannot squeeze dimension " << d << " of size " << dim;
  }
  types.push_back(input.clone(shape));
  return success();
}

LogicalResult UnsqueezeOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType input = getTensorType(getInput());
  int64_t rank = input.getRank() + getAxes().size();
  FailureOr<SmallVector<int64_t>> axes = normalizeAxes(getAxes(), rank, emitError);
  if (failed(axes))
    return failure();
  SmallVector<int64_t> shape;
  ArrayRef<int64_t> rest = input.getShape();
  for (int64_t d = 0; d < rank; ++d) {
    if (llvm::is_contained(*axes, d)) {
      shape.push_back(1);
    } else {
      shape.push_back(rest.front());
      rest = rest.drop_front();
    }
  }
  types.push_back(input.clone(shape));
  return success();
}

//===----------------------------------------------------------------------===//
// gather / gather_elements / scatter_elements
//===----------------------------------------------------------------------===//

LogicalResult GatherOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType input = getTensorType(getInput());
  if (input.getRank() == 0)
    return emitError() << "input must have rank at least 1";
  FailureOr<int64_t> axis = normalizeAxis(getAxis(), input.getRank(), emitError);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(input.getShape().take_front(*axis));
  llvm::append_range(shape, getTensorType(getIndices()).getShape());
  llvm::append_range(shape, input.getShape().drop_front(*axis + 1));
  types.push_back(input.clone(shape));
  return success();
}

LogicalResult GatherElementsOp::inferResultTypes(SmallVectorImpl<Type> &types,
                                                 EmitErrorFn emitError) {
  RankedTensorType input = getTensorType(getInput());
  RankedTensorType indices = getTensorType(getIndices());
  if (indices.getRank() != input.getRank())
    return emitError() << "indices rank " << indices.getRank() << " differs from input rank "
                       << input.getRank();
  if (input.getRank() == 0)
    return emitError() << "input must have rank at least 1";
  if (failed(normalizeAxis(getAxis(), input.getRank(), emitError)))
    return failure();
  types.push_back(indices.clone(input.getElementType()));
  return success();
}

LogicalResult ScatterElementsOp::inferResultTypes(SmallVectorImpl<Type> &types,
                                                  EmitErrorFn emitError) {
  RankedTensorType input = getTensorType(getInput());
  RankedTensorType indices = getTensorType(getIndices());
  RankedTensorType updates = getTensorType(getUpdates());
  if (indices.getRank() != input.getRank())
    return emitError() << "indices rank " << indices.getRank() << " differs from input rank "
                       << input.getRank();
  if (!areCompatibleTypes(updates.clone(indices.getElementType()), indices))
    return emitError() << "updates shape " << formatShape(updates.getShape())
                       << " differs from indices shape " << formatShape(indices.getShape());
  if (input.getRank() == 0)
    return emitError() << "input must have rank at least 1";
  if (failed(normalizeAxis(getAxis(), input.getRank(), emitError)))
    return failure();
  if (!llvm::is_contained({"none", "add", "mul", "max", "min"}, getReduction()))
    return emitError() << "reduction '" << getReduction()
                       << "' is not one of none, add, mul, max, min";
  types.push_back(input);
  return success();
}
