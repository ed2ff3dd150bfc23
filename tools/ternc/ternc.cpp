//===- ternc.cpp - Model in, compiled plan (or IR at any stage) out -------===//
#include "tools/ternc/InspectCheckpoint.h"
#include "tools/ternc/Options.h"

#include "codegen/HostCodegen.h"
#include "codegen/Passes.h"
#include "codegen/Pipelines.h"
#include "codegen/PlanWriter.h"
#include "codegen/Schedule.h"
#include "frontend/hf/DeepSeekImporter.h"
#include "frontend/onnx/OnnxImporter.h"
#include "ir/TernDialect.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
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
  IRDumper(std::string dir, OpPrintingFlags flags, std::shared_ptr<unsigned> index)
      : dir(std::move(dir)), flags(flags), index(std::move(index)) {}

  LogicalResult dump(ModuleOp module, llvm::StringRef stage) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, llvm::formatv("{0:d2}-{1}.mlir", (*index)++, stage).str());
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
  std::shared_ptr<unsigned> index;
};

/// After --emit=linalg: every tern op left is one the lowering lacks.
LogicalResult checkFullyLowered(ModuleOp module) {
  bool lowered = true;
  module.walk([&](Operation *op) {
    if (!isa<mlir::tern::TernDialect>(op->getDialect()))
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

/// Applies --dump-ir-dir, --print-ir-after-all and --print-ir-after to one
/// stage's pass manager; dumps keep numbering across stages.
class PassManagerSetup {
public:
  PassManagerSetup(const ternc::TerncOptions &options, MLIRContext &context)
      : options(options), flags(printingFlags(options)) {
    if (!options.dumpIrDir.empty() || options.printIrAfterAll || !options.printIrAfter.empty())
      context.disableMultithreading();
  }

  /// Creates the dump folder and writes the importer's output.
  LogicalResult start(ModuleOp module) {
    if (options.dumpIrDir.empty())
      return success();
    if (std::error_code ec = llvm::sys::fs::create_directories(options.dumpIrDir))
      return emitError(module.getLoc())
             << "cannot create '" << options.dumpIrDir << "': " << ec.message();
    return IRDumper(options.dumpIrDir, flags, dumpIndex).dump(module, "import");
  }

  void configure(PassManager &pm) {
    if (!options.dumpIrDir.empty())
      pm.addInstrumentation(std::make_unique<IRDumper>(options.dumpIrDir, flags, dumpIndex));
    if (options.printIrAfterAll || !options.printIrAfter.empty()) {
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
  }

private:
  const ternc::TerncOptions &options;
  OpPrintingFlags flags;
  std::shared_ptr<unsigned> dumpIndex = std::make_shared<unsigned>(0);
};

/// Writes text to --output through a temporary file: no partial output.
int writeText(const ternc::TerncOptions &options,
              llvm::function_ref<void(llvm::raw_ostream &)> print) {
  llvm::Error error = llvm::writeToOutput(options.output, [&](llvm::raw_ostream &os) {
    print(os);
    return llvm::Error::success();
  });
  if (error) {
    llvm::errs() << "ternc: error: cannot write the output: " << llvm::toString(std::move(error))
                 << "\n";
    return 1;
  }
  return 0;
}

/// The CUDA toolkit whose libdevice GPU kernels link (math functions):
/// $CUDA_HOME, $CUDA_PATH, $CUDA_ROOT or /usr/local/cuda, the first with
/// nvvm/libdevice/libdevice.10.bc.
std::optional<std::string> findCudaToolkit() {
  std::vector<std::string> candidates;
  for (const char *variable : {"CUDA_HOME", "CUDA_PATH", "CUDA_ROOT"})
    if (const char *value = std::getenv(variable); value && *value)
      candidates.push_back(value);
  candidates.push_back("/usr/local/cuda");
  for (const std::string &candidate : candidates) {
    llvm::SmallString<256> libdevice(candidate);
    llvm::sys::path::append(libdevice, "nvvm", "libdevice", "libdevice.10.bc");
    if (llvm::sys::fs::exists(libdevice))
      return candidate;
  }
  return std::nullopt;
}

/// --emit=ptx: the PTX of every GPU module, each under a comment naming it.
void printPtx(ModuleOp module, llvm::raw_ostream &os) {
  module.walk([&](gpu::BinaryOp binary) {
    for (Attribute object : binary.getObjects())
      os << "// ---- kernel module @" << binary.getSymName() << "\n"
         << cast<gpu::ObjectAttr>(object).getObject().getValue() << "\n";
  });
}

/// Plan contents plus the target code: host object code or (already in the
/// contents) PTX.
int writePlan(const ternc::TerncOptions &options, ModuleOp module) {
  FailureOr<mlir::tern::PlanContents> contents =
      mlir::tern::buildPlanContents(module, options.target);
  if (failed(contents))
    return 1;
  contents->manifest.set_compiler_version("ternc " TERN_VERSION " (LLVM " TERN_LLVM_VERSION ")");
  if (options.target == "host") {
    std::vector<std::string> names;
    for (const auto &kernel : contents->manifest.kernels())
      names.push_back(kernel.name());
    FailureOr<std::string> library =
        mlir::tern::buildHostLibrary(mlir::tern::getKernelsModule(module), names);
    if (failed(library))
      return 1;
    contents->manifest.set_host_library(std::move(*library));
  }
  if (llvm::Error error = mlir::tern::writePlanFile(options.output, *contents)) {
    llvm::errs() << "ternc: error: cannot write the plan '" << options.output
                 << "': " << llvm::toString(std::move(error)) << "\n";
    return 1;
  }
  return 0;
}

/// A HuggingFace checkpoint folder as a module, for prompts of --dim seq=N
/// tokens (one specialization per value) or, with --max-seq-len, for
/// decoding (prefill specialized the same way); null (errors printed) when
/// it cannot be.
static OwningOpRef<ModuleOp> importCheckpoint(const ternc::TerncOptions &options,
                                              MLIRContext &context) {
  namespace hf = mlir::tern::hf;
  auto fail = [](const llvm::Twine &message) {
    llvm::errs() << "ternc: error: " << message << "\n";
    return OwningOpRef<ModuleOp>();
  };
  SmallVector<int64_t> seqLens;
  for (const auto &[name, values] : options.dims) {
    if (name != "seq")
      return fail("--dim " + name +
                  ": a checkpoint has one dimension to fix, seq (the prompt "
                  "length)");
    seqLens.assign(values.begin(), values.end());
  }
  if (seqLens.empty() && options.maxSeqLen <= 0)
    return fail("a checkpoint compiles for one prompt length (--dim seq=N) or for decoding "
                "(--max-seq-len N)");
  llvm::Expected<std::unique_ptr<hf::Checkpoint>> checkpoint = hf::Checkpoint::open(options.input);
  if (!checkpoint)
    return fail(llvm::toString(checkpoint.takeError()));
  llvm::SmallString<256> configPath(options.input);
  llvm::sys::path::append(configPath, "config.json");
  llvm::Expected<hf::DeepSeekConfig> config =
      hf::parseDeepSeekConfig((*checkpoint)->getConfig(), configPath);
  if (!config)
    return fail(llvm::toString(config.takeError()));
  std::shared_ptr<const hf::Checkpoint> shared(std::move(*checkpoint));
  if (options.maxSeqLen <= 0)
    return hf::importDeepSeek(std::move(shared), *config, seqLens, context);
  hf::DecodingShape shape;
  shape.maxSeqLen = options.maxSeqLen;
  shape.maxBatch = options.maxBatch;
  shape.prefillLens = seqLens;
  if (seqLens.empty())
    shape.prefillLens.push_back(options.maxSeqLen);
  return hf::importDeepSeekForDecoding(std::move(shared), *config, shape, context);
}

int run(const ternc::TerncOptions &options) {
  if (options.inspectCheckpoint)
    return ternc::inspectCheckpoint(options.input, llvm::outs());
  if (options.listOnnxOps) {
    for (const std::string &op : mlir::tern::getSupportedOnnxOps())
      llvm::outs() << op << "\n";
    return 0;
  }
  DialectRegistry registry;
  mlir::tern::registerCodegenDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Diagnostics name the ONNX node; the generic op dump is noise to users.
  context.printOpOnDiagnostic(false);
  ScopedDiagnosticHandler handler(&context, printDiagnostic);
  if (options.emit == "plan" && options.output == "-") {
    llvm::errs() << "ternc: error: a plan is a binary file: name it with -o FILE.tplan\n";
    return 1;
  }
  if (options.emit == "ptx" && options.target == "host") {
    llvm::errs() << "ternc: error: --emit=ptx needs a GPU target (--target=sm_80, sm_89 or "
                    "sm_90a); host plans hold x86-64 code\n";
    return 1;
  }

  OwningOpRef<ModuleOp> module;
  if (llvm::sys::fs::is_directory(options.input)) {
    module = importCheckpoint(options, context);
  } else if (options.maxSeqLen > 0) {
    llvm::errs() << "ternc: error: --max-seq-len compiles a checkpoint folder for decoding; '"
                 << options.input << "' is not a folder\n";
    return 1;
  } else {
    mlir::tern::OnnxImportOptions importOptions;
    importOptions.dimValues = options.dims;
    module = mlir::tern::importOnnxModel(options.input, context, importOptions);
  }
  if (!module)
    return 1;
  Builder b(&context);
  (*module)->setAttr("tern.target", b.getStringAttr(options.target));

  PassManagerSetup setup(options, context);
  if (failed(setup.start(*module)))
    return 1;
  OpPrintingFlags flags = printingFlags(options);
  auto printModule = [&](llvm::raw_ostream &os) {
    module->print(os, flags);
    os << "\n";
  };

  // Stage 1: tern, then linalg on tensors.
  PassManager pm(&context);
  setup.configure(pm);
  if (!options.noCleanup)
    mlir::tern::buildCleanupPipeline(pm, mlir::tern::CleanupPipelineOptions());
  if (options.emit != "tern")
    pm.addNestedPass<func::FuncOp>(mlir::tern::createConvertTernToLinalgPass());
  if (failed(pm.run(*module)))
    return 1;
  if (options.emit == "tern")
    return writeText(options, printModule);
  if (failed(checkFullyLowered(*module)))
    return 1;
  if (options.emit == "linalg")
    return writeText(options, printModule);

  // Stage 2: the schedule (bufferized, kernels outlined, arena planned) and
  // the kernels lowered for the target.
  PassManager codegen(&context);
  setup.configure(codegen);
  mlir::tern::buildSchedulePipeline(codegen, mlir::tern::SchedulePipelineOptions());
  if (options.target == "host") {
    mlir::tern::buildHostKernelsPipeline(codegen);
  } else {
    mlir::tern::GpuKernelsPipelineOptions gpu;
    gpu.chip = options.target;
    gpu.serialize = options.emit != "llvm";
    std::optional<std::string> toolkit = findCudaToolkit();
    if (gpu.serialize && !toolkit) {
      llvm::errs() << "ternc: error: --target=" << options.target
                   << " links libdevice (nvvm/libdevice/libdevice.10.bc) from the CUDA toolkit, "
                      "which was not found in $CUDA_HOME, $CUDA_PATH, $CUDA_ROOT or "
                      "/usr/local/cuda\n";
      return 1;
    }
    gpu.cudaToolkit = toolkit.value_or("");
    mlir::tern::buildGpuKernelsPipeline(codegen, gpu);
  }
  if (failed(codegen.run(*module)))
    return 1;
  if (options.emit == "llvm")
    return writeText(options, printModule);
  if (options.emit == "ptx")
    return writeText(options, [&](llvm::raw_ostream &os) { printPtx(*module, os); });
  return writePlan(options, *module);
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
