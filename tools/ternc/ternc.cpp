//===- ternc.cpp - Model in, compiled IR (later: plan) out ----------------===//
#include "tools/ternc/Options.h"

#include "codegen/Passes.h"
#include "frontend/onnx/OnnxImporter.h"
#include "ir/TernDialect.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace {

/// "file: " or "file:line:col: " for a diagnostic, plus "node 'n': " for a
/// message about an op the importer made for ONNX node n.
std::string locationPrefix(Location loc, llvm::StringRef message) {
  std::string node;
  while (auto name = dyn_cast<NameLoc>(loc)) {
    if (!message.starts_with("node '"))
      node = ("node '" + name.getName().getValue() + "': ").str();
    loc = name.getChildLoc();
  }
  auto file = dyn_cast<FileLineColLoc>(loc);
  if (!file)
    return node;
  if (file.getLine() == 0)
    return (file.getFilename().getValue() + ": ").str() + node;
  return llvm::formatv("{0}:{1}:{2}: ", file.getFilename().getValue(), file.getLine(),
                       file.getColumn())
             .str() +
         node;
}

LogicalResult printDiagnostic(Diagnostic &diag) {
  const char *severity = diag.getSeverity() == DiagnosticSeverity::Error     ? "error"
                         : diag.getSeverity() == DiagnosticSeverity::Warning ? "warning"
                                                                             : "note";
  std::string message = diag.str();
  llvm::errs() << locationPrefix(diag.getLocation(), message) << severity << ": " << message
               << "\n";
  for (Diagnostic &note : diag.getNotes())
    llvm::errs() << locationPrefix(note.getLocation(), note.str()) << "note: " << note.str()
                 << "\n";
  return success();
}

OpPrintingFlags printingFlags(const ternc::TerncOptions &options) {
  OpPrintingFlags flags;
  if (options.elideWeights)
    flags.elideLargeResourceString(64);
  return flags;
}

/// Writes the module to `NN-<stage>.mlir` in --dump-ir-dir after import and
/// after every pass.
class IRDumper : public PassInstrumentation {
public:
  IRDumper(std::string dir, OpPrintingFlags flags) : dir(std::move(dir)), flags(flags) {}

  LogicalResult dump(ModuleOp module, llvm::StringRef stage) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, llvm::formatv("{0:d2}-{1}.mlir", index++, stage).str());
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    if (ec)
      return emitError(module.getLoc()) << "cannot write '" << path << "': " << ec.message();
    module->print(os, flags);
    return success();
  }

  void runAfterPass(Pass *pass, Operation *op) override {
    // Pass-manager adaptors (nested pipelines) have no argument: their
    // passes are dumped one by one already.
    if (pass->getArgument().empty())
      return;
    auto module = isa<ModuleOp>(op) ? cast<ModuleOp>(op) : op->getParentOfType<ModuleOp>();
    (void)dump(module, pass->getArgument());
  }

private:
  std::string dir;
  OpPrintingFlags flags;
  unsigned index = 0;
};

/// After --emit=linalg: every tern op left is one the lowering lacks.
LogicalResult checkFullyLowered(ModuleOp module) {
  bool lowered = true;
  module.walk([&](Operation *op) {
    if (!isa<tern::TernDialect>(op->getDialect()))
      return;
    bool dynamic = llvm::any_of(op->getResultTypes(), [](Type type) {
      return !cast<RankedTensorType>(type).hasStaticShape();
    });
    op->emitError() << "'" << op->getName() << "' has no lowering to linalg yet"
                    << (dynamic ? " for dynamic shapes (pin them with --dim)" : "");
    lowered = false;
  });
  return success(lowered);
}

int run(const ternc::TerncOptions &options) {
  if (options.listOnnxOps) {
    for (const std::string &op : tern::getSupportedOnnxOps())
      llvm::outs() << op << "\n";
    return 0;
  }
  MLIRContext context;
  context.loadDialect<tern::TernDialect, func::FuncDialect>();
  // Diagnostics name the ONNX node; the generic op dump is noise to users.
  context.printOpOnDiagnostic(false);
  ScopedDiagnosticHandler handler(&context, printDiagnostic);

  if (options.emit != "tern" && options.emit != "linalg") {
    llvm::errs() << "ternc: error: --emit=" << options.emit
                 << " is not available yet: this build lowers to the tern dialect and, in part, "
                    "to linalg (code generation is tracked in docs/ARCHITECTURE.md)\n";
    return 1;
  }

  tern::OnnxImportOptions importOptions;
  for (const auto &[name, value] : options.dims)
    importOptions.dimValues[name] = value;
  OwningOpRef<ModuleOp> module = tern::importOnnxModel(options.input, context, importOptions);
  if (!module)
    return 1;
  Builder b(&context);
  (*module)->setAttr("tern.target", b.getStringAttr(options.target));

  OpPrintingFlags flags = printingFlags(options);
  PassManager pm(&context);
  IRDumper *dumper = nullptr;
  if (!options.dumpIrDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(options.dumpIrDir)) {
      llvm::errs() << "ternc: error: cannot create '" << options.dumpIrDir << "': " << ec.message()
                   << "\n";
      return 1;
    }
    context.disableMultithreading();
    auto owned = std::make_unique<IRDumper>(options.dumpIrDir, flags);
    dumper = owned.get();
    if (failed(dumper->dump(*module, "import")))
      return 1;
    pm.addInstrumentation(std::move(owned));
  }
  if (options.printIrAfterAll || !options.printIrAfter.empty()) {
    context.disableMultithreading();
    std::vector<std::string> after = options.printIrAfter;
    bool all = options.printIrAfterAll;
    pm.enableIRPrinting(
        /*shouldPrintBeforePass=*/nullptr,
        [after, all](Pass *pass, Operation *) {
          return all || llvm::is_contained(after, pass->getArgument().str());
        },
        /*printModuleScope=*/true, /*printAfterOnlyOnChange=*/false,
        /*printAfterOnlyOnFailure=*/false, llvm::errs(), flags);
  }
  if (!options.noCleanup)
    tern::buildCleanupPipeline(pm, tern::CleanupPipelineOptions());
  if (options.emit == "linalg")
    pm.addNestedPass<func::FuncOp>(tern::createConvertTernToLinalgPass());
  if (failed(pm.run(*module)))
    return 1;
  if (options.emit == "linalg" && failed(checkFullyLowered(*module)))
    return 1;

  // Written to a temporary file and renamed: no partial output on failure.
  llvm::Error error = llvm::writeToOutput(options.output, [&](llvm::raw_ostream &os) {
    module->print(os, flags);
    os << "\n";
    return llvm::Error::success();
  });
  if (error) {
    llvm::errs() << "ternc: error: cannot write the output: " << llvm::toString(std::move(error))
                 << "\n";
    return 1;
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  ternc::TerncOptions options;
  switch (ternc::parseTerncOptions(argc, argv, options)) {
  case ternc::ParseResult::ExitSuccess:
    return 0;
  case ternc::ParseResult::ExitFailure:
    return 1;
  case ternc::ParseResult::Run:
    break;
  }
  return run(options);
}
