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

/// The entry point `name`, with exactly the inputs (i64, 1-D) and the one
/// f32 [rows, vocab] output generation passes.
llvm::Expected<const plan::EntryPoint *> getEntry(const Plan &plan, llvm::StringRef name,
                                                  llvm::ArrayRef<llvm::StringRef> inputs) {
  const plan::EntryPoint *entry = plan.findEntryPoint(name);
  if (!entry)
    return fail("the plan has no '" + name +
                "' entry point; compile a checkpoint with --max-seq-len to decode");
  bool ok = entry->inputs_size() == int(inputs.size()) && entry->outputs_size() == 1 &&
            entry->outputs(0).type().dtype() == plan::F32 &&
            entry->outputs(0).type().shape_size() == 2;
  for (auto [tensor, want] : llvm::zip(entry->inputs(), inputs))
    ok = ok && tensor.name() == want && tensor.type().dtype() == plan::I64 &&
         tensor.type().shape_size() == 1;
  if (!ok)
    return fail("entry point '" + name + "' does not have the inputs (" + llvm::join(inputs, ", ") +
                ": i64) and the f32 logits output decoding needs");
  return entry;
}

int64_t argmax(const float *row, int64_t n) { return std::max_element(row, row + n) - row; }

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

llvm::Expected<Generation> generate(const Plan &plan, Session &session,
                                    llvm::ArrayRef<int64_t> prompt, int64_t maxNewTokens) {
  llvm::Expected<const plan::EntryPoint *> prefill =
      getEntry(plan, "prefill", {"input_ids", "length", "slot"});
  if (!prefill)
    return prefill.takeError();
  llvm::Expected<const plan::EntryPoint *> decode =
      getEntry(plan, "decode", {"input_ids", "positions"});
  if (!decode)
    return decode.takeError();
  const plan::Plan &manifest = plan.getManifest();
  Generation result;
  int64_t promptCapacity = (*prefill)->inputs(0).type().shape(0);
  result.maxBatch = (*decode)->inputs(0).type().shape(0);
  result.vocab = (*decode)->outputs(0).type().shape(1);
  if (manifest.states_size() == 0 || result.maxBatch < 1 ||
      manifest.states(0).type().shape_size() == 0)
    return fail("the plan has no KV cache states");
  result.maxSeqLen = manifest.states(0).type().shape(0) / result.maxBatch;
  for (const plan::State &state : manifest.states())
    result.kvBytesPerToken += getStateSize(state) / (result.maxBatch * result.maxSeqLen);

  if (prompt.empty() || int64_t(prompt.size()) > promptCapacity)
    return fail(llvm::formatv("the prompt has {0} tokens; this plan's prefill takes 1 to {1} "
                              "(ternc --dim seq=N)",
                              prompt.size(), promptCapacity));
  if (maxNewTokens < 1 || int64_t(prompt.size()) + maxNewTokens - 1 > result.maxSeqLen)
    return fail(llvm::formatv("{0} prompt tokens and {1} new ones do not fit the KV cache of "
                              "{2} positions (ternc --max-seq-len; --max-new-tokens is at "
                              "least 1)",
                              prompt.size(), maxNewTokens, result.maxSeqLen));
  for (int64_t id : prompt)
    if (id < 0 || id >= result.vocab)
      return fail(
          llvm::formatv("prompt token {0} is outside the vocabulary [0, {1})", id, result.vocab));

  auto i64View = [](std::vector<int64_t> &data) {
    return TensorView{plan::I64, {int64_t(data.size())}, data.data()};
  };
  std::vector<int64_t> ids(promptCapacity, 0), length = {int64_t(prompt.size())}, slot = {0};
  std::copy(prompt.begin(), prompt.end(), ids.begin());
  std::vector<float> logits(result.vocab * result.maxBatch);
  auto logitsView = [&](int64_t rows) {
    return TensorView{plan::F32, {rows, result.vocab}, logits.data()};
  };
  auto choose = [&] {
    int64_t token = argmax(logits.data(), result.vocab);
    result.tokens.push_back(token);
    result.logits.insert(result.logits.end(), logits.begin(), logits.begin() + result.vocab);
    return token;
  };

  if (llvm::Error error = session.resetStates())
    return error;
  Clock::time_point start = Clock::now();
  if (llvm::Error error =
          session.run("prefill", {i64View(ids), i64View(length), i64View(slot)}, {logitsView(1)}))
    return error;
  result.prefillSeconds = secondsSince(start);
  int64_t token = choose();

  // Slot 0 decodes; the other slots repeat token 0 at position 0 of their
  // own (unused) cache rows.
  std::vector<int64_t> batchIds(result.maxBatch, 0), positions(result.maxBatch, 0);
  start = Clock::now();
  for (int64_t step = 1; step < maxNewTokens; ++step) {
    batchIds[0] = token;
    positions[0] = int64_t(prompt.size()) + step - 1;
    if (llvm::Error error = session.run("decode", {i64View(batchIds), i64View(positions)},
                                        {logitsView(result.maxBatch)}))
      return error;
    token = choose();
  }
  result.decodeSeconds = secondsSince(start);
  return result;
}

} // namespace tern
