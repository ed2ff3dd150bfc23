// RUN: tern-opt %s -split-input-file --convert-tern-to-linalg --tern-form-kernels=report-fusions -verify-diagnostics | FileCheck %s

// elementwise-chain: exp(x) + y is one generic.
// CHECK-LABEL: func.func @elementwise_chain
// CHECK: linalg.generic
// CHECK: math.exp
// CHECK: arith.addf
// CHECK-NOT: linalg.generic
func.func @elementwise_chain(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = tern.exp %x : tensor<4x8xf32>
  // expected-remark @+1 {{joins the kernel of its operand #0's producer (elementwise-chain)}}
  %1 = tern.add %0, %y : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}

// -----

// reduction-input: the squares join their sum, which reads each once.
// CHECK-LABEL: func.func @reduction_input
// CHECK: linalg.generic {{.*}}iterator_types = [{{.*}}"reduction"]
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK-NOT: linalg.generic
func.func @reduction_input(%x: tensor<4x8xf32>) -> tensor<4x1xf32> {
  %0 = tern.mul %x, %x : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  // expected-remark @+1 {{joins the kernel of its operand #0's producer (reduction-input)}}
  %1 = tern.reduce_sum %0 {axes = array<i64: 1>, keepdims = true} : tensor<4x8xf32> -> tensor<4x1xf32>
  return %1 : tensor<4x1xf32>
}

// -----

// weight-conversion: a bf16 weight widened inside the projection that
// reads it (stored transposed, [K, N]); no widened copy of the weight.
// (Weights as resources without data: a splat would fold into the body as
// a scalar.)
// CHECK-LABEL: func.func @weight_conversion
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x16xbf16>)
// CHECK: arith.extf
// CHECK: arith.mulf
// CHECK-NOT: linalg.generic
func.func @weight_conversion(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %w = tern.constant dense_resource<w> : tensor<16x8xbf16>
  %0 = tern.cast %w : tensor<16x8xbf16> to tensor<16x8xf32>
  // expected-remark @+1 {{joins the kernel of its operand #1's producer (weight-conversion)}}
  %1 = tern.gemm %x, %0 {trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  return %1 : tensor<4x16xf32>
}

// -----

// weight-conversion: an FP8 weight dequantized with its block scales, both
// constants, inside the projection.
// CHECK-LABEL: func.func @fp8_block_dequantization
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x160xf32>, tensor<144x160xf8E4M3FN>, tensor<2x2xf32>)
// CHECK-NOT: linalg.generic
func.func @fp8_block_dequantization(%x: tensor<2x160xf32>) -> tensor<2x144xf32> {
  %q = tern.constant dense_resource<q> : tensor<144x160xf8E4M3FN>
  %s = tern.constant dense_resource<s> : tensor<2x2xf32>
  %0 = tern.dequantize %q, %s {block_size = array<i64: 128, 128>} : (tensor<144x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<144x160xf32>
  // expected-remark @+1 {{joins the kernel of its operand #1's producer (weight-conversion)}}
  %1 = tern.gemm %x, %0 {trans_b = true} : (tensor<2x160xf32>, tensor<144x160xf32>) -> tensor<2x144xf32>
  return %1 : tensor<2x144xf32>
}

// -----

// Near-miss: rows of an activation gathered at constant positions read the
// activation through their body, not their inputs: not a weight
// conversion, a kernel of its own (fused, the gather would be repeated for
// each of the 16 output columns).
// CHECK-LABEL: func.func @gathered_rows_into_projection
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// CHECK: tensor.extract
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-NOT: tensor.extract
func.func @gathered_rows_into_projection(%x: tensor<4x8xf32>) -> tensor<2x16xf32> {
  %ids = tern.constant dense<[3, 1]> : tensor<2xi64>
  %w = tern.constant dense_resource<w> : tensor<16x8xf32>
  %rows = tern.gather %x, %ids {axis = 0 : i64} : (tensor<4x8xf32>, tensor<2xi64>) -> tensor<2x8xf32>
  %1 = tern.gemm %rows, %w {trans_b = true} : (tensor<2x8xf32>, tensor<16x8xf32>) -> tensor<2x16xf32>
  return %1 : tensor<2x16xf32>
}

// -----

// Near-miss: an activation into a projection stays a kernel of its own;
// fused, SiLU would be recomputed for each of the 16 output columns.
// CHECK-LABEL: func.func @activation_into_projection
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// CHECK: math.exp
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-NOT: math.exp
func.func @activation_into_projection(%h: tensor<4x8xf32>, %w: tensor<16x8xf32>) -> tensor<4x16xf32> {
  %0 = tern.silu %h : tensor<4x8xf32>
  %1 = tern.gemm %0, %w {trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  return %1 : tensor<4x16xf32>
}

// -----

// Near-miss: a conversion of a weight the caller passes (not a constant)
// stays a kernel of its own.
// CHECK-LABEL: func.func @conversion_of_an_argument
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// CHECK: arith.extf
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-NOT: arith.extf
func.func @conversion_of_an_argument(%x: tensor<4x8xf32>, %w: tensor<16x8xbf16>) -> tensor<4x16xf32> {
  %0 = tern.cast %w : tensor<16x8xbf16> to tensor<16x8xf32>
  %1 = tern.gemm %x, %0 {trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  return %1 : tensor<4x16xf32>
}

// -----

// Near-miss: a producer with two consumers stays, so it is computed once.
// CHECK-LABEL: func.func @two_uses
// CHECK: linalg.generic
// CHECK: math.exp
// CHECK: linalg.generic
// CHECK: linalg.generic
func.func @two_uses(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = tern.exp %x : tensor<4x8xf32>
  %1 = tern.add %0, %y : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = tern.mul %0, %y : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %1, %2 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Near-miss: a reduction that reads each element of its producer several
// times (a matmul's operand, broadcast over N) does not take an activation.
// CHECK-LABEL: func.func @broadcast_into_reduction
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// CHECK: math.exp
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
func.func @broadcast_into_reduction(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %0 = tern.exp %x : tensor<4x8xf32>
  %1 = tern.einsum %0, %w {equation = "mk,kn->mn"} : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %1 : tensor<4x16xf32>
}

// -----

// A row chain: softmax's max, exponentials, sum and division become one
// scf.forall over the rows, each row computed whole; only the per-row max
// and sum are left as (one-element) intermediates.
// CHECK-LABEL: func.func @softmax_rows
// CHECK: %[[ROWS:.*]] = scf.forall (%[[ROW:.*]]) in (4) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<4x8xf32>)
// CHECK: tensor.extract_slice %{{.*}}[%[[ROW]], 0] [1, 8] [1, 1]
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[OUT]][%[[ROW]], 0] [1, 8] [1, 1]
// CHECK: return %[[ROWS]]
func.func @softmax_rows(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // The row's exponentials, once per user, join the sum and the division.
  // expected-remark @+3 {{ends a row chain of 6 ops, one kernel over its rows}}
  // expected-remark @+2 {{joins the kernel of its operand #0's producer (reduction-input)}}
  // expected-remark @+1 {{joins the kernel of its operand #0's producer (elementwise-chain)}}
  %0 = tern.softmax %x {axis = 1 : i64} : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// RMSNorm over the last axis of [2, 3, 8]: rows are the first two
// dimensions.
// CHECK-LABEL: func.func @rms_norm_rows
// CHECK: scf.forall (%[[I:.*]], %[[J:.*]]) in (2, 3)
// CHECK: arith.mulf
// CHECK: math.rsqrt
// CHECK: tensor.parallel_insert_slice %{{.*}}[%[[I]], %[[J]], 0] [1, 1, 8] [1, 1, 1]
func.func @rms_norm_rows(%x: tensor<2x3x8xf32>, %w: tensor<8xf32>) -> tensor<2x3x8xf32> {
  // expected-remark @+2 {{joins the kernel of its operand #0's producer (reduction-input)}}
  // expected-remark @+1 {{ends a row chain of 3 ops, one kernel over its rows}}
  %0 = tern.rms_norm %x, %w {axis = 2 : i64, epsilon = 1.0e-6 : f32} : (tensor<2x3x8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

// -----

// Near-miss: a row's sum that is also returned is computed once, in its
// own kernel, and the chain does not form.
// CHECK-LABEL: func.func @reduction_used_outside
// CHECK-NOT: scf.forall
func.func @reduction_used_outside(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x1xf32>) {
  %0 = tern.reduce_sum %x {axes = array<i64: 1>, keepdims = true} : tensor<4x8xf32> -> tensor<4x1xf32>
  %1 = tern.div %x, %0 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  return %1, %0 : tensor<4x8xf32>, tensor<4x1xf32>
}

// -----

// Near-miss: a matmul is no row op; the softmax of its result forms a row
// chain without it.
// CHECK-LABEL: func.func @contraction_before_softmax
// CHECK: linalg.matmul
// CHECK: scf.forall
// CHECK-NOT: linalg.matmul
func.func @contraction_before_softmax(%a: tensor<4x16xf32>, %b: tensor<16x8xf32>) -> tensor<4x8xf32> {
  %0 = tern.matmul %a, %b : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
  // expected-remark @+3 {{ends a row chain of 6 ops, one kernel over its rows}}
  // expected-remark @+2 {{joins the kernel of its operand #0's producer (reduction-input)}}
  // expected-remark @+1 {{joins the kernel of its operand #0's producer (elementwise-chain)}}
  %1 = tern.softmax %0 {axis = 1 : i64} : tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}
