//===- ModelLoader.cpp - Read and check an ONNX ModelProto ----------------===//
#include "frontend/onnx/ModelLoader.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <string>

namespace mlir::tern::onnx_import {

namespace {
/// Protobuf's own nesting limit, applied to text format too: a model with
/// subgraphs nested deeper than this is refused instead of overflowing the stack.
constexpr int kRecursionLimit = 100;

/// Keeps the first text-format syntax error with its position.
class TextErrorCollector : public google::protobuf::io::ErrorCollector {
public:
  void AddError(int line, int column, const std::string &message) override {
    if (first.empty())
      first = "line " + std::to_string(line + 1) + ", column " + std::to_string(column + 1) + ": " +
              message;
  }
  std::string first;
};
} // namespace

bool isTextFormatPath(llvm::StringRef path) {
  llvm::StringRef ext = llvm::sys::path::extension(path);
  return ext == ".onnxtxt" || ext == ".textproto" || ext == ".txtpb" || ext == ".pbtxt";
}

static LogicalResult parseModel(llvm::StringRef path, onnx::ModelProto &proto,
                                function_ref<InFlightDiagnostic()> emitError) {
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status))
    return emitError() << "cannot open '" << path << "': " << ec.message();
  if (!llvm::sys::fs::is_regular_file(status))
    return emitError() << "'" << path << "' is not a regular file";
  if (status.getSize() > kMaxModelBytes)
    return emitError() << "'" << path << "' is " << status.getSize()
                       << " bytes; protobuf cannot hold a model of 2 GiB or more: export the "
                          "weights as ONNX external data";
  auto buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer)
    return emitError() << "cannot read '" << path << "': " << buffer.getError().message();
  llvm::StringRef bytes = (*buffer)->getBuffer();
  if (bytes.empty())
    return emitError() << "'" << path << "' is empty, not an ONNX model";

  if (isTextFormatPath(path)) {
    google::protobuf::TextFormat::Parser parser;
    TextErrorCollector errors;
    parser.RecordErrorsTo(&errors);
    parser.SetRecursionLimit(kRecursionLimit);
    if (!parser.ParseFromString(std::string(bytes), &proto))
      return emitError() << "'" << path
                         << "' is not a valid ONNX text-format model: " << errors.first;
    return success();
  }
  google::protobuf::io::CodedInputStream stream(reinterpret_cast<const uint8_t *>(bytes.data()),
                                                static_cast<int>(bytes.size()));
  stream.SetRecursionLimit(kRecursionLimit);
  if (!proto.ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage())
    return emitError() << "'" << path
                       << "' is not a valid ONNX model (malformed or truncated protobuf, or "
                          "nested deeper than "
                       << kRecursionLimit << " levels)";
  return success();
}

LogicalResult loadModel(llvm::StringRef path, LoadedModel &model,
                        function_ref<InFlightDiagnostic()> emitError) {
  if (failed(parseModel(path, model.proto, emitError)))
    return failure();
  const onnx::ModelProto &proto = model.proto;
  if (!proto.has_graph())
    return emitError() << "'" << path << "' has no graph";
  if (proto.ir_version() <= 0 || proto.ir_version() > kMaxIrVersion)
    return emitError() << "'" << path << "' has ONNX IR version " << proto.ir_version()
                       << "; Tern reads IR versions 1 to " << kMaxIrVersion;
  for (const onnx::OperatorSetIdProto &opset : proto.opset_import()) {
    std::string domain = opset.domain() == "ai.onnx" ? "" : opset.domain();
    if (!model.opsets.try_emplace(domain, opset.version()).second)
      return emitError() << "'" << path << "' imports domain '" << opset.domain() << "' twice";
  }
  auto standard = model.opsets.find("");
  if (standard == model.opsets.end())
    return emitError() << "'" << path << "' has no opset_import for the standard ONNX domain";
  if (standard->second < kMinOpset || standard->second > kMaxOpset)
    return emitError() << "'" << path << "' uses opset " << standard->second
                       << " of the standard domain; Tern imports opsets " << kMinOpset << " to "
                       << kMaxOpset;
  return success();
}

} // namespace mlir::tern::onnx_import
