//===- Generate.h - Greedy decoding with a plan's prefill and decode -*- C++ -*-===//
//
// A plan compiled with `ternc CHECKPOINT --max-seq-len S` has two entry
// points sharing a KV cache that the session keeps:
//   prefill(input_ids [P], length [1], slot [1]) -> logits [1, vocab]
//     (one specialization per P with ternc --dim seq=P1,P2,...)
//   decode(input_ids [B], positions [B]) -> logits [B, vocab]
// generate() prefills prompt i into slot i, then advances all of them
// together with one decode step per further token, each choosing the
// highest logit (the lower id on ties). With a paged cache (ternc
// --kv-block-size) prefill takes block_table [S / P] in place of slot and
// decode block_table [B, S / P] after positions; generate() then gives each
// prompt the pool's blocks its tokens need, and points what no sequence
// uses (idle slots, prefill's padding past them) at one scratch block.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_TOOLS_TERNRUN_GENERATE_H
#define TERN_TOOLS_TERNRUN_GENERATE_H

#include "runtime/Session.h"

#include <vector>

namespace tern {

struct Generation {
  /// Per prompt, the tokens generated.
  std::vector<std::vector<int64_t>> tokens;
  /// The logits each token was chosen from, [prompts, tokens, vocab]
  /// row-major.
  std::vector<float> logits;
  int64_t vocab = 0;
  /// Per prompt, the length prefill ran at: the shortest of the plan's
  /// prefill specializations that holds the prompt.
  std::vector<int64_t> prefillPadded;
  double prefillSeconds = 0, decodeSeconds = 0;
  /// Bytes of all states per cached position of one sequence.
  uint64_t kvBytesPerToken = 0;
  int64_t maxBatch = 0, maxSeqLen = 0;
  /// Paged: the pool's blocks, positions per block, and the blocks the
  /// prompts took (a scratch block included); 0 otherwise.
  int64_t poolBlocks = 0, blockSize = 0, blocksUsed = 0;
};

/// Errors name what the plan lacks or what the request exceeds (more prompts
/// than slots, a prompt longer than prefill takes, more tokens than the
/// cache holds, token ids outside the vocabulary).
llvm::Expected<Generation> generate(const Plan &plan, Session &session,
                                    llvm::ArrayRef<std::vector<int64_t>> prompts,
                                    int64_t maxNewTokens);

} // namespace tern

#endif // TERN_TOOLS_TERNRUN_GENERATE_H
