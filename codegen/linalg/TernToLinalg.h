//===- TernToLinalg.h - tern to linalg lowering patterns --------*- C++ -*-===//
#ifndef TERN_CODEGEN_TERNTOLINALG_H
#define TERN_CODEGEN_TERNTOLINALG_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::tern {

/// All patterns lowering statically shaped tern ops to linalg on tensors;
/// `fp8Products` and `splitAttention` as convert-tern-to-linalg's
/// fp8-products and split-attention options.
void populateTernToLinalgPatterns(RewritePatternSet &patterns, bool fp8Products = false,
                                  bool splitAttention = false);

/// Elementwise ops (as linalg.generic) and constants.
void populateElementwiseToLinalgPatterns(RewritePatternSet &patterns);
/// matmul as linalg.matmul / linalg.batch_matmul, einsum and gemm as
/// linalg.generic contractions; FP8 x FP8 block-scaled products as one
/// contraction with `fp8Products`, else with the activations dequantized
/// first.
void populateContractionsToLinalgPatterns(RewritePatternSet &patterns, bool fp8Products);
/// reshape, squeeze, unsqueeze (tensor reshapes), expand, transpose, slice,
/// split, concat.
void populateDataMovementToLinalgPatterns(RewritePatternSet &patterns);
/// reduce_*, softmax, rms_norm and layer_norm as reductions plus elementwise
/// generics.
void populateReductionsToLinalgPatterns(RewritePatternSet &patterns);
/// gather, gather_elements, topk and rotary as generics that read at computed
/// positions; scatter_elements as a loop nest.
void populateIndexingToLinalgPatterns(RewritePatternSet &patterns);
/// quantize and dequantize, FP8 rounding emulated.
void populateQuantToLinalgPatterns(RewritePatternSet &patterns);
/// moe_experts as a kernel over blocks of the choices grouped by expert,
/// reading only the chosen experts' weights, stacked at compile time, and a
/// combining sum; moe_route as one kernel over the tokens, each running the
/// reference routing.
void populateMoEToLinalgPatterns(RewritePatternSet &patterns);
/// mla_attention absorbed (the query into the latent space, the values out
/// of it): over the visible positions in splits with `splitAttention` where
/// the op has last_positions (SplitAttention.h), else as products over every
/// cached position under a mask.
void populateAttentionToLinalgPatterns(RewritePatternSet &patterns, bool splitAttention);

} // namespace mlir::tern

#endif // TERN_CODEGEN_TERNTOLINALG_H
