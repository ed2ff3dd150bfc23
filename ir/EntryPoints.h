//===- EntryPoints.h - Entry functions specialized for dim values -*- C++ -*-===//
//
// A model with a dynamic dimension (an ONNX dim_param, a checkpoint's prompt
// length) compiled for several values of it (ternc --dim seq=16,64) holds one
// public function per value. Each carries the entry point name it
// specializes and the values it was compiled for; the plan keeps them as one
// entry point, and the runtime picks the specialization the inputs' shapes
// match (docs/RUNTIME.md, "Specializations").
//
//===----------------------------------------------------------------------===//
#ifndef TERN_IR_ENTRYPOINTS_H
#define TERN_IR_ENTRYPOINTS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>

namespace mlir::tern {

/// On a public function: the plan entry point it is one specialization of.
inline constexpr llvm::StringLiteral kEntryPointAttr = "tern.entry_point";
/// On a public function: {name = value : i64} for every dimension its
/// entry point is specialized over.
inline constexpr llvm::StringLiteral kDimsAttr = "tern.dims";

/// A named dimension and the value one specialization fixes it to.
struct DimValue {
  std::string name;
  int64_t value;
};

/// "main_seq16": the symbol of the specialization of `entry` for `dims`,
/// made of identifier characters only (kernels are named after it).
std::string getSpecializationSymbol(llvm::StringRef entry, llvm::ArrayRef<DimValue> dims);

/// Names `func` after its specialization and marks it with kEntryPointAttr
/// and kDimsAttr. With no dims, `func` is the entry point itself and keeps
/// the plain name.
void markSpecialization(func::FuncOp func, llvm::StringRef entry, llvm::ArrayRef<DimValue> dims);

/// Checks kEntryPointAttr and kDimsAttr on `op` (the dialect's attribute
/// verifier); other attributes pass.
LogicalResult verifyEntryPointAttribute(Operation *op, NamedAttribute attribute);

} // namespace mlir::tern

#endif // TERN_IR_ENTRYPOINTS_H
