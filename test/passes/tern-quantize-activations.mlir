// RUN: tern-opt %s -split-input-file -tern-quantize-activations | FileCheck %s

// tern-quantize-activations (ternc --fp8-activations): the activations of a
// product by a block-quantized weight are quantized to FP8 E4M3 per row and
// block of K at run time, DeepSeek-V3's act_quant. The numerics against its
// formulas are checked in test/e2e/fp8-activations.test.

// A fused product takes the FP8 data and the scales: max(amax, 1e-4) / 448.
// CHECK-LABEL: module attributes {tern.activations = "fp8-block"}
// CHECK-LABEL: func.func @fused
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<8x256xf32>, %[[Q:[a-z0-9]+]]: tensor<64x256xf8E4M3FN>, %[[S:[a-z0-9]+]]: tensor<1x2xf32>)
// CHECK: %[[BLOCKS:.*]] = tern.reshape %[[X]] : (tensor<8x256xf32>) -> tensor<8x2x128xf32>
// CHECK: %[[ABS:.*]] = tern.abs %[[BLOCKS]] : tensor<8x2x128xf32>
// CHECK: %[[AMAX:.*]] = tern.reduce_max %[[ABS]] {axes = array<i64: 2>, keepdims = false} : tensor<8x2x128xf32> -> tensor<8x2xf32>
// CHECK: %[[FLOOR:.*]] = tern.constant dense<9.99999974E-5> : tensor<f32>
// CHECK: %[[CLAMPED:.*]] = tern.max %[[AMAX]], %[[FLOOR]] : (tensor<8x2xf32>, tensor<f32>) -> tensor<8x2xf32>
// CHECK: %[[E4M3_MAX:.*]] = tern.constant dense<4.480000e+02> : tensor<f32>
// CHECK: %[[XS:.*]] = tern.div %[[CLAMPED]], %[[E4M3_MAX]] : (tensor<8x2xf32>, tensor<f32>) -> tensor<8x2xf32>
// CHECK: %[[XQ:.*]] = tern.quantize %[[X]], %[[XS]] {block_size = array<i64: 1, 128>} : (tensor<8x256xf32>, tensor<8x2xf32>) -> tensor<8x256xf8E4M3FN>
// CHECK: tern.block_scaled_matmul %[[XQ]] scaled %[[XS]], %[[Q]], %[[S]] {block_size = array<i64: 128, 128>}
module {
  func.func @fused(%x: tensor<8x256xf32>, %q: tensor<64x256xf8E4M3FN>, %s: tensor<1x2xf32>) -> tensor<8x64xf32> {
    %y = tern.block_scaled_matmul %x, %q, %s {block_size = array<i64: 128, 128>} : (tensor<8x256xf32>, tensor<64x256xf8E4M3FN>, tensor<1x2xf32>) -> tensor<8x64xf32>
    return %y : tensor<8x64xf32>
  }
}

// -----

// Unfused (--no-fusion), a product reads the activations through the
// matching dequantize: a gemm by an [N, K] weight in bf16 (the weight
// narrowed by a cast: the activations are widened exactly, quantized, and
// dequantized back to the operand's type), a matmul of [2, 4] rows by a
// [K, N] weight in 64x1 blocks.
// CHECK-LABEL: func.func @unfused
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<8x256xbf16>,
// CHECK: %[[X32:.*]] = tern.cast %[[X]] : tensor<8x256xbf16> to tensor<8x256xf32>
// CHECK: %[[XQ:.*]] = tern.quantize %[[X32]], %[[XS:.*]] {block_size = array<i64: 1, 128>} : (tensor<8x256xf32>, tensor<8x2xf32>) -> tensor<8x256xf8E4M3FN>
// CHECK: %[[XD:.*]] = tern.dequantize %[[XQ]], %[[XS]] {block_size = array<i64: 1, 128>} : (tensor<8x256xf8E4M3FN>, tensor<8x2xf32>) -> tensor<8x256xf32>
// CHECK: %[[XB:.*]] = tern.cast %[[XD]] : tensor<8x256xf32> to tensor<8x256xbf16>
// CHECK: tern.gemm %[[XB]], %{{.*}} {trans_b = true}
// CHECK: tern.reduce_max {{.*}} : tensor<2x4x4x64xf32> -> tensor<2x4x4xf32>
// CHECK: %[[MQ:.*]] = tern.quantize %{{.*}}, %[[MS:.*]] {block_size = array<i64: 1, 1, 64>} : (tensor<2x4x256xf32>, tensor<2x4x4xf32>) -> tensor<2x4x256xf8E4M3FN>
// CHECK: %[[MD:.*]] = tern.dequantize %[[MQ]], %[[MS]] {block_size = array<i64: 1, 1, 64>}
// CHECK: tern.matmul %[[MD]], %{{.*}} : (tensor<2x4x256xf32>, tensor<256x64xf32>) -> tensor<2x4x64xf32>
module {
  func.func @unfused(%x: tensor<8x256xbf16>, %q: tensor<64x256xf8E4M3FN>, %s: tensor<1x2xf32>, %xm: tensor<2x4x256xf32>,
      %qk: tensor<256x64xf8E4M3FN>, %sk: tensor<4x64xf32>) -> (tensor<8x64xbf16>, tensor<2x4x64xf32>) {
    %w = tern.dequantize %q, %s {block_size = array<i64: 128, 128>} : (tensor<64x256xf8E4M3FN>, tensor<1x2xf32>) -> tensor<64x256xf32>
    %wb = tern.cast %w : tensor<64x256xf32> to tensor<64x256xbf16>
    %0 = tern.gemm %x, %wb {trans_b = true} : (tensor<8x256xbf16>, tensor<64x256xbf16>) -> tensor<8x64xbf16>
    %wk = tern.dequantize %qk, %sk {block_size = array<i64: 64, 1>} : (tensor<256x64xf8E4M3FN>, tensor<4x64xf32>) -> tensor<256x64xf32>
    %1 = tern.matmul %xm, %wk : (tensor<2x4x256xf32>, tensor<256x64xf32>) -> tensor<2x4x64xf32>
    return %0, %1 : tensor<8x64xbf16>, tensor<2x4x64xf32>
  }
}

// -----

// Block-scaled experts quantize their projections' inputs inside the op,
// where the kernel computes them; with a partial block (160 = 128 + 32)
// they keep them.
// CHECK-LABEL: func.func @experts
// CHECK: tern.moe_experts {{.*}} {activation_block = 128 : i64, block_size = array<i64: 128, 128>} : (tensor<4x256xf32>
// CHECK: tern.moe_experts {{.*}} {block_size = array<i64: 128, 128>} : (tensor<4x160xf32>
module {
  func.func @experts(%x: tensor<4x256xf32>, %idx: tensor<4x2xi64>, %w: tensor<4x2xf32>,
      %q: tensor<128x256xf8E4M3FN>, %p: tensor<256x128xf8E4M3FN>, %s: tensor<1x2xf32>, %t: tensor<2x1xf32>,
      %x2: tensor<4x160xf32>, %q2: tensor<128x160xf8E4M3FN>, %p2: tensor<160x128xf8E4M3FN>, %s2: tensor<1x2xf32>,
      %t2: tensor<2x1xf32>) -> (tensor<4x256xf32>, tensor<4x160xf32>) {
    %y = tern.moe_experts %x, %idx, %w gate(%q) up(%q) down(%p) scales gate(%s) up(%s) down(%t)
        {block_size = array<i64: 128, 128>}
        : (tensor<4x256xf32>, tensor<4x2xi64>, tensor<4x2xf32>, tensor<128x256xf8E4M3FN>,
           tensor<128x256xf8E4M3FN>, tensor<256x128xf8E4M3FN>, tensor<1x2xf32>, tensor<1x2xf32>,
           tensor<2x1xf32>) -> tensor<4x256xf32>
    %z = tern.moe_experts %x2, %idx, %w gate(%q2) up(%q2) down(%p2) scales gate(%s2) up(%s2) down(%t2)
        {block_size = array<i64: 128, 128>}
        : (tensor<4x160xf32>, tensor<4x2xi64>, tensor<4x2xf32>, tensor<128x160xf8E4M3FN>,
           tensor<128x160xf8E4M3FN>, tensor<160x128xf8E4M3FN>, tensor<1x2xf32>, tensor<1x2xf32>,
           tensor<2x1xf32>) -> tensor<4x160xf32>
    return %y, %z : tensor<4x256xf32>, tensor<4x160xf32>
  }
}

// -----

// Near-misses stay as they are, and the module records nothing: K = 160 is
// not a whole number of 128-blocks (DeepSeek's act_quant requires it), the
// activations are already FP8, a dynamic number of rows, a gemm by a
// per-tensor scaled weight, a gemm reading its activations transposed.
// CHECK-LABEL: module {
// CHECK-LABEL: func.func @near_misses
// CHECK-NOT: tern.quantize
// CHECK-NOT: tern.reduce_max
module {
  func.func @near_misses(%x: tensor<8x160xf32>, %q: tensor<144x160xf8E4M3FN>, %s: tensor<2x2xf32>,
      %xq: tensor<8x256xf8E4M3FN>, %xs: tensor<8x2xf32>, %q2: tensor<64x256xf8E4M3FN>, %s2: tensor<1x2xf32>,
      %xd: tensor<?x256xf32>, %st: tensor<f32>, %x8: tensor<8x256xf32>, %xt: tensor<256x8xf32>)
      -> (tensor<8x144xf32>, tensor<8x64xf32>, tensor<?x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) {
    %0 = tern.block_scaled_matmul %x, %q, %s {block_size = array<i64: 128, 128>} : (tensor<8x160xf32>, tensor<144x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<8x144xf32>
    %1 = tern.block_scaled_matmul %xq scaled %xs, %q2, %s2 {block_size = array<i64: 128, 128>} : (tensor<8x256xf8E4M3FN>, tensor<8x2xf32>, tensor<64x256xf8E4M3FN>, tensor<1x2xf32>) -> tensor<8x64xf32>
    %2 = tern.block_scaled_matmul %xd, %q2, %s2 {block_size = array<i64: 128, 128>} : (tensor<?x256xf32>, tensor<64x256xf8E4M3FN>, tensor<1x2xf32>) -> tensor<?x64xf32>
    %wt = tern.dequantize %q2, %st : (tensor<64x256xf8E4M3FN>, tensor<f32>) -> tensor<64x256xf32>
    %3 = tern.gemm %x8, %wt {trans_b = true} : (tensor<8x256xf32>, tensor<64x256xf32>) -> tensor<8x64xf32>
    %w = tern.dequantize %q2, %s2 {block_size = array<i64: 128, 128>} : (tensor<64x256xf8E4M3FN>, tensor<1x2xf32>) -> tensor<64x256xf32>
    %4 = tern.gemm %xt, %w {trans_a = true, trans_b = true} : (tensor<256x8xf32>, tensor<64x256xf32>) -> tensor<8x64xf32>
    return %0, %1, %2, %3, %4 : tensor<8x144xf32>, tensor<8x64xf32>, tensor<?x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>
  }
}
