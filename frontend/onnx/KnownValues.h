//===- KnownValues.h - Compile-time integer tensors -------------*- C++ -*-===//
//
// Exporters compute shapes at run time (Shape -> Gather -> Concat -> Reshape).
// The importer evaluates that arithmetic where the values are known, so a
// static model imports without any of it.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_FRONTEND_ONNX_KNOWNVALUES_H
#define TERN_FRONTEND_ONNX_KNOWNVALUES_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::tern::onnx_import {

/// Integer tensors larger than this are never evaluated at compile time.
constexpr int64_t kMaxKnownElements = 4096;

/// A small integer tensor whose shape is static and whose elements are known
/// at compile time where `values[i]` is set (partially known shapes keep
/// their static dimensions).
struct KnownInts {
  llvm::SmallVector<int64_t> shape;
  llvm::SmallVector<std::optional<int64_t>> values;

  static KnownInts scalar(int64_t value) { return {{}, {value}}; }
  static KnownInts vector(llvm::ArrayRef<int64_t> values);
  /// The values of an integer (or bool) ElementsAttr, or nullopt.
  static std::optional<KnownInts> fromAttr(ElementsAttr attr);

  bool isFullyKnown() const;
  /// All values, when every one is known.
  std::optional<llvm::SmallVector<int64_t>> getAll() const;
  /// The dense attribute of a fully known tensor with `elementType`.
  DenseElementsAttr toAttr(Type elementType) const;
};

/// Elementwise `fn` over two known tensors with NumPy broadcasting; unknown
/// where either input is unknown. nullopt when the shapes do not broadcast.
std::optional<KnownInts>
broadcastKnown(const KnownInts &lhs, const KnownInts &rhs,
               llvm::function_ref<std::optional<int64_t>(int64_t, int64_t)> fn);

} // namespace mlir::tern::onnx_import

#endif // TERN_FRONTEND_ONNX_KNOWNVALUES_H
