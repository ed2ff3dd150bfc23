//===- Passes.td - Lowering tern to linalg -----------------*- tablegen -*-===//
#ifndef TERN_CODEGEN_LINALG_PASSES_TD
#define TERN_CODEGEN_LINALG_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTernToLinalgPass : Pass<"convert-tern-to-linalg", "::mlir::func::FuncOp"> {
  let summary = "Lowers tern ops with static shapes to linalg, tensor, arith and math";
  let description = [{
    Elementwise ops (with broadcasting) and expand become `linalg.generic`
    ops over a `tensor.empty`; constants `arith.constant`; matmuls
    `linalg.matmul` (a weight on the right: batch rows stack into M) or
    `linalg.batch_matmul` (equal batch dimensions) over a zero fill; einsum
    (one or two inputs) and gemm `linalg.generic` contractions; reductions,
    softmax, rms_norm and layer_norm reduction generics plus elementwise ones;
    reshape, squeeze and unsqueeze `tensor.collapse_shape`/`expand_shape`;
    transpose `linalg.transpose`; slice (positive steps) and split
    `tensor.extract_slice`, a slice with a negative step a generic reading
    the input at start + step * i; concat `tensor.concat`. gather, gather_elements,
    topk and rotary become generics over their results that read the source
    with `tensor.extract` at computed positions (indices out of range are
    clamped: kernels cannot report errors); scatter_elements an
    `scf.forall` over the lines of the result along its axis (updates on
    different lines never meet), each a sequential `scf.for` over the
    updates that land on it, in order. quantize, dequantize and casts from or
    to FP8 compute in f32 and emulate FP8 rounding (to nearest even) with
    integer arithmetic, since LLVM has no 8-bit float types. Ops with dynamic
    shapes stay as they are: `ternc --emit=linalg` reports them.

    ```mlir
    %0 = tern.add %a, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
    // becomes
    %e = tensor.empty() : tensor<4x8xf32>
    %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                          affine_map<(d0, d1) -> (d1)>,
                                          affine_map<(d0, d1) -> (d0, d1)>], ...}
        ins(%a, %b : ...) outs(%e : ...) { arith.addf ... }
    ```
  }];
  let options = [
    Option<"fp8Products", "fp8-products", "bool", /*default=*/"false",
           "Keep a block-scaled product of FP8 E4M3 activations by FP8 E4M3 weights one "
           "contraction that reads both in FP8 (for targets with FP8 tensor cores); "
           "otherwise the activations are dequantized first, as the host's kernels read "
           "them">,
    Option<"splitAttention", "split-attention", "bool", /*default=*/"false",
           "Compute an mla_attention that has last_positions over the positions each query "
           "sees only, the cache cut into splits that parallel iterations share, each an "
           "online softmax (FlashDecoding's split KV; for the host's kernels); otherwise over "
           "every position under a mask, as products that GPU mappings parallelize">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def SignlessIntegersPass : Pass<"tern-signless-integers", "::mlir::ModuleOp"> {
  let summary = "Unsigned integer tensors as signless ones, their unsigned meaning made explicit";
  let description = [{
    The lowering's arith ops take signless integers, and for integers
    `convert-tern-to-linalg` picks signed ops. This pass, first in the
    lowering phase, retypes every unsigned tensor (`ui8` .. `ui64`, ONNX's
    UINT types) to the signless type of its width (the same bits) and
    rewrites what depends on signedness into signed ops that compute the
    unsigned result: order (`max`, `min`, comparisons, `reduce_max`/`min`,
    `topk`) on operands whose top bit is flipped (adding 2^(w-1), wrapping),
    values flipped back; `div` on operands zero-extended to twice the width
    (64-bit unsigned division is an error); casts from unsigned through a
    zero extension (to floats: ui64 through f64, from x - 2^63 where the top
    bit is set, rounded twice there),
    casts from floats to unsigned through the signed type of twice the width
    (ui64: from 2^63 on, through x - 2^63 with the top bit flipped back);
    `dequantize` of unsigned data reads it (and its zero point) zero-extended,
    `quantize` to unsigned goes to i32, clamped to the unsigned range, truncated.
    Wrapping `add`, `sub`, `mul`, sums and data movement need nothing.
    Retyped arguments and results of a function carry `tern.unsigned`, which
    the plan records as unsigned element types.

    ```mlir
    %m = tern.max %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
    // becomes, with %min = tern.constant dense<-128> : tensor<i8>
    %fa = tern.add %a, %min : (tensor<4xi8>, tensor<i8>) -> tensor<4xi8>
    %fb = tern.add %b, %min : (tensor<4xi8>, tensor<i8>) -> tensor<4xi8>
    %fm = tern.max %fa, %fb : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
    %m = tern.add %fm, %min : (tensor<4xi8>, tensor<i8>) -> tensor<4xi8>
    ```
  }];
}

def PackWeightPanelsPass : Pass<"tern-pack-weight-panels", "::mlir::func::FuncOp"> {
  let summary = "Lays out a host contraction's constant weight in panels contiguous along K";
  let description = [{
    Host targets, after `convert-tern-to-linalg`. A linalg contraction on
    tensors with two inputs, one M, one N and one K loop (no batch), static
    shapes and a body of scalar elementwise ops (`out + x * y`, widening
    casts) whose right operand is a constant weight read [K, N] or [N, K]
    (dense, `dense_resource`, block-quantized or -dequantized data, or the
    one-part `#tern.concat_elements` that stores an [N, K] weight transposed)
    reads it from a `#tern.packed_panels` constant instead: [ceil(N /
    columns), K, columns], panel p holding columns [p * columns, (p + 1) *
    columns) row after row of K, through the map `(n floordiv columns, k, n
    mod columns)`. `tern-stream-contractions` then runs such a product as
    tiles of rows by one panel's columns held in vector registers for any
    number of rows: each step of K reads one contiguous panel row, and a
    thread's range of panels is one run of memory. The plan writer packs
    the weight as it writes it; nothing is copied at compile time. Weights
    other ops also read, narrower than one panel, or whose products stream
    no vector tiles (other bodies), keep their layout. The columns are the vector tile's: two
    vector registers of f32 (16 with AVX2, 32 with AVX-512).

    ```mlir
    %w = arith.constant dense_resource<onnx.w> : tensor<64x40xf32>
    %y = linalg.matmul ins(%x, %w : tensor<4x64xf32>, tensor<64x40xf32>) outs(...)
    // becomes
    %w = arith.constant #tern.packed_panels<source = dense_resource<onnx.w> : tensor<64x40xf32>,
        columns = 16> : tensor<3x64x16xf32>
    %y = linalg.generic {indexing_maps = [(m, n, k) -> (m, k),
                                          (m, n, k) -> (n floordiv 16, k, n mod 16),
                                          (m, n, k) -> (m, n)], ...} ins(%x, %w ...)
    ```
  }];
  let options = [
    Option<"columns", "columns", "int64_t", "16", "Columns of a panel (at least 1)">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
                           "::mlir::tern::TernDialect"];
}

def CheckLoweredToLinalgPass : Pass<"tern-check-lowered-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Fails with an error for each tern op convert-tern-to-linalg left";
  let description = [{
    `convert-tern-to-linalg` lowers what it can and leaves the rest in
    place, so that a partial lowering can be read. Nothing after it handles
    tern ops: this pass, which ends the lowering phase of the compile
    pipeline, reports every tern op still there (for ops with dynamic
    shapes, that they must be pinned with `ternc --dim`) and fails.
  }];
}

#endif // TERN_CODEGEN_LINALG_PASSES_TD
