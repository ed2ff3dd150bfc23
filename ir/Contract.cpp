//===- Contract.cpp - Attributes the stages of Tern exchange --------------===//
#include "ir/Contract.h"

#include "ir/EntryPoints.h"
#include "target/Target.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir::tern {

namespace {

constexpr llvm::StringLiteral kBufferizeResultAttr = "bufferize.result";

/// A non-empty string attribute, or null after an error on `op`.
StringAttr getNonEmptyString(Operation *op, StringRef what, NamedAttribute attribute) {
  auto value = dyn_cast<StringAttr>(attribute.getValue());
  if (!value || value.getValue().empty()) {
    op->emitError() << what << " has '" << attribute.getName().getValue() << "' "
                    << attribute.getValue() << "; expected a non-empty string";
    return nullptr;
  }
  return value;
}

/// Arguments made from results by bufferization (out-parameters) are
/// outputs; names are unique among inputs and among outputs.
bool isOutputArgument(FunctionOpInterface func, unsigned index) {
  return func.getArgAttr(index, kBufferizeResultAttr) != nullptr;
}

} // namespace

LogicalResult verifyContractAttribute(Operation *op, NamedAttribute attribute) {
  StringRef name = attribute.getName().getValue();
  if (name == kEntryPointAttr || name == kDimsAttr)
    return verifyEntryPointAttribute(op, attribute);
  if (name == kTargetAttr) {
    if (!isa<ModuleOp>(op))
      return op->emitError() << "'" << name << "' belongs on a module";
    StringAttr target = getNonEmptyString(op, "the module", attribute);
    if (!target)
      return failure();
    if (!::tern::Target::get(target.getValue()))
      return op->emitError() << "'" << name << "' names the unknown target '" << target.getValue()
                             << "' (expected " << ::tern::Target::describeNames() << ")";
    return success();
  }
  if (name == kArenaOffsetAttr || name == kArenaSizeAttr || name == kArenaLivePeakAttr) {
    auto bytes = dyn_cast<IntegerAttr>(attribute.getValue());
    if (!bytes || !bytes.getType().isInteger(64) || bytes.getInt() < 0)
      return op->emitError() << "'" << name << "' is " << attribute.getValue()
                             << "; expected a non-negative i64 byte count";
    if (name == kArenaLivePeakAttr)
      if (auto size = op->getAttrOfType<IntegerAttr>(kArenaSizeAttr);
          size && size.getInt() < bytes.getInt())
        return op->emitError() << "'" << name << "' (" << bytes.getInt()
                               << ") exceeds the arena it is live in ('" << kArenaSizeAttr << "' "
                               << size.getInt() << ")";
    return success();
  }
  if (name == kNameAttr || name == kStateAttr)
    return op->emitError() << "'" << name
                           << "' belongs on an entry function's arguments and results";
  return op->emitError() << "unknown attribute '" << name
                         << "'; the tern attributes are declared in ir/Contract.h";
}

LogicalResult verifyContractArgAttribute(Operation *op, unsigned index, NamedAttribute attribute) {
  StringRef name = attribute.getName().getValue();
  auto func = dyn_cast<FunctionOpInterface>(op);
  if (!func || (name != kNameAttr && name != kStateAttr))
    return op->emitError() << "'" << name << "' is not an argument attribute of a function";
  std::string what = ("argument #" + llvm::Twine(index)).str();
  StringAttr value = getNonEmptyString(op, what, attribute);
  if (!value)
    return failure();
  bool output = isOutputArgument(func, index);
  for (unsigned other = 0; other < index; ++other)
    if (func.getArgAttr(other, name) == value && isOutputArgument(func, other) == output)
      return op->emitError() << what << " has '" << name << "' " << value << ", as argument #"
                             << other << " does";
  return success();
}

LogicalResult verifyContractResultAttribute(Operation *op, unsigned index,
                                            NamedAttribute attribute) {
  StringRef name = attribute.getName().getValue();
  auto func = dyn_cast<FunctionOpInterface>(op);
  if (!func || (name != kNameAttr && name != kStateAttr))
    return op->emitError() << "'" << name << "' is not a result attribute of a function";
  std::string what = ("result #" + llvm::Twine(index)).str();
  StringAttr value = getNonEmptyString(op, what, attribute);
  if (!value)
    return failure();
  for (unsigned other = 0; other < index; ++other)
    if (func.getResultAttr(other, name) == value)
      return op->emitError() << what << " has '" << name << "' " << value << ", as result #"
                             << other << " does";
  if (name == kNameAttr)
    return success();
  // A state result returns its argument updated: same state, same type.
  for (unsigned arg = 0, e = func.getNumArguments(); arg < e; ++arg) {
    if (func.getArgAttr(arg, kStateAttr) != value)
      continue;
    if (func.getArgumentTypes()[arg] != func.getResultTypes()[index])
      return op->emitError() << what << " returns state " << value << " as "
                             << func.getResultTypes()[index] << ", but argument #" << arg
                             << " holds it as " << func.getArgumentTypes()[arg];
    return success();
  }
  return op->emitError() << what << " returns state " << value << ", which no argument takes";
}

} // namespace mlir::tern
