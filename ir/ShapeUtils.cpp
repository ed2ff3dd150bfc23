//===- ShapeUtils.cpp - Shape arithmetic shared by Tern ops ---------------===//
#include "ir/ShapeUtils.h"

#include "ir/TernOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::tern {

LogicalResult verifyInferredResultTypes(Operation *op) {
  SmallVector<Type> inferred;
  auto iface = cast<InferTypesOpInterface>(op);
  if (failed(iface.inferResultTypes(inferred, [&] { return op->emitOpError(); })))
    return failure();
  if (inferred.size() != op->getNumResults())
    return op->emitOpError() << "has " << op->getNumResults() << " results but " << inferred.size()
                             << " were inferred";
  for (auto [index, actual, expected] : llvm::enumerate(op->getResultTypes(), inferred)) {
    if (!areCompatibleTypes(actual, expected))
      return op->emitOpError() << "result #" << index << " type " << actual
                               << " is incompatible with the inferred type " << expected;
  }
  return success();
}

bool areCompatibleTypes(Type a, Type b) {
  auto lhs = dyn_cast<RankedTensorType>(a);
  auto rhs = dyn_cast<RankedTensorType>(b);
  if (!lhs || !rhs || lhs.getElementType() != rhs.getElementType() ||
      lhs.getRank() != rhs.getRank())
    return false;
  for (auto [x, y] : llvm::zip_equal(lhs.getShape(), rhs.getShape()))
    if (!ShapedType::isDynamic(x) && !ShapedType::isDynamic(y) && x != y)
      return false;
  return true;
}

RankedTensorType joinTypes(RankedTensorType a, RankedTensorType b) {
  if (!areCompatibleTypes(a, b))
    return nullptr;
  SmallVector<int64_t> shape(a.getShape());
  for (auto [dim, other] : llvm::zip_equal(shape, b.getShape()))
    if (ShapedType::isDynamic(dim))
      dim = other;
  return a.clone(shape);
}

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(shape, os, [&](int64_t dim) {
    if (ShapedType::isDynamic(dim))
      os << '?';
    else
      os << dim;
  });
  os << ']';
  return text;
}

std::optional<int64_t> getStaticElementCount(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (ShapedType::isDynamic(dim) || dim < 0)
      return std::nullopt;
    if (llvm::MulOverflow(count, dim, count))
      return std::nullopt;
  }
  return count;
}

FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank, EmitErrorFn emitError,
                                 StringRef name) {
  if (axis < -rank || axis >= rank) {
    emitError() << name << " (" << axis << ") is out of range for rank " << rank;
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

FailureOr<SmallVector<int64_t>> normalizeAxes(ArrayRef<int64_t> axes, int64_t rank,
                                              EmitErrorFn emitError, StringRef name) {
  SmallVector<int64_t> result;
  SmallVector<bool> seen(rank, false);
  for (int64_t axis : axes) {
    FailureOr<int64_t> normalized = normalizeAxis(axis, rank, emitError, name);
    if (failed(normalized))
      return failure();
    if (seen[*normalized]) {
      emitError() << name << " names dimension " << *normalized << " twice";
      return failure();
    }
    seen[*normalized] = true;
    result.push_back(*normalized);
  }
  return result;
}

FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs,
                                                EmitErrorFn emitError) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Walk from the trailing dimension; missing leading dimensions are 1.
    int64_t a = i < lhs.size() ? lhs[lhs.size() - 1 - i] : 1;
    int64_t b = i < rhs.size() ? rhs[rhs.size() - 1 - i] : 1;
    int64_t &out = result[rank - 1 - i];
    if (a == 1)
      out = b;
    else if (b == 1)
      out = a;
    else if (ShapedType::isDynamic(a))
      out = b;
    else if (ShapedType::isDynamic(b) || a == b)
      out = a;
    else {
      emitError() << "shapes " << formatShape(lhs) << " and " << formatShape(rhs)
                  << " are not broadcast-compatible";
      return failure();
    }
  }
  return result;
}

bool isBroadcastableTo(ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  if (from.size() > to.size())
    return false;
  for (auto [x, y] : llvm::zip(llvm::reverse(from), llvm::reverse(to)))
    if (x != 1 && !ShapedType::isDynamic(x) && !ShapedType::isDynamic(y) && x != y)
      return false;
  return true;
}

LogicalResult inferBroadcastTypes(ValueRange operands, Type resultElement,
                                  SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  SmallVector<int64_t> shape;
  for (Value operand : operands) {
    FailureOr<SmallVector<int64_t>> next =
        broadcastShapes(shape, cast<RankedTensorType>(operand.getType()).getShape(), emitError);
    if (failed(next))
      return failure();
    shape = std::move(*next);
  }
  if (!resultElement)
    resultElement = cast<RankedTensorType>(operands.front().getType()).getElementType();
  types.push_back(RankedTensorType::get(shape, resultElement));
  return success();
}

LogicalResult inferReductionTypes(RankedTensorType input, ArrayRef<int64_t> axes, bool keepdims,
                                  SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  FailureOr<SmallVector<int64_t>> normalized = normalizeAxes(axes, input.getRank(), emitError);
  if (failed(normalized))
    return failure();
  SmallVector<bool> reduced(input.getRank(), normalized->empty());
  for (int64_t axis : *normalized)
    reduced[axis] = true;
  SmallVector<int64_t> shape;
  for (auto [dim, isReduced] : llvm::zip_equal(input.getShape(), reduced)) {
    if (!isReduced)
      shape.push_back(dim);
    else if (keepdims)
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

SliceBounds getSliceBounds(int64_t dim, int64_t start, int64_t end, int64_t step) {
  auto clamp = [](int64_t v, int64_t lo, int64_t hi) { return std::min(std::max(v, lo), hi); };
  if (start < 0)
    start += dim;
  if (end < 0)
    end += dim;
  if (step > 0) {
    start = clamp(start, 0, dim);
    end = clamp(end, 0, dim);
    return {start, end <= start ? 0 : (end - start - 1) / step + 1};
  }
  start = clamp(start, 0, dim - 1);
  end = clamp(end, -1, dim - 1);
  return {start, start <= end ? 0 : (start - end - 1) / -step + 1};
}

} // namespace mlir::tern
