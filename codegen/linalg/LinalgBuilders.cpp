//===- LinalgBuilders.cpp - Helpers shared by the tern lowerings ----------===//
#include "codegen/linalg/LinalgBuilders.h"

#include "codegen/linalg/Fp8Emulation.h"
#include "ir/BlockQuantization.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/STLExtras.h"

#include <numeric>

namespace mlir::tern {

int64_t staticAxis(uint64_t axis, int64_t rank) {
  int64_t signedAxis = static_cast<int64_t>(axis);
  return signedAxis < 0 ? signedAxis + rank : signedAxis;
}

bool hasStaticShapes(Operation *op) {
  auto isStatic = [](Type type) { return cast<RankedTensorType>(type).hasStaticShape(); };
  return llvm::all_of(op->getOperandTypes(), isStatic) &&
         llvm::all_of(op->getResultTypes(), isStatic);
}

bool hasScalarElementwiseBody(linalg::LinalgOp op) {
  return llvm::all_of(op.getBlock()->without_terminator(), [](Operation &bodyOp) {
    return bodyOp.hasTrait<OpTrait::Elementwise>() && bodyOp.getNumRegions() == 0 &&
           bodyOp.getNumResults() == 1 && bodyOp.getResult(0).getType().isIntOrFloat();
  });
}

Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
}

Value createFilled(OpBuilder &b, Location loc, RankedTensorType type, TypedAttr value) {
  Value scalar = arith::ConstantOp::create(b, loc, value);
  return linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{createEmpty(b, loc, type)})
      .getResult(0);
}

Value sliceOf(OpBuilder &b, Location loc, Value source, ArrayRef<OpFoldResult> offsets,
              ArrayRef<int64_t> sizes, ArrayRef<int64_t> resultShape) {
  auto sourceType = cast<RankedTensorType>(source.getType());
  SmallVector<OpFoldResult> sizeAttrs, strides(sizes.size(), b.getIndexAttr(1));
  for (int64_t size : sizes)
    sizeAttrs.push_back(b.getIndexAttr(size));
  auto type = RankedTensorType::get(resultShape, sourceType.getElementType());
  return tensor::ExtractSliceOp::create(b, loc, type, source, offsets, sizeAttrs, strides);
}

Value reshapeStatic(OpBuilder &b, Location loc, Value input, RankedTensorType target) {
  auto source = cast<RankedTensorType>(input.getType());
  if (source.getShape() == target.getShape())
    return input;
  // A rank-0 side has only unit dimensions on the other: empty reassociation.
  if (source.getRank() == 0)
    return tensor::ExpandShapeOp::create(b, loc, target, input, ArrayRef<ReassociationIndices>{});
  if (target.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, target, input, ArrayRef<ReassociationIndices>{});
  // Otherwise through a 1-D view.
  auto all = [](int64_t rank) {
    return SmallVector<ReassociationIndices>{llvm::to_vector(llvm::seq<int64_t>(0, rank))};
  };
  auto flatType = RankedTensorType::get({source.getNumElements()}, source.getElementType());
  Value flat = source.getRank() == 1 ? input
                                     : tensor::CollapseShapeOp::create(b, loc, flatType, input,
                                                                       all(source.getRank()));
  if (target.getRank() == 1)
    return flat;
  return tensor::ExpandShapeOp::create(b, loc, target, flat, all(target.getRank()));
}

AffineMap broadcastMap(RankedTensorType operand, RankedTensorType result, MLIRContext *context) {
  SmallVector<AffineExpr> exprs;
  int64_t offset = result.getRank() - operand.getRank();
  for (int64_t d = 0; d < operand.getRank(); ++d) {
    bool stretched = operand.getDimSize(d) == 1 && result.getDimSize(d + offset) != 1;
    exprs.push_back(stretched ? getAffineConstantExpr(0, context)
                              : getAffineDimExpr(d + offset, context));
  }
  return AffineMap::get(result.getRank(), 0, exprs, context);
}

Value reduce(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes, ReductionKind kind) {
  auto type = cast<RankedTensorType>(input.getType());
  Type element = type.getElementType();
  MLIRContext *context = b.getContext();
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> kept;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    bool reduced = llvm::is_contained(axes, d);
    iterators.push_back(reduced ? utils::IteratorType::reduction : utils::IteratorType::parallel);
    if (!reduced) {
      shape.push_back(type.getDimSize(d));
      kept.push_back(getAffineDimExpr(d, context));
    }
  }
  auto resultType = RankedTensorType::get(shape, element);
  TypedAttr identity;
  bool isFloat = isa<FloatType>(element);
  if (kind == ReductionKind::Sum)
    identity = cast<TypedAttr>(b.getZeroAttr(element));
  else if (isFloat)
    identity = b.getFloatAttr(element, APFloat::getInf(cast<FloatType>(element).getFloatSemantics(),
                                                       /*Negative=*/kind == ReductionKind::Max));
  else if (element.isInteger(1)) // false < true: unsigned order
    identity = b.getBoolAttr(kind == ReductionKind::Min);
  else
    identity =
        b.getIntegerAttr(element, kind == ReductionKind::Max
                                      ? APInt::getSignedMinValue(element.getIntOrFloatBitWidth())
                                      : APInt::getSignedMaxValue(element.getIntOrFloatBitWidth()));
  bool isBool = element.isInteger(1);
  Value init = createFilled(b, loc, resultType, identity);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(type.getRank()),
                                 AffineMap::get(type.getRank(), 0, kept, context)};
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, ValueRange{input}, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value combined;
        switch (kind) {
        case ReductionKind::Sum:
          combined = isFloat ? Value(arith::AddFOp::create(nb, nloc, args[0], args[1]))
                             : Value(arith::AddIOp::create(nb, nloc, args[0], args[1]));
          break;
        case ReductionKind::Max:
          combined = isFloat  ? Value(arith::MaximumFOp::create(nb, nloc, args[0], args[1]))
                     : isBool ? Value(arith::OrIOp::create(nb, nloc, args[0], args[1]))
                              : Value(arith::MaxSIOp::create(nb, nloc, args[0], args[1]));
          break;
        case ReductionKind::Min:
          combined = isFloat  ? Value(arith::MinimumFOp::create(nb, nloc, args[0], args[1]))
                     : isBool ? Value(arith::AndIOp::create(nb, nloc, args[0], args[1]))
                              : Value(arith::MinSIOp::create(nb, nloc, args[0], args[1]));
          break;
        }
        linalg::YieldOp::create(nb, nloc, combined);
      });
  return generic.getResult(0);
}

Value elementwise(OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
                  ArrayRef<AffineMap> maps,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  SmallVector<AffineMap> allMaps(maps);
  allMaps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(), utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{createEmpty(b, loc, resultType)}, allMaps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, args.drop_back()));
      });
  return generic.getResult(0);
}

Value quantizeRowBlocksToFp8(OpBuilder &b, Location loc, Value rows, int64_t block) {
  auto type = cast<RankedTensorType>(rows.getType());
  int64_t count = type.getDimSize(0), width = type.getDimSize(1);
  MLIRContext *context = b.getContext();
  Type f32 = b.getF32Type();
  auto toF32 = [&](OpBuilder &nb, Location l, Value x) -> Value {
    return x.getType() == f32 ? x : arith::ExtFOp::create(nb, l, f32, x);
  };
  AffineExpr r = getAffineDimExpr(0, context), c = getAffineDimExpr(1, context),
             i = getAffineDimExpr(2, context);
  auto amaxType = RankedTensorType::get({count, width / block}, f32);
  Value blocks = reshapeStatic(
      b, loc, rows, RankedTensorType::get({count, width / block, block}, type.getElementType()));
  Value amax = linalg::GenericOp::create(
                   b, loc, TypeRange{amaxType}, ValueRange{blocks},
                   ValueRange{createFilled(b, loc, amaxType, b.getZeroAttr(f32))},
                   ArrayRef<AffineMap>{AffineMap::get(3, 0, {r, c, i}, context),
                                       AffineMap::get(3, 0, {r, c}, context)},
                   ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                                 utils::IteratorType::parallel,
                                                 utils::IteratorType::reduction},
                   [&](OpBuilder &nb, Location l, ValueRange args) {
                     Value magnitude = math::AbsFOp::create(nb, l, toF32(nb, l, args[0]));
                     linalg::YieldOp::create(
                         nb, l, arith::MaximumFOp::create(nb, l, args[1], magnitude).getResult());
                   })
                   .getResult(0);
  auto fp8 = Float8E4M3FNType::get(context);
  AffineMap identity = b.getMultiDimIdentityMap(2);
  return elementwise(
      b, loc, type, ValueRange{rows, amax},
      {identity, AffineMap::get(2, 0, {r, c.floorDiv(block)}, context)},
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        auto constant = [&](double value) -> Value {
          return arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(value));
        };
        Value clamped = arith::MaximumFOp::create(nb, l, args[1], constant(kActivationAmaxFloor));
        Value scale = arith::DivFOp::create(nb, l, clamped, constant(kE4M3Max));
        Value quantized =
            truncateF32ToFp8(nb, l, arith::DivFOp::create(nb, l, toF32(nb, l, args[0]), scale), fp8,
                             /*saturate=*/true);
        Value value = arith::MulFOp::create(nb, l, extendQuantizedToF32(nb, l, quantized), scale);
        return value.getType() == type.getElementType()
                   ? value
                   : arith::TruncFOp::create(nb, l, type.getElementType(), value);
      });
}

Value createAdd(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::AddFOp::create(b, loc, x, y);
  return arith::AddIOp::create(b, loc, x, y);
}

Type accumulatorType(Type element) {
  if (element.isF16() || element.isBF16())
    return Float32Type::get(element.getContext());
  return element;
}

Value roundToResult(OpBuilder &b, Location loc, Value value, RankedTensorType type) {
  if (cast<RankedTensorType>(value.getType()) == type)
    return value;
  return CastOp::create(b, loc, type, value);
}

Value contract(OpBuilder &builder, Location loc, RankedTensorType type, ValueRange inputs,
               ArrayRef<AffineMap> maps, ArrayRef<utils::IteratorType> iterators) {
  Type acc = accumulatorType(type.getElementType());
  bool isFloat = isa<FloatType>(acc);
  RankedTensorType accType = type.clone(acc);
  Value init = createFilled(builder, loc, accType, cast<TypedAttr>(builder.getZeroAttr(acc)));
  auto generic = linalg::GenericOp::create(
      builder, loc, TypeRange{accType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &b, Location l, ValueRange args) {
        auto widen = [&](Value arg) -> Value {
          return arg.getType() == acc ? arg : arith::ExtFOp::create(b, l, acc, arg);
        };
        Value term = widen(args[0]);
        if (args.size() == 3) {
          Value rhs = widen(args[1]);
          term = isFloat ? Value(arith::MulFOp::create(b, l, term, rhs))
                         : Value(arith::MulIOp::create(b, l, term, rhs));
        }
        linalg::YieldOp::create(b, l, createAdd(b, l, args.back(), term));
      });
  return roundToResult(builder, loc, generic.getResult(0), type);
}

ElementsAttr matchStoredWeight(Value weight, bool &transposed) {
  ElementsAttr data;
  transposed = false;
  if (matchPattern(weight, m_Constant(&data)))
    return data;
  Value input;
  if (auto op = weight.getDefiningOp<TransposeOp>();
      op && op.getPermutation() == ArrayRef<int64_t>{1, 0})
    input = op.getInput();
  else if (auto op = weight.getDefiningOp<linalg::TransposeOp>();
           op && op.getPermutation() == ArrayRef<int64_t>{1, 0})
    input = op.getInput();
  transposed = input && matchPattern(input, m_Constant(&data));
  return transposed ? data : ElementsAttr();
}

Value rowsTimesMatrix(OpBuilder &b, Location loc, Value rows, Value matrix, Type element,
                      std::optional<MatrixScales> scales, bool transposed, Value rowScales) {
  int64_t m = cast<RankedTensorType>(rows.getType()).getDimSize(0);
  int64_t n = cast<RankedTensorType>(matrix.getType()).getDimSize(transposed ? 0 : 1);
  MLIRContext *context = b.getContext();
  AffineExpr i = getAffineDimExpr(0, context), j = getAffineDimExpr(1, context),
             k = getAffineDimExpr(2, context);
  auto map = [&](AffineExpr row, AffineExpr column) {
    return AffineMap::get(3, 0, {row, column}, context);
  };
  SmallVector<AffineMap> maps = {map(i, k), transposed ? map(j, k) : map(k, j), map(i, j)};
  SmallVector<utils::IteratorType> iterators = {
      utils::IteratorType::parallel, utils::IteratorType::parallel, utils::IteratorType::reduction};
  auto type = RankedTensorType::get({m, n}, element);
  if (!scales)
    return contract(b, loc, type, ValueRange{rows, matrix}, maps, iterators);

  AffineExpr kBlock = k.floorDiv(scales->blockK), nBlock = j.floorDiv(scales->blockN);
  maps.insert(maps.begin() + 2, scales->nMajor ? map(nBlock, kBlock) : map(kBlock, nBlock));
  if (rowScales)
    maps.insert(maps.begin() + 3, map(i, kBlock));
  return contractScaled(b, loc, type, rows, matrix, scales->scales, maps, iterators, rowScales);
}

Value contractScaled(OpBuilder &b, Location loc, RankedTensorType type, Value lhs, Value matrix,
                     Value scales, ArrayRef<AffineMap> maps,
                     ArrayRef<utils::IteratorType> iterators, Value lhsScales) {
  Type element = type.getElementType(), acc = accumulatorType(element);
  RankedTensorType accType = type.clone(acc);
  SmallVector<Value> inputs = {lhs, matrix, scales};
  if (lhsScales)
    inputs.push_back(lhsScales);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{accType}, inputs,
      createFilled(b, loc, accType, cast<TypedAttr>(b.getZeroAttr(acc))), maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        auto widen = [&](Value x, Type to) -> Value {
          return x.getType() == to ? x : arith::ExtFOp::create(nb, l, to, x);
        };
        // f32(q) * scale, rounded to the element type: tern.dequantize.
        auto dequantize = [&](Value q, Value scale) -> Value {
          Value value = arith::MulFOp::create(nb, l, extendQuantizedToF32(nb, l, q),
                                              widen(scale, nb.getF32Type()));
          return element.isF32() ? value : arith::TruncFOp::create(nb, l, element, value);
        };
        Value weight = dequantize(args[1], args[2]);
        Value x = lhsScales ? dequantize(args[0], args[3]) : args[0];
        Value term = arith::MulFOp::create(nb, l, widen(x, acc), widen(weight, acc));
        linalg::YieldOp::create(nb, l, createAdd(nb, l, args.back(), term));
      });
  return roundToResult(b, loc, generic.getResult(0), type);
}

Value normalizeIndex(OpBuilder &b, Location loc, Value index, int64_t size) {
  Value i = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, zero);
  Value wrapped = arith::AddIOp::create(b, loc, i, arith::ConstantIndexOp::create(b, loc, size));
  return clampIndex(b, loc, arith::SelectOp::create(b, loc, negative, wrapped, i), size);
}

Value clampIndex(OpBuilder &b, Location loc, Value value, int64_t size) {
  Value i = value.getType().isIndex()
                ? value
                : Value(arith::IndexCastOp::create(b, loc, b.getIndexType(), value));
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  i = arith::MaxSIOp::create(b, loc, i, zero);
  return arith::MinSIOp::create(b, loc, i, arith::ConstantIndexOp::create(b, loc, size - 1));
}

Value spreadIteration(OpBuilder &b, Location loc, Value i, int64_t count) {
  if (count <= 2)
    return i;
  int64_t stride = std::max<int64_t>(1, int64_t(double(count) * 0.6180339887498949));
  while (std::gcd(stride, count) != 1)
    ++stride;
  Value scaled = arith::MulIOp::create(b, loc, i, arith::ConstantIndexOp::create(b, loc, stride));
  return arith::RemUIOp::create(b, loc, scaled, arith::ConstantIndexOp::create(b, loc, count));
}

ArrayAttr getKernelIterationMapping(OpBuilder &b) {
  return b.getArrayAttr({KernelIterationAttr::get(b.getContext())});
}

Value buildSigmoid(OpBuilder &b, Location loc, Value x) {
  Value one = arith::ConstantOp::create(b, loc, b.getFloatAttr(x.getType(), 1.0));
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, e));
}

Value buildSilu(OpBuilder &b, Location loc, Value x) {
  return arith::MulFOp::create(b, loc, x, buildSigmoid(b, loc, x));
}

/// The constant `stored` [N, K] as a constant [K, N] that the plan writer
/// transposes (#tern.concat_elements: nothing is copied at compile time);
/// null unless `stored` is a static 2-D constant of whole-byte elements (the
/// plan writer moves elements as bytes) with something to transpose.
ConcatElementsAttr getStoredTransposed(Value stored) {
  ElementsAttr data;
  if (!matchPattern(stored, m_Constant(&data)) ||
      !isa<DenseElementsAttr, DenseResourceElementsAttr, BlockQuantizedElementsAttr,
           BlockDequantizedElementsAttr>(data))
    return nullptr;
  auto type = cast<RankedTensorType>(data.getType());
  if (type.getRank() != 2 || !type.hasStaticShape() || type.getNumElements() == 0 ||
      !llvm::is_contained({8u, 16u, 32u, 64u}, type.getElementTypeBitWidth()))
    return nullptr;
  auto transposedType =
      RankedTensorType::get({type.getDimSize(1), type.getDimSize(0)}, type.getElementType());
  return ConcatElementsAttr::get(stored.getContext(), transposedType,
                                 ArrayAttr::get(stored.getContext(), {data}), 1, false);
}

} // namespace mlir::tern
