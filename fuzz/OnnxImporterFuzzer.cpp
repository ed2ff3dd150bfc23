//===- OnnxImporterFuzzer.cpp - libFuzzer harness for the ONNX importer ---===//
//
// Any bytes as a binary .onnx model: the importer must produce a module that
// verifies, or report errors as diagnostics. The importer reads from a path
// (external data is resolved beside the model), so each input is written to
// one private temporary file first.
//
//===----------------------------------------------------------------------===//
#include "frontend/onnx/OnnxImporter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

namespace {

/// A temporary .onnx file in its own folder (so that no external data
/// reference can name a real file), removed at exit. Never destroyed: the
/// exit handler needs it.
const std::string &modelPath() {
  static const std::string *model = [] {
    llvm::SmallString<128> dir;
    if (llvm::sys::fs::createUniqueDirectory("tern-fuzz-onnx", dir)) {
      llvm::errs() << "tern-fuzz-onnx: cannot create a temporary folder\n";
      std::abort();
    }
    auto *file = new std::string((dir + "/model.onnx").str());
    std::atexit([] {
      llvm::sys::fs::remove(modelPath());
      llvm::sys::fs::remove(llvm::sys::path::parent_path(modelPath()));
    });
    return file;
  }();
  return *model;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  {
    std::error_code error;
    llvm::raw_fd_ostream os(modelPath(), error);
    if (error)
      std::abort();
    os.write(reinterpret_cast<const char *>(data), size);
  }
  mlir::MLIRContext context;
  context.printOpOnDiagnostic(false);
  mlir::ScopedDiagnosticHandler quiet(&context, [](mlir::Diagnostic &) { return mlir::success(); });
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::tern::importOnnxModel(modelPath(), context);
  if (module && mlir::failed(mlir::verify(*module))) {
    llvm::errs() << "tern-fuzz-onnx: the importer returned a module that does not verify\n";
    std::abort();
  }
  return 0;
}
