//===- AttentionOps.td - Latent attention ------------------*- tablegen -*-===//
//
// Multi-head latent attention as tern-fuse-mla derives it from a model's
// per-head attention: the op reads a cache of latents, not of keys and
// values, and codegen chooses how to compute it (absorbing the key and value
// up-projections into the query and the output for decoding).
//
//===----------------------------------------------------------------------===//
#ifndef TERN_ATTENTION_OPS_TD
#define TERN_ATTENTION_OPS_TD

include "ir/TernDialect.td"

def Tern_MLAAttentionOp : Tern_Op<"mla_attention",
    [AttrSizedOperandSegments, AllElementTypesMatch<["q_nope", "q_rope", "kv_b", "result"]>]> {
  let summary = "softmax attention over a cache of latents (DeepSeek's MLA)";
  let description = [{
    DeepSeek's multi-head latent attention for `B` queries of `H` heads, each
    over its own `S` cached positions. `latent_cache` `[B, S, L + R]` holds,
    per position, the normalised latent (`L` values) followed by the rotated
    RoPE key (`R` values) that all heads share; `kv_b` `[H * (N + V), L]` is
    the up-projection from a latent to each head's `N` key values and `V`
    values (`kv_b_proj.weight`, rows head by head, keys first). The result
    `[B, H, V]` is exactly what the per-head form computes:

    ```
    k_nope[b, s, h, n] = sum_l latent[b, s, l] * kv_b[h * (N + V) + n, l]
    v[b, s, h, e]      = sum_l latent[b, s, l] * kv_b[h * (N + V) + N + e, l]
    score[b, h, s]     = (q_nope[b, h] . k_nope[b, s, h] + q_rope[b, h] . k_rope[b, s]) * scale
                         + mask[b, h, s]
    result[b, h, e]    = sum_s softmax_s(score[b, h, s]) * v[b, s, h, e]
    ```

    with `mask` (additive, `-inf` where a position is not visible; of the
    queries' element type) broadcast to `[B, H, S]`, when given.

    `last_positions` (integer `[B]`), when given, is each query's last
    visible position: positions after it are not attended to, as if masked,
    and a kernel need not read them, so decoding costs what the sequences
    hold, not what the cache could hold. Values are clamped into `[0, S)`.

    `block_table` (integer `[B, C]`), when given, makes the cache paged:
    `latent_cache` is then a pool of blocks `[blocks, P, L + R]`, and
    position `s` of query `b` is row `s mod P` of block
    `block_table[b, s floordiv P]`, `S = C * P` (block numbers are clamped
    into the pool). Sequences of different lengths share the pool. The cache may be stored narrower than the rest (bf16
    with `ternc --kv-cache=bf16`); its values are widened where they are
    read. Codegen may compute it absorbed, which is how decoding
    gets cheap: `q_nope` times each head's key block of `kv_b` gives a
    query in the latent space, scores against the cache directly, the
    probabilities times the latents, then each head's value block of `kv_b`;
    no per-head key or value exists. That reorders the sums, so results agree
    with the per-head form to rounding, not to the bit.

    ```mlir
    %o = tern.mla_attention %q_nope, %q_rope, %cache, %kv_b, %mask {scale = 0.1147 : f64}
        : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<2x4096x576xf32>,
           tensor<4096x512xf32>, tensor<2x1x4096xf32>) -> tensor<2x16x128xf32>
    // Decoding from a pool of 256 blocks of 64 positions, 64 blocks a sequence:
    %o = tern.mla_attention %q_nope, %q_rope, %pool, %kv_b last_positions %pos
           blocks %table {scale = 0.1147 : f64}
        : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<256x64x576xf32>,
           tensor<4096x512xf32>, tensor<2xi64>, tensor<2x64xi64>) -> tensor<2x16x128xf32>
    ```
  }];
  let arguments = (ins Tern_ArithFloatTensor:$q_nope, Tern_ArithFloatTensor:$q_rope,
                       Tern_ArithFloatTensor:$latent_cache, Tern_ArithFloatTensor:$kv_b,
                       Optional<Tern_ArithFloatTensor>:$mask,
                       Optional<Tern_IndexTensor>:$last_positions,
                       Optional<Tern_IndexTensor>:$block_table, F64Attr:$scale);
  let results = (outs Tern_ArithFloatTensor:$result);
  let assemblyFormat = [{
    $q_nope `,` $q_rope `,` $latent_cache `,` $kv_b (`,` $mask^)?
    (`last_positions` $last_positions^)? (`blocks` $block_table^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// L, the latent's width: kv_b's columns.
    int64_t getLatentDim() { return getKvB().getType().getDimSize(1); }
    /// V, each head's value width.
    int64_t getValueDim() { return getResult().getType().getDimSize(2); }
    /// S, the positions each query may attend to: the cache's second
    /// dimension, or the blocks of the block table times their rows.
    int64_t getPositions();
  }];
}

#endif // TERN_ATTENTION_OPS_TD
