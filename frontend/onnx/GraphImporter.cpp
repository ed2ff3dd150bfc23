//===- GraphImporter.cpp - ONNX graph walk --------------------------------===//
#include "frontend/onnx/GraphImporter.h"

#include "frontend/onnx/FunctionInliner.h"
#include "frontend/onnx/OnnxImporter.h"
#include "ir/Contract.h"
#include "ir/EntryPoints.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

namespace mlir::tern::onnx_import {

//===----------------------------------------------------------------------===//
// NodeContext
//===----------------------------------------------------------------------===//

InFlightDiagnostic NodeContext::error() const {
  InFlightDiagnostic diag = mlir::emitError(loc);
  diag << "node '" << name << "' (";
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    diag << node.domain() << ".";
  diag << node.op_type() << ", opset " << opset << "): ";
  return diag;
}

FailureOr<Value> NodeContext::input(size_t i) {
  if (!hasInput(i))
    return error() << "input #" << i << " is required";
  ValueSlot &slot = values.find(node.input(i))->second;
  if (!slot.value)
    slot.value = ConstantOp::create(builder, loc, slot.constant);
  return slot.value;
}

RankedTensorType NodeContext::inputType(size_t i) const {
  return values.find(node.input(i))->second.type;
}

const KnownInts *NodeContext::known(size_t i) const {
  if (!hasInput(i))
    return nullptr;
  const ValueSlot &slot = values.find(node.input(i))->second;
  return slot.known ? &*slot.known : nullptr;
}

ElementsAttr NodeContext::constant(size_t i) const {
  return hasInput(i) ? values.find(node.input(i))->second.constant : ElementsAttr();
}

FailureOr<SmallVector<int64_t>> NodeContext::requireInts(size_t i, llvm::StringRef what) {
  const KnownInts *k = known(i);
  if (k)
    if (std::optional<SmallVector<int64_t>> all = k->getAll())
      return *all;
  InFlightDiagnostic diag = error() << what << " (input #" << i << " '"
                                    << (hasInput(i) ? node.input(i) : "")
                                    << "') must be known at compile time";
  appendGraphInputHint(diag, i);
  return diag;
}

bool NodeContext::isIntegerGraphInput(size_t i) const {
  if (!hasInput(i))
    return false;
  const ValueSlot &slot = values.find(node.input(i))->second;
  return isa_and_nonnull<BlockArgument>(slot.value) && slot.type.getElementType().isInteger() &&
         slot.type.getElementType().getIntOrFloatBitWidth() > 1;
}

void NodeContext::appendGraphInputHint(InFlightDiagnostic &diag, size_t i) const {
  if (isIntegerGraphInput(i))
    diag << "; it is a graph input: compile for one value of it with ternc --input-value "
         << node.input(i) << "=V[,V...]";
}

FailureOr<std::optional<SmallVector<int64_t>>>
NodeContext::intsFromInputOrAttr(size_t i, llvm::StringRef name) {
  if (!hasInput(i))
    return getInts(name);
  FailureOr<SmallVector<int64_t>> values = requireInts(i, name);
  if (failed(values))
    return failure();
  return std::optional<SmallVector<int64_t>>(std::move(*values));
}

const onnx::AttributeProto *NodeContext::attr(llvm::StringRef name) const {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeContext::getInt(llvm::StringRef name, int64_t defaultValue) const {
  const onnx::AttributeProto *a = attr(name);
  return a && a->type() == onnx::AttributeProto::INT ? a->i() : defaultValue;
}

float NodeContext::getFloat(llvm::StringRef name, float defaultValue) const {
  const onnx::AttributeProto *a = attr(name);
  return a && a->type() == onnx::AttributeProto::FLOAT ? a->f() : defaultValue;
}

std::string NodeContext::getString(llvm::StringRef name, llvm::StringRef defaultValue) const {
  const onnx::AttributeProto *a = attr(name);
  return a && a->type() == onnx::AttributeProto::STRING ? a->s() : defaultValue.str();
}

std::optional<SmallVector<int64_t>> NodeContext::getInts(llvm::StringRef name) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a || a->type() != onnx::AttributeProto::INTS)
    return std::nullopt;
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

void NodeContext::setOutput(size_t i, Value value) {
  if (!hasOutput(i))
    return;
  ValueSlot &slot = values[node.output(i)];
  slot.value = value;
  slot.type = cast<RankedTensorType>(value.getType());
}

void NodeContext::setConstantOutput(size_t i, ElementsAttr value) {
  if (!hasOutput(i))
    return;
  ValueSlot &slot = values[node.output(i)];
  slot.type = cast<RankedTensorType>(value.getType());
  slot.constant = value;
  slot.known = KnownInts::fromAttr(value);
}

void NodeContext::setKnown(size_t i, KnownInts known) {
  if (hasOutput(i))
    values[node.output(i)].known = std::move(known);
}

LogicalResult NodeContext::setFoldableOutput(std::optional<KnownInts> known, Type element,
                                             function_ref<FailureOr<Value>()> emit) {
  if (known && known->isFullyKnown()) {
    setConstantOutput(0, known->toAttr(element));
    return success();
  }
  FailureOr<Value> value = emit();
  if (failed(value))
    return failure();
  setOutput(0, *value);
  if (known)
    setKnown(0, std::move(*known));
  return success();
}

LogicalResult NodeContext::refineResultTypes(Operation *op) {
  SmallVector<Type> inferred;
  if (failed(cast<InferTypesOpInterface>(op).inferResultTypes(inferred, [&] { return error(); }))) {
    op->erase();
    return failure();
  }
  for (auto [result, type] : llvm::zip_equal(op->getResults(), inferred))
    result.setType(type);
  // The ODS constraints (element types, attribute ranges) as well.
  if (failed(verify(op, /*verifyRecursively=*/false))) {
    op->erase();
    return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Graph import
//===----------------------------------------------------------------------===//

namespace {

/// Checks that no attribute repeats and that each holds the field its type names.
LogicalResult checkAttributes(const onnx::NodeProto &node,
                              function_ref<InFlightDiagnostic()> error) {
  using A = onnx::AttributeProto;
  llvm::StringSet<> seen;
  for (const A &a : node.attribute()) {
    if (a.name().empty())
      return error() << "has an attribute without a name";
    if (!seen.insert(a.name()).second)
      return error() << "attribute '" << a.name() << "' appears twice";
    // The fields that hold a value, by the type they belong to.
    SmallVector<A::AttributeType> held;
    if (a.has_f())
      held.push_back(A::FLOAT);
    if (a.has_i())
      held.push_back(A::INT);
    if (a.has_s())
      held.push_back(A::STRING);
    if (a.has_t())
      held.push_back(A::TENSOR);
    if (a.has_g())
      held.push_back(A::GRAPH);
    if (a.floats_size())
      held.push_back(A::FLOATS);
    if (a.ints_size())
      held.push_back(A::INTS);
    if (a.strings_size())
      held.push_back(A::STRINGS);
    if (a.tensors_size())
      held.push_back(A::TENSORS);
    if (a.graphs_size())
      held.push_back(A::GRAPHS);
    if (a.type() == A::UNDEFINED)
      return error() << "attribute '" << a.name() << "' has no type";
    for (A::AttributeType type : held)
      if (type != a.type())
        return error() << "attribute '" << a.name() << "' is declared "
                       << A::AttributeType_Name(a.type()) << " but holds a value of type "
                       << A::AttributeType_Name(type);
    bool scalar = a.type() == A::FLOAT || a.type() == A::INT || a.type() == A::STRING ||
                  a.type() == A::TENSOR || a.type() == A::GRAPH;
    if (scalar && held.empty())
      return error() << "attribute '" << a.name() << "' is declared "
                     << A::AttributeType_Name(a.type()) << " but has no value";
  }
  return success();
}

class GraphImporter {
public:
  GraphImporter(MLIRContext &context, LoadedModel &model, llvm::StringRef path,
                const OnnxImportOptions &options)
      : context(context), model(model), options(options),
        fileLoc(FileLineColLoc::get(&context, path, 0, 0)), builder(&context),
        reader(&context, llvm::sys::path::parent_path(path)) {
    addElementwiseConverters(converters);
    addShapeConverters(converters);
    addNNConverters(converters);
  }

  OwningOpRef<ModuleOp> run();

private:
  /// Adds @main (specialized for `dims`, if any) to `module`.
  LogicalResult importMain(ModuleOp module, llvm::ArrayRef<DimValue> dims);
  InFlightDiagnostic error() { return mlir::emitError(fileLoc); }
  FailureOr<RankedTensorType> convertValueInfo(const onnx::ValueInfoProto &info);
  /// The value --input-value gives graph input `name` of `type` (a vector
  /// of dynamic length takes the values' count), null if none.
  FailureOr<DenseIntElementsAttr> getCompiledValue(llvm::StringRef name, RankedTensorType type);
  LogicalResult checkDeclaredOutput(const onnx::ValueInfoProto &info, RankedTensorType computed);
  LogicalResult importInitializers(onnx::GraphProto &graph);
  LogicalResult importNode(const onnx::NodeProto &node, size_t index);

  MLIRContext &context;
  LoadedModel &model;
  const OnnxImportOptions &options;
  Location fileLoc;
  OpBuilder builder;
  TensorReader reader;
  ConverterTable converters;
  /// The initializers, shared by every specialization.
  llvm::StringMap<ValueSlot> initializers;
  /// What is defined so far in the function being imported.
  llvm::StringMap<ValueSlot> values;
  /// The value of every pinned dim_param in that function.
  llvm::StringMap<int64_t> dimValues;
};

LogicalResult GraphImporter::checkDeclaredOutput(const onnx::ValueInfoProto &info,
                                                 RankedTensorType computed) {
  // A declaration may leave out the type or the shape, and name dimensions.
  const onnx::TypeProto::Tensor &declared = info.type().tensor_type();
  if (declared.elem_type() != onnx::TensorProto::UNDEFINED) {
    FailureOr<Type> element =
        convertElementType(declared.elem_type(), &context, "graph output '" + info.name() + "'",
                           [&] { return error(); });
    if (failed(element))
      return failure();
    if (*element != computed.getElementType())
      return error() << "graph output '" << info.name() << "' is declared with element type "
                     << *element << " but computes " << computed;
  }
  if (!declared.has_shape())
    return success();
  SmallVector<int64_t> shape;
  for (const onnx::TensorShapeProto::Dimension &dim : declared.shape().dim())
    shape.push_back(dim.has_dim_value() ? dim.dim_value() : ShapedType::kDynamic);
  if (!areCompatibleTypes(computed.clone(shape), computed))
    return error() << "graph output '" << info.name() << "' is declared with shape "
                   << formatShape(shape) << " but computes " << computed;
  return success();
}

FailureOr<DenseIntElementsAttr> GraphImporter::getCompiledValue(llvm::StringRef name,
                                                                RankedTensorType type) {
  auto given =
      llvm::find_if(options.inputValues, [&](const auto &entry) { return entry.first == name; });
  if (given == options.inputValues.end())
    return DenseIntElementsAttr();
  const std::vector<int64_t> &elements = given->second;
  auto element = dyn_cast<IntegerType>(type.getElementType());
  if (!element || element.getWidth() == 1)
    return error() << "--input-value " << name << ": graph input '" << name << "' has type " << type
                   << "; only integer inputs are compiled for a value";
  // A vector of unnamed length takes the number of values given.
  if (type.getRank() == 1 && type.isDynamicDim(0))
    type = type.clone({int64_t(elements.size())});
  if (!type.hasStaticShape() || type.getNumElements() != int64_t(elements.size()))
    return error() << "--input-value " << name << " gives " << elements.size()
                   << " values; graph input '" << name << "' has type " << type;
  SmallVector<APInt> bits;
  unsigned width = element.getWidth();
  for (int64_t value : elements) {
    // Unsigned inputs take 0 .. 2^w - 1 (up to 2^63 - 1 for ui64).
    bool fits = element.isUnsigned()
                    ? value >= 0 && (width == 64 ||
                                     value <= int64_t(APInt::getMaxValue(width).getZExtValue()))
                    : APInt::getSignedMinValue(width).getSExtValue() <= value &&
                          value <= APInt::getSignedMaxValue(width).getSExtValue();
    if (!fits)
      return error() << "--input-value " << name << ": " << value << " does not fit graph input '"
                     << name << "' (" << element << ")";
    bits.push_back(APInt(width, value, /*isSigned=*/!element.isUnsigned()));
  }
  return DenseIntElementsAttr::get(type, bits);
}

FailureOr<RankedTensorType> GraphImporter::convertValueInfo(const onnx::ValueInfoProto &info) {
  std::string what = "graph input '" + info.name() + "'";
  if (!info.type().has_tensor_type())
    return error() << what << " is not a tensor";
  const onnx::TypeProto::Tensor &tensor = info.type().tensor_type();
  FailureOr<Type> element =
      convertElementType(tensor.elem_type(), &context, what, [&] { return error(); });
  if (failed(element))
    return failure();
  if (!tensor.has_shape())
    return error() << what << " has no shape; Tern needs at least the rank";
  SmallVector<int64_t> shape;
  for (const onnx::TensorShapeProto::Dimension &dim : tensor.shape().dim()) {
    if (dim.has_dim_value()) {
      if (dim.dim_value() < 0)
        return error() << what << " has a negative dimension (" << dim.dim_value() << ")";
      shape.push_back(dim.dim_value());
    } else if (dim.has_dim_param() && dimValues.count(dim.dim_param())) {
      shape.push_back(dimValues.lookup(dim.dim_param()));
    } else {
      shape.push_back(ShapedType::kDynamic);
    }
  }
  return RankedTensorType::get(shape, *element);
}

LogicalResult GraphImporter::importInitializers(onnx::GraphProto &graph) {
  for (onnx::TensorProto &tensor : *graph.mutable_initializer()) {
    std::string what = "initializer '" + tensor.name() + "'";
    if (tensor.name().empty())
      return error() << "an initializer has an empty name";
    if (initializers.count(tensor.name()))
      return error() << what << " is defined twice";
    FailureOr<ElementsAttr> attr = reader.read(tensor, what, [&] { return error(); });
    if (failed(attr))
      return failure();
    ValueSlot &slot = initializers[tensor.name()];
    slot.type = cast<RankedTensorType>(attr->getType());
    slot.constant = *attr;
    slot.known = KnownInts::fromAttr(*attr);
  }
  return success();
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node, size_t index) {
  std::string domain = node.domain() == "ai.onnx" ? "" : node.domain();
  std::string name =
      node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name();
  Location loc = NameLoc::get(StringAttr::get(&context, name), fileLoc);
  auto opset = model.opsets.find(domain);
  auto describe = [&]() {
    InFlightDiagnostic diag = mlir::emitError(loc);
    diag << "node '" << name << "' (" << (domain.empty() ? "" : domain + ".") << node.op_type();
    return diag;
  };
  if (opset == model.opsets.end())
    return describe() << "): domain '" << node.domain()
                      << "' is used without an opset_import for it";
  NodeContext ctx(node, name, opset->second, builder, loc, values);
  if (failed(checkAttributes(node, [&] { return ctx.error(); })))
    return failure();
  auto converter = converters.find(domain + ":" + node.op_type());
  if (converter == converters.end())
    return ctx.error() << "unsupported op '" << node.op_type() << "' in domain '"
                       << (domain.empty() ? "ai.onnx" : domain) << "'";
  const Converter &op = converter->second;
  if (domain.empty() && opset->second < op.sinceOpset)
    return ctx.error() << "Tern converts " << node.op_type() << " from opset " << op.sinceOpset
                       << " on; in opset " << opset->second << " it is an older version";
  size_t inputs = node.input_size();
  if (inputs < op.minInputs || inputs > op.maxInputs) {
    InFlightDiagnostic diag = ctx.error() << "has " << inputs << " inputs but takes ";
    if (op.maxInputs == kVariadic)
      diag << "at least " << op.minInputs;
    else if (op.minInputs == op.maxInputs)
      diag << op.minInputs;
    else
      diag << op.minInputs << " to " << op.maxInputs;
    return diag;
  }
  // Every ONNX op has a first output; converters may rely on it.
  if (node.output_size() == 0)
    return ctx.error() << "has no outputs";
  for (unsigned i = 0; i < op.minInputs; ++i)
    if (node.input(i).empty())
      return ctx.error() << "required input #" << i << " is empty";
  for (const std::string &input : node.input())
    if (!input.empty() && !values.count(input))
      return ctx.error() << "input '" << input
                         << "' is not defined (not a graph input, an initializer or an earlier "
                            "node's output)";
  for (const std::string &output : node.output())
    if (!output.empty() && values.count(output))
      return ctx.error() << "output '" << output << "' is already defined";
  if (failed(op.convert(ctx)))
    return failure();
  for (auto [i, output] : llvm::enumerate(node.output()))
    if (!output.empty() && !values.count(output))
      return ctx.error() << "output #" << i << " '" << output
                         << "' is not supported by Tern's importer";
  return success();
}

/// Every combination of the --dim values, the first dimension varying
/// slowest; each lists only the dimensions that have several values.
std::vector<std::vector<DimValue>>
getSpecializations(llvm::ArrayRef<std::pair<std::string, std::vector<int64_t>>> dimValues) {
  std::vector<std::vector<DimValue>> combinations = {{}};
  for (const auto &[name, values] : dimValues) {
    if (values.size() < 2)
      continue;
    std::vector<std::vector<DimValue>> next;
    for (const std::vector<DimValue> &prefix : combinations)
      for (int64_t value : values) {
        next.push_back(prefix);
        next.back().push_back({name, value});
      }
    combinations = std::move(next);
  }
  return combinations;
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  onnx::GraphProto &graph = *model.proto.mutable_graph();
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  if (failed(importInitializers(graph)))
    return nullptr;
  for (const auto &entry : options.inputValues) {
    const std::string &name = entry.first;
    if (!llvm::any_of(graph.input(),
                      [&](const onnx::ValueInfoProto &info) { return info.name() == name; }) ||
        initializers.count(name))
      return (error() << "--input-value " << name << ": the model has no graph input '" << name
                      << "' (initializers are constants already)"),
             nullptr;
  }
  // A dimension compiled for several values must shape some input, or the
  // specializations could not be told apart.
  for (const auto &entry : options.dimValues) {
    // Not a structured binding: lambdas capture those only from C++20.
    const std::string &name = entry.first;
    const auto &dimValues = entry.second;
    bool used = llvm::any_of(graph.input(), [&](const onnx::ValueInfoProto &info) {
      return llvm::any_of(info.type().tensor_type().shape().dim(),
                          [&](const auto &dim) { return dim.dim_param() == name; });
    });
    if (dimValues.size() > 1 && !used)
      return (error() << "--dim " << name
                      << " has several values, but no graph input has a dimension named '" << name
                      << "'"),
             nullptr;
  }
  for (const std::vector<DimValue> &dims : getSpecializations(options.dimValues))
    if (failed(importMain(*module, dims))) {
      if (!dims.empty()) {
        InFlightDiagnostic note = emitRemark(fileLoc) << "while importing the specialization for";
        for (const DimValue &dim : dims)
          note << " " << dim.name << " = " << dim.value;
      }
      return nullptr;
    }
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

LogicalResult GraphImporter::importMain(ModuleOp module, llvm::ArrayRef<DimValue> dims) {
  onnx::GraphProto &graph = *model.proto.mutable_graph();
  values = initializers;
  dimValues.clear();
  for (const auto &[name, choices] : options.dimValues)
    if (choices.size() == 1)
      dimValues[name] = choices.front();
  for (const DimValue &dim : dims)
    dimValues[dim.name] = dim.value;
  builder.setInsertionPointToEnd(module.getBody());

  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  SmallVector<DenseIntElementsAttr> compiledValues;
  llvm::StringSet<> inputNames;
  for (const onnx::ValueInfoProto &info : graph.input()) {
    if (!inputNames.insert(info.name()).second)
      return error() << "graph input '" << info.name() << "' is declared twice";
    if (values.count(info.name()))
      continue; // An initializer with a default value in the input list.
    FailureOr<RankedTensorType> type = convertValueInfo(info);
    if (failed(type))
      return failure();
    FailureOr<DenseIntElementsAttr> value = getCompiledValue(info.name(), *type);
    if (failed(value))
      return failure();
    argTypes.push_back(*value ? value->getType() : *type);
    argNames.push_back(info.name());
    compiledValues.push_back(*value);
  }

  auto func = func::FuncOp::create(builder, fileLoc, "main", builder.getFunctionType(argTypes, {}));
  markSpecialization(func, "main", dims);
  Block *entry = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    func.setArgAttr(i, kNameAttr, builder.getStringAttr(name));
    ValueSlot &slot = values[name];
    slot.value = entry->getArgument(i);
    slot.type = cast<RankedTensorType>(argTypes[i]);
    if (DenseIntElementsAttr value = compiledValues[i]) {
      func.setArgAttr(i, kInputValueAttr, value);
      slot.value = nullptr; // Uses fold; the argument stays the caller's input.
      slot.constant = value;
      slot.known = KnownInts::fromAttr(value);
    }
  }
  builder.setInsertionPointToEnd(entry);

  for (auto [index, node] : llvm::enumerate(graph.node()))
    if (failed(importNode(node, index)))
      return failure();

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    auto slot = values.find(output.name());
    if (slot == values.end())
      return error() << "graph output '" << output.name()
                     << "' is not produced by any node, input or initializer";
    if (!slot->second.value)
      slot->second.value = ConstantOp::create(builder, fileLoc, slot->second.constant);
    if (failed(checkDeclaredOutput(output, slot->second.type)))
      return failure();
    results.push_back(slot->second.value);
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setType(builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, kNameAttr, builder.getStringAttr(output.name()));
  return success();
}

} // namespace
} // namespace mlir::tern::onnx_import

namespace mlir::tern {

std::vector<std::string> getSupportedOnnxOps() {
  onnx_import::ConverterTable table;
  onnx_import::addElementwiseConverters(table);
  onnx_import::addShapeConverters(table);
  onnx_import::addNNConverters(table);
  std::vector<std::string> ops;
  for (const auto &entry : table) {
    auto [domain, op] = entry.getKey().split(':');
    ops.push_back(domain.empty() ? op.str() : (domain + "." + op).str());
  }
  llvm::sort(ops);
  return ops;
}

OwningOpRef<ModuleOp> importOnnxModel(llvm::StringRef path, MLIRContext &context,
                                      const OnnxImportOptions &options) {
  context.loadDialect<TernDialect, func::FuncDialect>();
  onnx_import::LoadedModel model;
  Location fileLoc = FileLineColLoc::get(&context, path, 0, 0);
  auto error = [&] { return emitError(fileLoc); };
  if (failed(onnx_import::loadModel(path, model, error)) ||
      failed(onnx_import::inlineLocalFunctions(model, error)))
    return nullptr;
  return onnx_import::GraphImporter(context, model, path, options).run();
}

} // namespace mlir::tern
