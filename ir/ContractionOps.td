//===- ContractionOps.td - Matrix products -----------------*- tablegen -*-===//
#ifndef TERN_CONTRACTION_OPS_TD
#define TERN_CONTRACTION_OPS_TD

include "ir/TernDialect.td"

def Tern_MatMulOp : Tern_Op<"matmul", [SameOperandsAndResultElementType]> {
  let summary = "batched matrix product with NumPy broadcasting";
  let description = [{
    NumPy `matmul`: the last two dimensions multiply, the leading (batch)
    dimensions broadcast. A 1-D `lhs` is a row vector and a 1-D `rhs` a column
    vector; the inserted dimension is removed from the result.

    ```mlir
    %y = tern.matmul %x, %w : (tensor<2x7x2048xbf16>, tensor<2048x512xbf16>) -> tensor<2x7x512xbf16>
    ```
  }];
  let arguments = (ins Tern_NumericTensor:$lhs, Tern_NumericTensor:$rhs);
  let results = (outs Tern_NumericTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def Tern_GemmOp : Tern_Op<"gemm", [AllElementTypesMatch<["a", "b", "result"]>]> {
  let summary = "alpha * op(a) * op(b) + beta * c on 2-D operands";
  let description = [{
    `op(x)` is `x` or its transpose (`trans_a`, `trans_b`); the optional `c`
    broadcasts to the `M x N` result.

    ```mlir
    %y = tern.gemm %a, %b, %c {trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
    ```
  }];
  let arguments = (ins Tern_NumericTensor:$a, Tern_NumericTensor:$b,
                       Optional<Tern_NumericTensor>:$c,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_a,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_b,
                       DefaultValuedAttr<F32Attr, "1.0f">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0f">:$beta);
  let results = (outs Tern_NumericTensor:$result);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Tern_EinsumOp : Tern_Op<"einsum", [SameOperandsAndResultElementType]> {
  let summary = "Einstein summation";
  let description = [{
    The ONNX/NumPy equation form `"bhqd,bhkd->bhqk"`, with an explicit output
    (the importer makes implicit outputs explicit). `...` is not supported.

    ```mlir
    %s = tern.einsum %q, %k {equation = "bqd,bkd->bqk"} : (tensor<2x4x8xf32>, tensor<2x6x8xf32>) -> tensor<2x4x6xf32>
    ```
  }];
  let arguments = (ins Variadic<Tern_NumericTensor>:$inputs, StrAttr:$equation);
  let results = (outs Tern_NumericTensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type($inputs, results)";
}

def Tern_BlockScaledMatMulOp : Tern_Op<"block_scaled_matmul",
                                       [AllElementTypesMatch<["rhs_scale", "result"]>]> {
  let summary = "product with the transpose of a block-quantized weight";
  let description = [{
    `result[m, n] = sum over k of x[m, k] * w[n, k]`, where `w` is
    `tern.dequantize(rhs, rhs_scale)` with `block_size = [rows, cols]`:
    `w[n, k] = rhs[n, k] * rhs_scale[n / rows, k / cols]`, computed in f32 and
    rounded to the scale's element type, as `tern.dequantize` computes it. The
    weight is `[N, K]`, as checkpoints store a linear layer's weight
    (DeepSeek-V3's FP8 E4M3 projections: 128x128 blocks), and the products
    add in K order, as `tern.gemm` adds them: the op is exactly
    `tern.gemm(x, tern.dequantize(rhs, rhs_scale), trans_b)`, kept whole so
    that a kernel reads the weight in its stored precision and no
    dequantized copy of it exists. `tern-fuse-fp8-casts` forms it.

    `x` is `lhs`, or, with `lhs_scale`, the activations quantized in blocks
    of 1 x cols along K (DeepSeek-V3's `act_quant`: FP8 `lhs` `[M, K]` and
    `lhs_scale` `[M, ceil(K / cols)]`): `x[m, k] = lhs[m, k] *
    lhs_scale[m, k / cols]`, as `tern.dequantize` computes it, so both
    operands are FP8 with f32 scales that share the K blocks. DeepSeek's
    `fp8_gemm` and FP8 tensor cores scale each block's partial sum instead of
    each product: the same value up to f32 rounding.

    ```mlir
    %y = tern.block_scaled_matmul %x, %q, %s {block_size = array<i64: 128, 128>}
        : (tensor<7x2048xf32>, tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<7x512xf32>
    %z = tern.block_scaled_matmul %xq scaled %xs, %q, %s {block_size = array<i64: 128, 128>}
        : (tensor<7x2048xf8E4M3FN>, tensor<7x16xf32>, tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>)
        -> tensor<7x512xf32>
    ```
  }];
  let arguments = (ins AnyTypeOf<[Tern_QuantFloatTensor, Tern_QuantizedTensor]>:$lhs,
                       Optional<Tern_QuantFloatTensor>:$lhs_scale, Tern_QuantizedTensor:$rhs,
                       Tern_QuantFloatTensor:$rhs_scale, DenseI64ArrayAttr:$block_size);
  let results = (outs Tern_QuantFloatTensor:$result);
  let assemblyFormat = [{
    $lhs (`scaled` $lhs_scale^)? `,` $rhs `,` $rhs_scale attr-dict `:` functional-type(operands, results)
  }];
}

#endif // TERN_CONTRACTION_OPS_TD
