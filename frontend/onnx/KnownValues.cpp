//===- KnownValues.cpp - Compile-time integer tensors ---------------------===//
#include "frontend/onnx/KnownValues.h"

#include "ir/ShapeUtils.h"

#include "mlir/IR/BuiltinTypes.h"

namespace mlir::tern::onnx_import {

KnownInts KnownInts::vector(llvm::ArrayRef<int64_t> values) {
  KnownInts known;
  known.shape = {static_cast<int64_t>(values.size())};
  for (int64_t v : values)
    known.values.push_back(v);
  return known;
}

std::optional<KnownInts> KnownInts::fromAttr(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  if (!type.getElementType().isSignlessInteger() || !type.hasStaticShape() ||
      type.getNumElements() > kMaxKnownElements)
    return std::nullopt;
  auto dense = dyn_cast<DenseIntElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  KnownInts known;
  known.shape.assign(type.getShape().begin(), type.getShape().end());
  bool isBool = type.getElementType().isInteger(1);
  for (const APInt &value : dense.getValues<APInt>())
    known.values.push_back(isBool ? static_cast<int64_t>(value.getZExtValue())
                                  : value.getSExtValue());
  return known;
}

bool KnownInts::isFullyKnown() const {
  return llvm::all_of(values, [](const std::optional<int64_t> &v) { return v.has_value(); });
}

std::optional<llvm::SmallVector<int64_t>> KnownInts::getAll() const {
  if (!isFullyKnown())
    return std::nullopt;
  return llvm::SmallVector<int64_t>(llvm::map_range(values, [](auto v) { return *v; }));
}

DenseElementsAttr KnownInts::toAttr(Type elementType) const {
  auto type = RankedTensorType::get(shape, elementType);
  unsigned width = elementType.getIntOrFloatBitWidth();
  llvm::SmallVector<APInt> ints;
  for (const std::optional<int64_t> &v : values)
    ints.push_back(width == 1 ? APInt(1, *v != 0)
                              : APInt(width, *v, /*isSigned=*/true, /*implicitTrunc=*/true));
  return DenseElementsAttr::get(type, ints);
}

std::optional<KnownInts>
broadcastKnown(const KnownInts &lhs, const KnownInts &rhs,
               llvm::function_ref<std::optional<int64_t>(int64_t, int64_t)> fn) {
  size_t rank = std::max(lhs.shape.size(), rhs.shape.size());
  KnownInts out;
  out.shape.resize(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t a = i < lhs.shape.size() ? lhs.shape[lhs.shape.size() - 1 - i] : 1;
    int64_t b = i < rhs.shape.size() ? rhs.shape[rhs.shape.size() - 1 - i] : 1;
    if (a != b && a != 1 && b != 1)
      return std::nullopt;
    out.shape[rank - 1 - i] = std::max(a, b);
    if (a == 0 || b == 0)
      out.shape[rank - 1 - i] = 0;
  }
  std::optional<int64_t> count = getStaticElementCount(out.shape);
  if (!count || *count > kMaxKnownElements)
    return std::nullopt;
  // Linear index of the broadcast source element for each output element.
  auto sourceIndex = [&](const KnownInts &in, int64_t linear) {
    int64_t index = 0, stride = 1;
    for (size_t i = 0; i < rank; ++i) {
      int64_t dim = out.shape[rank - 1 - i];
      int64_t coord = linear % dim;
      linear /= dim;
      if (i < in.shape.size()) {
        int64_t inDim = in.shape[in.shape.size() - 1 - i];
        index += (inDim == 1 ? 0 : coord) * stride;
        stride *= inDim;
      }
    }
    return index;
  };
  for (int64_t i = 0; i < *count; ++i) {
    std::optional<int64_t> a = lhs.values[sourceIndex(lhs, i)];
    std::optional<int64_t> b = rhs.values[sourceIndex(rhs, i)];
    out.values.push_back(a && b ? fn(*a, *b) : std::nullopt);
  }
  return out;
}

} // namespace mlir::tern::onnx_import
