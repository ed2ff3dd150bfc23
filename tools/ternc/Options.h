//===- Options.h - ternc command line ---------------------------*- C++ -*-===//
//
// Parsed with Boost.Program_options in a file of its own: Boost needs RTTI,
// which LLVM's classes are built without.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_TOOLS_TERNC_OPTIONS_H
#define TERN_TOOLS_TERNC_OPTIONS_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ternc {

/// The most functions --dim lists may compile one entry point into: each is
/// compiled in full, so the compile time and the plan grow with them.
constexpr size_t kMaxSpecializations = 16;

struct TerncOptions {
  std::string input;
  std::string output = "-";
  std::string emit;              // empty: plan for an -o FILE.tplan, else tern
  std::string target = "sm_90a"; // checked against target/Target.h by ternc.cpp
  std::string cpu;               // host targets; empty: the baseline x86-64
  /// --dim NAME=V[,V...] in command-line order; several values compile one
  /// specialization per value (per combination, across dimensions).
  std::vector<std::pair<std::string, std::vector<int64_t>>> dims;
  /// --input-value NAME=V,... : ONNX graph inputs compiled for one value.
  std::vector<std::pair<std::string, std::vector<int64_t>>> inputValues;
  bool printIrAfterAll = false;
  std::vector<std::string> printIrAfter;
  std::string dumpIrDir;
  bool noCleanup = false;
  bool noFusion = false;
  /// --skip-fusion values, comma-separated lists allowed; checked by ternc.cpp.
  std::vector<std::string> skipFusion;
  std::string kvCache = "f32";       // --kv-cache: f32 or bf16 (bf16 anyway with --precision=bf16)
  bool kvCacheGiven = false;         // --kv-cache on the command line
  std::string precision;             // --precision: f32 or bf16; empty: the model's own
  std::string weights = "as-stored"; // --weights: as-stored, fp8-block or bf16
  bool weightsGiven = false;         // --weights on the command line (else a target's default)
  bool fp8Activations = false;       // --fp8-activations
  bool stats = false;
  bool printWeights = false; // --print-weights; weights print as references by default
  bool printLocations = false;
  bool quiet = false;           // no progress line
  bool verbose = false;         // each stage's time at the end
  double progressDelay = 1.0;   // seconds before the progress line shows (hidden, for tests)
  bool maskedAttention = false; // host: decode attention over every position (hidden)
  bool listOnnxOps = false;
  bool inspectCheckpoint = false;
  int64_t maxSeqLen = 0; // checkpoints: > 0 compiles prefill and decode
  int64_t maxBatch = 1;
  int64_t kvBlockSize = 0; // checkpoints with --max-seq-len: > 0 pages the KV cache
  int64_t kvBlocks = 0;    // the pool's blocks; 0: max-batch x max-seq-len / block size
};

/// The stages --emit names, in pipeline order.
inline const std::vector<std::string> &allEmitStages() {
  static const std::vector<std::string> stages = {"tern", "linalg", "llvm", "ptx", "plan"};
  return stages;
}

enum class ParseResult { Run, ExitSuccess, ExitFailure };

/// Parses argv; prints help, version or errors itself.
ParseResult parseTerncOptions(int argc, char **argv, TerncOptions &options);

} // namespace ternc

#endif // TERN_TOOLS_TERNC_OPTIONS_H
