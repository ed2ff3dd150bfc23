//===- DeepSeekModel.h - What a DeepSeek model computes, as tern ops -*- C++ -*-===//
//
// The model as transformers' modeling code computes it, built from ordinary
// tern ops at an OpBuilder's insertion point: the embedding, multi-head
// latent attention (query LoRA or not, YaRN, interleaved RoPE), dense MLP
// layers, MoE layers with shared experts and the V3 noaux_tc or V2 greedy
// routers (every expert computed on every token, weighted by its share), the
// final norm and the LM head. Math in f32; weights as constants that
// reference the mapped checkpoint, widened or dequantized by explicit ops.
// DeepSeekImporter wraps it in entry functions.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_FRONTEND_HF_DEEPSEEKMODEL_H
#define TERN_FRONTEND_HF_DEEPSEEKMODEL_H

#include "frontend/hf/Checkpoint.h"
#include "frontend/hf/DeepSeekConfig.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "llvm/ADT/StringMap.h"

#include <memory>

namespace mlir::tern::hf {

/// Which computation the model states.
enum class Step {
  Prompt,  // every position of one prompt, causal; no cache
  Prefill, // as Prompt, and the prompt's keys and values into the cache
  Decode,  // one new token per sequence, attending to its cached positions
};

/// One layer's key and value caches, [maxBatch * maxSeq, heads, dim] (the
/// row of position p of sequence b is b * maxSeq + p), or paged, a pool of
/// [blocks, block size, heads, dim] (position p of sequence b is row p mod
/// block size of block table[b, p / block size]).
struct LayerCache {
  Value keys, values;
};

/// Where Prefill and Decode read and write the cache.
struct CacheAccess {
  /// Per layer; updated to the values the function should return.
  MutableArrayRef<LayerCache> caches;
  /// [tokens] i64: the cache row each token's keys and values go to.
  Value rows;
  /// Decode: [batch] i64, each token's position in its sequence.
  Value positions;
  /// Decode: positions per sequence in the cache.
  int64_t maxSeq = 0;
  /// Decode from a paged cache: [batch, maxSeq / block size] i64, the blocks
  /// of each sequence's positions in order.
  Value blockTable;
};

/// Checkpoint tensors as attributes, one per name, so that every entry
/// function of a module uses the same constant (one weight in the plan).
using WeightAttrs = llvm::StringMap<ElementsAttr>;

/// How the projections' weights reach the model (ternc --weights).
enum class WeightFormat {
  /// As the checkpoint stores them: bf16 and f16 widened, FP8 dequantized
  /// with its block scales.
  AsStored,
  /// bf16, f16 and f32 projections quantized to FP8 E4M3 in 128x128 blocks,
  /// as DeepSeek-V3's checkpoints store them (#tern.block_quantized, done as
  /// the plan is written), and dequantized as an FP8 checkpoint's are; the
  /// router, the embeddings, the norms and the LM head stay as stored, as in
  /// DeepSeek-V3's checkpoints.
  Fp8Block,
  /// FP8 E4M3 weights dequantized with their block scales to bf16
  /// (#tern.block_dequantized, done as the plan is written), for GPUs
  /// without FP8 tensor cores; the others as stored.
  Bf16,
};

/// The block DeepSeek-V3 quantizes its weights in: 128x128.
inline constexpr int64_t kFp8WeightBlock = 128;

class DeepSeekModel {
public:
  DeepSeekModel(std::shared_ptr<const Checkpoint> checkpoint, const DeepSeekConfig &config,
                WeightAttrs &weights, WeightFormat format, OpBuilder &builder, Location loc)
      : checkpoint(std::move(checkpoint)), config(config), weights(weights), format(format),
        b(builder), loc(loc) {}

  /// The final hidden states [tokens, hidden] of token ids [tokens].
  Value hidden(Step step, Value ids, const CacheAccess &cache = {});
  /// logits [n, vocab] of hidden states [n, hidden]: final norm, LM head.
  Value logits(Value x);

private:
  std::shared_ptr<const Checkpoint> checkpoint;
  const DeepSeekConfig &config;
  WeightAttrs &weights;
  WeightFormat format;
  OpBuilder &b;
  Location loc;
};

} // namespace mlir::tern::hf

#endif // TERN_FRONTEND_HF_DEEPSEEKMODEL_H
