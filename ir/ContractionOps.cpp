//===- ContractionOps.cpp - matmul, gemm, einsum shape inference ----------===//
#include "ir/TernOps.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::tern;

/// Checks that two contracted dimensions agree where both are static.
static LogicalResult checkContraction(int64_t lhsK, int64_t rhsK, EmitErrorFn emitError) {
  if (!ShapedType::isDynamic(lhsK) && !ShapedType::isDynamic(rhsK) && lhsK != rhsK)
    return emitError() << "contracting dimensions differ: lhs has " << lhsK << ", rhs has " << rhsK;
  return success();
}

LogicalResult MatMulOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType lhs = getTensorType(getLhs()), rhs = getTensorType(getRhs());
  if (lhs.getRank() == 0 || rhs.getRank() == 0)
    return emitError() << "operands must have rank at least 1";
  // NumPy promotes a 1-D lhs to [1, K] and a 1-D rhs to [K, 1], then drops
  // the promoted dimension from the result.
  SmallVector<int64_t> a(lhs.getShape()), b(rhs.getShape());
  if (a.size() == 1)
    a.insert(a.begin(), 1);
  if (b.size() == 1)
    b.push_back(1);
  if (failed(checkContraction(a.back(), b[b.size() - 2], emitError)))
    return failure();
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(ArrayRef(a).drop_back(2), ArrayRef(b).drop_back(2),
                      [&] { return emitError() << "batch dimensions do not broadcast: "; });
  if (failed(shape))
    return failure();
  if (lhs.getRank() > 1)
    shape->push_back(a[a.size() - 2]);
  if (rhs.getRank() > 1)
    shape->push_back(b.back());
  types.push_back(lhs.clone(*shape));
  return success();
}

LogicalResult GemmOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType a = getTensorType(getA()), b = getTensorType(getB());
  if (a.getRank() != 2 || b.getRank() != 2)
    return emitError() << "a and b must be 2-D (got ranks " << a.getRank() << " and " << b.getRank()
                       << ")";
  int64_t m = a.getDimSize(getTransA() ? 1 : 0), k = a.getDimSize(getTransA() ? 0 : 1);
  int64_t k2 = b.getDimSize(getTransB() ? 1 : 0), n = b.getDimSize(getTransB() ? 0 : 1);
  if (failed(checkContraction(k, k2, emitError)))
    return failure();
  SmallVector<int64_t> shape = {m, n};
  if (Value c = getC()) {
    RankedTensorType cType = getTensorType(c);
    if (cType.getElementType() != a.getElementType())
      return emitError() << "c has element type " << cType.getElementType() << " but a has "
                         << a.getElementType();
    if (!isBroadcastableTo(cType.getShape(), shape))
      return emitError() << "c shape " << formatShape(cType.getShape())
                         << " does not broadcast to the result " << formatShape(shape);
  }
  types.push_back(a.clone(shape));
  return success();
}

LogicalResult BlockScaledMatMulOp::inferResultTypes(SmallVectorImpl<Type> &types,
                                                    EmitErrorFn emitError) {
  RankedTensorType lhs = getTensorType(getLhs()), rhs = getTensorType(getRhs());
  RankedTensorType scale = getTensorType(getRhsScale());
  if (lhs.getRank() != 2 || rhs.getRank() != 2)
    return emitError() << "lhs and rhs must be 2-D (got ranks " << lhs.getRank() << " and "
                       << rhs.getRank() << ")";
  if (failed(checkContraction(lhs.getDimSize(1), rhs.getDimSize(1), emitError)))
    return failure();
  ArrayRef<int64_t> block = getBlockSize();
  if (block.size() != 2 || block[0] < 1 || block[1] < 1)
    return emitError() << "block_size must be two positive extents [rows, cols], got "
                       << formatShape(block);
  // One scale per block of the weight; a dynamic weight dimension leaves
  // its scale dimension unchecked.
  SmallVector<int64_t> blocks;
  for (auto [size, extent] : llvm::zip(rhs.getShape(), block))
    blocks.push_back(ShapedType::isDynamic(size) ? size : llvm::divideCeil(size, extent));
  bool matches = scale.getRank() == 2 && llvm::all_of(llvm::seq(0, 2), [&](int d) {
                   return ShapedType::isDynamic(blocks[d]) || scale.getDimSize(d) == blocks[d];
                 });
  if (!matches)
    return emitError() << "rhs_scale must have shape " << formatShape(blocks) << " (a "
                       << formatShape(rhs.getShape()) << " weight in " << block[0] << "x"
                       << block[1] << " blocks), got " << formatShape(scale.getShape());
  // The activations: as they are, or quantized in 1 x block[1] blocks.
  Type element = scale.getElementType();
  if (Value lhsScaleValue = getLhsScale()) {
    RankedTensorType lhsScale = getTensorType(lhsScaleValue);
    Type lhsElement = lhs.getElementType();
    if (!isa<Float8E4M3FNType, Float8E5M2Type>(lhsElement) && !lhsElement.isInteger(8))
      return emitError() << "lhs_scale scales quantized activations, but lhs has element type "
                         << lhs.getElementType();
    if (lhsScale.getElementType() != element)
      return emitError() << "lhs_scale has element type " << lhsScale.getElementType()
                         << " but rhs_scale has " << element;
    SmallVector<int64_t> lhsBlocks = {lhs.getDimSize(0),
                                      ShapedType::isDynamic(lhs.getDimSize(1))
                                          ? ShapedType::kDynamic
                                          : int64_t(llvm::divideCeil(lhs.getDimSize(1), block[1]))};
    if (lhsScale.getRank() != 2 || !llvm::all_of(llvm::seq(0, 2), [&](int d) {
          return ShapedType::isDynamic(lhsBlocks[d]) ||
                 ShapedType::isDynamic(lhsScale.getDimSize(d)) ||
                 lhsScale.getDimSize(d) == lhsBlocks[d];
        }))
      return emitError() << "lhs_scale must have shape " << formatShape(lhsBlocks) << " (a "
                         << formatShape(lhs.getShape()) << " activation in 1x" << block[1]
                         << " blocks), got " << formatShape(lhsScale.getShape());
  } else if (lhs.getElementType() != element) {
    return emitError() << "lhs has element type " << lhs.getElementType() << " but rhs_scale has "
                       << element << " (quantized activations take an lhs_scale)";
  }
  types.push_back(RankedTensorType::get({lhs.getDimSize(0), rhs.getDimSize(0)}, element));
  return success();
}

LogicalResult EinsumOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  StringRef equation = getEquation();
  auto [lhs, output] = equation.split("->");
  if (!equation.contains("->") || output.contains("->"))
    return emitError() << "equation '" << equation << "' needs exactly one '->'";
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != getInputs().size())
    return emitError() << "equation '" << equation << "' has " << terms.size()
                       << " input terms but the op has " << getInputs().size() << " inputs";
  llvm::DenseMap<char, int64_t> sizes;
  auto isLabel = [](char c) { return llvm::isAlpha(c); };
  for (auto [index, term, value] : llvm::enumerate(terms, getInputs())) {
    RankedTensorType type = getTensorType(value);
    if (!llvm::all_of(term, isLabel))
      return emitError() << "equation term '" << term << "' may only contain letters";
    if (static_cast<int64_t>(term.size()) != type.getRank())
      return emitError() << "equation term '" << term << "' has " << term.size()
                         << " labels but input #" << index << " has rank " << type.getRank();
    for (auto [label, dim] : llvm::zip_equal(term, type.getShape())) {
      auto [it, inserted] = sizes.try_emplace(label, dim);
      if (inserted || ShapedType::isDynamic(dim))
        continue;
      if (ShapedType::isDynamic(it->second))
        it->second = dim;
      else if (it->second != dim)
        return emitError() << "label '" << label << "' has sizes " << it->second << " and " << dim;
    }
  }
  SmallVector<int64_t> shape;
  for (char label : output) {
    if (!isLabel(label) || !sizes.count(label))
      return emitError() << "output label '" << label << "' does not appear in any input";
    if (llvm::count(output, label) > 1)
      return emitError() << "output label '" << label << "' appears twice";
    shape.push_back(sizes[label]);
  }
  types.push_back(getTensorType(getInputs().front()).clone(shape));
  return success();
}
