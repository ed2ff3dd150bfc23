//===- Contract.cpp - Attributes the stages of Tern exchange --------------===//
#include "ir/Contract.h"

#include "ir/EntryPoints.h"
#include "target/Target.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/StringExtras.h"

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

/// A module's string attribute that names one of `choices`.
LogicalResult verifyModuleChoice(Operation *op, NamedAttribute attribute,
                                 ArrayRef<StringRef> choices) {
  StringRef name = attribute.getName().getValue();
  if (!isa<ModuleOp>(op))
    return op->emitError() << "'" << name << "' belongs on a module";
  StringAttr value = getNonEmptyString(op, "the module", attribute);
  if (!value)
    return failure();
  if (!llvm::is_contained(choices, value.getValue()))
    return op->emitError() << "'" << name << "' is '" << value.getValue() << "'; expected "
                           << llvm::join(choices, " or ");
  return success();
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
  if (name == kPrecisionAttr)
    return verifyModuleChoice(op, attribute, {"f32", "bf16"});
  if (name == kWeightsAttr)
    return verifyModuleChoice(op, attribute, {"fp8-block", "bf16"});
  if (name == kActivationsAttr)
    return verifyModuleChoice(op, attribute, {kFp8BlockActivations});
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
  if (name == kHostTaskAttr) {
    if (!isa<FunctionOpInterface>(op) || !isa<UnitAttr>(attribute.getValue()))
      return op->emitError() << "'" << name << "' is a unit attribute of functions";
    return success();
  }
  if (name == kNameAttr || name == kStateAttr)
    return op->emitError() << "'" << name
                           << "' belongs on an entry function's arguments and results";
  return op->emitError() << "unknown attribute '" << name
                         << "'; the tern attributes are declared in ir/Contract.h";
}

namespace {

/// A name or state on argument or result `index` of `op`: a non-empty
/// string no earlier argument (of the same role, input or output) or result
/// has. Null after an error.
StringAttr verifyUniqueName(Operation *op, bool result, unsigned index, NamedAttribute attribute) {
  StringRef name = attribute.getName().getValue();
  StringRef kind = result ? "result" : "argument";
  auto func = dyn_cast<FunctionOpInterface>(op);
  if (!func || (name != kNameAttr && name != kStateAttr)) {
    op->emitError() << "'" << name << "' is not " << (result ? "a result" : "an argument")
                    << " attribute of a function";
    return nullptr;
  }
  std::string what = (kind + " #" + llvm::Twine(index)).str();
  StringAttr value = getNonEmptyString(op, what, attribute);
  if (!value)
    return nullptr;
  for (unsigned other = 0; other < index; ++other) {
    bool sameRole = result || isOutputArgument(func, other) == isOutputArgument(func, index);
    Attribute earlier = result ? func.getResultAttr(other, name) : func.getArgAttr(other, name);
    if (earlier == value && sameRole) {
      op->emitError() << what << " has '" << name << "' " << value << ", as " << kind << " #"
                      << other << " does";
      return nullptr;
    }
  }
  return value;
}

} // namespace

/// `tern.unsigned`: a unit attribute on a signless integer (wider than i1).
static LogicalResult verifyUnsigned(Operation *op, StringRef what, Type type,
                                    NamedAttribute attribute) {
  auto shaped = dyn_cast<ShapedType>(type);
  Type element = shaped ? shaped.getElementType() : Type();
  if (!isa<UnitAttr>(attribute.getValue()) || !element || !element.isSignlessInteger() ||
      element.isInteger(1))
    return op->emitError() << what << " has '" << kUnsignedAttr << "' " << attribute.getValue()
                           << ", which marks a unit on signless integers";
  return success();
}

LogicalResult verifyContractArgAttribute(Operation *op, unsigned index, NamedAttribute attribute) {
  if (attribute.getName() == kUnsignedAttr) {
    auto func = dyn_cast<FunctionOpInterface>(op);
    return verifyUnsigned(op, ("argument #" + llvm::Twine(index)).str(),
                          func ? func.getArgumentTypes()[index] : Type(), attribute);
  }
  if (attribute.getName() == kInputValueAttr) {
    auto func = dyn_cast<FunctionOpInterface>(op);
    auto value = dyn_cast<DenseIntElementsAttr>(attribute.getValue());
    auto arg = func ? dyn_cast<ShapedType>(func.getArgumentTypes()[index]) : nullptr;
    if (!value || !arg || !arg.hasStaticShape() || value.getType().getShape() != arg.getShape() ||
        value.getElementType() != arg.getElementType())
      return op->emitError() << "argument #" << index << " has '" << kInputValueAttr << "' "
                             << attribute.getValue()
                             << ", which is not an integer value of the argument's type";
    return success();
  }
  return success(verifyUniqueName(op, /*result=*/false, index, attribute) != nullptr);
}

LogicalResult verifyContractResultAttribute(Operation *op, unsigned index,
                                            NamedAttribute attribute) {
  if (attribute.getName() == kUnsignedAttr) {
    auto func = dyn_cast<FunctionOpInterface>(op);
    return verifyUnsigned(op, ("result #" + llvm::Twine(index)).str(),
                          func ? func.getResultTypes()[index] : Type(), attribute);
  }
  StringAttr value = verifyUniqueName(op, /*result=*/true, index, attribute);
  if (!value)
    return failure();
  if (attribute.getName() == kNameAttr)
    return success();
  // A state result returns its argument updated: same state, same type.
  auto func = cast<FunctionOpInterface>(op);
  for (unsigned arg = 0, e = func.getNumArguments(); arg < e; ++arg) {
    if (func.getArgAttr(arg, kStateAttr) != value)
      continue;
    if (func.getArgumentTypes()[arg] != func.getResultTypes()[index])
      return op->emitError() << "result #" << index << " returns state " << value << " as "
                             << func.getResultTypes()[index] << ", but argument #" << arg
                             << " holds it as " << func.getArgumentTypes()[arg];
    return success();
  }
  return op->emitError() << "result #" << index << " returns state " << value
                         << ", which no argument takes";
}

} // namespace mlir::tern
