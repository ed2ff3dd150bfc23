//===- Passes.td - Tern dialect passes ---------------------*- tablegen -*-===//
#ifndef TERN_PASSES_TD
#define TERN_PASSES_TD

include "mlir/Pass/PassBase.td"

def InferShapesPass : Pass<"tern-infer-shapes", "::mlir::func::FuncOp"> {
  let summary = "Makes dynamic result dimensions static where operands determine them";
  let description = [{
    Walks the function in order and makes each tern op's result dimensions
    static wherever the declared or the inferred type has them static, then
    updates the
    function's result types to what it returns. Models imported with named
    dynamic dimensions that the caller pins (or that constants pin) end up
    fully static, which codegen needs for its memory plan.

    ```mlir
    %0 = tern.add %a, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
    // becomes
    %0 = tern.add %a, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
    ```
  }];
}

def FuseMoERoutingPass : Pass<"tern-fuse-moe-routing", "::mlir::func::FuncOp"> {
  let summary = "Rewrites a MoE router's dataflow into tern.moe_route";
  let description = [{
    Finds the routers DeepSeek models compute, by dataflow from the top-k that
    picks the experts: sigmoid or softmax scores; DeepSeek-V3's noaux_tc
    (a correction bias for the choice only, groups scored by the sum of their
    two best, the rest masked to -inf or 0, weights gathered from the
    uncorrected scores, optionally renormalised, scaled); DeepSeek-V2's greedy
    and group_limited_greedy (groups scored by their best, weights from the
    masked scores). Both the importer's spelling and torch.onnx.export's
    (top-k with sorted = 0, axes as -1, broadcast scalars, the mask as a
    cast to i1 under a not) match. The indices and weights become
    `tern.moe_route`'s.

    Near-misses stay: a group top-k other than 2 for a summed group score,
    the corrected scores as weights, a bias with softmax scores, scaling
    before the renormalisation, a top-k along another axis, or results that
    feed anything but the experts (a scatter into the routing matrix or
    `tern.moe_experts`).
  }];
  let dependentDialects = ["::mlir::tern::TernDialect"];
}

def FuseMoEExpertsPass : Pass<"tern-fuse-moe-experts", "::mlir::func::FuncOp"> {
  let summary = "Rewrites a dense mixture-of-experts sum into tern.moe_experts";
  let description = [{
    Finds, by dataflow, the dense form in which importers write a DeepSeek
    MoE block: the router's choice scattered into a `[tokens, experts]`
    matrix of zeros, every expert's SiLU-gated MLP computed on every token,
    multiplied by its column of that matrix, and all of them added up (with
    anything else in the same sum, such as the shared experts). The sum
    becomes one `tern.moe_experts` over the chosen experts plus the other
    terms, so that codegen runs only the experts each token chose.

    An expert's projections are gemms by `[out, in]` weights (checkpoints,
    the dynamo exporter) or matmuls by `[in, out]` ones (the TorchScript
    exporter), which the op takes through `tern.transpose`; codegen stacks the
    constants as they are stored, so all experts must share one layout and,
    per stack (gate with up, down), one stored element type. Block-quantized
    weights (FP8 behind a `tern.dequantize` by block scales, as DeepSeek-V3
    ships them) go in as their data and scales, all with one block size; the
    op dequantizes where its kernel reads them. Block-scaled `[in, out]`
    weights are left alone.

    The rewrite needs every expert `0..E-1` exactly once, all on the same
    hidden states, the matrix a scatter of zeros at indices that cannot
    repeat within a row (a `tern.topk` or `tern.moe_route` along the experts),
    and a sum that nothing else reads halfway. Anything else is left alone.
    The fused op's location fuses its experts' (`tern-run --profile` names
    its kernels after what they share, `model.layers.N.mlp.experts`).

    ```mlir
    %dense = tern.scatter_elements %zeros, %idx, %w {axis = 1 : i64} ...
    %y0 = <gate/up/down MLP of expert 0 on %x>
    %t0 = tern.mul %y0, (tern.slice %dense [:, 0:1])
    ...
    %sum = tern.add (tern.add %shared, %t0), %t1 ...
    // becomes
    %moe = tern.moe_experts %x, %idx, %w gate(...) up(...) down(...)
    %sum = tern.add %shared, %moe
    ```
  }];
  let dependentDialects = ["::mlir::tern::TernDialect"];
}

def FuseFp8CastsPass : Pass<"tern-fuse-fp8-casts", "::mlir::func::FuncOp"> {
  let summary = "Fuses block-quantized weights' dequantization into their products";
  let description = [{
    A product with a block-dequantized weight, the form FP8 checkpoints
    import as (DeepSeek-V3's E4M3 projections with their 128x128
    `weight_scale_inv` blocks) and ONNX's blocked DequantizeLinear (opset 21)
    feeding Gemm or MatMul,

    ```mlir
    %w = tern.dequantize %q, %s {block_size = array<i64: 128, 128>} : ...
    %y = tern.gemm %x, %w {trans_b = true} : ...
    ```

    becomes one `tern.block_scaled_matmul %x, %q, %s`, which computes the same
    values in the same order while codegen reads the weight in its stored
    precision. A gemm's bias (beta 1) becomes an add of the finished
    products, as the gemm adds it. A matmul's `[K, N]` weight goes in through
    `tern.transpose` of its data and scales (codegen reads the constants
    under them as stored), and rows of a higher-rank `x` through a reshape to
    `[rows, K]`. The dequantized weight goes away when nothing else reads it.

    Left alone: per-tensor and per-axis scales (no blocks), a gemm whose
    weight is not transposed or whose `x` is, an `alpha` other than 1, a
    bias scaled by `beta`, a matmul of a vector or of a higher-rank `x` with
    dynamic dimensions. Run it after `tern-fuse-moe-experts`, which takes
    the experts' quantized weights itself.
  }];
  let dependentDialects = ["::mlir::tern::TernDialect"];
}

def FuseMLAPass : Pass<"tern-fuse-mla", "::mlir::ModuleOp"> {
  let summary = "Replaces per-head KV caches of latent attention by a latent cache";
  let description = [{
    DeepSeek's multi-head latent attention computes every head's keys and
    values from one latent per token (`kv_b_proj` of the normalised
    `kv_a_proj_with_mqa` latent) and one RoPE key all heads share, but
    importers cache them per head, as the model's reference code does. For
    each pair of cache states that some entry function writes so

    ```mlir
    %kv = tern.reshape (tern.gemm %latent, %kv_b {trans_b = true}) : [T, H, N + V]
    %keys2 = tern.scatter_elements %keys, %rows,
        (tern.concat (tern.slice %kv [.., :N]), (tern.expand %k_rope [T, 1, R]))
    %values2 = tern.scatter_elements %values, %rows, (tern.slice %kv [.., N:])
    ```

    and that a decoding function then reads as softmax attention
    (`einsum(concat(q_nope, q_rope), view(keys2))` times a constant scale,
    plus a mask, softmax over the positions, `einsum` with `view(values2)`),
    the pass makes the state one latent cache `[rows, L + R]` (named after
    the common prefix of the two: `layers.0.latent_cache`), written with
    `concat(latent, k_rope)` at the same rows, and the attention a
    `tern.mla_attention` over it. The cache shrinks from `H * (N + R + V)`
    to `L + R` values per token (576 instead of 5,120 on DeepSeek-V2-Lite
    and V3 shapes).

    A pair is rewritten in every function that has it or in none: any
    function whose use of either state does not match (other readers of the
    cache, values from the keys' part of kv, RoPE applied to the keys' nope
    part, a RoPE key per head, another reduction, a softmax along another
    axis) leaves both states alone.

    With `cache-type=bf16` (`ternc --kv-cache=bf16`) the latent cache is
    stored in bf16: each entry is rounded to bf16 (to nearest, ties to even)
    where it is written, and widened where the attention reads it, halving
    the cache again.
  }];
  let options = [
    Option<"cacheType", "cache-type", "std::string", "\"f32\"",
           "Element type of the latent cache: f32 (the activations') or bf16">
  ];
  let dependentDialects = ["::mlir::tern::TernDialect"];
}

def NarrowActivationsPass : Pass<"tern-narrow-activations", "::mlir::ModuleOp"> {
  let summary = "Stores activations between ops in bf16, computing as transformers does in bf16";
  let description = [{
    The precision policy of `ternc --precision=bf16`: what an f32 model
    computes is computed as a bf16 model computes it in PyTorch. Every op
    with an f32 result becomes a bf16 op on bf16 operands (elementwise ops
    round each result, as PyTorch's bf16 kernels do; contractions take bf16
    operands, accumulate in f32 and round once; data movement moves bf16),
    except:

    - ops with the `ComputesInF32` trait (`rms_norm`, `layer_norm`,
      `softmax`, `reduce_sum`, `reduce_mean`, `moe_route`) and products with
      f32 block scales (`block_scaled_matmul`, block-scaled `moe_experts`)
      keep f32 operands, widened exactly from bf16, and an f32 result that
      is rounded to bf16 once, where it is handed on;
    - routing stays f32: the ops in the backward slices of `moe_route`'s
      logits, of a `topk`'s input and of what a `scatter_elements` writes
      at a top-k's choice, up to and including the products that feed them
      (transformers computes DeepSeek's router from f32 operands), so that
      an unfused router cannot pick other experts than the fused one.

    States (the KV cache) become bf16; the function's other inputs and
    outputs keep their types, converted at the boundary. Inline f32
    constants (RoPE tables, masks) are rounded at compile time; bf16 weights
    reach the products as stored, without the widening casts the importer
    wrote. Casts the rewrite makes cancel where exact (`bf16 -> f32 ->
    bf16`). The module records the choice as `tern.precision = "bf16"`,
    which the plan carries.

    ```mlir
    %w32 = tern.cast %w : tensor<48x64xbf16> to tensor<48x64xf32>
    %y = tern.gemm %x, %w32 {trans_b = true} : (tensor<1x64xf32>, tensor<48x64xf32>) -> tensor<1x48xf32>
    %z = tern.silu %y : tensor<1x48xf32>
    // becomes (%x16 the bf16 producer of %x)
    %y = tern.gemm %x16, %w {trans_b = true} : (tensor<1x64xbf16>, tensor<48x64xbf16>) -> tensor<1x48xbf16>
    %z = tern.silu %y : tensor<1x48xbf16>
    ```
  }];
  let dependentDialects = ["::mlir::tern::TernDialect"];
}

def QuantizeActivationsPass : Pass<"tern-quantize-activations", "::mlir::ModuleOp"> {
  let summary = "Quantizes the activations of FP8 block-scaled products to FP8 at run time";
  let description = [{
    The precision policy of `ternc --fp8-activations`: DeepSeek-V3's FP8
    linear layers as its reference inference computes them with FP8 GEMMs
    (`act_quant` + `fp8_gemm`; vLLM's and SGLang's block FP8). In front of
    every product whose weight is block-quantized (`block_scaled_matmul`,
    or unfused a `gemm`/`matmul` of a blocked `dequantize`) and whose
    contracted dimension is a whole number of the weight's K blocks, the
    activations are quantized to FP8 E4M3 per row and block of K: the scale
    is `max(amax(|x|), 1e-4) / 448`, written as tern ops, and
    `tern.quantize` in 1 x block blocks rounds `x / scale`. A fused product
    takes the FP8 data as its `lhs` and the scales as its `lhs_scale`; an
    unfused one reads `tern.dequantize` of them, the same values. A
    block-scaled `tern.moe_experts` gets `activation_block`, with which it
    quantizes its projections' inputs itself. Products whose K is not a
    multiple of the block keep their activations. The module records
    `tern.activations = "fp8-block"`, which the plan carries. Runs after
    `tern-narrow-activations`: under bf16 the activations are bf16 values,
    widened exactly, as in DeepSeek's bf16 model.

    ```mlir
    %y = tern.block_scaled_matmul %x, %q, %s {block_size = array<i64: 128, 128>}
        : (tensor<7x2048xf32>, tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<7x512xf32>
    // becomes
    %b = tern.reshape %x : (tensor<7x2048xf32>) -> tensor<7x16x128xf32>
    %a = tern.abs %b : tensor<7x16x128xf32>
    %m = tern.reduce_max %a {axes = array<i64: 2>, keepdims = false} : tensor<7x16x128xf32> -> tensor<7x16xf32>
    %c = tern.max %m, %min_amax : (tensor<7x16xf32>, tensor<f32>) -> tensor<7x16xf32>
    %xs = tern.div %c, %e4m3_max : (tensor<7x16xf32>, tensor<f32>) -> tensor<7x16xf32>
    %xq = tern.quantize %x, %xs {block_size = array<i64: 1, 128>} : (tensor<7x2048xf32>, tensor<7x16xf32>) -> tensor<7x2048xf8E4M3FN>
    %y = tern.block_scaled_matmul %xq scaled %xs, %q, %s {block_size = array<i64: 128, 128>}
        : (tensor<7x2048xf8E4M3FN>, tensor<7x16xf32>, tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<7x512xf32>
    ```
  }];
  let dependentDialects = ["::mlir::tern::TernDialect"];
}

def PrintStatsPass : Pass<"tern-print-stats", "::mlir::ModuleOp"> {
  let summary = "Prints the FLOPs and weight bytes one call of each entry point needs";
  let description = [{
    For each function, to standard error: the floating-point operations of
    its contractions (gemm, matmul, block_scaled_matmul, moe_experts; 2 per
    multiply-add) and the bytes of constants it reads, per call. A
    `tern.moe_experts` counts only the chosen experts: tokens x k expert
    MLPs, and of the expert weights at most the share min(tokens x k,
    experts) / experts. `ternc --stats` runs
    it before and after the fusion phase, so that what a fusion saves shows
    without running the model.

    ```
    stats after fusion: @decode: 747.635 MFLOP (routed experts 103.809 MFLOP), 747.662 MB of weights read per call
    ```
  }];
  let options = [
    Option<"label", "label", "std::string", "\"\"", "What the lines start with">,
  ];
}

#endif // TERN_PASSES_TD
