//===- ShapeUtils.h - Shape arithmetic shared by Tern ops -------*- C++ -*-===//
//
// Shape inference helpers. They take an `emitError` callback so that the
// verifier reports through the op and the importer through the ONNX node.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_IR_SHAPEUTILS_H
#define TERN_IR_SHAPEUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>
#include <string>

namespace mlir::tern {

using EmitErrorFn = llvm::function_ref<InFlightDiagnostic()>;

/// The type of a tern op's operand or result (always a ranked tensor).
inline RankedTensorType getTensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// The verifier of InferTypesOpInterface: the declared result types must be
/// compatible with the inferred ones.
LogicalResult verifyInferredResultTypes(Operation *op);

/// True when `a` and `b` are ranked tensors of the same element type and rank
/// whose dimensions agree wherever both are static.
bool areCompatibleTypes(Type a, Type b);

/// The most static type both compatible types describe: each dimension is
/// static where either is. Null when they are not compatible.
RankedTensorType joinTypes(RankedTensorType a, RankedTensorType b);

/// Formats a shape as `[2, ?, 4]` for diagnostics.
std::string formatShape(ArrayRef<int64_t> shape);

/// The product of `shape`, or nullopt when a dimension is dynamic or the
/// product overflows int64.
std::optional<int64_t> getStaticElementCount(ArrayRef<int64_t> shape);

/// Maps `axis` in [-rank, rank) to [0, rank), or reports `name` as out of range.
FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank, EmitErrorFn emitError,
                                 StringRef name = "axis");

/// Normalizes a list of axes and rejects duplicates.
FailureOr<SmallVector<int64_t>> normalizeAxes(ArrayRef<int64_t> axes, int64_t rank,
                                              EmitErrorFn emitError, StringRef name = "axes");

/// NumPy broadcasting of two shapes. A dynamic dimension against a static
/// one other than 1 takes the static size.
FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs,
                                                EmitErrorFn emitError);

/// True when `from` broadcasts to `to` in one direction (NumPy rules): `to`
/// keeps its shape, so each dimension of `from` is 1 or matches, where both
/// are static. Callers report the failure in terms of their own operands.
bool isBroadcastableTo(ArrayRef<int64_t> from, ArrayRef<int64_t> to);

/// Result type of an elementwise op over `operands`: their broadcast shape and
/// `resultElement`, or the first operand's element type when it is null.
LogicalResult inferBroadcastTypes(ValueRange operands, Type resultElement,
                                  SmallVectorImpl<Type> &types, EmitErrorFn emitError);

/// Result type of a reduction of `input` over `axes` (all when empty).
LogicalResult inferReductionTypes(RankedTensorType input, ArrayRef<int64_t> axes, bool keepdims,
                                  SmallVectorImpl<Type> &types, EmitErrorFn emitError);

/// Where an ONNX Slice of a static dimension starts and how many elements it
/// takes, after negative indices and clamping.
struct SliceBounds {
  int64_t start;
  int64_t length;
};
SliceBounds getSliceBounds(int64_t dim, int64_t start, int64_t end, int64_t step);

} // namespace mlir::tern

#endif // TERN_IR_SHAPEUTILS_H
