//===- DeepSeekImporter.h - A DeepSeek checkpoint as tern ops ---*- C++ -*-===//
//
// Builds what a DeepSeek-V2/V3 checkpoint computes for a prompt of a fixed
// length, as transformers' modeling code computes it: @main(input_ids:
// [seq] i64) -> logits: [seq, vocab] f32. Weights stay in the mapped shards
// (dense_resource blobs that keep the checkpoint alive) and are widened to
// f32 by explicit casts; the math is in f32.
//
// Implemented so far: the embedding, multi-head latent attention (query
// LoRA or not, YaRN, interleaved RoPE, causal softmax), dense MLP layers,
// the final norm and the LM head. MoE layers and FP8 weights are reported
// as not supported yet.
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
