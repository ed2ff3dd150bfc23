//===- FunctionInliner.cpp - Model-local ONNX functions inlined -----------===//
#include "frontend/onnx/FunctionInliner.h"

#include "frontend/onnx/OnnxImporter.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <string>

namespace mlir::tern::onnx_import {
namespace {

/// The standard domain is "" or "ai.onnx"; the importer names it "".
std::string domainName(llvm::StringRef domain) { return domain == "ai.onnx" ? "" : domain.str(); }

/// Functions are called as nodes of their domain and name.
std::string functionKey(llvm::StringRef domain, llvm::StringRef name) {
  return domainName(domain) + ":" + name.str();
}

class FunctionInliner {
public:
  FunctionInliner(LoadedModel &model, llvm::function_ref<InFlightDiagnostic()> emitError)
      : model(model), emitError(emitError) {}

  LogicalResult run() {
    for (const onnx::FunctionProto &function : model.proto.functions()) {
      std::string key = functionKey(function.domain(), function.name());
      if (!functions.try_emplace(key, &function).second)
        return emitError() << "model-local function '" << function.name() << "' of domain '"
                           << function.domain() << "' is defined twice";
      functionDomains.insert(domainName(function.domain()));
    }
    if (functions.empty())
      return success();
    for (const std::string &op : getSupportedOnnxOps())
      supportedOps.insert(op);
    onnx::GraphProto &graph = *model.proto.mutable_graph();
    google::protobuf::RepeatedPtrField<onnx::NodeProto> inlined;
    for (const onnx::NodeProto &node : graph.node())
      if (failed(expand(node, inlined)))
        return failure();
    *graph.mutable_node() = std::move(inlined);
    return success();
  }

private:
  /// Appends `node` to `out`, or the nodes of the function it calls.
  LogicalResult expand(const onnx::NodeProto &node,
                       google::protobuf::RepeatedPtrField<onnx::NodeProto> &out) {
    std::string key = functionKey(node.domain(), node.op_type());
    auto found = functions.find(key);
    if (++nodeCount > kMaxInlinedNodes)
      return tooManyNodes();
    if (found == functions.end()) {
      // An op of a domain that holds functions, neither one of them nor an
      // op Tern converts, is a call of a function the model lacks.
      std::string domain = domainName(node.domain());
      if (functionDomains.contains(domain) &&
          !supportedOps.contains(domain.empty() ? node.op_type() : domain + "." + node.op_type()))
        return emitError() << "node '" << node.name() << "' calls function '" << node.op_type()
                           << "' of domain '" << node.domain()
                           << "', which the model does not define";
      *out.Add() = node;
      return success();
    }
    const onnx::FunctionProto &function = *found->second;
    if (!active.insert(key).second)
      return emitError() << "model-local function '" << function.name() << "' of domain '"
                         << function.domain() << "' calls itself (through node '" << node.name()
                         << "')";
    if (failed(checkOpsets(function)))
      return failure();
    // The call's values for the function's inputs and outputs; everything
    // else the body defines gets a name of this call's own.
    llvm::StringMap<std::string> names;
    for (auto [i, input] : llvm::enumerate(function.input()))
      names[input] = i < size_t(node.input_size()) ? node.input(i) : "";
    for (auto [i, output] : llvm::enumerate(function.output()))
      if (i < size_t(node.output_size()))
        names[output] = node.output(i);
    // Inlined nodes are named under the call (their locations, and what
    // tern-run --profile reports); their values also under the call's
    // number, since calls may share a name.
    std::string callName = node.name().empty() ? node.op_type() : node.name();
    std::string valuePrefix = callName + "/" + std::to_string(callCount++) + "/";
    auto rename = [&](const std::string &value) -> std::string {
      if (value.empty())
        return value;
      auto it = names.find(value);
      return it != names.end() ? it->second : valuePrefix + value;
    };
    for (auto [index, bodyNode] : llvm::enumerate(function.node())) {
      onnx::NodeProto call = bodyNode;
      call.set_name(callName + "/" +
                    (bodyNode.name().empty() ? bodyNode.op_type() + "_" + std::to_string(index)
                                             : bodyNode.name()));
      for (std::string &input : *call.mutable_input())
        input = rename(input);
      for (std::string &output : *call.mutable_output())
        output = rename(output);
      if (failed(resolveAttributes(call, node, function)))
        return failure();
      if (failed(expand(call, out)))
        return failure();
    }
    active.erase(key);
    return success();
  }

  /// Replaces each attribute of `bodyNode` that refers to one of the
  /// function's (ref_attr_name) by the call's value, else the function's
  /// default, else drops it (absent, as the op's own default applies).
  LogicalResult resolveAttributes(onnx::NodeProto &bodyNode, const onnx::NodeProto &call,
                                  const onnx::FunctionProto &function) {
    google::protobuf::RepeatedPtrField<onnx::AttributeProto> resolved;
    for (const onnx::AttributeProto &attr : bodyNode.attribute()) {
      if (attr.ref_attr_name().empty()) {
        *resolved.Add() = attr;
        continue;
      }
      const onnx::AttributeProto *value = find(call.attribute(), attr.ref_attr_name());
      if (!value)
        value = find(function.attribute_proto(), attr.ref_attr_name());
      if (!value) {
        bool declared = llvm::is_contained(function.attribute(), attr.ref_attr_name());
        if (!declared)
          return emitError() << "function '" << function.name() << "' refers to attribute '"
                             << attr.ref_attr_name() << "', which it does not declare";
        continue;
      }
      onnx::AttributeProto &copy = *resolved.Add();
      copy = *value;
      copy.set_name(attr.name());
    }
    *bodyNode.mutable_attribute() = std::move(resolved);
    return success();
  }

  static const onnx::AttributeProto *
  find(const google::protobuf::RepeatedPtrField<onnx::AttributeProto> &attrs,
       llvm::StringRef name) {
    for (const onnx::AttributeProto &attr : attrs)
      if (attr.name() == name)
        return &attr;
    return nullptr;
  }

  /// Inlined nodes are imported with the model's opsets: a function must
  /// not import another version of a domain the model imports.
  LogicalResult checkOpsets(const onnx::FunctionProto &function) {
    for (const onnx::OperatorSetIdProto &opset : function.opset_import()) {
      auto it = model.opsets.find(domainName(opset.domain()));
      if (it != model.opsets.end() && it->second != opset.version())
        return emitError() << "model-local function '" << function.name() << "' imports opset "
                           << opset.version() << " of domain '" << opset.domain()
                           << "', but the model imports opset " << it->second;
    }
    return success();
  }

  InFlightDiagnostic tooManyNodes() {
    return emitError() << "inlining the model-local functions makes more than " << kMaxInlinedNodes
                       << " nodes and calls";
  }

  LoadedModel &model;
  llvm::function_ref<InFlightDiagnostic()> emitError;
  llvm::StringMap<const onnx::FunctionProto *> functions;
  llvm::StringSet<> functionDomains;
  /// The ops Tern converts, as getSupportedOnnxOps() names them.
  llvm::StringSet<> supportedOps;
  /// The functions being expanded, callers first.
  llvm::StringSet<> active;
  int64_t callCount = 0, nodeCount = 0;
};

} // namespace

LogicalResult inlineLocalFunctions(LoadedModel &model,
                                   llvm::function_ref<InFlightDiagnostic()> emitError) {
  return FunctionInliner(model, emitError).run();
}

} // namespace mlir::tern::onnx_import
