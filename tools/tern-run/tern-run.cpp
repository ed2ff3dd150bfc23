//===- tern-run.cpp - Runs a compiled plan --------------------------------===//
#include "runtime/EntryPoints.h"
#include "runtime/Session.h"
#include "tools/tern-run/Generate.h"
#include "tools/tern-run/Inputs.h"
#include "tools/tern-run/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>

using namespace tern;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory category("tern-run options");
cl::opt<std::string> planPath(cl::Positional, cl::desc("<plan.tplan>"), cl::Required,
                              cl::cat(category));
cl::list<std::string> inputs("input", cl::desc("NAME=FILE.npy: an input (repeatable)"),
                             cl::value_desc("NAME=FILE"), cl::cat(category));
cl::opt<bool>
    randomInputs("random-inputs",
                 cl::desc("fill inputs not given with --input with random values "
                          "(floats in [-1, 1), integers in [0, 2), booleans; an input compiled for "
                          "one value, ternc --input-value, gets that value)"),
                 cl::cat(category));
cl::opt<unsigned> seed("seed", cl::desc("seed for --random-inputs"), cl::init(0),
                       cl::cat(category));
cl::opt<std::string> outputDir("output-dir",
                               cl::desc("write each output to DIR/NAME.npy (and each random "
                                        "input to DIR/NAME.input.npy)"),
                               cl::value_desc("DIR"), cl::cat(category));
cl::opt<Device>
    device("device", cl::desc("where to run (default: what the plan targets)"),
           cl::values(clEnumValN(Device::Host, "host", "the host CPU"),
                      clEnumValN(Device::Cuda, "cuda", "GPU 0, through the CUDA driver")),
           cl::cat(category));
cl::opt<std::string> entryPoint("entry", cl::desc("entry point to run (default: the first)"),
                                cl::cat(category));
cl::list<std::string> dimChoices("dim",
                                 cl::desc("NAME=VALUE: run the specialization compiled for this "
                                          "value of a dimension (ternc --dim NAME=V,V,...); "
                                          "--input files' shapes choose it too"),
                                 cl::value_desc("NAME=VALUE"), cl::cat(category));
cl::opt<bool> inspect("inspect",
                      cl::desc("print the plan's entry points, kernels, arena and weight sizes, "
                               "and exit"),
                      cl::cat(category));
cl::opt<std::string> extractPtx("extract-ptx",
                                cl::desc("write a GPU plan's PTX modules to FILE ('-': standard "
                                         "output) as ternc --emit=ptx does, and exit"),
                                cl::value_desc("FILE"), cl::cat(category));
cl::opt<unsigned> bench("bench",
                        cl::desc("after a warm-up run, time N runs and print min/median/max"),
                        cl::value_desc("N"), cl::init(0), cl::cat(category));
cl::opt<bool> profile("profile",
                      cl::desc("host plans: time every launch over the --bench runs (10 if not "
                               "given) and print the median time per part of the model (each "
                               "launch's source: module path or ONNX node name)"),
                      cl::cat(category));
cl::opt<unsigned> profileDepth("profile-depth",
                               cl::desc("with --profile: group sources by their first N "
                                        "'.'- or '/'-separated components (model.layers.1.mlp "
                                        "is 4); 0 keeps whole sources"),
                               cl::value_desc("N"), cl::init(0), cl::cat(category));
cl::list<std::string> promptIds("prompt-ids",
                                cl::desc("decode greedily after these token ids (comma-separated) "
                                         "with the plan's prefill and decode entry points; "
                                         "repeat for more sequences, decoded together"),
                                cl::value_desc("ID,ID,..."), cl::cat(category));
cl::opt<int64_t> maxNewTokens("max-new-tokens",
                              cl::desc("with --prompt-ids: tokens to generate (default 16)"),
                              cl::value_desc("N"), cl::init(16), cl::cat(category));
/// --threads, registered in main(): libLLVM registers a hidden option of
/// that name for its own tools first.
unsigned hostThreads = 0;
cl::opt<bool> syncLaunches("sync-launches",
                           cl::desc("CUDA: synchronize after every launch to find a faulting "
                                    "kernel"),
                           cl::cat(category));

int fail(const llvm::Twine &message) {
  llvm::errs() << "tern-run: error: " << message << "\n";
  return 1;
}

void printTensor(llvm::raw_ostream &os, llvm::StringRef kind, const plan::Tensor &tensor) {
  os << "  " << kind << " '" << tensor.name() << "': " << getDTypeName(tensor.type().dtype()) << " "
     << formatShape(tensor.type().shape());
  if (tensor.compiled_value_size() > 0)
    os << ", compiled for the value "
       << formatShape({tensor.compiled_value().data(), size_t(tensor.compiled_value_size())});
  os << "\n";
}

void printInspection(const Plan &plan) {
  const plan::Plan &manifest = plan.getManifest();
  llvm::raw_ostream &os = llvm::outs();
  os << "plan: " << plan.getName() << " (" << plan.getFileSize() << " bytes)\n";
  os << "compiler: " << manifest.compiler_version() << "\n";
  os << "target: " << manifest.target();
  if (plan.getTarget().isHost())
    os << " (CPU " << manifest.target_cpu() << ", " << manifest.target_cpu_features_size()
       << " features)";
  os << "\n";
  os << "precision: "
     << (manifest.precision().empty() ? "f32 activations"
                                      : manifest.precision() + " activations, f32 accumulation")
     << (manifest.activation_format() == "fp8-block"
             ? "; FP8 products quantize their activations to FP8 E4M3 per 1x128 block"
             : "")
     << "\n";
  os << "weights: " << manifest.weights_size() << " tensors, " << plan.getWeights().size()
     << " bytes"
     << (manifest.weight_format() == "fp8-block" ? " (projections fp8-block, quantized by ternc)"
         : manifest.weight_format() == "bf16"    ? " (FP8 weights as bf16, dequantized by ternc)"
                                                 : "")
     << "\n";
  if (plan.getTarget().isHost())
    os << "kernels: " << manifest.kernels_size() << " in a " << manifest.host_library().size()
       << "-byte host library\n";
  else
    os << "kernels: " << manifest.kernels_size() << " in " << manifest.ptx_modules_size()
       << " PTX modules\n";
  for (const plan::State &state : manifest.states())
    os << "state '" << state.name() << "': " << getDTypeName(state.type().dtype()) << " "
       << formatShape(state.type().shape()) << ", " << getStateSize(state) << " bytes\n";
  for (const plan::EntryPoint &entry : manifest.entry_points()) {
    std::string dims = describeDims(entry);
    os << "entry point '" << entry.name() << "'" << (dims.empty() ? "" : " (" + dims + ")")
       << ": arena " << entry.arena_size() << " bytes (live peak " << entry.arena_live_peak()
       << "), " << entry.launches_size() << " launches\n";
    for (const plan::Tensor &tensor : entry.inputs())
      printTensor(os, "input", tensor);
    for (const plan::Tensor &tensor : entry.outputs())
      printTensor(os, "output", tensor);
    for (auto [index, launch] : llvm::enumerate(entry.launches())) {
      os << "  launch " << index << ": " << manifest.kernels(launch.kernel()).name() << " buffers";
      for (uint32_t buffer : launch.buffers())
        os << " " << buffer;
      if (launch.grid_size() == 3)
        os << llvm::formatv(" grid {0}x{1}x{2} block {3}x{4}x{5}", launch.grid(0), launch.grid(1),
                            launch.grid(2), launch.block(0), launch.block(1), launch.block(2));
      if (!launch.source().empty())
        os << " (" << launch.source() << ")";
      os << "\n";
    }
  }
}

/// --extract-ptx: each PTX module under the line ternc --emit=ptx puts
/// before it, named after its first kernel, so that the same tools
/// (scripts/ptxas_check.py) read both.
int writePtxModules(const Plan &plan) {
  const plan::Plan &manifest = plan.getManifest();
  if (manifest.ptx_modules_size() == 0)
    return fail("'" + plan.getName() + "' targets " + manifest.target() +
                " and holds no PTX; --extract-ptx reads GPU plans");
  std::vector<std::string> names(manifest.ptx_modules_size());
  for (const plan::Kernel &kernel : manifest.kernels())
    if (names[kernel.ptx_module()].empty())
      names[kernel.ptx_module()] = kernel.name();
  llvm::Error error = llvm::writeToOutput(extractPtx, [&](llvm::raw_ostream &os) {
    for (auto [index, ptx] : llvm::enumerate(manifest.ptx_modules()))
      os << "// ---- kernel module @"
         << (names[index].empty() ? "module_" + std::to_string(index) : names[index]) << "\n"
         << ptx << "\n";
    return llvm::Error::success();
  });
  if (error)
    return fail("cannot write '" + extractPtx + "': " + llvm::toString(std::move(error)));
  return 0;
}

/// Writes `data` as DIR/NAME; false (error printed) on failure.
bool writeOutput(llvm::StringRef name, plan::DType dtype, llvm::ArrayRef<int64_t> shape,
                 llvm::ArrayRef<uint8_t> data) {
  llvm::SmallString<256> path(outputDir);
  llvm::sys::path::append(path, name);
  if (llvm::Error error = writeNpy(path, dtype, shape, data)) {
    fail("cannot write '" + path + "': " + llvm::toString(std::move(error)));
    return false;
  }
  return true;
}

/// --output-dir, created; false (error printed) when it cannot be.
bool createOutputDir() {
  if (std::error_code ec = llvm::sys::fs::create_directories(outputDir)) {
    fail("cannot create '" + outputDir + "': " + ec.message());
    return false;
  }
  return true;
}

template <typename T> llvm::ArrayRef<uint8_t> bytesOf(const std::vector<T> &values) {
  return {reinterpret_cast<const uint8_t *>(values.data()), values.size() * sizeof(T)};
}

/// The token ids of one --prompt-ids value.
llvm::Expected<std::vector<int64_t>> parseIds(llvm::StringRef text) {
  std::vector<int64_t> ids;
  llvm::SmallVector<llvm::StringRef> parts;
  text.split(parts, ',');
  for (llvm::StringRef part : parts) {
    int64_t id;
    if (part.trim().getAsInteger(10, id))
      return llvm::createStringError("--prompt-ids '" + text +
                                     "' is not a comma-separated list of token ids");
    ids.push_back(id);
  }
  return ids;
}

/// --prompt-ids: greedy decoding, with its speed and KV-cache size.
int runGeneration(const Plan &plan, Session &session) {
  std::vector<std::vector<int64_t>> prompts;
  for (const std::string &text : promptIds) {
    llvm::Expected<std::vector<int64_t>> ids = parseIds(text);
    if (!ids)
      return fail(llvm::toString(ids.takeError()));
    prompts.push_back(std::move(*ids));
  }
  llvm::Expected<Generation> generation = generate(plan, session, prompts, maxNewTokens);
  if (!generation)
    return fail(llvm::toString(generation.takeError()));
  const Generation &g = *generation;
  llvm::raw_ostream &os = llvm::outs();
  int64_t count = g.tokens.front().size(), sequences = prompts.size();
  for (auto [index, tokens] : llvm::enumerate(g.tokens)) {
    os << "generated " << tokens.size() << " tokens";
    if (sequences > 1)
      os << " for prompt " << index;
    os << " on " << session.describeDevice() << ":";
    for (int64_t token : tokens)
      os << " " << token;
    os << "\n";
  }
  size_t promptTokens = 0;
  for (const std::vector<int64_t> &prompt : prompts)
    promptTokens += prompt.size();
  auto rate = [](double tokens, double seconds) { return seconds > 0 ? tokens / seconds : 0.0; };
  std::string padded = llvm::join(
      llvm::map_range(g.prefillPadded, [](int64_t len) { return std::to_string(len); }), " + ");
  os << llvm::formatv("prefill: {0} tokens (padded to {1}) in {2:f3} ms ({3:f1} tokens/s)\n",
                      promptTokens, padded, g.prefillSeconds * 1e3,
                      rate(promptTokens, g.prefillSeconds));
  int64_t decoded = (count - 1) * sequences;
  os << llvm::formatv("decode: {0} tokens in {1:f3} ms ({2:f1} tokens/s)\n", decoded,
                      g.decodeSeconds * 1e3, rate(decoded, g.decodeSeconds));
  if (g.poolBlocks > 0)
    os << llvm::formatv("KV cache: {0} bytes per token (pool of {1} blocks x {2} positions: {3} "
                        "bytes; {4} blocks used)\n",
                        g.kvBytesPerToken, g.poolBlocks, g.blockSize,
                        g.kvBytesPerToken * g.poolBlocks * g.blockSize, g.blocksUsed);
  else
    os << llvm::formatv("KV cache: {0} bytes per token (batch {1} x {2} positions: {3} bytes)\n",
                        g.kvBytesPerToken, g.maxBatch, g.maxSeqLen,
                        g.kvBytesPerToken * g.maxBatch * g.maxSeqLen);
  if (outputDir.empty())
    return 0;
  std::vector<int64_t> tokens;
  for (const std::vector<int64_t> &row : g.tokens)
    tokens.insert(tokens.end(), row.begin(), row.end());
  if (!createOutputDir() ||
      !writeOutput("tokens.npy", plan::I64, {sequences, count}, bytesOf(tokens)) ||
      !writeOutput("logits.npy", plan::F32, {sequences, count, g.vocab}, bytesOf(g.logits)))
    return 1;
  return 0;
}

/// The first `depth` components of `source` (0: all of it), components
/// being what '.' and '/' separate; leading separators are kept.
llvm::StringRef truncateSource(llvm::StringRef source, unsigned depth) {
  if (depth == 0)
    return source;
  auto isSeparator = [](char c) { return c == '.' || c == '/'; };
  unsigned components = 0;
  for (size_t i = 0; i < source.size(); ++i) {
    bool starts = !isSeparator(source[i]) && (i == 0 || isSeparator(source[i - 1]));
    if (starts && ++components > depth)
      return source.take_front(i - 1);
  }
  return source;
}

/// --profile: each launch's median over `runs`, summed per (truncated)
/// source, largest first.
void printProfile(const plan::Plan &manifest, const plan::EntryPoint &entry,
                  const std::vector<LaunchTimes> &runs) {
  struct Part {
    double seconds = 0;
    unsigned launches = 0;
  };
  llvm::StringMap<Part> parts;
  double total = 0;
  std::vector<double> samples;
  for (auto [index, launch] : llvm::enumerate(entry.launches())) {
    samples.clear();
    for (const LaunchTimes &run : runs)
      samples.push_back(run[index]);
    std::nth_element(samples.begin(), samples.begin() + samples.size() / 2, samples.end());
    double median = samples[samples.size() / 2];
    std::string source = launch.source().empty()
                             ? "(kernel " + manifest.kernels(launch.kernel()).name() + ")"
                             : truncateSource(launch.source(), profileDepth).str();
    Part &part = parts[source];
    part.seconds += median;
    ++part.launches;
    total += median;
  }
  std::vector<std::pair<std::string, Part>> sorted;
  for (const auto &named : parts)
    sorted.emplace_back(named.getKey().str(), named.getValue());
  llvm::stable_sort(sorted, [](const auto &a, const auto &b) {
    return a.second.seconds != b.second.seconds ? a.second.seconds > b.second.seconds
                                                : a.first < b.first;
  });
  llvm::raw_ostream &os = llvm::outs();
  os << llvm::formatv("profile: {0} runs, median per launch; {1} launches, {2:f3} ms in all\n",
                      runs.size(), entry.launches_size(), total * 1e3);
  os << "        ms   share  launches  source\n";
  for (const auto &[source, part] : sorted)
    os << llvm::formatv("{0,10:f4}  {1,5:f1}%  {2,8}  {3}\n", part.seconds * 1e3,
                        total > 0 ? 100 * part.seconds / total : 0.0, part.launches, source);
}

int runPlan(const Plan &plan) {
  Device target = plan.getTarget().isHost() ? Device::Host : Device::Cuda;
  SessionOptions options;
  options.entryPoint = entryPoint;
  options.syncEveryLaunch = syncLaunches;
  options.hostThreads = hostThreads;
  auto session =
      Session::create(plan, device.getNumOccurrences() ? device.getValue() : target, options);
  if (!session)
    return fail(llvm::toString(session.takeError()));
  if (profileDepth.getNumOccurrences() && !profile)
    return fail("--profile-depth groups --profile's table; add --profile");
  if (!promptIds.empty()) {
    if (profile)
      return fail("--profile times one entry point's runs, not --prompt-ids generation; run "
                  "--entry decode (or prefill) with --input or --random-inputs");
    return runGeneration(plan, **session);
  }
  llvm::Expected<llvm::StringMap<NpyArray>> files = readInputFiles(inputs);
  if (!files)
    return fail(llvm::toString(files.takeError()));
  llvm::Expected<const plan::EntryPoint *> chosen =
      chooseEntry(plan, (*session)->getEntryPointName(), dimChoices, *files);
  if (!chosen)
    return fail(llvm::toString(chosen.takeError()));
  const plan::EntryPoint &entry = **chosen;
  llvm::Expected<std::vector<NpyArray>> arrays =
      gatherInputs(entry, *files, randomInputs ? std::optional<unsigned>(seed) : std::nullopt);
  if (!arrays)
    return fail(llvm::toString(arrays.takeError()));
  std::vector<TensorView> in, out;
  for (NpyArray &array : *arrays)
    in.push_back({array.dtype, array.shape, array.data.data()});
  std::vector<std::vector<uint8_t>> results;
  for (const plan::Tensor &tensor : entry.outputs())
    results.emplace_back(entry.buffers(tensor.buffer()).size());
  for (auto [tensor, data] : llvm::zip_equal(entry.outputs(), results))
    out.push_back({tensor.type().dtype(),
                   {tensor.type().shape().begin(), tensor.type().shape().end()},
                   data.data()});

  if (llvm::Error error = (*session)->run(in, out))
    return fail(llvm::toString(std::move(error)));
  std::string dims = describeDims(entry);
  llvm::outs() << "ran entry point '" << entry.name() << "'"
               << (dims.empty() ? "" : " (" + dims + ")") << " of " << plan.getName() << " on "
               << (*session)->describeDevice() << "\n";

  if (bench > 0) {
    std::vector<double> times;
    for (unsigned i = 0; i < bench; ++i) {
      auto start = std::chrono::steady_clock::now();
      if (llvm::Error error = (*session)->run(in, out))
        return fail(llvm::toString(std::move(error)));
      times.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
    }
    std::sort(times.begin(), times.end());
    llvm::outs() << llvm::formatv("bench: {0} runs, min {1:f3} ms, median {2:f3} ms, max {3:f3} "
                                  "ms\n",
                                  bench, times.front(), times[times.size() / 2], times.back());
  }

  if (profile) {
    std::vector<LaunchTimes> runs(bench > 0 ? unsigned(bench) : 10u);
    for (LaunchTimes &times : runs)
      if (llvm::Error error = (*session)->run(in, out, &times))
        return fail(llvm::toString(std::move(error)));
    printProfile(plan.getManifest(), entry, runs);
  }

  if (!outputDir.empty()) {
    if (!createOutputDir())
      return 1;
    for (auto [tensor, data] : llvm::zip_equal(entry.outputs(), results)) {
      std::vector<int64_t> shape(tensor.type().shape().begin(), tensor.type().shape().end());
      if (!writeOutput(tensor.name() + ".npy", tensor.type().dtype(), shape, data))
        return 1;
    }
    if (randomInputs)
      for (auto [tensor, array] : llvm::zip_equal(entry.inputs(), *arrays))
        if (!writeOutput(tensor.name() + ".input.npy", array.dtype, array.shape, array.data))
          return 1;
  }
  for (const plan::Tensor &tensor : entry.outputs())
    llvm::outs() << "output '" << tensor.name() << "': " << getDTypeName(tensor.type().dtype())
                 << " " << formatShape(tensor.type().shape()) << "\n";
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  if (cl::Option *libraryOption = cl::getRegisteredOptions().lookup("threads"))
    libraryOption->removeArgument();
  cl::opt<unsigned, true> threads(
      "threads",
      cl::desc("host plans: threads that run each kernel's parallel loops (default: one per "
               "core); outputs do not depend on it"),
      cl::value_desc("N"), cl::location(hostThreads), cl::cat(category));
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "tern-run: runs a compiled Tern plan\n\n"
                              "  tern-run model.tplan --input x=x.npy --output-dir out/\n"
                              "  tern-run model.tplan --random-inputs --seed 1 --bench 20\n"
                              "  tern-run model.tplan --random-inputs --profile --bench 20\n"
                              "  tern-run model.tplan --inspect\n"
                              "  tern-run gpu.tplan --extract-ptx kernels.ptx\n"
                              "  tern-run decoder.tplan --prompt-ids 1,2,3 --max-new-tokens 32\n");
  if (threads.getNumOccurrences() && hostThreads == 0)
    return fail("--threads must be at least 1");
  llvm::Expected<std::unique_ptr<Plan>> plan = Plan::load(planPath);
  if (!plan)
    return fail(llvm::toString(plan.takeError()));
  if (inspect) {
    printInspection(**plan);
    return 0;
  }
  if (!extractPtx.empty())
    return writePtxModules(**plan);
  return runPlan(**plan);
}
