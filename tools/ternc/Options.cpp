//===- Options.cpp - ternc command line -----------------------------------===//
#include "tools/ternc/Options.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <iostream>
#include <optional>

namespace po = boost::program_options;

namespace ternc {

static const char *kUsage =
    "ternc: compile an ONNX model or a DeepSeek checkpoint with the Tern compiler\n\n"
    "Usage: ternc MODEL [options]\n\n"
    "MODEL is an .onnx file (binary protobuf) or a protobuf text-format model\n"
    "(.onnxtxt, .textproto, .txtpb, .pbtxt). External data files must sit in the\n"
    "model's folder. MODEL may also be a HuggingFace checkpoint folder (config.json\n"
    "and safetensors) of DeepSeek-V2 or -V3, compiled for prompts of --dim seq=N\n"
    "tokens, or with --max-seq-len for autoregressive decoding (entry points\n"
    "prefill and decode sharing a KV cache); --inspect-checkpoint validates one\n"
    "and lists its tensors.\n\n"
    "Examples:\n"
    "  ternc model.onnx --target=sm_90a -o model.tplan\n"
    "  ternc model.onnx --target=host -o model.tplan && tern-run model.tplan --random-inputs\n"
    "  ternc model.onnx --emit=tern -o model.mlir\n"
    "  ternc model.onnx --dim batch=1 --dim seq=128 --dump-ir-dir=ir/\n"
    "  ternc model.onnx --target=host --dim seq=16,64,256 -o model.tplan\n"
    "  ternc model.onnx --print-ir-after=tern-infer-shapes\n"
    "  ternc path/to/DeepSeek-V3 --inspect-checkpoint\n"
    "  ternc path/to/DeepSeek-V2-Lite --target=host --max-seq-len 64 -o v2.tplan &&\n"
    "    tern-run v2.tplan --prompt-ids 1,2,3 --max-new-tokens 16\n\n"
    "Options";

namespace {

using NamedInts = std::pair<std::string, std::vector<int64_t>>;

/// "NAME=V,V,..." (decimal integers, negative ones where `allowSigned`;
/// "NAME=" gives none), or nullopt.
std::optional<NamedInts> parseNamedInts(const std::string &text, bool allowSigned) {
  size_t eq = text.find('=');
  if (eq == 0 || eq == std::string::npos)
    return std::nullopt;
  NamedInts parsed{text.substr(0, eq), {}};
  std::string list = text.substr(eq + 1);
  for (size_t start = 0; !list.empty() && start <= list.size();) {
    size_t comma = std::min(list.find(',', start), list.size());
    std::string value = list.substr(start, comma - start);
    size_t digits = allowSigned && !value.empty() && value[0] == '-' ? 1 : 0;
    bool numeric = value.size() > digits && value.size() - digits <= 18 &&
                   std::all_of(value.begin() + digits, value.end(),
                               [](char c) { return c >= '0' && c <= '9'; });
    if (!numeric)
      return std::nullopt;
    parsed.second.push_back(std::stoll(value));
    start = comma + 1;
  }
  return parsed;
}

} // namespace

ParseResult parseTerncOptions(int argc, char **argv, TerncOptions &options) {
  std::vector<std::string> dims, inputValues;
  bool elideWeights = false;
  po::options_description visible(kUsage);
  visible.add_options()("help,h", "print this help and exit")("version",
                                                              "print the version and exit")(
      "list-onnx-ops", po::bool_switch(&options.listOnnxOps),
      "print the ONNX ops the importer supports, one per line, and exit")(
      "inspect-checkpoint", po::bool_switch(&options.inspectCheckpoint),
      "MODEL is a HuggingFace checkpoint folder: validate its config.json, safetensors shards "
      "and index, print its tensors and exit")(
      "output,o", po::value(&options.output)->default_value("-"),
      "output file ('-' for standard output); written only on success")(
      "emit", po::value(&options.emit),
      "what to produce: tern (the tern dialect after cleanup, fusion and the precision policy), "
      "linalg (linalg on tensors), llvm (the schedule, with kernels lowered to the LLVM/NVVM "
      "dialects), ptx (GPU targets: the PTX of every kernel) or plan (a .tplan for tern-run; "
      "needs -o FILE). "
      "Default: plan when -o ends in .tplan, else tern")(
      "target", po::value(&options.target)->default_value("sm_90a"),
      "code generation target: host, sm_80, sm_89 or sm_90a")(
      "host-cpu", po::value(&options.cpu),
      "host target: the CPU to compile for, an LLVM x86-64 CPU name (x86-64 for any x86-64 "
      "CPU, x86-64-v4, sapphirerapids, znver4, ...) or native (this machine's); the plan runs "
      "only on CPUs with its features. Default: x86-64-v3 (AVX2 and FMA: Intel since Haswell, "
      "AMD since Zen)")(
      "dim", po::value(&dims)->composing(),
      "NAME=VALUE[,VALUE...]: fix the named dynamic dimension NAME (an ONNX dim_param) to "
      "VALUE; repeatable. Several values compile the entry point once for each (at most 16 "
      "specializations in all), and the runtime runs the one the inputs' shapes match. "
      "Checkpoints: seq=N, the prompt length (with --max-seq-len: the prompt lengths prefill "
      "is compiled for; prompts are padded to the next one; default --max-seq-len)")(
      "input-value", po::value(&inputValues)->composing(),
      "NAME=[VALUE,...]: ONNX models: compile for one value of the integer graph input NAME "
      "(its elements in row-major order; NAME= for none), so that what must be known at "
      "compile time (axes, starts and ends, K, a shape, split sizes given as graph inputs) is; "
      "repeatable. NAME stays an input of the plan, and the runtime refuses a call that "
      "passes another value")(
      "max-seq-len", po::value(&options.maxSeqLen),
      "checkpoints: compile prefill and decode entry points with a KV cache of N positions "
      "per sequence")(
      "precision", po::value(&options.precision),
      "the element type of activations between ops: f32 (as imported; exact comparisons) or "
      "bf16 (as a bf16 model computes in PyTorch: bf16 operands, products accumulated in f32, "
      "norms, softmax, sums and routing in f32, each result rounded to bf16 where it is "
      "handed on; the KV cache in bf16; weights stay as stored). Default: what a checkpoint "
      "was saved for (config.json's torch_dtype: bf16 for bfloat16, DeepSeek's, and for "
      "float16; f32 for float32); f32 for ONNX models")(
      "weights", po::value(&options.weights)->default_value("as-stored"),
      "checkpoints: how the projections' weights are stored in the plan: as-stored (as the "
      "checkpoint has them: bf16, or FP8 E4M3 with 128x128 block scales), fp8-block (bf16 "
      "projections quantized to FP8 E4M3 in 128x128 blocks with f32 scales as the plan is "
      "written, DeepSeek-V3's format: half the bytes; the router, embeddings, norms and LM head "
      "stay as stored) or bf16 (FP8 weights dequantized to bf16 as the plan is written, for "
      "GPUs without FP8 tensor cores). Default: as-stored, but bf16 for an FP8 checkpoint on "
      "sm_80, which ternc notes")(
      "fp8-activations", po::bool_switch(&options.fp8Activations),
      "quantize the activations of products with FP8 block-scaled weights to FP8 E4M3 at run "
      "time, per token and block of 128 channels (scale: the block's largest magnitude, at "
      "least 1e-4, over 448), so that both operands are FP8, as DeepSeek-V3's reference "
      "inference computes with FP8 GEMMs (act_quant, fp8_gemm) and vLLM's block FP8 does, "
      "routed experts included; products whose input length is not a multiple of the "
      "weight's blocks keep theirs")(
      "kv-cache", po::value(&options.kvCache),
      "checkpoints with --max-seq-len: the latent KV cache's element type, f32 or bf16 (half "
      "the bytes per token; each cached value rounded to bf16 where it is written). Default: "
      "the activations' type (--precision)")(
      "max-batch", po::value(&options.maxBatch)->default_value(1),
      "checkpoints with --max-seq-len: sequences in the KV cache, which decode advances "
      "together")(
      "kv-block-size", po::value(&options.kvBlockSize),
      "checkpoints with --max-seq-len: page the KV cache in blocks of this many positions "
      "(dividing --max-seq-len; vLLM and FlashMLA use 64): prefill and decode then take each "
      "sequence's block table, the caller's choice of blocks from one pool, so sequences of "
      "different lengths share it. Default: each sequence's positions contiguous")(
      "kv-blocks", po::value(&options.kvBlocks),
      "with --kv-block-size: the blocks in the KV cache's pool. Default: --max-batch x "
      "--max-seq-len / --kv-block-size, as many positions as without paging")(
      "print-ir-after-all", po::bool_switch(&options.printIrAfterAll),
      "print the IR to standard error after every pass")(
      "print-ir-after", po::value(&options.printIrAfter)->composing(),
      "print the IR to standard error after the pass with this name; repeatable")(
      "dump-ir-dir", po::value(&options.dumpIrDir),
      "write the IR after import and after every pass to numbered files in this folder")(
      "no-cleanup", po::bool_switch(&options.noCleanup),
      "emit the importer's output without shape inference, canonicalization and CSE")(
      "stats", po::bool_switch(&options.stats),
      "print to standard error, for each entry point, the GFLOPs of its contractions and the "
      "weight bytes one call reads, before and after the fusion passes")(
      "no-fusion", po::bool_switch(&options.noFusion),
      "skip Tern's fusion passes (MoE routing and experts, latent attention, FP8 casts): the "
      "model computes as imported, every expert on every token, per-head keys and values in "
      "the KV cache, every FP8 weight dequantized before its product; to compare fused "
      "against unfused")(
      "skip-fusion", po::value(&options.skipFusion)->composing(),
      "NAME[,NAME...]: leave out one fusion and run the others, to measure what it buys: moe "
      "(routing and experts), mla (latent attention and its cache), fp8 (FP8 casts); "
      "repeatable")(
      "print-weights", po::bool_switch(&options.printWeights),
      "print every weight's data (as hex) in --emit, --dump-ir-dir and --print-ir-after* "
      "output. By default a weight prints as its reference alone, dense_resource<NAME> with "
      "its type (NAME: hf.TENSOR for a checkpoint tensor, onnx.INITIALIZER for an ONNX "
      "initializer), no byte of it is read, and the output parses again without the data")(
      "elide-weights", po::bool_switch(&elideWeights),
      "weights as references: the default (kept for scripts that pass it)")(
      "quiet,q", po::bool_switch(&options.quiet),
      "no progress line (on a terminal, ternc shows what a compile longer than a second is "
      "doing: the stage, the pass or the weight bytes written, the time so far; never when "
      "standard error is not a terminal, or with --stats or --print-ir-after*)")(
      "verbose,v", po::bool_switch(&options.verbose),
      "print each stage's wall-clock time when the compile ends (import, the pipeline's "
      "phases, plan or output, weights)")(
      "print-locations", po::bool_switch(&options.printLocations),
      "print each op's location in --emit, --dump-ir-dir and --print-ir-after* output: the "
      "checkpoint module path or ONNX node name it comes from; a dump replayed with tern-opt "
      "keeps them (and with them the plan's launch sources) only if printed");
  po::options_description hidden;
  hidden.add_options()("input", po::value(&options.input))("cpu", po::value(&options.cpu),
                                                           "the former name of --host-cpu")(
      "progress-delay", po::value(&options.progressDelay),
      "seconds a compile runs before its progress line shows (tests set 0)")(
      "masked-attention", po::bool_switch(&options.maskedAttention),
      "host: decode's latent attention scores every cached position under a mask, as on "
      "GPUs, instead of reading each sequence up to its position (tests compare the two)");
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("input", 1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    std::cerr << "ternc: error: " << e.what() << "\n(run 'ternc --help' for usage)\n";
    return ParseResult::ExitFailure;
  }
  if (vm.count("help")) {
    std::cout << visible << "\n";
    return ParseResult::ExitSuccess;
  }
  if (vm.count("version")) {
    std::cout << "ternc " << TERN_VERSION << " (LLVM/MLIR " << TERN_LLVM_VERSION << ")\n";
    return ParseResult::ExitSuccess;
  }
  if (options.printWeights && elideWeights) {
    std::cerr << "ternc: error: --print-weights and --elide-weights contradict each other\n";
    return ParseResult::ExitFailure;
  }
  if (options.listOnnxOps)
    return ParseResult::Run;
  if (options.input.empty()) {
    std::cerr << "ternc: error: no input model given\n(run 'ternc --help' for usage)\n";
    return ParseResult::ExitFailure;
  }
  if (options.emit.empty()) {
    const std::string suffix = ".tplan";
    bool planFile =
        options.output.size() > suffix.size() &&
        options.output.compare(options.output.size() - suffix.size(), suffix.size(), suffix) == 0;
    options.emit = planFile ? "plan" : "tern";
  }
  const std::vector<std::string> &stages = allEmitStages();
  if (std::find(stages.begin(), stages.end(), options.emit) == stages.end()) {
    std::cerr << "ternc: error: unknown --emit value '" << options.emit
              << "' (expected tern, linalg, llvm, ptx or plan)\n";
    return ParseResult::ExitFailure;
  }
  if (vm.count("max-seq-len") && options.maxSeqLen < 1) {
    std::cerr << "ternc: error: --max-seq-len must be at least 1\n";
    return ParseResult::ExitFailure;
  }
  if (options.kvCache != "f32" && options.kvCache != "bf16") {
    std::cerr << "ternc: error: unknown --kv-cache value '" << options.kvCache
              << "' (expected f32 or bf16)\n";
    return ParseResult::ExitFailure;
  }
  if (!options.precision.empty() && options.precision != "f32" && options.precision != "bf16") {
    std::cerr << "ternc: error: unknown --precision value '" << options.precision
              << "' (expected f32 or bf16)\n";
    return ParseResult::ExitFailure;
  }
  if (options.weights != "as-stored" && options.weights != "fp8-block" &&
      options.weights != "bf16") {
    std::cerr << "ternc: error: unknown --weights value '" << options.weights
              << "' (expected as-stored, fp8-block or bf16)\n";
    return ParseResult::ExitFailure;
  }
  options.weightsGiven = !vm["weights"].defaulted();
  options.kvCacheGiven = vm.count("kv-cache") > 0;
  if (!vm.count("max-seq-len") && vm.count("kv-cache")) {
    std::cerr << "ternc: error: --kv-cache sets the element type of the KV cache of "
                 "--max-seq-len; pass both\n";
    return ParseResult::ExitFailure;
  }
  if (!vm.count("max-seq-len") && !vm["max-batch"].defaulted()) {
    std::cerr << "ternc: error: --max-batch sizes the KV cache of --max-seq-len; pass both\n";
    return ParseResult::ExitFailure;
  }
  if (!vm.count("max-seq-len") && vm.count("kv-block-size")) {
    std::cerr << "ternc: error: --kv-block-size pages the KV cache of --max-seq-len; pass "
                 "both\n";
    return ParseResult::ExitFailure;
  }
  if (vm.count("kv-blocks") && !vm.count("kv-block-size")) {
    std::cerr << "ternc: error: --kv-blocks sizes the pool of a paged KV cache; pass "
                 "--kv-block-size too\n";
    return ParseResult::ExitFailure;
  }
  if (vm.count("kv-block-size") &&
      (options.kvBlockSize < 1 || options.maxSeqLen % options.kvBlockSize != 0)) {
    std::cerr << "ternc: error: --kv-block-size " << options.kvBlockSize
              << " must be positive and divide --max-seq-len " << options.maxSeqLen << "\n";
    return ParseResult::ExitFailure;
  }
  if (vm.count("kv-blocks") && options.kvBlocks < 1) {
    std::cerr << "ternc: error: --kv-blocks " << options.kvBlocks << " must be positive\n";
    return ParseResult::ExitFailure;
  }
  size_t specializations = 1;
  for (const std::string &dim : dims) {
    std::optional<NamedInts> parsed = parseNamedInts(dim, /*allowSigned=*/false);
    if (!parsed || parsed->second.empty()) {
      std::cerr << "ternc: error: --dim '" << dim
                << "' is not NAME=VALUE[,VALUE...] with non-negative integer VALUEs\n";
      return ParseResult::ExitFailure;
    }
    auto &[name, values] = *parsed;
    std::vector<int64_t> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
      std::cerr << "ternc: error: --dim '" << dim << "' gives a value twice\n";
      return ParseResult::ExitFailure;
    }
    if (std::any_of(options.dims.begin(), options.dims.end(),
                    [&](const auto &given) { return given.first == name; })) {
      std::cerr << "ternc: error: --dim " << name
                << " is given twice (list its values in one --dim " << name << "=V,V,...)\n";
      return ParseResult::ExitFailure;
    }
    specializations *= values.size();
    if (specializations > kMaxSpecializations) {
      std::cerr << "ternc: error: the --dim values make more than " << kMaxSpecializations
                << " specializations (one per combination of values)\n";
      return ParseResult::ExitFailure;
    }
    options.dims.emplace_back(name, std::move(values));
  }
  for (const std::string &text : inputValues) {
    std::optional<NamedInts> parsed = parseNamedInts(text, /*allowSigned=*/true);
    if (!parsed) {
      std::cerr << "ternc: error: --input-value '" << text
                << "' is not NAME=VALUE[,VALUE...] with integer VALUEs\n";
      return ParseResult::ExitFailure;
    }
    if (std::any_of(options.inputValues.begin(), options.inputValues.end(),
                    [&](const NamedInts &given) { return given.first == parsed->first; })) {
      std::cerr << "ternc: error: --input-value " << parsed->first << " is given twice\n";
      return ParseResult::ExitFailure;
    }
    options.inputValues.push_back(std::move(*parsed));
  }
  return ParseResult::Run;
}

} // namespace ternc
