// RUN: tern-opt %s -split-input-file -tern-fuse-moe-experts | FileCheck %s
// RUN: tern-opt %s -split-input-file -tern-fuse-moe-experts -mlir-print-debuginfo \
// RUN:   -mlir-print-local-scope | FileCheck %s --check-prefix=LOC

// tern-fuse-moe-experts on small dense MoE sums (2 experts, 2 tokens): the
// form it rewrites, and near-misses it must leave alone. The importers'
// real forms are in tern-fuse-moe-experts-fixtures.test.

// The dense form, small: two experts, a shared term first in the sum.
// CHECK-LABEL: func.func @fused
// CHECK: %[[MOE:.*]] = tern.moe_experts %arg0, %{{.*}}, %{{.*}} gate(%{{.*}}, %{{.*}}) up(%{{.*}}, %{{.*}}) down(%{{.*}}, %{{.*}})
// CHECK: %[[SUM:.*]] = tern.add %arg2, %[[MOE]]
// CHECK-NOT: tern.gemm
// CHECK: return %[[SUM]]
// The fused op comes from every expert's term; the shared term's add keeps
// the sum's location.
// LOC-LABEL: func.func @fused
// LOC: tern.moe_experts {{.*}} loc(fused["model.layers.1.mlp.experts.0", "model.layers.1.mlp.experts.1"])
// LOC: tern.add {{.*}} loc("model.layers.1.mlp.experts.1")
func.func @fused(%x: tensor<2x4xf32>, %logits: tensor<2x2xf32>, %shared: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %wg0 = tern.constant dense<0.1> : tensor<2x4xf32>
  %wu0 = tern.constant dense<0.3> : tensor<2x4xf32>
  %wd0 = tern.constant dense<0.5> : tensor<4x2xf32>
  %wg1 = tern.constant dense<0.2> : tensor<2x4xf32>
  %wu1 = tern.constant dense<0.4> : tensor<2x4xf32>
  %wd1 = tern.constant dense<0.6> : tensor<4x2xf32>
  %zeros = tern.constant dense<0.0> : tensor<2x2xf32>
  %v, %idx = tern.topk %logits {axis = 1 : i64, k = 1 : i64} : tensor<2x2xf32> -> tensor<2x1xf32>, tensor<2x1xi64>
  %dense = tern.scatter_elements %zeros, %idx, %v {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %g0 = tern.gemm %x, %wg0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s0 = tern.silu %g0 : tensor<2x2xf32>
  %u0 = tern.gemm %x, %wu0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a0 = tern.mul %s0, %u0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = tern.gemm %a0, %wd0 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c0 = tern.slice %dense {ends = array<i64: 2, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t0 = tern.mul %y0, %c0 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32> loc("model.layers.1.mlp.experts.0")
  %g1 = tern.gemm %x, %wg1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s1 = tern.silu %g1 : tensor<2x2xf32>
  %u1 = tern.gemm %x, %wu1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a1 = tern.mul %s1, %u1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = tern.gemm %a1, %wd1 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c1 = tern.slice %dense {ends = array<i64: 2, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t1 = tern.mul %y1, %c1 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32> loc("model.layers.1.mlp.experts.1")
  %sum0 = tern.add %shared, %t0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32> loc("model.layers.1.mlp.experts.0")
  %sum1 = tern.add %sum0, %t1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32> loc("model.layers.1.mlp.experts.1")
  return %sum1 : tensor<2x4xf32>
}

// -----

// The TorchScript exporter's form: matmuls by [in, out] weights (the downs
// bf16 behind widening casts). The op takes them transposed to [out, in].
// CHECK-LABEL: func.func @matmul_form
// CHECK-DAG: %[[WG0:.*]] = tern.constant dense<1.000000e-01> : tensor<4x2xf32>
// CHECK-DAG: %[[TG0:.*]] = tern.transpose %[[WG0]] {permutation = array<i64: 1, 0>} : tensor<4x2xf32> -> tensor<2x4xf32>
// CHECK-DAG: %[[WD1:.*]] = tern.constant dense<6.015630e-01> : tensor<2x4xbf16>
// CHECK-DAG: %[[TD1:.*]] = tern.transpose %[[WD1]] {permutation = array<i64: 1, 0>} : tensor<2x4xbf16> -> tensor<4x2xbf16>
// CHECK: %[[MOE:.*]] = tern.moe_experts %arg0, %{{.*}}, %{{.*}} gate(%[[TG0]], %{{.*}}) up(%{{.*}}, %{{.*}}) down(%{{.*}}, %[[TD1]])
// CHECK-NOT: tern.matmul
// CHECK: return %[[MOE]]
func.func @matmul_form(%x: tensor<2x4xf32>, %logits: tensor<2x2xf32>) -> tensor<2x4xf32> {
  %wg0 = tern.constant dense<0.1> : tensor<4x2xf32>
  %wu0 = tern.constant dense<0.3> : tensor<4x2xf32>
  %wd0b = tern.constant dense<0.5> : tensor<2x4xbf16>
  %wd0 = tern.cast %wd0b : tensor<2x4xbf16> to tensor<2x4xf32>
  %wg1 = tern.constant dense<0.2> : tensor<4x2xf32>
  %wu1 = tern.constant dense<0.4> : tensor<4x2xf32>
  %wd1b = tern.constant dense<0.6> : tensor<2x4xbf16>
  %wd1 = tern.cast %wd1b : tensor<2x4xbf16> to tensor<2x4xf32>
  %zeros = tern.constant dense<0.0> : tensor<2x2xf32>
  %v, %idx = tern.topk %logits {axis = 1 : i64, k = 1 : i64} : tensor<2x2xf32> -> tensor<2x1xf32>, tensor<2x1xi64>
  %dense = tern.scatter_elements %zeros, %idx, %v {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %g0 = tern.matmul %x, %wg0 : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  %s0 = tern.silu %g0 : tensor<2x2xf32>
  %u0 = tern.matmul %x, %wu0 : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  %a0 = tern.mul %s0, %u0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = tern.matmul %a0, %wd0 : (tensor<2x2xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %c0 = tern.slice %dense {ends = array<i64: 2, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t0 = tern.mul %y0, %c0 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %g1 = tern.matmul %x, %wg1 : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  %s1 = tern.silu %g1 : tensor<2x2xf32>
  %u1 = tern.matmul %x, %wu1 : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  %a1 = tern.mul %s1, %u1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = tern.matmul %a1, %wd1 : (tensor<2x2xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %c1 = tern.slice %dense {ends = array<i64: 2, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t1 = tern.mul %y1, %c1 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %sum = tern.add %t0, %t1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %sum : tensor<2x4xf32>
}

// -----

// Expert 0 as gemms by [out, in] weights, expert 1 as matmuls by [in, out]
// ones: the stacked weights need one layout, so the sum stays.
// CHECK-LABEL: func.func @mixed_layouts
// CHECK-NOT: tern.moe_experts
// CHECK: return
func.func @mixed_layouts(%x: tensor<2x4xf32>, %logits: tensor<2x2xf32>) -> tensor<2x4xf32> {
  %wg0 = tern.constant dense<0.1> : tensor<2x4xf32>
  %wu0 = tern.constant dense<0.3> : tensor<2x4xf32>
  %wd0 = tern.constant dense<0.5> : tensor<4x2xf32>
  %wg1 = tern.constant dense<0.2> : tensor<4x2xf32>
  %wu1 = tern.constant dense<0.4> : tensor<4x2xf32>
  %wd1 = tern.constant dense<0.6> : tensor<2x4xf32>
  %zeros = tern.constant dense<0.0> : tensor<2x2xf32>
  %v, %idx = tern.topk %logits {axis = 1 : i64, k = 1 : i64} : tensor<2x2xf32> -> tensor<2x1xf32>, tensor<2x1xi64>
  %dense = tern.scatter_elements %zeros, %idx, %v {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %g0 = tern.gemm %x, %wg0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s0 = tern.silu %g0 : tensor<2x2xf32>
  %u0 = tern.gemm %x, %wu0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a0 = tern.mul %s0, %u0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = tern.gemm %a0, %wd0 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c0 = tern.slice %dense {ends = array<i64: 2, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t0 = tern.mul %y0, %c0 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %g1 = tern.matmul %x, %wg1 : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  %s1 = tern.silu %g1 : tensor<2x2xf32>
  %u1 = tern.matmul %x, %wu1 : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  %a1 = tern.mul %s1, %u1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = tern.matmul %a1, %wd1 : (tensor<2x2xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %c1 = tern.slice %dense {ends = array<i64: 2, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t1 = tern.mul %y1, %c1 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %sum = tern.add %t0, %t1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %sum : tensor<2x4xf32>
}

// -----

// Expert 0's gate stored bf16, expert 1's f32: one stack holds one element
// type, so the sum stays.
// CHECK-LABEL: func.func @gate_element_types
// CHECK-NOT: tern.moe_experts
// CHECK: return
func.func @gate_element_types(%x: tensor<2x4xf32>, %logits: tensor<2x2xf32>, %shared: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %wg0b = tern.constant dense<0.1> : tensor<2x4xbf16>
  %wg0 = tern.cast %wg0b : tensor<2x4xbf16> to tensor<2x4xf32>
  %wu0 = tern.constant dense<0.3> : tensor<2x4xf32>
  %wd0 = tern.constant dense<0.5> : tensor<4x2xf32>
  %wg1 = tern.constant dense<0.2> : tensor<2x4xf32>
  %wu1 = tern.constant dense<0.4> : tensor<2x4xf32>
  %wd1 = tern.constant dense<0.6> : tensor<4x2xf32>
  %zeros = tern.constant dense<0.0> : tensor<2x2xf32>
  %v, %idx = tern.topk %logits {axis = 1 : i64, k = 1 : i64} : tensor<2x2xf32> -> tensor<2x1xf32>, tensor<2x1xi64>
  %dense = tern.scatter_elements %zeros, %idx, %v {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %g0 = tern.gemm %x, %wg0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s0 = tern.silu %g0 : tensor<2x2xf32>
  %u0 = tern.gemm %x, %wu0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a0 = tern.mul %s0, %u0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = tern.gemm %a0, %wd0 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c0 = tern.slice %dense {ends = array<i64: 2, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t0 = tern.mul %y0, %c0 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %g1 = tern.gemm %x, %wg1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s1 = tern.silu %g1 : tensor<2x2xf32>
  %u1 = tern.gemm %x, %wu1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a1 = tern.mul %s1, %u1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = tern.gemm %a1, %wd1 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c1 = tern.slice %dense {ends = array<i64: 2, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t1 = tern.mul %y1, %c1 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %sum0 = tern.add %shared, %t0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %sum1 = tern.add %sum0, %t1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %sum1 : tensor<2x4xf32>
}


// -----

// Expert 1's term is not in the sum: the sum is not over all experts.
// CHECK-LABEL: func.func @missing_expert
// CHECK-NOT: tern.moe_experts
// CHECK: return
func.func @missing_expert(%x: tensor<2x4xf32>, %logits: tensor<2x2xf32>, %shared: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %wg0 = tern.constant dense<0.1> : tensor<2x4xf32>
  %wu0 = tern.constant dense<0.3> : tensor<2x4xf32>
  %wd0 = tern.constant dense<0.5> : tensor<4x2xf32>
  %wg1 = tern.constant dense<0.2> : tensor<2x4xf32>
  %wu1 = tern.constant dense<0.4> : tensor<2x4xf32>
  %wd1 = tern.constant dense<0.6> : tensor<4x2xf32>
  %zeros = tern.constant dense<0.0> : tensor<2x2xf32>
  %v, %idx = tern.topk %logits {axis = 1 : i64, k = 1 : i64} : tensor<2x2xf32> -> tensor<2x1xf32>, tensor<2x1xi64>
  %dense = tern.scatter_elements %zeros, %idx, %v {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %g0 = tern.gemm %x, %wg0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s0 = tern.silu %g0 : tensor<2x2xf32>
  %u0 = tern.gemm %x, %wu0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a0 = tern.mul %s0, %u0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = tern.gemm %a0, %wd0 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c0 = tern.slice %dense {ends = array<i64: 2, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t0 = tern.mul %y0, %c0 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %g1 = tern.gemm %x, %wg1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s1 = tern.silu %g1 : tensor<2x2xf32>
  %u1 = tern.gemm %x, %wu1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a1 = tern.mul %s1, %u1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = tern.gemm %a1, %wd1 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c1 = tern.slice %dense {ends = array<i64: 2, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t1 = tern.mul %y1, %c1 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %sum1 = tern.add %shared, %t0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %sum1 : tensor<2x4xf32>
}

// -----

// The indices are an argument, not a top-k: they may repeat within a row,
// and the scatter would then keep one weight where the op would add two.
// CHECK-LABEL: func.func @indices_may_repeat
// CHECK-NOT: tern.moe_experts
// CHECK: return
func.func @indices_may_repeat(%x: tensor<2x4xf32>, %logits: tensor<2x2xf32>, %shared: tensor<2x4xf32>, %given: tensor<2x1xi64>) -> tensor<2x4xf32> {
  %wg0 = tern.constant dense<0.1> : tensor<2x4xf32>
  %wu0 = tern.constant dense<0.3> : tensor<2x4xf32>
  %wd0 = tern.constant dense<0.5> : tensor<4x2xf32>
  %wg1 = tern.constant dense<0.2> : tensor<2x4xf32>
  %wu1 = tern.constant dense<0.4> : tensor<2x4xf32>
  %wd1 = tern.constant dense<0.6> : tensor<4x2xf32>
  %zeros = tern.constant dense<0.0> : tensor<2x2xf32>
  %v, %idx = tern.topk %logits {axis = 1 : i64, k = 1 : i64} : tensor<2x2xf32> -> tensor<2x1xf32>, tensor<2x1xi64>
  %dense = tern.scatter_elements %zeros, %given, %v {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %g0 = tern.gemm %x, %wg0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s0 = tern.silu %g0 : tensor<2x2xf32>
  %u0 = tern.gemm %x, %wu0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a0 = tern.mul %s0, %u0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = tern.gemm %a0, %wd0 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c0 = tern.slice %dense {ends = array<i64: 2, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t0 = tern.mul %y0, %c0 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %g1 = tern.gemm %x, %wg1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s1 = tern.silu %g1 : tensor<2x2xf32>
  %u1 = tern.gemm %x, %wu1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a1 = tern.mul %s1, %u1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = tern.gemm %a1, %wd1 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c1 = tern.slice %dense {ends = array<i64: 2, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t1 = tern.mul %y1, %c1 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %sum0 = tern.add %shared, %t0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %sum1 = tern.add %sum0, %t1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %sum1 : tensor<2x4xf32>
}

// -----

// The scatter's base is not zeros: unchosen experts still count.
// CHECK-LABEL: func.func @nonzero_base
// CHECK-NOT: tern.moe_experts
// CHECK: return
func.func @nonzero_base(%x: tensor<2x4xf32>, %logits: tensor<2x2xf32>, %shared: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %wg0 = tern.constant dense<0.1> : tensor<2x4xf32>
  %wu0 = tern.constant dense<0.3> : tensor<2x4xf32>
  %wd0 = tern.constant dense<0.5> : tensor<4x2xf32>
  %wg1 = tern.constant dense<0.2> : tensor<2x4xf32>
  %wu1 = tern.constant dense<0.4> : tensor<2x4xf32>
  %wd1 = tern.constant dense<0.6> : tensor<4x2xf32>
  %zeros = tern.constant dense<1.0> : tensor<2x2xf32>
  %v, %idx = tern.topk %logits {axis = 1 : i64, k = 1 : i64} : tensor<2x2xf32> -> tensor<2x1xf32>, tensor<2x1xi64>
  %dense = tern.scatter_elements %zeros, %idx, %v {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %g0 = tern.gemm %x, %wg0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s0 = tern.silu %g0 : tensor<2x2xf32>
  %u0 = tern.gemm %x, %wu0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a0 = tern.mul %s0, %u0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = tern.gemm %a0, %wd0 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c0 = tern.slice %dense {ends = array<i64: 2, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t0 = tern.mul %y0, %c0 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %g1 = tern.gemm %x, %wg1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s1 = tern.silu %g1 : tensor<2x2xf32>
  %u1 = tern.gemm %x, %wu1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a1 = tern.mul %s1, %u1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = tern.gemm %a1, %wd1 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c1 = tern.slice %dense {ends = array<i64: 2, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t1 = tern.mul %y1, %c1 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %sum0 = tern.add %shared, %t0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %sum1 = tern.add %sum0, %t1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %sum1 : tensor<2x4xf32>
}

// -----

// Expert 1's up projection reads other hidden states.
// CHECK-LABEL: func.func @other_hidden
// CHECK-NOT: tern.moe_experts
// CHECK: return
func.func @other_hidden(%x: tensor<2x4xf32>, %logits: tensor<2x2xf32>, %shared: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %wg0 = tern.constant dense<0.1> : tensor<2x4xf32>
  %wu0 = tern.constant dense<0.3> : tensor<2x4xf32>
  %wd0 = tern.constant dense<0.5> : tensor<4x2xf32>
  %wg1 = tern.constant dense<0.2> : tensor<2x4xf32>
  %wu1 = tern.constant dense<0.4> : tensor<2x4xf32>
  %wd1 = tern.constant dense<0.6> : tensor<4x2xf32>
  %zeros = tern.constant dense<0.0> : tensor<2x2xf32>
  %v, %idx = tern.topk %logits {axis = 1 : i64, k = 1 : i64} : tensor<2x2xf32> -> tensor<2x1xf32>, tensor<2x1xi64>
  %dense = tern.scatter_elements %zeros, %idx, %v {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %g0 = tern.gemm %x, %wg0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s0 = tern.silu %g0 : tensor<2x2xf32>
  %u0 = tern.gemm %x, %wu0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a0 = tern.mul %s0, %u0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = tern.gemm %a0, %wd0 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c0 = tern.slice %dense {ends = array<i64: 2, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t0 = tern.mul %y0, %c0 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %g1 = tern.gemm %x, %wg1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s1 = tern.silu %g1 : tensor<2x2xf32>
  %u1 = tern.gemm %shared, %wu1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a1 = tern.mul %s1, %u1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = tern.gemm %a1, %wd1 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c1 = tern.slice %dense {ends = array<i64: 2, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t1 = tern.mul %y1, %c1 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %sum0 = tern.add %shared, %t0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %sum1 = tern.add %sum0, %t1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %sum1 : tensor<2x4xf32>
}

// -----

// The gate projections add a bias: not the SiLU-gated MLP the op computes.
// CHECK-LABEL: func.func @gemm_with_bias
// CHECK-NOT: tern.moe_experts
// CHECK: return
func.func @gemm_with_bias(%x: tensor<2x4xf32>, %logits: tensor<2x2xf32>, %shared: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %wg0 = tern.constant dense<0.1> : tensor<2x4xf32>
  %wu0 = tern.constant dense<0.3> : tensor<2x4xf32>
  %wd0 = tern.constant dense<0.5> : tensor<4x2xf32>
  %gb0 = tern.constant dense<1.0> : tensor<2xf32>
  %wg1 = tern.constant dense<0.2> : tensor<2x4xf32>
  %wu1 = tern.constant dense<0.4> : tensor<2x4xf32>
  %wd1 = tern.constant dense<0.6> : tensor<4x2xf32>
  %gb1 = tern.constant dense<1.0> : tensor<2xf32>
  %zeros = tern.constant dense<0.0> : tensor<2x2xf32>
  %v, %idx = tern.topk %logits {axis = 1 : i64, k = 1 : i64} : tensor<2x2xf32> -> tensor<2x1xf32>, tensor<2x1xi64>
  %dense = tern.scatter_elements %zeros, %idx, %v {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %g0 = tern.gemm %x, %wg0, %gb0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %s0 = tern.silu %g0 : tensor<2x2xf32>
  %u0 = tern.gemm %x, %wu0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a0 = tern.mul %s0, %u0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = tern.gemm %a0, %wd0 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c0 = tern.slice %dense {ends = array<i64: 2, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t0 = tern.mul %y0, %c0 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %g1 = tern.gemm %x, %wg1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s1 = tern.silu %g1 : tensor<2x2xf32>
  %u1 = tern.gemm %x, %wu1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a1 = tern.mul %s1, %u1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = tern.gemm %a1, %wd1 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c1 = tern.slice %dense {ends = array<i64: 2, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t1 = tern.mul %y1, %c1 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %sum0 = tern.add %shared, %t0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %sum1 = tern.add %sum0, %t1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %sum1 : tensor<2x4xf32>
}

// -----

// The partial sum is read halfway: folding the experts together would change it.
// CHECK-LABEL: func.func @partial_sum_read
// CHECK-NOT: tern.moe_experts
// CHECK: return
func.func @partial_sum_read(%x: tensor<2x4xf32>, %logits: tensor<2x2xf32>, %shared: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %wg0 = tern.constant dense<0.1> : tensor<2x4xf32>
  %wu0 = tern.constant dense<0.3> : tensor<2x4xf32>
  %wd0 = tern.constant dense<0.5> : tensor<4x2xf32>
  %wg1 = tern.constant dense<0.2> : tensor<2x4xf32>
  %wu1 = tern.constant dense<0.4> : tensor<2x4xf32>
  %wd1 = tern.constant dense<0.6> : tensor<4x2xf32>
  %zeros = tern.constant dense<0.0> : tensor<2x2xf32>
  %v, %idx = tern.topk %logits {axis = 1 : i64, k = 1 : i64} : tensor<2x2xf32> -> tensor<2x1xf32>, tensor<2x1xi64>
  %dense = tern.scatter_elements %zeros, %idx, %v {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %g0 = tern.gemm %x, %wg0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s0 = tern.silu %g0 : tensor<2x2xf32>
  %u0 = tern.gemm %x, %wu0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a0 = tern.mul %s0, %u0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = tern.gemm %a0, %wd0 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c0 = tern.slice %dense {ends = array<i64: 2, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t0 = tern.mul %y0, %c0 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %g1 = tern.gemm %x, %wg1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s1 = tern.silu %g1 : tensor<2x2xf32>
  %u1 = tern.gemm %x, %wu1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a1 = tern.mul %s1, %u1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = tern.gemm %a1, %wd1 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c1 = tern.slice %dense {ends = array<i64: 2, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t1 = tern.mul %y1, %c1 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %sum0 = tern.add %shared, %t0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %sum1 = tern.add %sum0, %t1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %both = tern.add %sum1, %sum0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %both : tensor<2x4xf32>
}

// -----

// As torch.onnx.export writes it: the zeros a scalar broadcast by
// tern.expand, the columns sliced to the end of the rows (INT64_MAX).
// CHECK-LABEL: func.func @torch_export_form
// CHECK: %[[MOE:.*]] = tern.moe_experts %arg0,
// CHECK: %[[SUM:.*]] = tern.add %arg2, %[[MOE]]
// CHECK-NOT: tern.gemm
// CHECK: return %[[SUM]]
func.func @torch_export_form(%x: tensor<2x4xf32>, %logits: tensor<2x2xf32>, %shared: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %wg0 = tern.constant dense<0.1> : tensor<2x4xf32>
  %wu0 = tern.constant dense<0.3> : tensor<2x4xf32>
  %wd0 = tern.constant dense<0.5> : tensor<4x2xf32>
  %wg1 = tern.constant dense<0.2> : tensor<2x4xf32>
  %wu1 = tern.constant dense<0.4> : tensor<2x4xf32>
  %wd1 = tern.constant dense<0.6> : tensor<4x2xf32>
  %zero = tern.constant dense<0.0> : tensor<f32>
  %zeros = tern.expand %zero : (tensor<f32>) -> tensor<2x2xf32>
  %v, %idx = tern.topk %logits {axis = 1 : i64, k = 1 : i64} : tensor<2x2xf32> -> tensor<2x1xf32>, tensor<2x1xi64>
  %dense = tern.scatter_elements %zeros, %idx, %v {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %g0 = tern.gemm %x, %wg0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s0 = tern.silu %g0 : tensor<2x2xf32>
  %u0 = tern.gemm %x, %wu0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a0 = tern.mul %s0, %u0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = tern.gemm %a0, %wd0 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c0 = tern.slice %dense {ends = array<i64: 9223372036854775807, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t0 = tern.mul %y0, %c0 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %g1 = tern.gemm %x, %wg1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s1 = tern.silu %g1 : tensor<2x2xf32>
  %u1 = tern.gemm %x, %wu1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a1 = tern.mul %s1, %u1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = tern.gemm %a1, %wd1 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c1 = tern.slice %dense {ends = array<i64: 9223372036854775807, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t1 = tern.mul %y1, %c1 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %sum0 = tern.add %shared, %t0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %sum1 = tern.add %sum0, %t1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %sum1 : tensor<2x4xf32>
}

// -----

// FP8 experts (DeepSeek-V3's checkpoints): each weight the block-scaled
// tern.dequantize of FP8 data; the op takes the data and the scales as
// stored, each scale beside its own weight, and no dequantize or gemm is
// left.
// CHECK-LABEL: func.func @fp8_block_scaled
// CHECK-DAG: %[[G0:.*]] = tern.constant dense<1.015630e-01> : tensor<2x4xf8E4M3FN>
// CHECK-DAG: %[[G0S:.*]] = tern.constant dense<5.000000e-01> : tensor<1x2xf32>
// CHECK-DAG: %[[U0:.*]] = tern.constant dense<3.125000e-01> : tensor<2x4xf8E4M3FN>
// CHECK-DAG: %[[U0S:.*]] = tern.constant dense<2.500000e-01> : tensor<1x2xf32>
// CHECK-DAG: %[[D0:.*]] = tern.constant dense<5.000000e-01> : tensor<4x2xf8E4M3FN>
// CHECK-DAG: %[[D0S:.*]] = tern.constant dense<2.000000e+00> : tensor<2x1xf32>
// CHECK-DAG: %[[G1:.*]] = tern.constant dense<2.031250e-01> : tensor<2x4xf8E4M3FN>
// CHECK-DAG: %[[G1S:.*]] = tern.constant dense<4.000000e+00> : tensor<1x2xf32>
// CHECK-DAG: %[[U1:.*]] = tern.constant dense<4.062500e-01> : tensor<2x4xf8E4M3FN>
// CHECK-DAG: %[[U1S:.*]] = tern.constant dense<8.000000e+00> : tensor<1x2xf32>
// CHECK-DAG: %[[D1:.*]] = tern.constant dense<6.250000e-01> : tensor<4x2xf8E4M3FN>
// CHECK-DAG: %[[D1S:.*]] = tern.constant dense<1.600000e+01> : tensor<2x1xf32>
// CHECK: %[[MOE:.*]] = tern.moe_experts %arg0, %{{.*}}, %{{.*}} gate(%[[G0]], %[[G1]]) up(%[[U0]], %[[U1]]) down(%[[D0]], %[[D1]]) scales gate(%[[G0S]], %[[G1S]]) up(%[[U0S]], %[[U1S]]) down(%[[D0S]], %[[D1S]]) {block_size = array<i64: 2, 2>}
// CHECK-NOT: tern.dequantize
// CHECK-NOT: tern.gemm
// CHECK: return
func.func @fp8_block_scaled(%x: tensor<2x4xf32>, %logits: tensor<2x2xf32>, %shared: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %wg0q = tern.constant dense<0.1> : tensor<2x4xf8E4M3FN>
  %wg0s = tern.constant dense<0.5> : tensor<1x2xf32>
  %wg0 = tern.dequantize %wg0q, %wg0s {block_size = array<i64: 2, 2>} : (tensor<2x4xf8E4M3FN>, tensor<1x2xf32>) -> tensor<2x4xf32>
  %wu0q = tern.constant dense<0.3> : tensor<2x4xf8E4M3FN>
  %wu0s = tern.constant dense<0.25> : tensor<1x2xf32>
  %wu0 = tern.dequantize %wu0q, %wu0s {block_size = array<i64: 2, 2>} : (tensor<2x4xf8E4M3FN>, tensor<1x2xf32>) -> tensor<2x4xf32>
  %wd0q = tern.constant dense<0.5> : tensor<4x2xf8E4M3FN>
  %wd0s = tern.constant dense<2.0> : tensor<2x1xf32>
  %wd0 = tern.dequantize %wd0q, %wd0s {block_size = array<i64: 2, 2>} : (tensor<4x2xf8E4M3FN>, tensor<2x1xf32>) -> tensor<4x2xf32>
  %wg1q = tern.constant dense<0.2> : tensor<2x4xf8E4M3FN>
  %wg1s = tern.constant dense<4.0> : tensor<1x2xf32>
  %wg1 = tern.dequantize %wg1q, %wg1s {block_size = array<i64: 2, 2>} : (tensor<2x4xf8E4M3FN>, tensor<1x2xf32>) -> tensor<2x4xf32>
  %wu1q = tern.constant dense<0.4> : tensor<2x4xf8E4M3FN>
  %wu1s = tern.constant dense<8.0> : tensor<1x2xf32>
  %wu1 = tern.dequantize %wu1q, %wu1s {block_size = array<i64: 2, 2>} : (tensor<2x4xf8E4M3FN>, tensor<1x2xf32>) -> tensor<2x4xf32>
  %wd1q = tern.constant dense<0.6> : tensor<4x2xf8E4M3FN>
  %wd1s = tern.constant dense<16.0> : tensor<2x1xf32>
  %wd1 = tern.dequantize %wd1q, %wd1s {block_size = array<i64: 2, 2>} : (tensor<4x2xf8E4M3FN>, tensor<2x1xf32>) -> tensor<4x2xf32>
  %zeros = tern.constant dense<0.0> : tensor<2x2xf32>
  %v, %idx = tern.topk %logits {axis = 1 : i64, k = 1 : i64} : tensor<2x2xf32> -> tensor<2x1xf32>, tensor<2x1xi64>
  %dense = tern.scatter_elements %zeros, %idx, %v {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %g0 = tern.gemm %x, %wg0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s0 = tern.silu %g0 : tensor<2x2xf32>
  %u0 = tern.gemm %x, %wu0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a0 = tern.mul %s0, %u0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = tern.gemm %a0, %wd0 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c0 = tern.slice %dense {ends = array<i64: 2, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t0 = tern.mul %y0, %c0 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %g1 = tern.gemm %x, %wg1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s1 = tern.silu %g1 : tensor<2x2xf32>
  %u1 = tern.gemm %x, %wu1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a1 = tern.mul %s1, %u1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = tern.gemm %a1, %wd1 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c1 = tern.slice %dense {ends = array<i64: 2, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t1 = tern.mul %y1, %c1 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %sum0 = tern.add %shared, %t0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %sum1 = tern.add %sum0, %t1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %sum1 : tensor<2x4xf32>
}

// -----

// Expert 1's down projection has 4x4 blocks, the others 2x2: the op has
// one block size, so the sum stays.
// CHECK-LABEL: func.func @fp8_block_sizes_differ
// CHECK-NOT: tern.moe_experts
// CHECK: return
func.func @fp8_block_sizes_differ(%x: tensor<2x4xf32>, %logits: tensor<2x2xf32>, %shared: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %wg0q = tern.constant dense<0.1> : tensor<2x4xf8E4M3FN>
  %wg0s = tern.constant dense<0.5> : tensor<1x2xf32>
  %wg0 = tern.dequantize %wg0q, %wg0s {block_size = array<i64: 2, 2>} : (tensor<2x4xf8E4M3FN>, tensor<1x2xf32>) -> tensor<2x4xf32>
  %wu0q = tern.constant dense<0.3> : tensor<2x4xf8E4M3FN>
  %wu0s = tern.constant dense<0.25> : tensor<1x2xf32>
  %wu0 = tern.dequantize %wu0q, %wu0s {block_size = array<i64: 2, 2>} : (tensor<2x4xf8E4M3FN>, tensor<1x2xf32>) -> tensor<2x4xf32>
  %wd0q = tern.constant dense<0.5> : tensor<4x2xf8E4M3FN>
  %wd0s = tern.constant dense<2.0> : tensor<2x1xf32>
  %wd0 = tern.dequantize %wd0q, %wd0s {block_size = array<i64: 2, 2>} : (tensor<4x2xf8E4M3FN>, tensor<2x1xf32>) -> tensor<4x2xf32>
  %wg1q = tern.constant dense<0.2> : tensor<2x4xf8E4M3FN>
  %wg1s = tern.constant dense<4.0> : tensor<1x2xf32>
  %wg1 = tern.dequantize %wg1q, %wg1s {block_size = array<i64: 2, 2>} : (tensor<2x4xf8E4M3FN>, tensor<1x2xf32>) -> tensor<2x4xf32>
  %wu1q = tern.constant dense<0.4> : tensor<2x4xf8E4M3FN>
  %wu1s = tern.constant dense<8.0> : tensor<1x2xf32>
  %wu1 = tern.dequantize %wu1q, %wu1s {block_size = array<i64: 2, 2>} : (tensor<2x4xf8E4M3FN>, tensor<1x2xf32>) -> tensor<2x4xf32>
  %wd1q = tern.constant dense<0.6> : tensor<4x2xf8E4M3FN>
  %wd1s = tern.constant dense<16.0> : tensor<1x1xf32>
  %wd1 = tern.dequantize %wd1q, %wd1s {block_size = array<i64: 4, 4>} : (tensor<4x2xf8E4M3FN>, tensor<1x1xf32>) -> tensor<4x2xf32>
  %zeros = tern.constant dense<0.0> : tensor<2x2xf32>
  %v, %idx = tern.topk %logits {axis = 1 : i64, k = 1 : i64} : tensor<2x2xf32> -> tensor<2x1xf32>, tensor<2x1xi64>
  %dense = tern.scatter_elements %zeros, %idx, %v {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %g0 = tern.gemm %x, %wg0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s0 = tern.silu %g0 : tensor<2x2xf32>
  %u0 = tern.gemm %x, %wu0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a0 = tern.mul %s0, %u0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = tern.gemm %a0, %wd0 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c0 = tern.slice %dense {ends = array<i64: 2, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t0 = tern.mul %y0, %c0 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %g1 = tern.gemm %x, %wg1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s1 = tern.silu %g1 : tensor<2x2xf32>
  %u1 = tern.gemm %x, %wu1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a1 = tern.mul %s1, %u1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = tern.gemm %a1, %wd1 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c1 = tern.slice %dense {ends = array<i64: 2, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t1 = tern.mul %y1, %c1 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %sum0 = tern.add %shared, %t0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %sum1 = tern.add %sum0, %t1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %sum1 : tensor<2x4xf32>
}

// -----

// Expert 0 is FP8, expert 1 f32: one stack holds one element type.
// CHECK-LABEL: func.func @fp8_and_f32
// CHECK-NOT: tern.moe_experts
// CHECK: return
func.func @fp8_and_f32(%x: tensor<2x4xf32>, %logits: tensor<2x2xf32>, %shared: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %wg0q = tern.constant dense<0.1> : tensor<2x4xf8E4M3FN>
  %wg0s = tern.constant dense<0.5> : tensor<1x2xf32>
  %wg0 = tern.dequantize %wg0q, %wg0s {block_size = array<i64: 2, 2>} : (tensor<2x4xf8E4M3FN>, tensor<1x2xf32>) -> tensor<2x4xf32>
  %wu0q = tern.constant dense<0.3> : tensor<2x4xf8E4M3FN>
  %wu0s = tern.constant dense<0.25> : tensor<1x2xf32>
  %wu0 = tern.dequantize %wu0q, %wu0s {block_size = array<i64: 2, 2>} : (tensor<2x4xf8E4M3FN>, tensor<1x2xf32>) -> tensor<2x4xf32>
  %wd0q = tern.constant dense<0.5> : tensor<4x2xf8E4M3FN>
  %wd0s = tern.constant dense<2.0> : tensor<2x1xf32>
  %wd0 = tern.dequantize %wd0q, %wd0s {block_size = array<i64: 2, 2>} : (tensor<4x2xf8E4M3FN>, tensor<2x1xf32>) -> tensor<4x2xf32>
  %wg1 = tern.constant dense<0.2> : tensor<2x4xf32>
  %wu1 = tern.constant dense<0.4> : tensor<2x4xf32>
  %wd1 = tern.constant dense<0.6> : tensor<4x2xf32>
  %zeros = tern.constant dense<0.0> : tensor<2x2xf32>
  %v, %idx = tern.topk %logits {axis = 1 : i64, k = 1 : i64} : tensor<2x2xf32> -> tensor<2x1xf32>, tensor<2x1xi64>
  %dense = tern.scatter_elements %zeros, %idx, %v {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %g0 = tern.gemm %x, %wg0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s0 = tern.silu %g0 : tensor<2x2xf32>
  %u0 = tern.gemm %x, %wu0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a0 = tern.mul %s0, %u0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = tern.gemm %a0, %wd0 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c0 = tern.slice %dense {ends = array<i64: 2, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t0 = tern.mul %y0, %c0 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %g1 = tern.gemm %x, %wg1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s1 = tern.silu %g1 : tensor<2x2xf32>
  %u1 = tern.gemm %x, %wu1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a1 = tern.mul %s1, %u1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = tern.gemm %a1, %wd1 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c1 = tern.slice %dense {ends = array<i64: 2, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t1 = tern.mul %y1, %c1 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %sum0 = tern.add %shared, %t0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %sum1 = tern.add %sum0, %t1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %sum1 : tensor<2x4xf32>
}

// -----

// One scale per tensor, not per block: not the scales the op takes.
// CHECK-LABEL: func.func @fp8_per_tensor_scale
// CHECK-NOT: tern.moe_experts
// CHECK: return
func.func @fp8_per_tensor_scale(%x: tensor<2x4xf32>, %logits: tensor<2x2xf32>, %shared: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %wg0q = tern.constant dense<0.1> : tensor<2x4xf8E4M3FN>
  %wg0s = tern.constant dense<0.5> : tensor<f32>
  %wg0 = tern.dequantize %wg0q, %wg0s : (tensor<2x4xf8E4M3FN>, tensor<f32>) -> tensor<2x4xf32>
  %wu0q = tern.constant dense<0.3> : tensor<2x4xf8E4M3FN>
  %wu0s = tern.constant dense<0.25> : tensor<f32>
  %wu0 = tern.dequantize %wu0q, %wu0s : (tensor<2x4xf8E4M3FN>, tensor<f32>) -> tensor<2x4xf32>
  %wd0q = tern.constant dense<0.5> : tensor<4x2xf8E4M3FN>
  %wd0s = tern.constant dense<2.0> : tensor<f32>
  %wd0 = tern.dequantize %wd0q, %wd0s : (tensor<4x2xf8E4M3FN>, tensor<f32>) -> tensor<4x2xf32>
  %wg1q = tern.constant dense<0.2> : tensor<2x4xf8E4M3FN>
  %wg1s = tern.constant dense<4.0> : tensor<f32>
  %wg1 = tern.dequantize %wg1q, %wg1s : (tensor<2x4xf8E4M3FN>, tensor<f32>) -> tensor<2x4xf32>
  %wu1q = tern.constant dense<0.4> : tensor<2x4xf8E4M3FN>
  %wu1s = tern.constant dense<8.0> : tensor<f32>
  %wu1 = tern.dequantize %wu1q, %wu1s : (tensor<2x4xf8E4M3FN>, tensor<f32>) -> tensor<2x4xf32>
  %wd1q = tern.constant dense<0.6> : tensor<4x2xf8E4M3FN>
  %wd1s = tern.constant dense<16.0> : tensor<f32>
  %wd1 = tern.dequantize %wd1q, %wd1s : (tensor<4x2xf8E4M3FN>, tensor<f32>) -> tensor<4x2xf32>
  %zeros = tern.constant dense<0.0> : tensor<2x2xf32>
  %v, %idx = tern.topk %logits {axis = 1 : i64, k = 1 : i64} : tensor<2x2xf32> -> tensor<2x1xf32>, tensor<2x1xi64>
  %dense = tern.scatter_elements %zeros, %idx, %v {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %g0 = tern.gemm %x, %wg0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s0 = tern.silu %g0 : tensor<2x2xf32>
  %u0 = tern.gemm %x, %wu0 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a0 = tern.mul %s0, %u0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = tern.gemm %a0, %wd0 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c0 = tern.slice %dense {ends = array<i64: 2, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t0 = tern.mul %y0, %c0 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %g1 = tern.gemm %x, %wg1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %s1 = tern.silu %g1 : tensor<2x2xf32>
  %u1 = tern.gemm %x, %wu1 {trans_b = true} : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  %a1 = tern.mul %s1, %u1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = tern.gemm %a1, %wd1 {trans_b = true} : (tensor<2x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  %c1 = tern.slice %dense {ends = array<i64: 2, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t1 = tern.mul %y1, %c1 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %sum0 = tern.add %shared, %t0 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %sum1 = tern.add %sum0, %t1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %sum1 : tensor<2x4xf32>
}

// -----

// The matmul form with block-scaled FP8 downs: the op takes [out, in]
// weights, and transposing block scales with them is not done: left dense.
// CHECK-LABEL: func.func @fp8_matmul_form
// CHECK-NOT: tern.moe_experts
// CHECK: return
func.func @fp8_matmul_form(%x: tensor<2x4xf32>, %logits: tensor<2x2xf32>) -> tensor<2x4xf32> {
  %wg0 = tern.constant dense<0.1> : tensor<4x2xf32>
  %wu0 = tern.constant dense<0.3> : tensor<4x2xf32>
  %wd0q = tern.constant dense<0.5> : tensor<2x4xf8E4M3FN>
  %wd0s = tern.constant dense<0.5> : tensor<1x2xf32>
  %wd0 = tern.dequantize %wd0q, %wd0s {block_size = array<i64: 2, 2>} : (tensor<2x4xf8E4M3FN>, tensor<1x2xf32>) -> tensor<2x4xf32>
  %wg1 = tern.constant dense<0.2> : tensor<4x2xf32>
  %wu1 = tern.constant dense<0.4> : tensor<4x2xf32>
  %wd1q = tern.constant dense<0.6> : tensor<2x4xf8E4M3FN>
  %wd1s = tern.constant dense<0.5> : tensor<1x2xf32>
  %wd1 = tern.dequantize %wd1q, %wd1s {block_size = array<i64: 2, 2>} : (tensor<2x4xf8E4M3FN>, tensor<1x2xf32>) -> tensor<2x4xf32>
  %zeros = tern.constant dense<0.0> : tensor<2x2xf32>
  %v, %idx = tern.topk %logits {axis = 1 : i64, k = 1 : i64} : tensor<2x2xf32> -> tensor<2x1xf32>, tensor<2x1xi64>
  %dense = tern.scatter_elements %zeros, %idx, %v {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %g0 = tern.matmul %x, %wg0 : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  %s0 = tern.silu %g0 : tensor<2x2xf32>
  %u0 = tern.matmul %x, %wu0 : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  %a0 = tern.mul %s0, %u0 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y0 = tern.matmul %a0, %wd0 : (tensor<2x2xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %c0 = tern.slice %dense {ends = array<i64: 2, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t0 = tern.mul %y0, %c0 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %g1 = tern.matmul %x, %wg1 : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  %s1 = tern.silu %g1 : tensor<2x2xf32>
  %u1 = tern.matmul %x, %wu1 : (tensor<2x4xf32>, tensor<4x2xf32>) -> tensor<2x2xf32>
  %a1 = tern.mul %s1, %u1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = tern.matmul %a1, %wd1 : (tensor<2x2xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %c1 = tern.slice %dense {ends = array<i64: 2, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %t1 = tern.mul %y1, %c1 : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %sum = tern.add %t0, %t1 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %sum : tensor<2x4xf32>
}
