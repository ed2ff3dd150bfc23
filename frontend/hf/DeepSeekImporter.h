//===- DeepSeekImporter.h - A DeepSeek checkpoint as tern ops ---*- C++ -*-===//
//
// Builds what a DeepSeek-V2/V3 checkpoint computes for a prompt of a fixed
// length, as transformers' modeling code computes it: @main(input_ids:
// [seq] i64) -> logits: [seq, vocab] f32. Weights stay in the mapped shards
// (dense_resource blobs that keep the checkpoint alive) and are widened to
// f32 by explicit casts, or dequantized with their block scales when FP8;
// the math is in f32.
//
// The model: the embedding, multi-head latent attention (query LoRA or not,
// YaRN, interleaved RoPE, causal softmax), dense MLP layers, MoE layers with
// shared experts and DeepSeek-V3's noaux_tc router or DeepSeek-V2's greedy
// ones (every expert computed on every token, weighted by its share), the
// final norm and the LM head. Routers transformers would not compute as the
// config asks are reported as not supported.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_FRONTEND_HF_DEEPSEEKIMPORTER_H
#define TERN_FRONTEND_HF_DEEPSEEKIMPORTER_H

#include "frontend/hf/Checkpoint.h"
#include "frontend/hf/DeepSeekConfig.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <memory>

namespace mlir::tern::hf {

/// Imports `checkpoint` (validated against `config`) for prompts of
/// `seqLen` tokens. Errors are diagnostics on `context`; null then.
OwningOpRef<ModuleOp> importDeepSeek(std::shared_ptr<const Checkpoint> checkpoint,
                                     const DeepSeekConfig &config, int64_t seqLen,
                                     MLIRContext &context);

} // namespace mlir::tern::hf

#endif // TERN_FRONTEND_HF_DEEPSEEKIMPORTER_H
