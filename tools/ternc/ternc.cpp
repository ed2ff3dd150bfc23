//===- ternc.cpp - Model in, compiled plan (or IR at any stage) out -------===//
#include "tools/ternc/InspectCheckpoint.h"
#include "tools/ternc/Options.h"
#include "tools/ternc/PrintIR.h"
#include "tools/ternc/Progress.h"

#include "codegen/plan/PlanWriter.h"
#include "compiler/CompilePipeline.h"
#include "compiler/Emit.h"
#include "compiler/Registration.h"
#include "frontend/hf/DeepSeekImporter.h"
#include "frontend/onnx/OnnxImporter.h"
#include "ir/Contract.h"
#include "ir/TernDialect.h"
#include "passes/Passes.h"
#include "target/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/Pass.h"
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
  if (options.printLocations)
    flags.enableDebugInfo();
  return flags;
}

/// Writes the module to DIR/NN-NAME.mlir.
LogicalResult dumpModule(ModuleOp module, llvm::StringRef dir, unsigned index, llvm::StringRef name,
                         OpPrintingFlags flags, bool printWeights) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, llvm::formatv("{0:d2}-{1}.mlir", index, name).str());
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return emitError(module.getLoc()) << "cannot write '" << path << "': " << ec.message();
  ternc::printIR(module, os, flags, printWeights);
  os << "\n";
  return success();
}

/// --dump-ir-dir: after each phase of the compile pipeline, the whole
/// module in one file (01-cleanup.mlir, ..., 05-kernels.mlir), every
/// kernel included; 00-import.mlir is the importer's output.
class DumpPhasePass : public PassWrapper<DumpPhasePass, OperationPass<ModuleOp>> {
public:
  DumpPhasePass(std::string dir, unsigned index, std::string phase, OpPrintingFlags flags,
                bool printWeights)
      : dir(std::move(dir)), index(index), phase(std::move(phase)), flags(flags),
        printWeights(printWeights) {}
  llvm::StringRef getArgument() const override { return "ternc-dump-phase"; }
  llvm::StringRef getDescription() const override {
    return "Writes the module after a phase to --dump-ir-dir";
  }
  void runOnOperation() override {
    if (failed(dumpModule(getOperation(), dir, index, phase, flags, printWeights)))
      signalPassFailure();
  }

private:
  std::string dir;
  unsigned index;
  std::string phase;
  OpPrintingFlags flags;
  bool printWeights;
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

/// Writes the plan of the compiled module to --output.
int writePlan(const ternc::TerncOptions &options, ModuleOp module, const ::tern::Target &target,
              ternc::Progress &progress) {
  progress.beginStage("plan");
  progress.setDetail(target.isHost() ? "compiling the kernels to x86-64" : "kernels and weights");
  FailureOr<mlir::tern::PlanContents> contents =
      mlir::tern::buildPlan(module, target, "ternc " TERN_VERSION " (LLVM " TERN_LLVM_VERSION ")");
  if (failed(contents))
    return 1;
  progress.beginStage("weights");
  auto onWeightWritten = [&](uint64_t written, uint64_t total) {
    progress.setDetail(llvm::formatv("{0:f2} of {1:f2} GB written", written / 1e9, total / 1e9));
  };
  if (llvm::Error error = mlir::tern::writePlanFile(options.output, *contents, onWeightWritten)) {
    llvm::errs() << "ternc: error: cannot write the plan '" << options.output
                 << "': " << llvm::toString(std::move(error)) << "\n";
    return 1;
  }
  return 0;
}

/// The target --target and --host-cpu name; nullopt (error printed) if none.
std::optional<::tern::Target> getTarget(const ternc::TerncOptions &options) {
  std::optional<::tern::Target> target = ::tern::Target::get(options.target);
  if (!target) {
    llvm::errs() << "ternc: error: unknown --target '" << options.target << "' (expected "
                 << ::tern::Target::describeNames() << ")\n";
    return std::nullopt;
  }
  if (options.cpu.empty())
    return target;
  if (!target->isHost()) {
    llvm::errs() << "ternc: error: --host-cpu chooses the CPU of --target=host; " << options.target
                 << " is a GPU\n";
    return std::nullopt;
  }
  llvm::Expected<::tern::Target> host = ::tern::Target::getHost(options.cpu);
  if (!host) {
    llvm::errs() << "ternc: error: --host-cpu: " << llvm::toString(host.takeError()) << "\n";
    return std::nullopt;
  }
  return *host;
}

/// The phase --emit ends with.
mlir::tern::CompilePhase getLastPhase(llvm::StringRef emit) {
  if (emit == "tern")
    return mlir::tern::CompilePhase::Precision;
  if (emit == "linalg")
    return mlir::tern::CompilePhase::Lowering;
  return mlir::tern::CompilePhase::Kernels;
}

/// A HuggingFace checkpoint folder as a module, for prompts of --dim seq=N
/// tokens (one specialization per value) or, with --max-seq-len, for
/// decoding (prefill specialized the same way); null (errors printed) when
/// it cannot be. An empty `precision` becomes the checkpoint's own.
static OwningOpRef<ModuleOp> importCheckpoint(const ternc::TerncOptions &options,
                                              const ::tern::Target &target, MLIRContext &context,
                                              std::string &precision) {
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
  if (precision.empty()) {
    precision = config->dtype == hf::TrainedDtype::Float32 ? "f32" : "bf16";
    if (config->dtype == hf::TrainedDtype::Float16)
      llvm::errs() << "ternc: note: the checkpoint was saved in float16, which Tern does not "
                      "compute in: it computes in bf16 (--precision=f32 for f32)\n";
  }
  std::shared_ptr<const hf::Checkpoint> shared(std::move(*checkpoint));
  hf::WeightFormat weights = options.weights == "fp8-block" ? hf::WeightFormat::Fp8Block
                             : options.weights == "bf16"    ? hf::WeightFormat::Bf16
                                                            : hf::WeightFormat::AsStored;
  // A GPU without FP8 tensor cores computes an FP8 checkpoint from bf16
  // weights unless told otherwise.
  if (!options.weightsGiven && config->fp8 && target.isCuda() &&
      !target.getTensorCores().mmaSyncFp8) {
    llvm::errs() << "ternc: note: " << target.getName()
                 << " has no FP8 tensor cores: the FP8 weights are dequantized to bf16 "
                    "(--weights=bf16; --weights=as-stored keeps them FP8)\n";
    weights = hf::WeightFormat::Bf16;
  }
  // A conversion with nothing to convert is said, not recorded in the plan.
  if ((weights == hf::WeightFormat::Bf16 && !config->fp8) ||
      (weights == hf::WeightFormat::Fp8Block && config->fp8)) {
    llvm::errs() << "ternc: note: the checkpoint's weights are "
                 << (config->fp8 ? "FP8 already" : "not FP8") << ": --weights=" << options.weights
                 << " keeps them as stored\n";
    weights = hf::WeightFormat::AsStored;
  }
  if (options.maxSeqLen <= 0)
    return hf::importDeepSeek(std::move(shared), *config, seqLens, context, weights);
  hf::DecodingShape shape;
  shape.maxSeqLen = options.maxSeqLen;
  shape.maxBatch = options.maxBatch;
  shape.blockSize = options.kvBlockSize;
  shape.blocks = options.kvBlocks;
  shape.prefillLens = seqLens;
  if (seqLens.empty())
    shape.prefillLens.push_back(options.maxSeqLen);
  return hf::importDeepSeekForDecoding(std::move(shared), *config, shape, context, weights);
}

int run(const ternc::TerncOptions &options) {
  if (options.inspectCheckpoint)
    return ternc::inspectCheckpoint(options.input, llvm::outs());
  if (options.listOnnxOps) {
    for (const std::string &op : mlir::tern::getSupportedOnnxOps())
      llvm::outs() << op << "\n";
    return 0;
  }
  std::optional<::tern::Target> target = getTarget(options);
  if (!target)
    return 1;
  if (options.emit == "plan" && options.output == "-") {
    llvm::errs() << "ternc: error: a plan is a binary file: name it with -o FILE.tplan\n";
    return 1;
  }
  if (options.emit == "ptx" && target->isHost()) {
    llvm::errs() << "ternc: error: --emit=ptx needs a GPU target (--target=sm_80, sm_89 or "
                    "sm_90a); host plans hold x86-64 code\n";
    return 1;
  }
  mlir::tern::CompileOptions compile;
  compile.target = *target;
  compile.lastPhase = getLastPhase(options.emit);
  compile.cleanup = !options.noCleanup;
  compile.fusion = !options.noFusion;
  compile.kvCache = options.kvCache;
  for (const std::string &list : options.skipFusion) {
    for (llvm::StringRef name : llvm::split(list, ',')) {
      std::optional<mlir::tern::Fusion> fusion = mlir::tern::getFusion(name.trim());
      if (!fusion) {
        llvm::errs() << "ternc: error: unknown --skip-fusion value '" << name
                     << "' (expected one of " << mlir::tern::describeFusions() << ")\n";
        return 1;
      }
      compile.skippedFusions.push_back(*fusion);
    }
  }
  if (compile.kvCache != "f32" &&
      (!compile.fusion || llvm::is_contained(compile.skippedFusions, mlir::tern::Fusion::MLA))) {
    llvm::errs() << "ternc: error: --kv-cache=" << compile.kvCache
                 << " stores the latent cache that the MLA fusion makes; it does not combine "
                    "with --no-fusion or --skip-fusion=mla\n";
    return 1;
  }
  compile.serializeGpuKernels = options.emit != "llvm";
  if (target->isCuda() && compile.lastPhase == mlir::tern::CompilePhase::Kernels &&
      compile.serializeGpuKernels) {
    std::optional<std::string> toolkit = mlir::tern::findCudaToolkit();
    if (!toolkit) {
      llvm::errs() << "ternc: error: --target=" << target->getName()
                   << " links libdevice (nvvm/libdevice/libdevice.10.bc) from the CUDA toolkit, "
                      "which was not found in $CUDA_HOME, $CUDA_PATH, $CUDA_ROOT or "
                      "/usr/local/cuda\n";
      return 1;
    }
    compile.cudaToolkit = *toolkit;
  }

  DialectRegistry registry;
  mlir::tern::registerCompilerDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Diagnostics name the ONNX node; the generic op dump is noise to users.
  context.printOpOnDiagnostic(false);
  ternc::Progress progress(options.quiet || options.stats || options.printIrAfterAll ||
                               !options.printIrAfter.empty(),
                           options.verbose, options.progressDelay);
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    progress.clearLine();
    return printDiagnostic(diag);
  });
  bool dumping = !options.dumpIrDir.empty();
  if (dumping || options.printIrAfterAll || !options.printIrAfter.empty())
    context.disableMultithreading();

  OwningOpRef<ModuleOp> module;
  std::string precision = options.precision;
  progress.beginStage("import");
  if (llvm::sys::fs::is_directory(options.input) && !options.inputValues.empty()) {
    llvm::errs() << "ternc: error: --input-value fixes an ONNX graph input; a checkpoint's "
                    "inputs are token ids\n";
    return 1;
  } else if (llvm::sys::fs::is_directory(options.input)) {
    module = importCheckpoint(options, *target, context, precision);
  } else if (options.maxSeqLen > 0) {
    llvm::errs() << "ternc: error: --max-seq-len compiles a checkpoint folder for decoding; '"
                 << options.input << "' is not a folder\n";
    return 1;
  } else if (options.weights != "as-stored") {
    llvm::errs() << "ternc: error: --weights=" << options.weights
                 << " quantizes a checkpoint folder's projections; '" << options.input
                 << "' is not a folder (ONNX weights stay as the model stores them)\n";
    return 1;
  } else {
    mlir::tern::OnnxImportOptions importOptions;
    importOptions.dimValues = options.dims;
    importOptions.inputValues = options.inputValues;
    module = mlir::tern::importOnnxModel(options.input, context, importOptions);
  }
  if (!module)
    return 1;
  if (precision.empty())
    precision = "f32"; // an ONNX model computes in the types it was exported with
  if (precision == "bf16" && options.kvCacheGiven && options.kvCache == "f32") {
    llvm::errs() << "ternc: error: --kv-cache=f32 keeps the cache wider than the bf16 "
                    "activations"
                 << (options.precision.empty() ? " (the checkpoint's torch_dtype)" : "")
                 << ", which store it in bf16; --precision=f32 computes and caches in f32\n";
    return 1;
  }
  compile.precision = precision;
  compile.fp8Activations = options.fp8Activations;
  compile.splitAttention = !options.maskedAttention;
  (*module)->setAttr(mlir::tern::kTargetAttr, Builder(&context).getStringAttr(target->getName()));

  OpPrintingFlags flags = printingFlags(options);
  PassManager pm(&context);
  ternc::addIRPrinting(pm, options.printIrAfterAll, options.printIrAfter, flags,
                       options.printWeights);
  std::vector<mlir::tern::CompilePhaseHook> hooks;
  if (options.stats)
    hooks.push_back([](mlir::tern::CompilePhase phase, OpPassManager &phasePm) {
      if (phase == mlir::tern::CompilePhase::Cleanup || phase == mlir::tern::CompilePhase::Fusion)
        phasePm.addPass(mlir::tern::createPrintStatsPass(
            {("after " + mlir::tern::getCompilePhaseName(phase)).str()}));
    });
  if (dumping) {
    if (std::error_code ec = llvm::sys::fs::create_directories(options.dumpIrDir)) {
      llvm::errs() << "ternc: error: cannot create '" << options.dumpIrDir << "': " << ec.message()
                   << "\n";
      return 1;
    }
    if (failed(dumpModule(*module, options.dumpIrDir, 0, "import", flags, options.printWeights)))
      return 1;
    hooks.push_back([&](mlir::tern::CompilePhase phase, OpPassManager &phasePm) {
      phasePm.addPass(std::make_unique<DumpPhasePass>(
          options.dumpIrDir, static_cast<unsigned>(phase) + 1,
          mlir::tern::getCompilePhaseName(phase).str(), flags, options.printWeights));
    });
  }
  mlir::tern::buildCompilePipeline(pm, compile,
                                   [&](mlir::tern::CompilePhase phase, OpPassManager &phasePm) {
                                     for (const mlir::tern::CompilePhaseHook &hook : hooks)
                                       hook(phase, phasePm);
                                     progress.recordPhase(phase, phasePm);
                                   });
  progress.attach(pm);
  if (failed(pm.run(*module)))
    return 1;
  if (options.fp8Activations && compile.lastPhase >= mlir::tern::CompilePhase::Precision &&
      !(*module)->hasAttr(mlir::tern::kActivationsAttr)) {
    progress.clearLine();
    llvm::errs() << "ternc: note: no product has FP8 block-scaled weights whose input "
                    "--fp8-activations could quantize; the activations stay as they are\n";
  }

  int status;
  if (compile.lastPhase != mlir::tern::CompilePhase::Kernels || options.emit == "llvm" ||
      options.emit == "ptx") {
    progress.beginStage("output");
    status = writeText(options, [&](llvm::raw_ostream &os) {
      if (options.emit == "ptx") {
        mlir::tern::printPtxModules(*module, os);
        return;
      }
      ternc::printIR(*module, os, flags, options.printWeights);
      os << "\n";
    });
  } else {
    status = writePlan(options, *module, *target, progress);
  }
  if (status == 0)
    progress.finish();
  return status;
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
