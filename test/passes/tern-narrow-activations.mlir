// RUN: tern-opt %s -split-input-file -tern-narrow-activations | FileCheck %s

// tern-narrow-activations (ternc --precision=bf16): activations between ops
// in bf16, norms, softmax and routing in f32. The tiny checkpoints' decode
// steps are checked in test/frontend/hf/precision-bf16.test.

// A SiLU-gated MLP as the HF importer writes it (bf16 weights widened for
// f32 products): the products take the weights as stored; the function's
// input and output keep f32, converted at the boundary.
// CHECK: module attributes {tern.precision = "bf16"}
// CHECK-LABEL: func.func @mlp
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>, %[[WG:.*]]: tensor<16x8xbf16>, %[[WU:.*]]: tensor<16x8xbf16>, %[[WD:.*]]: tensor<8x16xbf16>) -> tensor<2x8xf32>
// CHECK-NEXT: %[[X16:.*]] = tern.cast %[[X]] : tensor<2x8xf32> to tensor<2x8xbf16>
// CHECK-NEXT: %[[G:.*]] = tern.gemm %[[X16]], %[[WG]] {trans_b = true} : (tensor<2x8xbf16>, tensor<16x8xbf16>) -> tensor<2x16xbf16>
// CHECK-NEXT: %[[S:.*]] = tern.silu %[[G]] : tensor<2x16xbf16>
// CHECK-NEXT: %[[U:.*]] = tern.gemm %[[X16]], %[[WU]] {trans_b = true} : (tensor<2x8xbf16>, tensor<16x8xbf16>) -> tensor<2x16xbf16>
// CHECK-NEXT: %[[H:.*]] = tern.mul %[[S]], %[[U]] : (tensor<2x16xbf16>, tensor<2x16xbf16>) -> tensor<2x16xbf16>
// CHECK-NEXT: %[[D:.*]] = tern.gemm %[[H]], %[[WD]] {trans_b = true} : (tensor<2x16xbf16>, tensor<8x16xbf16>) -> tensor<2x8xbf16>
// CHECK-NEXT: %[[Y:.*]] = tern.cast %[[D]] : tensor<2x8xbf16> to tensor<2x8xf32>
// CHECK-NEXT: return %[[Y]] : tensor<2x8xf32>
func.func @mlp(%x: tensor<2x8xf32>, %wg: tensor<16x8xbf16>, %wu: tensor<16x8xbf16>, %wd: tensor<8x16xbf16>) -> tensor<2x8xf32> {
  %g32 = tern.cast %wg : tensor<16x8xbf16> to tensor<16x8xf32>
  %g = tern.gemm %x, %g32 {trans_b = true} : (tensor<2x8xf32>, tensor<16x8xf32>) -> tensor<2x16xf32>
  %s = tern.silu %g : tensor<2x16xf32>
  %u32 = tern.cast %wu : tensor<16x8xbf16> to tensor<16x8xf32>
  %u = tern.gemm %x, %u32 {trans_b = true} : (tensor<2x8xf32>, tensor<16x8xf32>) -> tensor<2x16xf32>
  %h = tern.mul %s, %u : (tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  %d32 = tern.cast %wd : tensor<8x16xbf16> to tensor<8x16xf32>
  %d = tern.gemm %h, %d32 {trans_b = true} : (tensor<2x16xf32>, tensor<8x16xf32>) -> tensor<2x8xf32>
  return %d : tensor<2x8xf32>
}

// -----

// RMSNorm and softmax compute in f32 from the bf16 values widened; each
// result is rounded to bf16 once, where it is handed on.
// CHECK-LABEL: func.func @norm_and_softmax
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>, %[[W:.*]]: tensor<8xbf16>)
// CHECK-NEXT: %[[X16:.*]] = tern.cast %[[X]] : tensor<2x8xf32> to tensor<2x8xbf16>
// CHECK-NEXT: %[[SUM:.*]] = tern.add %[[X16]], %[[X16]] : (tensor<2x8xbf16>, tensor<2x8xbf16>) -> tensor<2x8xbf16>
// CHECK-NEXT: %[[SUM32:.*]] = tern.cast %[[SUM]] : tensor<2x8xbf16> to tensor<2x8xf32>
// CHECK-NEXT: %[[W32:.*]] = tern.cast %[[W]] : tensor<8xbf16> to tensor<8xf32>
// CHECK-NEXT: %[[N:.*]] = tern.rms_norm %[[SUM32]], %[[W32]] {{.*}} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
// CHECK-NEXT: %[[N16:.*]] = tern.cast %[[N]] : tensor<2x8xf32> to tensor<2x8xbf16>
// CHECK-NEXT: %[[N32:.*]] = tern.cast %[[N16]] : tensor<2x8xbf16> to tensor<2x8xf32>
// CHECK-NEXT: %[[P:.*]] = tern.softmax %[[N32]] : tensor<2x8xf32>
// CHECK-NEXT: %[[P16:.*]] = tern.cast %[[P]] : tensor<2x8xf32> to tensor<2x8xbf16>
// CHECK-NEXT: %[[Y:.*]] = tern.mul %[[P16]], %[[N16]] : (tensor<2x8xbf16>, tensor<2x8xbf16>) -> tensor<2x8xbf16>
// CHECK-NEXT: %[[Y32:.*]] = tern.cast %[[Y]] : tensor<2x8xbf16> to tensor<2x8xf32>
// CHECK-NEXT: return %[[Y32]]
func.func @norm_and_softmax(%x: tensor<2x8xf32>, %w: tensor<8xbf16>) -> tensor<2x8xf32> {
  %sum = tern.add %x, %x : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %w32 = tern.cast %w : tensor<8xbf16> to tensor<8xf32>
  %n = tern.rms_norm %sum, %w32 {axis = 1 : i64, epsilon = 1.0E-6 : f32} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %p = tern.softmax %n {axis = -1 : i64} : tensor<2x8xf32>
  %y = tern.mul %p, %n : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// A router's logits stay f32 (a product of the widened bf16 hidden states
// and gate weight); the routing weights reach the experts rounded to bf16.
// CHECK-LABEL: func.func @router
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>, %[[GATE:.*]]: tensor<4x8xbf16>
// CHECK-NEXT: %[[X16:.*]] = tern.cast %[[X]] : tensor<2x8xf32> to tensor<2x8xbf16>
// CHECK-NEXT: %[[H:.*]] = tern.add %[[X16]], %[[X16]]
// CHECK-NEXT: %[[H32:.*]] = tern.cast %[[H]] : tensor<2x8xbf16> to tensor<2x8xf32>
// CHECK-NEXT: %[[GATE32:.*]] = tern.cast %[[GATE]] : tensor<4x8xbf16> to tensor<4x8xf32>
// CHECK-NEXT: %[[LOGITS:.*]] = tern.gemm %[[H32]], %[[GATE32]] {trans_b = true} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %[[IDX:.*]], %[[WEIGHTS:.*]] = tern.moe_route %[[LOGITS]] {{.*}} : (tensor<2x4xf32>) -> (tensor<2x2xi64>, tensor<2x2xf32>)
// CHECK-NEXT: %[[WEIGHTS16:.*]] = tern.cast %[[WEIGHTS]] : tensor<2x2xf32> to tensor<2x2xbf16>
// CHECK-NEXT: %[[E:.*]] = tern.moe_experts %[[H]], %[[IDX]], %[[WEIGHTS16]] {{.*}} -> tensor<2x8xbf16>
func.func @router(%x: tensor<2x8xf32>, %gate: tensor<4x8xbf16>, %g0: tensor<16x8xbf16>, %g1: tensor<16x8xbf16>,
                  %d0: tensor<8x16xbf16>, %d1: tensor<8x16xbf16>) -> tensor<2x8xf32> {
  %h = tern.add %x, %x : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %gate32 = tern.cast %gate : tensor<4x8xbf16> to tensor<4x8xf32>
  %logits = tern.gemm %h, %gate32 {trans_b = true} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  %idx, %weights = tern.moe_route %logits {k = 2 : i64, scoring = "softmax", normalize = false, scaling = 1.0 : f64} : (tensor<2x4xf32>) -> (tensor<2x2xi64>, tensor<2x2xf32>)
  %y = tern.moe_experts %h, %idx, %weights gate(%g0, %g1, %g0, %g1) up(%g1, %g0, %g1, %g0) down(%d0, %d1, %d1, %d0)
      : (tensor<2x8xf32>, tensor<2x2xi64>, tensor<2x2xf32>, tensor<16x8xbf16>, tensor<16x8xbf16>, tensor<16x8xbf16>, tensor<16x8xbf16>,
         tensor<16x8xbf16>, tensor<16x8xbf16>, tensor<16x8xbf16>, tensor<16x8xbf16>,
         tensor<8x16xbf16>, tensor<8x16xbf16>, tensor<8x16xbf16>, tensor<8x16xbf16>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// A state (the KV cache) is stored in bf16: its argument and result change
// type together and the scatter writes bf16; other results stay f32.
// CHECK-LABEL: func.func @cache
// CHECK-SAME: %[[CACHE:[a-z0-9]+]]: tensor<4x8xbf16> {tern.name = "cache", tern.state = "cache"}
// CHECK-SAME: -> (tensor<1x8xf32> {tern.name = "y"}, tensor<4x8xbf16> {tern.name = "cache", tern.state = "cache"})
// CHECK: %[[WRITTEN:.*]] = tern.scatter_elements %[[CACHE]], %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<4x8xbf16>, tensor<1x8xi64>, tensor<1x8xbf16>) -> tensor<4x8xbf16>
// CHECK: return %{{.*}}, %[[WRITTEN]] : tensor<1x8xf32>, tensor<4x8xbf16>
func.func @cache(%x: tensor<1x8xf32> {tern.name = "x"}, %rows: tensor<1x8xi64> {tern.name = "rows"},
                 %cache: tensor<4x8xf32> {tern.name = "cache", tern.state = "cache"})
    -> (tensor<1x8xf32> {tern.name = "y"}, tensor<4x8xf32> {tern.name = "cache", tern.state = "cache"}) {
  %written = tern.scatter_elements %cache, %rows, %x {axis = 0 : i64} : (tensor<4x8xf32>, tensor<1x8xi64>, tensor<1x8xf32>) -> tensor<4x8xf32>
  %sum = tern.reduce_sum %written {axes = array<i64: 0>} : tensor<4x8xf32> -> tensor<1x8xf32>
  return %sum, %written : tensor<1x8xf32>, tensor<4x8xf32>
}

// -----

// Inline f32 constants (RoPE tables, masks) are rounded at compile time.
// CHECK-LABEL: func.func @inline_constant
// CHECK: tern.constant dense<[1.000000e+00, 1.000980e-01]> : tensor<2xbf16>
// CHECK-NOT: tern.constant {{.*}}f32
func.func @inline_constant(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = tern.constant dense<[1.0, 0.1]> : tensor<2xf32>
  %y = tern.mul %x, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// Near-misses. f64 and f16 ops have no f32 result: they stay. Comparisons
// read the widened bf16 values exactly.
// CHECK-LABEL: func.func @other_types
// CHECK-NEXT: tern.add %{{.*}} : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
// CHECK-NEXT: tern.add %{{.*}} : (tensor<4xf16>, tensor<4xf16>) -> tensor<4xf16>
// CHECK-NEXT: tern.lt %{{.*}} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
func.func @other_types(%a: tensor<4xf64>, %b: tensor<4xf16>, %c: tensor<4xf32>) -> (tensor<4xf64>, tensor<4xf16>, tensor<4xi1>) {
  %0 = tern.add %a, %a : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
  %1 = tern.add %b, %b : (tensor<4xf16>, tensor<4xf16>) -> tensor<4xf16>
  %2 = tern.lt %c, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  return %0, %1, %2 : tensor<4xf64>, tensor<4xf16>, tensor<4xi1>
}

// -----

// Block-scaled products keep f32 (their scales are f32, as DeepSeek ships
// them) and round their result; an unfused dequantize keeps its scales'
// type and its reader rounds the weight.
// CHECK-LABEL: func.func @fp8
// CHECK: %[[Y:.*]] = tern.block_scaled_matmul %{{.*}}, %{{.*}}, %{{.*}} {block_size = array<i64: 128, 128>} : (tensor<2x160xf32>, tensor<144x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<2x144xf32>
// CHECK-NEXT: %[[Y16:.*]] = tern.cast %[[Y]] : tensor<2x144xf32> to tensor<2x144xbf16>
// CHECK: %[[W:.*]] = tern.dequantize {{.*}} -> tensor<144x160xf32>
// CHECK: %[[W16:.*]] = tern.cast %[[W]] : tensor<144x160xf32> to tensor<144x160xbf16>
// CHECK-NEXT: tern.gemm %{{.*}}, %[[W16]] {trans_b = true} : (tensor<2x160xbf16>, tensor<144x160xbf16>) -> tensor<2x144xbf16>
func.func @fp8(%x: tensor<2x160xf32>, %q: tensor<144x160xf8E4M3FN>, %s: tensor<2x2xf32>) -> (tensor<2x144xf32>, tensor<2x144xf32>) {
  %y = tern.block_scaled_matmul %x, %q, %s {block_size = array<i64: 128, 128>} : (tensor<2x160xf32>, tensor<144x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<2x144xf32>
  %a = tern.add %y, %y : (tensor<2x144xf32>, tensor<2x144xf32>) -> tensor<2x144xf32>
  %w = tern.dequantize %q, %s {block_size = array<i64: 128, 128>} : (tensor<144x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<144x160xf32>
  %z = tern.gemm %x, %w {trans_b = true} : (tensor<2x160xf32>, tensor<144x160xf32>) -> tensor<2x144xf32>
  return %a, %z : tensor<2x144xf32>, tensor<2x144xf32>
}

// -----

// An unfused router (--no-fusion): what the top-k compares and what is
// scattered at its choice stay f32, up to the logits' product, as
// tern.moe_route computes routing; the routing matrix is rounded where the
// experts' output reads it. A scatter at other indices (a KV cache) narrows.
// CHECK-LABEL: func.func @unfused_router
// CHECK: %[[LOGITS:.*]] = tern.gemm {{.*}} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %[[SCORES:.*]] = tern.sigmoid %[[LOGITS]] : tensor<2x4xf32>
// CHECK-NEXT: %[[CHOSEN:.*]] = tern.add %[[SCORES]], %{{.*}} : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %{{.*}}, %[[IDX:.*]] = tern.topk %[[CHOSEN]] {{.*}} : tensor<2x4xf32> -> tensor<2x2xf32>, tensor<2x2xi64>
// CHECK-NEXT: %[[W:.*]] = tern.gather_elements %[[SCORES]], %[[IDX]] {{.*}} -> tensor<2x2xf32>
// CHECK: %[[MATRIX:.*]] = tern.scatter_elements %{{.*}}, %[[IDX]], %{{.*}} {axis = 1 : i64} : (tensor<2x4xbf16>, tensor<2x2xi64>, tensor<2x2xbf16>) -> tensor<2x4xbf16>
// CHECK: tern.scatter_elements %{{.*}} : (tensor<4x8xbf16>, tensor<1x8xi64>, tensor<1x8xbf16>) -> tensor<4x8xbf16>
func.func @unfused_router(%x: tensor<2x8xf32>, %gate: tensor<4x8xbf16>, %bias: tensor<4xf32>,
                          %rows: tensor<1x8xi64>, %cache: tensor<4x8xf32>) -> (tensor<2x4xf32>, tensor<4x8xf32>) {
  %h = tern.add %x, %x : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %gate32 = tern.cast %gate : tensor<4x8xbf16> to tensor<4x8xf32>
  %logits = tern.gemm %h, %gate32 {trans_b = true} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  %scores = tern.sigmoid %logits : tensor<2x4xf32>
  %chosen = tern.add %scores, %bias : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %values, %idx = tern.topk %chosen {k = 2 : i64, axis = -1 : i64} : tensor<2x4xf32> -> tensor<2x2xf32>, tensor<2x2xi64>
  %w = tern.gather_elements %scores, %idx {axis = 1 : i64} : (tensor<2x4xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  %zeros = tern.constant dense<0.0> : tensor<2x4xf32>
  %matrix = tern.scatter_elements %zeros, %idx, %w {axis = 1 : i64} : (tensor<2x4xf32>, tensor<2x2xi64>, tensor<2x2xf32>) -> tensor<2x4xf32>
  %row = tern.slice %h {ends = array<i64: 1, 8>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x8xf32> -> tensor<1x8xf32>
  %written = tern.scatter_elements %cache, %rows, %row {axis = 0 : i64} : (tensor<4x8xf32>, tensor<1x8xi64>, tensor<1x8xf32>) -> tensor<4x8xf32>
  return %matrix, %written : tensor<2x4xf32>, tensor<4x8xf32>
}
