//===- EntryPoints.cpp - Entry functions specialized for dim values -------===//
#include "ir/EntryPoints.h"

#include "mlir/IR/Builders.h"

#include <cctype>

namespace mlir::tern {

std::string getSpecializationSymbol(llvm::StringRef entry, llvm::ArrayRef<DimValue> dims) {
  std::string symbol = entry.str();
  for (const DimValue &dim : dims) {
    symbol += '_';
    // dim_params may hold any characters; kernel symbols may not.
    for (char c : dim.name)
      symbol += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    symbol += std::to_string(dim.value);
  }
  return symbol;
}

void markSpecialization(func::FuncOp func, llvm::StringRef entry, llvm::ArrayRef<DimValue> dims) {
  Builder b(func.getContext());
  if (dims.empty()) {
    func.setSymName(entry);
    return;
  }
  func.setSymName(getSpecializationSymbol(entry, dims));
  func->setAttr(kEntryPointAttr, b.getStringAttr(entry));
  SmallVector<NamedAttribute> values;
  for (const DimValue &dim : dims)
    values.push_back(b.getNamedAttr(dim.name, b.getI64IntegerAttr(dim.value)));
  func->setAttr(kDimsAttr, b.getDictionaryAttr(values));
}

LogicalResult verifyEntryPointAttribute(Operation *op, NamedAttribute attribute) {
  StringRef name = attribute.getName().getValue();
  if (name != kEntryPointAttr && name != kDimsAttr)
    return success();
  auto func = dyn_cast<func::FuncOp>(op);
  if (!func || !func.isPublic())
    return op->emitError() << "'" << name << "' marks a public function (an entry point)";
  if (name == kEntryPointAttr) {
    auto entry = dyn_cast<StringAttr>(attribute.getValue());
    if (!entry || entry.getValue().empty())
      return op->emitError() << "'" << name << "' must be a non-empty string";
    if (!op->hasAttr(kDimsAttr))
      return op->emitError() << "'" << name << "' needs '" << kDimsAttr
                             << "', the dimension values this function is specialized for";
    return success();
  }
  auto dims = dyn_cast<DictionaryAttr>(attribute.getValue());
  if (!dims || dims.empty())
    return op->emitError() << "'" << name << "' must be a non-empty dictionary of dimension values";
  for (NamedAttribute dim : dims) {
    auto value = dyn_cast<IntegerAttr>(dim.getValue());
    if (!value || !value.getType().isInteger(64) || value.getInt() < 0)
      return op->emitError() << "'" << name << "' gives dimension '" << dim.getName().getValue()
                             << "' " << dim.getValue() << "; expected a non-negative i64";
  }
  if (!op->hasAttr(kEntryPointAttr))
    return op->emitError() << "'" << name << "' needs '" << kEntryPointAttr
                           << "', the entry point this function specializes";
  return success();
}

} // namespace mlir::tern
