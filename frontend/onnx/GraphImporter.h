//===- GraphImporter.h - ONNX graph walk and converter API ------*- C++ -*-===//
//
// The importer walks the graph's nodes in order; each op type has a
// converter that reads its node through a NodeContext and emits tern ops.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_FRONTEND_ONNX_GRAPHIMPORTER_H
#define TERN_FRONTEND_ONNX_GRAPHIMPORTER_H

#include "frontend/onnx/KnownValues.h"
#include "frontend/onnx/ModelLoader.h"
#include "frontend/onnx/TensorReader.h"

#include "ir/TernOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

#include <string>

namespace mlir::tern::onnx_import {

/// What the importer knows about one ONNX value: its SSA value (made
/// lazily for constants), and its contents where known at compile time.
struct ValueSlot {
  RankedTensorType type;
  Value value;
  ElementsAttr constant;          ///< Set for initializers and constant results.
  std::optional<KnownInts> known; ///< Integer contents, fully or partly known.
};

class NodeContext;
using ConverterFn = LogicalResult (*)(NodeContext &);

/// Any number of inputs.
constexpr unsigned kVariadic = ~0u;

/// The oldest opset of the standard domain an op is converted from unless
/// its converter says otherwise.
constexpr int64_t kDefaultSinceOpset = 13;

/// A converter and the number of inputs its op takes: the first `minInputs`
/// must be present (non-empty), at most `maxInputs` may be given. A model's
/// standard-domain opset must be at least `sinceOpset`: the converter
/// implements the op's versions from there on (for ops unchanged since an
/// older version, that version, as ONNX's schemas record it).
struct Converter {
  ConverterFn convert;
  unsigned minInputs;
  unsigned maxInputs;
  int64_t sinceOpset = kDefaultSinceOpset;
};

/// Converters by "domain:OpType" ("" is the standard domain).
using ConverterTable = llvm::StringMap<Converter>;
void addElementwiseConverters(ConverterTable &table);
void addShapeConverters(ConverterTable &table);
void addNNConverters(ConverterTable &table);

/// One node's view of the importer: its inputs, attributes and outputs.
class NodeContext {
public:
  NodeContext(const onnx::NodeProto &node, llvm::StringRef name, int64_t opset, OpBuilder &builder,
              Location loc, llvm::StringMap<ValueSlot> &values)
      : node(node), name(name.str()), opset(opset), builder(builder), loc(loc), values(values) {}

  const onnx::NodeProto &node;
  /// The node's name, or "<OpType>_<index>" for an unnamed node.
  const std::string name;
  const int64_t opset;
  OpBuilder &builder;
  const Location loc;

  /// An error that names the node, its op type, domain and opset.
  InFlightDiagnostic error() const;

  // Inputs. An input given as "" is absent.
  size_t numInputs() const { return node.input_size(); }
  bool hasInput(size_t i) const { return i < numInputs() && !node.input(i).empty(); }
  FailureOr<Value> input(size_t i);
  RankedTensorType inputType(size_t i) const;
  const KnownInts *known(size_t i) const;
  ElementsAttr constant(size_t i) const;
  /// The fully known integer contents of input `i`, or an error saying that
  /// `what` must be a compile-time constant.
  FailureOr<SmallVector<int64_t>> requireInts(size_t i, llvm::StringRef what);
  /// Whether input `i` is an integer graph input of the function (what
  /// ternc --input-value can compile for one value of).
  bool isIntegerGraphInput(size_t i) const;
  /// Where input `i` is an integer graph input, tells `diag`'s reader how to
  /// compile for one value of it (ternc --input-value).
  void appendGraphInputHint(InFlightDiagnostic &diag, size_t i) const;

  /// Integers that older opsets give as attribute `name` and newer ones as
  /// input `i` (axes, split): the input's compile-time values when present,
  /// else the attribute, else nullopt.
  FailureOr<std::optional<SmallVector<int64_t>>> intsFromInputOrAttr(size_t i,
                                                                     llvm::StringRef name);

  // Attributes (already checked for duplicates and type/value agreement).
  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  int64_t getInt(llvm::StringRef name, int64_t defaultValue) const;
  float getFloat(llvm::StringRef name, float defaultValue) const;
  std::string getString(llvm::StringRef name, llvm::StringRef defaultValue) const;
  std::optional<SmallVector<int64_t>> getInts(llvm::StringRef name) const;

  // Outputs.
  size_t numOutputs() const { return node.output_size(); }
  bool hasOutput(size_t i) const { return i < numOutputs() && !node.output(i).empty(); }
  void setOutput(size_t i, Value value);
  /// Records a compile-time result; no op is emitted unless a user needs it.
  void setConstantOutput(size_t i, ElementsAttr value);
  /// Attaches partly known integer contents to an output set with setOutput.
  void setKnown(size_t i, KnownInts known);
  /// Output 0 for an op that may fold: a constant of `element` when `known`
  /// is fully known, else the value `emit` builds, with what is known of it.
  LogicalResult setFoldableOutput(std::optional<KnownInts> known, Type element,
                                  function_ref<FailureOr<Value>()> emit);

  /// A named attribute for an op being built.
  NamedAttribute namedAttr(llvm::StringRef name, Attribute value) {
    return NamedAttribute(builder.getStringAttr(name), value);
  }

  /// Records the first result of `op` (when it was built) as output 0.
  template <typename OpTy> LogicalResult setResult(FailureOr<OpTy> op) {
    if (failed(op))
      return failure();
    setOutput(0, (*op)->getResult(0));
    return success();
  }

  /// Creates an `OpTy`, infers its result types and returns it; on an
  /// inconsistency, erases it and reports through error(). `declared` gives
  /// the result types for ops whose result type is an input to inference
  /// (cast, reshape, expand, quantize); others get placeholders.
  template <typename OpTy>
  FailureOr<OpTy> create(ValueRange operands, ArrayRef<NamedAttribute> attrs = {},
                         TypeRange declared = {}, unsigned numResults = 1) {
    SmallVector<Type> types(declared.begin(), declared.end());
    if (types.empty())
      types.assign(numResults, RankedTensorType::get({}, builder.getF32Type()));
    auto op = OpTy::create(builder, loc, types, operands, attrs);
    if (failed(refineResultTypes(op.getOperation())))
      return failure();
    return op;
  }

private:
  LogicalResult refineResultTypes(Operation *op);
  llvm::StringMap<ValueSlot> &values;
};

} // namespace mlir::tern::onnx_import

#endif // TERN_FRONTEND_ONNX_GRAPHIMPORTER_H
