//===- MoEOps.td - Mixture-of-experts routing and experts ---*- tablegen -*-===//
//
// The two ops tern-fuse-moe-routing and tern-fuse-moe-experts derive from a
// model's dense graph. Codegen lowers them to sparse kernels that read only
// the chosen experts' weights.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_MOE_OPS_TD
#define TERN_MOE_OPS_TD

include "ir/TernDialect.td"

def Tern_MoERouteOp : Tern_Op<"moe_route", [Tern_ComputesInF32,
                                            AllElementTypesMatch<["logits", "weights"]>]> {
  let summary = "chooses k experts per token from the router's logits";
  let description = [{
    For each row of `logits` ([tokens, experts]):

    1. `scores = softmax(logits)` or `sigmoid(logits)` (`scoring`).
    2. `choice = scores + correction_bias` when the bias is given (DeepSeek-V3's
       noaux_tc: the bias steers selection only), else `scores`.
    3. Group limit (`n_group > 1`): the experts split into `n_group` equal
       groups; each group scores `max` of its choice values, or `top2_sum`
       (the sum of its two largest); the `topk_group` best groups are kept and
       every expert of the other groups gets `dropped_fill` (0 or -inf both
       occur in real models).
    4. `indices` = the `k` largest choice values, in descending order; equal
       values keep the lower expert index first.
    5. `weights = scores[indices]` (the uncorrected scores); with
       `masked_weights`, experts outside the kept groups weigh `dropped_fill`
       instead (DeepSeek-V2's group_limited_greedy takes its weights from the
       masked scores). Divided by their sum plus `norm_epsilon` when
       `normalize`, then times `scaling`.

    ```mlir
    %idx, %w = tern.moe_route %logits, %bias {scoring = "sigmoid", k = 8 : i64,
        n_group = 8 : i64, topk_group = 4 : i64, group_score = "top2_sum",
        normalize = true, norm_epsilon = 1.0e-20 : f64, scaling = 2.5 : f64}
        : (tensor<7x256xf32>, tensor<256xf32>) -> (tensor<7x8xi64>, tensor<7x8xf32>)
    ```
  }];
  let arguments = (ins Tern_ArithFloatTensor:$logits,
                       Optional<Tern_ArithFloatTensor>:$correction_bias,
                       StrAttr:$scoring,
                       ConfinedAttr<I64Attr, [IntPositive]>:$k,
                       DefaultValuedAttr<I64Attr, "1">:$n_group,
                       DefaultValuedAttr<I64Attr, "1">:$topk_group,
                       DefaultValuedAttr<StrAttr, "\"max\"">:$group_score,
                       DefaultValuedAttr<F64Attr, "0.0">:$dropped_fill,
                       DefaultValuedAttr<BoolAttr, "false">:$masked_weights,
                       DefaultValuedAttr<BoolAttr, "false">:$normalize,
                       DefaultValuedAttr<F64Attr, "0.0">:$norm_epsilon,
                       DefaultValuedAttr<F64Attr, "1.0">:$scaling);
  let results = (outs RankedTensorOf<[I64]>:$indices, Tern_ArithFloatTensor:$weights);
  let assemblyFormat = [{
    $logits (`,` $correction_bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// The scoring functions and group score rules the attributes may name.
    static constexpr ::llvm::StringLiteral kSoftmax = "softmax", kSigmoid = "sigmoid";
    static constexpr ::llvm::StringLiteral kGroupMax = "max", kGroupTop2Sum = "top2_sum";
  }];
}

// An expert's weight as stored: wide floats, or quantized with block scales.
def Tern_ExpertWeightTensor : RankedTensorOf<[F32, F16, BF16, F8E4M3FN, F8E5M2, I8]>;

def Tern_MoEExpertsOp : Tern_Op<"moe_experts", [AttrSizedOperandSegments,
                                                AllTypesMatch<["hidden", "result"]>]> {
  let summary = "the weighted sum of each token's chosen experts";
  let description = [{
    `result[t] = sum over j of weights[t, j] * expert_e(hidden[t])` with
    `e = indices[t, j]`, where expert `e` is the SiLU-gated MLP
    `down_e(silu(gate_e(h)) * up_e(h))` and `gate_e`, `up_e`, `down_e` are
    products with the transposed weights (`[inter, hidden]`, `[inter, hidden]`,
    `[hidden, inter]`, as checkpoints store them). The sum runs over `j` in
    order, so results are the same on every run.

    The experts' weights stay separate operands, one per expert and
    projection, as the checkpoint holds them: stacking them is a layout choice
    of the kernel that runs the op, made in codegen. Shared experts are not
    part of the op; they stay ordinary ops beside it.

    Quantized weights (FP8 E4M3/E5M2, int8) come with block scales, one per
    weight, and `block_size` (`[rows, cols]` of a block): the weight the MLP
    uses is `tern.dequantize` of the two, `w[r, c] * scale[r / rows, c /
    cols]`, computed where the kernel reads the weight, in the scales' element
    type, which must be the hidden states'. DeepSeek-V3's FP8 experts:
    `block_size = [128, 128]`.

    With `activation_block` (block-scaled weights only; the blocks' extent
    along the contracted dimension, `block_size[1]`), each projection's input
    (the hidden states, and `silu(gate) * up`) is first quantized to FP8 E4M3
    per row and block of that many values, DeepSeek-V3's `act_quant`: the
    scale is `max(amax(|x|), 1e-4) / 448`, and the projection reads
    `tern.dequantize(tern.quantize(x, scale), scale)`. `ternc
    --fp8-activations` sets it (`tern-quantize-activations`).

    ```mlir
    %y = tern.moe_experts %x, %idx, %w gate(%g0, %g1) up(%u0, %u1) down(%d0, %d1)
        : (tensor<4x64xf32>, tensor<4x1xi64>, tensor<4x1xf32>,
           tensor<32x64xbf16>, tensor<32x64xbf16>, tensor<32x64xbf16>,
           tensor<32x64xbf16>, tensor<64x32xbf16>, tensor<64x32xbf16>) -> tensor<4x64xf32>
    %z = tern.moe_experts %x, %idx, %w gate(%q) up(%q) down(%p)
        scales gate(%s) up(%s) down(%t) {block_size = array<i64: 128, 128>}
        : (tensor<4x160xf32>, tensor<4x2xi64>, tensor<4x2xf32>,
           tensor<136x160xf8E4M3FN>, tensor<136x160xf8E4M3FN>, tensor<160x136xf8E4M3FN>,
           tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<4x160xf32>
    ```
  }];
  let arguments = (ins Tern_ArithFloatTensor:$hidden, RankedTensorOf<[I64]>:$indices,
                       Tern_ArithFloatTensor:$weights,
                       Variadic<Tern_ExpertWeightTensor>:$gate,
                       Variadic<Tern_ExpertWeightTensor>:$up,
                       Variadic<Tern_ExpertWeightTensor>:$down,
                       Variadic<Tern_ArithFloatTensor>:$gate_scales,
                       Variadic<Tern_ArithFloatTensor>:$up_scales,
                       Variadic<Tern_ArithFloatTensor>:$down_scales,
                       OptionalAttr<DenseI64ArrayAttr>:$block_size,
                       OptionalAttr<I64Attr>:$activation_block);
  let results = (outs Tern_ArithFloatTensor:$result);
  let assemblyFormat = [{
    $hidden `,` $indices `,` $weights `gate` `(` $gate `)` `up` `(` $up `)` `down` `(` $down `)`
    (`scales` `gate` `(` $gate_scales^ `)` `up` `(` $up_scales `)` `down` `(` $down_scales `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    int64_t getNumExperts() { return getGate().size(); }
    /// Whether the weights are quantized, with block scales.
    bool isBlockScaled() { return getBlockSize().has_value(); }
    /// Checks the scales and block_size against the weights (part of type
    /// inference, which verifies the op).
    ::llvm::LogicalResult verifyBlockScales(::mlir::tern::EmitErrorFn emitError);
  }];
}

#endif // TERN_MOE_OPS_TD
