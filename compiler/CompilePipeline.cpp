//===- CompilePipeline.cpp - The whole compile, in phases -----------------===//
#include "compiler/CompilePipeline.h"

#include "codegen/kernels/Pipelines.h"
#include "codegen/linalg/Passes.h"
#include "codegen/schedule/Pipeline.h"
#include "passes/Passes.h"

#include "mlir/Pass/PassRegistry.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

namespace mlir::tern {

namespace {

constexpr llvm::StringLiteral kPhaseNames[] = {"cleanup",  "fusion",   "precision",
                                               "lowering", "schedule", "kernels"};
constexpr llvm::StringLiteral kFusionNames[] = {"moe", "mla", "fp8"};

/// tern-compile's textual options.
struct CompilePipelineOptions : public PassPipelineOptions<CompilePipelineOptions> {
  Option<std::string> target{*this, "target",
                             llvm::cl::desc("host, sm_80, sm_89 or sm_90a (ternc --target)"),
                             llvm::cl::init("host")};
  Option<std::string> cpu{*this, "host-cpu",
                          llvm::cl::desc("host target: LLVM CPU name or native (ternc --host-cpu)"),
                          llvm::cl::init(::tern::Target::kBaselineCpu.str())};
  Option<std::string> lastPhase{
      *this, "last-phase",
      llvm::cl::desc("cleanup, fusion, precision, lowering, schedule or kernels (the default)"),
      llvm::cl::init("kernels")};
  Option<bool> cleanup{*this, "cleanup", llvm::cl::desc("Run the cleanup phase"),
                       llvm::cl::init(true)};
  Option<bool> fusion{*this, "fusion", llvm::cl::desc("Run the fusion phase's passes"),
                      llvm::cl::init(true)};
  ListOption<std::string> skipFusion{
      *this, "skip-fusion",
      llvm::cl::desc("Fusions to leave out: moe, mla, fp8 (ternc --skip-fusion)")};
  Option<std::string> kvCache{
      *this, "kv-cache",
      llvm::cl::desc("Element type of the latent KV cache: f32 or bf16 (ternc --kv-cache)"),
      llvm::cl::init("f32")};
  Option<std::string> precision{
      *this, "precision",
      llvm::cl::desc("Element type of activations between ops: f32 or bf16 (ternc --precision)"),
      llvm::cl::init("f32")};
  Option<bool> fp8Activations{
      *this, "fp8-activations",
      llvm::cl::desc("Quantize the activations of FP8 block-scaled products to FP8 at run time "
                     "(ternc --fp8-activations)"),
      llvm::cl::init(false)};
  Option<bool> serialize{*this, "serialize",
                         llvm::cl::desc("GPU targets: end with PTX (else stop at NVVM)"),
                         llvm::cl::init(true)};
  Option<std::string> cudaToolkit{*this, "cuda-toolkit",
                                  llvm::cl::desc("GPU targets: the CUDA toolkit with libdevice"),
                                  llvm::cl::init("")};
  Option<int64_t> alignment{*this, "alignment", llvm::cl::desc("Byte alignment of arena offsets"),
                            llvm::cl::init(64)};
};

} // namespace

llvm::StringRef getCompilePhaseName(CompilePhase phase) {
  return kPhaseNames[static_cast<unsigned>(phase)];
}

llvm::StringRef getFusionName(Fusion fusion) { return kFusionNames[static_cast<unsigned>(fusion)]; }

std::optional<Fusion> getFusion(llvm::StringRef name) {
  for (auto [index, fusionName] : llvm::enumerate(kFusionNames))
    if (fusionName == name)
      return static_cast<Fusion>(index);
  return std::nullopt;
}

std::string describeFusions() {
  return llvm::join(std::begin(kFusionNames), std::end(kFusionNames), ", ");
}

std::optional<CompilePhase> getCompilePhase(llvm::StringRef name) {
  for (auto [index, phaseName] : llvm::enumerate(kPhaseNames))
    if (phaseName == name)
      return static_cast<CompilePhase>(index);
  return std::nullopt;
}

std::string describeCompilePhases() {
  return llvm::join(std::begin(kPhaseNames), std::end(kPhaseNames), ", ");
}

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

void buildCompilePipeline(OpPassManager &pm, const CompileOptions &options,
                          const CompilePhaseHook &afterPhase) {
  auto phase = [&](CompilePhase which, llvm::function_ref<void()> addPasses) {
    if (which > options.lastPhase)
      return;
    addPasses();
    if (afterPhase)
      afterPhase(which, pm);
  };
  phase(CompilePhase::Cleanup, [&] {
    if (options.cleanup)
      buildCleanupPipeline(pm, CleanupPipelineOptions());
  });
  // Fusion passes match the tern dataflow the importers produce.
  phase(CompilePhase::Fusion, [&] {
    if (!options.fusion)
      return;
    auto runs = [&](Fusion fusion) { return !llvm::is_contained(options.skippedFusions, fusion); };
    if (runs(Fusion::MoE)) {
      pm.addNestedPass<func::FuncOp>(createFuseMoERoutingPass());
      pm.addNestedPass<func::FuncOp>(createFuseMoEExpertsPass());
    }
    // Before the FP8 casts: it takes kv_b as the product's weight operand.
    if (runs(Fusion::MLA))
      pm.addPass(createFuseMLAPass(FuseMLAPassOptions{options.kvCache}));
    if (runs(Fusion::FP8))
      pm.addNestedPass<func::FuncOp>(createFuseFp8CastsPass());
  });
  // After fusion: the fusion passes match the importers' f32 dataflow.
  phase(CompilePhase::Precision, [&] {
    if (options.precision == "bf16")
      pm.addPass(createNarrowActivationsPass());
    // After narrowing: FP8 quantization reads the activations as stored.
    if (options.fp8Activations)
      pm.addPass(createQuantizeActivationsPass());
  });
  phase(CompilePhase::Lowering, [&] {
    pm.addPass(createSignlessIntegersPass());
    // The host's threads share a decode step's attention in splits of the
    // cache; GPUs parallelize its products over every position instead.
    pm.addNestedPass<func::FuncOp>(createConvertTernToLinalgPass(
        {/*fp8Products=*/options.target.getTensorCores().mmaSyncFp8,
         /*splitAttention=*/options.target.isHost() && options.splitAttention}));
    // Panels as wide as the host's vector tiles: two registers of f32.
    if (options.target.isHost())
      pm.addNestedPass<func::FuncOp>(createPackWeightPanelsPass(
          {/*columns=*/2 * int64_t(options.target.getHostVectorBits()) / 32}));
    pm.addPass(createCheckLoweredToLinalgPass());
  });
  phase(CompilePhase::Schedule, [&] {
    SchedulePipelineOptions schedule;
    schedule.alignment = options.arenaAlignment;
    buildSchedulePipeline(pm, schedule);
  });
  phase(CompilePhase::Kernels, [&] {
    if (options.target.isHost()) {
      HostKernelsPipelineOptions host;
      host.vectorBits = options.target.getHostVectorBits();
      buildHostKernelsPipeline(pm, host);
      return;
    }
    GpuKernelsPipelineOptions gpu;
    gpu.chip = options.target.getName().str();
    gpu.serialize = options.serializeGpuKernels;
    gpu.cudaToolkit =
        options.cudaToolkit.empty() ? findCudaToolkit().value_or("") : options.cudaToolkit;
    buildGpuKernelsPipeline(pm, gpu);
  });
}

void registerCompilePipeline() {
  registerPassPipeline(
      "tern-compile",
      "The whole compile ternc runs after import: cleanup, fusion, precision, lowering, schedule, "
      "kernels",
      [](OpPassManager &pm, llvm::StringRef text,
         llvm::function_ref<LogicalResult(const llvm::Twine &)> errorHandler) {
        CompilePipelineOptions parsed;
        if (failed(parsed.parseFromString(text)))
          return failure();
        std::optional<::tern::Target> target = ::tern::Target::get(parsed.target);
        if (!target)
          return errorHandler("tern-compile: unknown target '" + parsed.target + "' (expected " +
                              ::tern::Target::describeNames() + ")");
        if (target->isHost()) {
          llvm::Expected<::tern::Target> host = ::tern::Target::getHost(parsed.cpu);
          if (!host)
            return errorHandler("tern-compile: " + llvm::toString(host.takeError()));
          target = *host;
        }
        std::optional<CompilePhase> last = getCompilePhase(parsed.lastPhase);
        if (!last)
          return errorHandler("tern-compile: unknown last-phase '" + parsed.lastPhase +
                              "' (expected one of " + describeCompilePhases() + ")");
        CompileOptions options;
        options.target = *target;
        options.lastPhase = *last;
        options.cleanup = parsed.cleanup;
        options.fusion = parsed.fusion;
        for (const std::string &name : parsed.skipFusion) {
          std::optional<Fusion> fusion = getFusion(name);
          if (!fusion)
            return errorHandler("tern-compile: unknown skip-fusion '" + name +
                                "' (expected one of " + describeFusions() + ")");
          options.skippedFusions.push_back(*fusion);
        }
        if (parsed.kvCache != "f32" && parsed.kvCache != "bf16")
          return errorHandler("tern-compile: unknown kv-cache '" + parsed.kvCache +
                              "' (expected f32 or bf16)");
        options.kvCache = parsed.kvCache;
        if (parsed.precision != "f32" && parsed.precision != "bf16")
          return errorHandler("tern-compile: unknown precision '" + parsed.precision +
                              "' (expected f32 or bf16)");
        options.precision = parsed.precision;
        options.fp8Activations = parsed.fp8Activations;
        options.serializeGpuKernels = parsed.serialize;
        options.cudaToolkit = parsed.cudaToolkit;
        options.arenaAlignment = parsed.alignment;
        buildCompilePipeline(pm, options);
        return success();
      },
      [](llvm::function_ref<void(const detail::PassOptions &)> optionsHandler) {
        optionsHandler(CompilePipelineOptions());
      });
}

} // namespace mlir::tern
