//===- Passes.td - Tern lowering passes --------------------*- tablegen -*-===//
#ifndef TERN_CODEGEN_PASSES_TD
#define TERN_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTernToLinalgPass : Pass<"convert-tern-to-linalg", "::mlir::func::FuncOp"> {
  let summary = "Lowers tern ops with static shapes to linalg, tensor, arith and math";
  let description = [{
    Elementwise ops (with broadcasting) become `linalg.generic` ops over a
    `tensor.empty`; constants `arith.constant`; matmuls `linalg.matmul` (a
    weight on the right: batch rows stack into M) or `linalg.batch_matmul`
    (equal batch dimensions) over a zero fill; reductions, softmax and
    rms_norm reduction generics plus elementwise ones; reshape, squeeze and
    unsqueeze `tensor.collapse_shape`/`expand_shape`; transpose
    `linalg.transpose`; slice (positive steps) and split
    `tensor.extract_slice`; concat `tensor.concat`; einsum (one or two
    inputs) a `linalg.generic` over its labels. Ops this pass does not
    lower yet (top-k, gathers, scatters, expand, gemm, layer_norm, rotary,
    quantization, FP8 casts), and ops with dynamic shapes, stay as
    they are:
    `ternc --emit=linalg` reports them.

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
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
}

#endif // TERN_CODEGEN_PASSES_TD
