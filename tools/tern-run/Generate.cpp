//===- Generate.cpp - Greedy decoding with a plan's prefill and decode ----===//
#include "tools/tern-run/Generate.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <chrono>

namespace tern {

namespace {

llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// An input generation passes: its name and rank (i64).
struct InputSpec {
  llvm::StringRef name;
  int rank = 1;
};

/// Every specialization of entry point `name`, each with exactly the inputs
/// (i64) and the one f32 [rows, vocab] output generation passes.
llvm::Expected<llvm::SmallVector<const plan::EntryPoint *>>
getEntries(const Plan &plan, llvm::StringRef name, llvm::ArrayRef<InputSpec> inputs) {
  llvm::SmallVector<const plan::EntryPoint *> entries;
  for (unsigned index : plan.findEntryPoints(name))
    entries.push_back(&plan.getManifest().entry_points(index));
  if (entries.empty())
    return fail("the plan has no '" + name +
                "' entry point; compile a checkpoint with --max-seq-len to decode");
  for (const plan::EntryPoint *entry : entries) {
    bool ok = entry->inputs_size() == int(inputs.size()) && entry->outputs_size() == 1 &&
              entry->outputs(0).type().dtype() == plan::F32 &&
              entry->outputs(0).type().shape_size() == 2;
    for (auto [tensor, want] : llvm::zip(entry->inputs(), inputs))
      ok = ok && tensor.name() == want.name && tensor.type().dtype() == plan::I64 &&
           tensor.type().shape_size() == want.rank;
    if (!ok)
      return fail(
          "entry point '" + name + "' does not have the inputs (" +
          llvm::join(llvm::map_range(inputs, [](const InputSpec &in) { return in.name; }), ", ") +
          ": i64) and the f32 logits output decoding needs");
  }
  return entries;
}

int64_t argmax(const float *row, int64_t n) { return std::max_element(row, row + n) - row; }

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

llvm::Expected<Generation> generate(const Plan &plan, Session &session,
                                    llvm::ArrayRef<std::vector<int64_t>> prompts,
                                    int64_t maxNewTokens) {
  // A paged cache's decode takes the block table after the positions.
  bool paged = llvm::any_of(plan.findEntryPoints("decode"), [&](unsigned index) {
    return plan.getManifest().entry_points(index).inputs_size() == 3;
  });
  auto prefill =
      getEntries(plan, "prefill", {{"input_ids"}, {"length"}, {paged ? "block_table" : "slot"}});
  if (!prefill)
    return prefill.takeError();
  llvm::SmallVector<InputSpec> decodeInputs = {{"input_ids"}, {"positions"}};
  if (paged)
    decodeInputs.push_back({"block_table", 2});
  auto decode = getEntries(plan, "decode", decodeInputs);
  if (!decode)
    return decode.takeError();
  const plan::Plan &manifest = plan.getManifest();
  Generation result;
  // The prompt lengths prefill is compiled for; a prompt is padded to the
  // shortest that holds it.
  std::vector<int64_t> prefillLens;
  for (const plan::EntryPoint *entry : *prefill)
    prefillLens.push_back(entry->inputs(0).type().shape(0));
  llvm::sort(prefillLens);
  int64_t promptCapacity = prefillLens.back();
  result.maxBatch = decode->front()->inputs(0).type().shape(0);
  result.vocab = decode->front()->outputs(0).type().shape(1);
  if (manifest.states_size() == 0 || result.maxBatch < 1 ||
      manifest.states(0).type().shape_size() < (paged ? 2 : 1))
    return fail("the plan has no KV cache states");
  // Cached positions: B * S rows, or a pool of blocks [blocks, P, ...] of
  // which each sequence's block table names S / P.
  const plan::TensorType &cache = manifest.states(0).type();
  int64_t positionsCached = cache.shape(0);
  if (paged) {
    result.poolBlocks = cache.shape(0);
    result.blockSize = cache.shape(1);
    result.maxSeqLen = decode->front()->inputs(2).type().shape(1) * result.blockSize;
    positionsCached = result.poolBlocks * result.blockSize;
  } else {
    result.maxSeqLen = cache.shape(0) / result.maxBatch;
  }
  if (result.maxSeqLen < 1 || positionsCached < 1)
    return fail("the plan's KV cache holds no positions");
  for (const plan::State &state : manifest.states())
    result.kvBytesPerToken += getStateSize(state) / positionsCached;

  int64_t count = prompts.size();
  if (count < 1 || count > result.maxBatch)
    return fail(llvm::formatv("{0} prompts; this plan decodes 1 to {1} together (ternc "
                              "--max-batch)",
                              count, result.maxBatch));
  for (auto [index, prompt] : llvm::enumerate(prompts)) {
    if (prompt.empty() || int64_t(prompt.size()) > promptCapacity)
      return fail(llvm::formatv("prompt {0} has {1} tokens; this plan's prefill takes 1 to {2} "
                                "(ternc --dim seq=N)",
                                index, prompt.size(), promptCapacity));
    if (maxNewTokens < 1 || int64_t(prompt.size()) + maxNewTokens - 1 > result.maxSeqLen)
      return fail(llvm::formatv("prompt {0}'s {1} tokens and {2} new ones do not fit the KV "
                                "cache of {3} positions (ternc --max-seq-len; "
                                "--max-new-tokens is at least 1)",
                                index, prompt.size(), maxNewTokens, result.maxSeqLen));
    for (int64_t id : prompt)
      if (id < 0 || id >= result.vocab)
        return fail(llvm::formatv("prompt {0} has token {1}, outside the vocabulary [0, {2})",
                                  index, id, result.vocab));
  }

  // Paged: each prompt's blocks, taken from the top of the pool down (so
  // that a sequence's blocks are neither contiguous nor in order), and one
  // scratch block (0) for what no sequence uses.
  int64_t tableBlocks = paged ? result.maxSeqLen / result.blockSize : 0;
  std::vector<std::vector<int64_t>> tables(result.maxBatch);
  if (paged) {
    bool scratch = count < result.maxBatch;
    int64_t needed = 0;
    std::vector<int64_t> blocks(count);
    for (auto [index, prompt] : llvm::enumerate(prompts)) {
      // The positions written: the prompt and every new token but the last.
      int64_t positions = int64_t(prompt.size()) + maxNewTokens - 1;
      blocks[index] = (positions + result.blockSize - 1) / result.blockSize;
      needed += blocks[index];
      scratch = scratch || blocks[index] < tableBlocks;
    }
    result.blocksUsed = needed + (scratch ? 1 : 0);
    if (result.blocksUsed > result.poolBlocks)
      return fail(llvm::formatv("the prompts and {0} new tokens need {1} blocks of {2} "
                                "positions{3}; the plan's KV cache pool has {4} (ternc "
                                "--kv-blocks)",
                                maxNewTokens, result.blocksUsed, result.blockSize,
                                scratch ? " (one of them scratch)" : "", result.poolBlocks));
    int64_t next = result.poolBlocks - 1;
    for (int64_t b = 0; b < result.maxBatch; ++b) {
      tables[b].assign(tableBlocks, 0);
      for (int64_t k = 0; b < count && k < blocks[b]; ++k)
        tables[b][k] = next--;
    }
  }

  auto i64View = [](std::vector<int64_t> &data) {
    return TensorView{plan::I64, {int64_t(data.size())}, data.data()};
  };
  std::vector<float> logits(result.vocab * result.maxBatch);
  auto logitsView = [&](int64_t rows) {
    return TensorView{plan::F32, {rows, result.vocab}, logits.data()};
  };
  result.tokens.resize(count);
  std::vector<std::vector<float>> chosenFrom(count);
  auto choose = [&](int64_t sequence, int64_t row) {
    const float *begin = logits.data() + row * result.vocab;
    result.tokens[sequence].push_back(argmax(begin, result.vocab));
    chosenFrom[sequence].insert(chosenFrom[sequence].end(), begin, begin + result.vocab);
  };

  if (llvm::Error error = session.resetStates())
    return error;
  Clock::time_point start = Clock::now();
  for (auto [slot, prompt] : llvm::enumerate(prompts)) {
    int64_t padded = *llvm::lower_bound(prefillLens, int64_t(prompt.size()));
    result.prefillPadded.push_back(padded);
    std::vector<int64_t> ids(padded, 0), length = {int64_t(prompt.size())},
                                         slotId = {int64_t(slot)};
    std::copy(prompt.begin(), prompt.end(), ids.begin());
    TensorView where = paged ? i64View(tables[slot]) : i64View(slotId);
    if (llvm::Error error =
            session.run("prefill", {i64View(ids), i64View(length), where}, {logitsView(1)}))
      return error;
    choose(slot, 0);
  }
  result.prefillSeconds = secondsSince(start);

  // Slots past the prompts repeat token 0 at position 0 of their own
  // (unused) cache rows, or of the scratch block.
  std::vector<int64_t> batchIds(result.maxBatch, 0), positions(result.maxBatch, 0);
  std::vector<int64_t> table;
  for (const std::vector<int64_t> &row : tables)
    table.insert(table.end(), row.begin(), row.end());
  llvm::SmallVector<TensorView> decodeArgs = {i64View(batchIds), i64View(positions)};
  if (paged)
    decodeArgs.push_back(TensorView{plan::I64, {result.maxBatch, tableBlocks}, table.data()});
  start = Clock::now();
  for (int64_t step = 1; step < maxNewTokens; ++step) {
    for (int64_t b = 0; b < count; ++b) {
      batchIds[b] = result.tokens[b].back();
      positions[b] = int64_t(prompts[b].size()) + step - 1;
    }
    if (llvm::Error error = session.run("decode", decodeArgs, {logitsView(result.maxBatch)}))
      return error;
    for (int64_t b = 0; b < count; ++b)
      choose(b, b);
  }
  result.decodeSeconds = secondsSince(start);
  for (const std::vector<float> &rows : chosenFrom)
    result.logits.insert(result.logits.end(), rows.begin(), rows.end());
  return result;
}

} // namespace tern
