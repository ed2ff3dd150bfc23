//===- ModelLoader.h - Read and check an ONNX ModelProto --------*- C++ -*-===//
#ifndef TERN_FRONTEND_ONNX_MODELLOADER_H
#define TERN_FRONTEND_ONNX_MODELLOADER_H

#include "frontend/onnx/onnx.pb.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace mlir::tern::onnx_import {

/// The opsets of the standard domain Tern imports: any up to kMaxOpset,
/// each node's op checked against the versions its converter implements
/// (Converter::sinceOpset, mostly 13).
constexpr int64_t kMinOpset = 1;
constexpr int64_t kMaxOpset = 23;
/// The newest ONNX IR version Tern reads (onnx 1.18).
constexpr int64_t kMaxIrVersion = 11;
/// Protobuf refuses messages of 2 GiB or more; bigger models use external data.
constexpr uint64_t kMaxModelBytes = (uint64_t(1) << 31) - 1;

/// A parsed model and the opset version of each domain it imports. The
/// standard domain is stored under "" (also when written "ai.onnx").
struct LoadedModel {
  onnx::ModelProto proto;
  llvm::StringMap<int64_t> opsets;
};

/// True for the file names Tern parses as protobuf text format.
bool isTextFormatPath(llvm::StringRef path);

/// Reads `path` (binary, or text format by extension), and checks the size,
/// the IR version and the opset imports. Errors go to `emitError`.
mlir::LogicalResult loadModel(llvm::StringRef path, LoadedModel &model,
                              llvm::function_ref<mlir::InFlightDiagnostic()> emitError);

} // namespace mlir::tern::onnx_import

#endif // TERN_FRONTEND_ONNX_MODELLOADER_H
