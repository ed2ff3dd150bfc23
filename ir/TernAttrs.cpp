//===- TernAttrs.cpp - Tern attributes ------------------------------------===//
#include "ir/TernDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tern;

#define GET_ATTRDEF_CLASSES
#include "ir/TernAttrs.cpp.inc"

void TernDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "ir/TernAttrs.cpp.inc"
      >();
}

// One kind of kernel iteration: no ids to tell apart, no linear form.
int64_t KernelIterationAttr::getMappingId() const { return 0; }
bool KernelIterationAttr::isLinearMapping() const { return false; }
int64_t KernelIterationAttr::getRelativeIndex() const { return 0; }

LogicalResult ConcatElementsAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                         ShapedType type, ArrayAttr parts, int64_t transposedGroups,
                                         bool partsTransposed) {
  if (!type.hasStaticShape())
    return emitError() << "concat_elements needs a static shape, got " << type;
  int64_t elements = 0;
  for (auto [index, part] : llvm::enumerate(parts)) {
    auto data = dyn_cast<ElementsAttr>(part);
    if (!data || isa<ConcatElementsAttr>(part))
      return emitError() << "concat_elements part " << index
                         << " must be dense or dense_resource data";
    if (data.getElementType() != type.getElementType())
      return emitError() << "concat_elements part " << index << " has element type "
                         << data.getElementType() << ", not " << type.getElementType();
    elements += data.getNumElements();
  }
  if (elements != type.getNumElements())
    return emitError() << "concat_elements parts hold " << elements << " elements, " << type
                       << " needs " << type.getNumElements();
  if (transposedGroups == 0)
    return partsTransposed ? emitError() << "concat_elements with partsTransposed needs "
                                            "transposedGroups > 0"
                           : success();

  // [E, C, R] from E x G parts [r_g, C] ([C, r_g] if partsTransposed), or
  // [C, R] from G parts (E = 1).
  int64_t groups = transposedGroups, rank = type.getRank();
  int64_t experts = rank == 3 ? type.getDimSize(0) : 1;
  if (groups < 0 || (rank != 2 && rank != 3) || int64_t(parts.size()) != experts * groups)
    return emitError() << "concat_elements with transposedGroups = " << groups
                       << " needs a type [E, C, R] and E x " << groups << " parts, or [C, R] and "
                       << groups << " parts";
  int64_t cols = type.getDimSize(rank - 2);
  for (auto [index, part] : llvm::enumerate(parts)) {
    auto shape = cast<ShapedType>(cast<ElementsAttr>(part).getType()).getShape();
    auto first = cast<ShapedType>(cast<ElementsAttr>(parts[index % groups]).getType()).getShape();
    if (shape.size() != 2 || shape[partsTransposed ? 0 : 1] != cols || shape != first)
      return emitError() << "concat_elements part " << index << " must have the shape of part "
                         << index % groups << ", "
                         << (partsTransposed ? "[" + std::to_string(cols) + ", rows]"
                                             : "[rows, " + std::to_string(cols) + "]");
  }
  return success();
}

RankedTensorType BlockQuantizedElementsAttr::getQuantizedType(ElementsAttr source,
                                                              int64_t blockRows, int64_t blockCols,
                                                              bool scales) {
  ArrayRef<int64_t> shape = cast<ShapedType>(source.getType()).getShape();
  MLIRContext *context = source.getContext();
  if (!scales)
    return RankedTensorType::get(shape, Float8E4M3FNType::get(context));
  return RankedTensorType::get({int64_t(llvm::divideCeil(shape[0], blockRows)),
                                int64_t(llvm::divideCeil(shape[1], blockCols))},
                               Float32Type::get(context));
}

LogicalResult BlockQuantizedElementsAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                                 ShapedType type, ElementsAttr source,
                                                 int64_t blockRows, int64_t blockCols,
                                                 bool scales) {
  if (isa<BlockQuantizedElementsAttr, ConcatElementsAttr>(source))
    return emitError() << "block_quantized source must be dense or dense_resource data";
  auto sourceType = cast<ShapedType>(source.getType());
  Type element = sourceType.getElementType();
  if (sourceType.getRank() != 2 || !sourceType.hasStaticShape() ||
      !(element.isBF16() || element.isF16() || element.isF32()))
    return emitError()
           << "block_quantized source must be a static 2-D bf16, f16 or f32 matrix, got "
           << sourceType;
  if (blockRows < 1 || blockCols < 1)
    return emitError() << "block_quantized blocks must be at least 1x1, got " << blockRows << "x"
                       << blockCols;
  RankedTensorType expected = getQuantizedType(source, blockRows, blockCols, scales);
  if (type != expected)
    return emitError() << "block_quantized " << (scales ? "scales" : "data") << " of " << sourceType
                       << " in " << blockRows << "x" << blockCols << " blocks have type "
                       << expected << ", not " << type;
  return success();
}

LogicalResult BlockDequantizedElementsAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                                   ShapedType type, ElementsAttr data,
                                                   ElementsAttr scales, int64_t blockRows,
                                                   int64_t blockCols) {
  for (ElementsAttr part : {data, scales})
    if (!isa<DenseElementsAttr, DenseResourceElementsAttr>(part))
      return emitError() << "block_dequantized data and scales must be dense or dense_resource";
  auto dataType = cast<ShapedType>(data.getType());
  if (dataType.getRank() != 2 || !dataType.hasStaticShape() ||
      !isa<Float8E4M3FNType>(dataType.getElementType()))
    return emitError() << "block_dequantized data must be a static 2-D f8E4M3FN matrix, got "
                       << dataType;
  if (blockRows < 1 || blockCols < 1)
    return emitError() << "block_dequantized blocks must be at least 1x1, got " << blockRows << "x"
                       << blockCols;
  // The scales block_quantized gives a matrix of this shape.
  RankedTensorType scalesType =
      BlockQuantizedElementsAttr::getQuantizedType(data, blockRows, blockCols, /*scales=*/true);
  if (scales.getType() != scalesType)
    return emitError() << "block_dequantized scales of " << dataType << " in " << blockRows << "x"
                       << blockCols << " blocks must be " << scalesType << ", got "
                       << scales.getType();
  auto expected = RankedTensorType::get(dataType.getShape(), BFloat16Type::get(type.getContext()));
  if (type != expected)
    return emitError() << "block_dequantized of " << dataType << " has type " << expected
                       << ", not " << type;
  return success();
}

RankedTensorType PackedPanelsElementsAttr::getPackedType(ShapedType source, int64_t columns,
                                                         bool transposed) {
  int64_t k = source.getDimSize(transposed ? 1 : 0), n = source.getDimSize(transposed ? 0 : 1);
  return RankedTensorType::get({int64_t(llvm::divideCeil(n, columns)), k, columns},
                               source.getElementType());
}

LogicalResult PackedPanelsElementsAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                               ShapedType type, ElementsAttr source,
                                               int64_t columns, bool transposed) {
  if (isa<ConcatElementsAttr, PackedPanelsElementsAttr>(source))
    return emitError() << "packed_panels source must be dense, dense_resource, block_quantized "
                          "or block_dequantized data";
  auto sourceType = cast<ShapedType>(source.getType());
  unsigned bits = sourceType.getElementTypeBitWidth();
  if (sourceType.getRank() != 2 || !sourceType.hasStaticShape() ||
      sourceType.getNumElements() == 0 || !llvm::is_contained({8u, 16u, 32u, 64u}, bits))
    return emitError() << "packed_panels source must be a static non-empty 2-D matrix of 8, 16, "
                          "32 or 64-bit elements, got "
                       << sourceType;
  if (columns < 1)
    return emitError() << "packed_panels columns must be at least 1, got " << columns;
  RankedTensorType expected = getPackedType(sourceType, columns, transposed);
  if (type != expected)
    return emitError() << "packed_panels of " << sourceType << (transposed ? " (transposed)" : "")
                       << " in panels of " << columns << " columns have type " << expected
                       << ", not " << type;
  return success();
}
