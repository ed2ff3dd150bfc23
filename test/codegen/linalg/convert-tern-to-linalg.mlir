// RUN: tern-opt %s -split-input-file -convert-tern-to-linalg | FileCheck %s

// A binary op broadcasts through its indexing maps.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK: %[[G:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8xf32>) outs(%[[E]] : tensor<4x8xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK-NEXT: linalg.yield %[[S]] : f32
// CHECK: return %[[G]]
// CHECK-NOT: tern.
func.func @add_broadcast(%a: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = tern.add %a, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// A size-1 dimension stretched against a larger one reads index 0.
// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @stretch_size_one
// CHECK: linalg.generic {indexing_maps = [#[[$COL]], #{{.*}}, #{{.*}}]
// CHECK: arith.muli
func.func @stretch_size_one(%a: tensor<4x1xi32>, %b: tensor<4x8xi32>) -> tensor<4x8xi32> {
  %0 = tern.mul %a, %b : (tensor<4x1xi32>, tensor<4x8xi32>) -> tensor<4x8xi32>
  return %0 : tensor<4x8xi32>
}

// -----

// silu(x) = x * 1 / (1 + exp(-x))
// CHECK-LABEL: func.func @silu
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[N:.*]] = arith.negf %[[X]] : f32
// CHECK-NEXT: %[[EXP:.*]] = math.exp %[[N]] : f32
// CHECK-NEXT: %[[D:.*]] = arith.addf %[[EXP]], %[[ONE]] : f32
// CHECK-NEXT: %[[S:.*]] = arith.divf %[[ONE]], %[[D]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.mulf %[[X]], %[[S]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @silu(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = tern.silu %x : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @compare_and_select
// CHECK: arith.cmpf olt, %{{.*}}, %{{.*}} : f32
// CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : f32
func.func @compare_and_select(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tern.lt %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %1 = tern.where %0, %a, %b : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @casts
// CHECK: arith.sitofp %{{.*}} : i64 to f32
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: arith.cmpf une, %{{.*}}, %{{.*}} : bf16
// CHECK: arith.extui %{{.*}} : i1 to i32
func.func @casts(%x: tensor<4xi64>) -> tensor<4xi32> {
  %0 = tern.cast %x : tensor<4xi64> to tensor<4xf32>
  %1 = tern.cast %0 : tensor<4xf32> to tensor<4xbf16>
  %2 = tern.cast %1 : tensor<4xbf16> to tensor<4xi1>
  %3 = tern.cast %2 : tensor<4xi1> to tensor<4xi32>
  return %3 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @constant
// CHECK: %[[C:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: return %[[C]]
func.func @constant() -> tensor<2xf32> {
  %0 = tern.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8x16xf32>)
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x16xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<4x16xf32>)
// CHECK: linalg.matmul ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%[[F]] : tensor<4x16xf32>)
func.func @matmul(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %0 = tern.matmul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// bf16 (and f16) products accumulate in f32, rounded once at the end.
// CHECK-LABEL: func.func @batch_matmul
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[F:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<2x4x16xf32>)
// CHECK: %[[M:.*]] = linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<2x4x8xbf16>, tensor<2x8x16xbf16>) outs(%[[F]] : tensor<2x4x16xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[M]] : tensor<2x4x16xf32>)
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @batch_matmul(%a: tensor<2x4x8xbf16>, %b: tensor<2x8x16xbf16>) -> tensor<2x4x16xbf16> {
  %0 = tern.matmul %a, %b : (tensor<2x4x8xbf16>, tensor<2x8x16xbf16>) -> tensor<2x4x16xbf16>
  return %0 : tensor<2x4x16xbf16>
}

// -----

// Near-misses: dynamic shapes, broadcast batches, integer means and
// three-input einsums stay as they are.
// CHECK-LABEL: func.func @left_alone
// CHECK: tern.add %{{.*}}, %{{.*}} : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
// CHECK: tern.matmul %{{.*}}, %{{.*}} : (tensor<1x4x8xf32>, tensor<2x8x16xf32>) -> tensor<2x4x16xf32>
// CHECK: tern.reduce_mean %{{.*}} : tensor<4xi32> -> tensor<i32>
// CHECK: tern.einsum
func.func @left_alone(%a: tensor<?x8xf32>, %b: tensor<8xf32>, %c: tensor<1x4x8xf32>,
                      %w: tensor<2x8x16xf32>, %n: tensor<4xi32>, %x: tensor<4xf32>)
    -> (tensor<?x8xf32>, tensor<2x4x16xf32>, tensor<i32>, tensor<f32>) {
  %0 = tern.add %a, %b : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %1 = tern.matmul %c, %w : (tensor<1x4x8xf32>, tensor<2x8x16xf32>) -> tensor<2x4x16xf32>
  %2 = tern.reduce_mean %n {axes = array<i64>, keepdims = false} : tensor<4xi32> -> tensor<i32>
  %3 = tern.einsum %x, %x, %x {equation = "i,i,i->"} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  return %0, %1, %2, %3 : tensor<?x8xf32>, tensor<2x4x16xf32>, tensor<i32>, tensor<f32>
}

// -----

// Activations times a weight: the batch rows stack into M = 2 * 7.
// CHECK-LABEL: func.func @matmul_weight
// CHECK: %[[A:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2]] : tensor<2x7x64xf32> into tensor<896xf32>
// CHECK: %[[A2:.*]] = tensor.expand_shape %[[A]] {{\[\[}}0, 1]] output_shape [14, 64] : tensor<896xf32> into tensor<14x64xf32>
// CHECK: %[[M:.*]] = linalg.matmul ins(%[[A2]], %{{.*}} : tensor<14x64xf32>, tensor<64x32xf32>) outs(%{{.*}} : tensor<14x32xf32>)
// CHECK: tensor.collapse_shape %[[M]]
// CHECK: tensor.expand_shape %{{.*}} output_shape [2, 7, 32] : tensor<448xf32> into tensor<2x7x32xf32>
func.func @matmul_weight(%x: tensor<2x7x64xf32>, %w: tensor<64x32xf32>) -> tensor<2x7x32xf32> {
  %0 = tern.matmul %x, %w : (tensor<2x7x64xf32>, tensor<64x32xf32>) -> tensor<2x7x32xf32>
  return %0 : tensor<2x7x32xf32>
}

// -----

// Attention scores: batch and heads fold into one batch of 1 * 4.
// CHECK-LABEL: func.func @matmul_heads
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<4x8x16xf32>, tensor<4x16x8xf32>) outs(%{{.*}} : tensor<4x8x8xf32>)
// CHECK: output_shape [1, 4, 8, 8]
func.func @matmul_heads(%q: tensor<1x4x8x16xf32>, %k: tensor<1x4x16x8xf32>) -> tensor<1x4x8x8xf32> {
  %0 = tern.matmul %q, %k : (tensor<1x4x8x16xf32>, tensor<1x4x16x8xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

// Output labels become the parallel loops (b, q, k), the contracted label
// (d) a reduction; the body accumulates products into a zero fill.
// CHECK-DAG: #[[$Q:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[$K:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[$S:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @einsum_scores
// CHECK: %[[Z:.*]] = linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[$Q]], #[[$K]], #[[$S]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<2x4x8xf32>, tensor<2x6x8xf32>) outs(%[[Z]] : tensor<2x4x6xf32>)
// CHECK: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.addf %[[ACC]], %[[P]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @einsum_scores(%q: tensor<2x4x8xf32>, %k: tensor<2x6x8xf32>) -> tensor<2x4x6xf32> {
  %0 = tern.einsum %q, %k {equation = "bqd,bkd->bqk"} : (tensor<2x4x8xf32>, tensor<2x6x8xf32>) -> tensor<2x4x6xf32>
  return %0 : tensor<2x4x6xf32>
}

// -----

// One input: a sum over the labels missing from the output.
// An f16 einsum widens its operands in the body and accumulates in f32.
// CHECK-LABEL: func.func @einsum_f16
// CHECK: %[[E:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<2x4x8xf16>, tensor<2x6x8xf16>) outs(%{{.*}} : tensor<2x4x6xf32>)
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: arith.addf %{{.*}}, %{{.*}} : f32
// CHECK: linalg.generic {{.*}} ins(%[[E]] : tensor<2x4x6xf32>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @einsum_f16(%q: tensor<2x4x8xf16>, %k: tensor<2x6x8xf16>) -> tensor<2x4x6xf16> {
  %0 = tern.einsum %q, %k {equation = "bqd,bkd->bqk"} : (tensor<2x4x8xf16>, tensor<2x6x8xf16>) -> tensor<2x4x6xf16>
  return %0 : tensor<2x4x6xf16>
}

// -----

// CHECK-LABEL: func.func @einsum_row_sum
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: ^bb0(%[[A:.*]]: i32, %[[ACC:.*]]: i32):
// CHECK-NEXT: %[[R:.*]] = arith.addi %[[ACC]], %[[A]] : i32
func.func @einsum_row_sum(%x: tensor<3x5xi32>) -> tensor<3xi32> {
  %0 = tern.einsum %x {equation = "ij->i"} : (tensor<3x5xi32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

// gemm with trans_b, alpha and a bias row: a contraction over (m, n, k) that
// reads b transposed, then alpha * ab + beta * c with c broadcast over rows.
// CHECK-DAG: #[[$A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$B:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$MN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$C:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @gemm_trans_b
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<16x8xf32>, %[[C:.*]]: tensor<16xf32>)
// CHECK-DAG: %[[ALPHA:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[BETA:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: %[[AB:.*]] = linalg.generic {indexing_maps = [#[[$A]], #[[$B]], #[[$MN]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<16x8xf32>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$C]], #{{.*}}], {{.*}} ins(%[[AB]], %[[C]] : tensor<4x16xf32>, tensor<16xf32>)
// CHECK: ^bb0(%[[P:.*]]: f32, %[[CI:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[X:.*]] = arith.mulf %[[P]], %[[ALPHA]]
// CHECK: %[[Y:.*]] = arith.mulf %[[CI]], %[[BETA]]
// CHECK: arith.addf %[[X]], %[[Y]]
func.func @gemm_trans_b(%a: tensor<4x8xf32>, %b: tensor<16x8xf32>, %c: tensor<16xf32>) -> tensor<4x16xf32> {
  %0 = tern.gemm %a, %b, %c {trans_b = true, alpha = 0.5 : f32, beta = 2.0 : f32} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// A constant [N, K] weight of a trans_b gemm (here bf16, widened) is stored
// transposed, [K, N], by #tern.concat_elements (no copy: the plan writer
// transposes it); the widening and the contraction read it as [K, N].
// CHECK-DAG: #[[$B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-LABEL: func.func @gemm_weight_stored_transposed
// CHECK: %[[W:.*]] = arith.constant #tern.concat_elements<parts = [dense_resource<w> : tensor<16x8xbf16>], transposedGroups = 1> : tensor<8x16xbf16>
// CHECK: %[[WF:.*]] = linalg.generic {{.*}} ins(%[[W]] : tensor<8x16xbf16>) outs(%{{.*}} : tensor<8x16xf32>)
// CHECK: arith.extf
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$B]], #{{.*}}], {{.*}} ins(%arg0, %[[WF]] : tensor<4x8xf32>, tensor<8x16xf32>)
// CHECK-NOT: tern.
func.func @gemm_weight_stored_transposed(%a: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %w = tern.constant dense_resource<w> : tensor<16x8xbf16>
  %wf = tern.cast %w : tensor<16x8xbf16> to tensor<16x8xf32>
  %0 = tern.gemm %a, %wf {trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// Near-miss: an integer weight keeps its layout (the trans_b map).
// CHECK-DAG: #[[$B:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @gemm_int_weight
// CHECK-NOT: concat_elements
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$B]], #{{.*}}]
func.func @gemm_int_weight(%a: tensor<4x8xi32>) -> tensor<4x16xi32> {
  %w = tern.constant dense<3> : tensor<16x8xi32>
  %0 = tern.gemm %a, %w {trans_b = true} : (tensor<4x8xi32>, tensor<16x8xi32>) -> tensor<4x16xi32>
  return %0 : tensor<4x16xi32>
}

// -----

// Near-miss: an empty weight has nothing to store transposed.
// CHECK-LABEL: func.func @gemm_empty_weight
// CHECK-NOT: concat_elements
// CHECK: return
func.func @gemm_empty_weight(%a: tensor<4x8xf32>) -> tensor<4x0xf32> {
  %w = tern.constant dense<> : tensor<0x8xf32>
  %0 = tern.gemm %a, %w {trans_b = true} : (tensor<4x8xf32>, tensor<0x8xf32>) -> tensor<4x0xf32>
  return %0 : tensor<4x0xf32>
}

// -----

// A plain gemm with trans_a and no c is just the contraction.
// CHECK-DAG: #[[$A:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-LABEL: func.func @gemm_trans_a
// CHECK: %[[AB:.*]] = linalg.generic {indexing_maps = [#[[$A]], #{{.*}}, #{{.*}}]
// CHECK-NOT: linalg.generic
// CHECK: return %[[AB]]
func.func @gemm_trans_a(%a: tensor<8x4xi32>, %b: tensor<8x16xi32>) -> tensor<4x16xi32> {
  %0 = tern.gemm %a, %b {trans_a = true} : (tensor<8x4xi32>, tensor<8x16xi32>) -> tensor<4x16xi32>
  return %0 : tensor<4x16xi32>
}

// -----

// Near-miss: an integer gemm with alpha stays (no integer scaling yet).
// CHECK-LABEL: func.func @gemm_int_alpha
// CHECK: tern.gemm
func.func @gemm_int_alpha(%a: tensor<4x8xi32>, %b: tensor<8x16xi32>) -> tensor<4x16xi32> {
  %0 = tern.gemm %a, %b {alpha = 2.0 : f32} : (tensor<4x8xi32>, tensor<8x16xi32>) -> tensor<4x16xi32>
  return %0 : tensor<4x16xi32>
}

// -----

// Integer pow squares once per bit below the sign (31 steps for i32); a
// negative exponent selects 1, (-1)^y or 0.
// CHECK-LABEL: func.func @pow_integer
// CHECK: linalg.generic
// CHECK: scf.for %{{.*}} = %c0 to %c31 step %c1 iter_args
// CHECK: arith.muli
// CHECK: arith.shrui
// CHECK: scf.yield
// CHECK: arith.cmpi slt
// CHECK: arith.select
func.func @pow_integer(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = tern.pow %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}
