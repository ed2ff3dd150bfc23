//===- DeepSeekImporter.h - A DeepSeek checkpoint as tern ops ---*- C++ -*-===//
//
// Entry functions for what a DeepSeek-V2/V3 checkpoint computes
// (frontend/hf/DeepSeekModel.h): @main for a prompt of a fixed length, or
// @prefill and @decode sharing weights and a KV cache for autoregressive
// decoding. Weights stay in the mapped shards (dense_resource blobs that
// keep the checkpoint alive). Routers transformers would not compute as the
// config asks are reported as not supported.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_FRONTEND_HF_DEEPSEEKIMPORTER_H
#define TERN_FRONTEND_HF_DEEPSEEKIMPORTER_H

#include "frontend/hf/Checkpoint.h"
#include "frontend/hf/DeepSeekConfig.h"
#include "frontend/hf/DeepSeekModel.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <memory>

namespace mlir::tern::hf {

/// Imports `checkpoint` (validated against `config`) for prompts of
/// `seqLens` tokens: @main(input_ids [seq]) -> logits [seq, vocab], one
/// specialization per length when there are several (ir/EntryPoints.h),
/// sharing the weights; the projections' weights as `weights` says (the
/// module then records a format other than as stored in `tern.weights`).
/// Errors are diagnostics on `context`; null then.
OwningOpRef<ModuleOp> importDeepSeek(std::shared_ptr<const Checkpoint> checkpoint,
                                     const DeepSeekConfig &config, ArrayRef<int64_t> seqLens,
                                     MLIRContext &context,
                                     WeightFormat weights = WeightFormat::AsStored);

/// The sizes a decoding module is compiled for.
struct DecodingShape {
  int64_t maxSeqLen = 0;            // positions per sequence in the KV cache
  int64_t maxBatch = 1;             // sequences decode advances at once
  SmallVector<int64_t> prefillLens; // prompt lengths prefill takes (padded to)
  int64_t blockSize = 0;            // > 0: the cache paged in blocks of this many positions
  int64_t blocks = 0; // paged: the pool's blocks (0: maxBatch x maxSeqLen / blockSize)
};

/// Imports `checkpoint` for autoregressive decoding: @prefill(input_ids
/// [P], length [1], slot [1]) -> logits [1, vocab] of the prompt's last
/// token (one specialization per prefill length P, over the dimension
/// "seq"), and @decode(input_ids [B], positions [B]) -> logits [B, vocab],
/// sharing weights and a per-layer key/value cache that is state
/// ("layers.N.key_cache" [B * S, heads, qk], "layers.N.value_cache" [B * S,
/// heads, v]; row slot * S + position), which the runtime keeps between
/// calls. Paged (`blockSize`), the caches are pools [blocks, block size,
/// heads, dim] and prefill takes `block_table` [S / block size] in place of
/// `slot`, decode `block_table` [B, S / block size]: position p of a
/// sequence is row p mod block size of block table[p / block size]. Errors
/// are diagnostics on `context`; null then.
OwningOpRef<ModuleOp> importDeepSeekForDecoding(std::shared_ptr<const Checkpoint> checkpoint,
                                                const DeepSeekConfig &config,
                                                const DecodingShape &shape, MLIRContext &context,
                                                WeightFormat weights = WeightFormat::AsStored);

} // namespace mlir::tern::hf

#endif // TERN_FRONTEND_HF_DEEPSEEKIMPORTER_H
