//===- FunctionInliner.h - Model-local ONNX functions inlined ---*- C++ -*-===//
//
// Exporters (torch's dynamo exporter, onnxscript) write model-local
// functions (ModelProto.functions) and call them as nodes of the function's
// domain and name. The importer sees only the standard ops they are made
// of: before the graph is imported, every call is replaced by the
// function's nodes, with its inputs and outputs bound to the call's, its
// other values renamed apart, and its attribute references resolved from
// the call (or the function's defaults).
//
//===----------------------------------------------------------------------===//
#ifndef TERN_FRONTEND_ONNX_FUNCTIONINLINER_H
#define TERN_FRONTEND_ONNX_FUNCTIONINLINER_H

#include "frontend/onnx/ModelLoader.h"

namespace mlir::tern::onnx_import {

/// The most nodes and calls inlining may make: calls that fan out at every
/// level of nesting grow exponentially (a kilobyte of functions can call
/// for a million nodes), while exported models call each function about
/// once per layer.
constexpr int64_t kMaxInlinedNodes = 1 << 18;

/// Inlines every call of a model-local function in the main graph,
/// recursively. Fails, through `emitError`, on a function defined twice, a
/// function that calls itself (directly or not), a call of a function
/// domain with no such function, a function that imports an opset other
/// than the model's, or more than kMaxInlinedNodes nodes.
LogicalResult inlineLocalFunctions(LoadedModel &model,
                                   llvm::function_ref<InFlightDiagnostic()> emitError);

} // namespace mlir::tern::onnx_import

#endif // TERN_FRONTEND_ONNX_FUNCTIONINLINER_H
