//===- OnnxImporter.h - ONNX models into the tern dialect -------*- C++ -*-===//
#ifndef TERN_FRONTEND_ONNX_ONNXIMPORTER_H
#define TERN_FRONTEND_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace mlir::tern {

struct OnnxImportOptions {
  /// Values for named dynamic dimensions (`dim_param`), e.g. {"batch",
  /// {1}}. A dimension given several values is compiled once per value
  /// (every combination when several dimensions are): one specialization of
  /// @main each (ir/EntryPoints.h).
  std::vector<std::pair<std::string, std::vector<int64_t>>> dimValues;
  /// Integer graph inputs compiled for one value, e.g. {"axes", {0, 2}}:
  /// the elements in row-major order. The importer folds them like
  /// initializers; the entry argument stays and carries the value
  /// (kInputValueAttr), which the runtime checks every call has.
  std::vector<std::pair<std::string, std::vector<int64_t>>> inputValues;
};

/// The ONNX ops the importer converts, as "OpType" for the standard domain
/// and "domain.OpType" otherwise, sorted.
std::vector<std::string> getSupportedOnnxOps();

/// Imports the ONNX model at `path` (binary, or protobuf text format for
/// `.onnxtxt`/`.textproto`/`.txtpb`/`.pbtxt`) as a module with one function,
/// `@main`, or one per specialization when a dimension has several values
/// (sharing the weights). Problems are reported as error diagnostics on `context`; the
/// result is null then.
OwningOpRef<ModuleOp> importOnnxModel(llvm::StringRef path, MLIRContext &context,
                                      const OnnxImportOptions &options = {});

} // namespace mlir::tern

#endif // TERN_FRONTEND_ONNX_ONNXIMPORTER_H
