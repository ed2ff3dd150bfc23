// RUN: tern-opt %s -split-input-file -tern-fuse-fp8-casts | FileCheck %s
// RUN: tern-opt %s -split-input-file -tern-fuse-fp8-casts -mlir-print-debuginfo \
// RUN:   -mlir-print-local-scope | FileCheck %s --check-prefix=LOC

// tern-fuse-fp8-casts: a gemm by the transpose of a block-dequantized weight
// becomes tern.block_scaled_matmul; near-misses stay as they are. The
// importer's real form is checked on the FP8 checkpoint in
// test/frontend/hf/import.test.

// DeepSeek-V3's FP8 linear layer: E4M3 in 128x128 blocks, partial blocks at
// the edges. The dequantized weight goes with its only use; the fused op
// keeps the gemm's location.
// CHECK-LABEL: func.func @fp8_linear
// CHECK-SAME: (%[[X:.*]]: tensor<8x160xf32>, %[[Q:.*]]: tensor<144x160xf8E4M3FN>, %[[S:.*]]: tensor<2x2xf32>)
// CHECK-NEXT: %[[Y:.*]] = tern.block_scaled_matmul %[[X]], %[[Q]], %[[S]] {block_size = array<i64: 128, 128>} : (tensor<8x160xf32>, tensor<144x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<8x144xf32>
// CHECK-NEXT: return %[[Y]]
// LOC-LABEL: func.func @fp8_linear
// LOC: tern.block_scaled_matmul {{.*}} loc("model.layers.0.mlp.down_proj")
func.func @fp8_linear(%x: tensor<8x160xf32>, %q: tensor<144x160xf8E4M3FN>, %s: tensor<2x2xf32>) -> tensor<8x144xf32> {
  %w = tern.dequantize %q, %s {block_size = array<i64: 128, 128>} : (tensor<144x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<144x160xf32> loc("model.layers.0.mlp.down_proj.weight")
  %y = tern.gemm %x, %w {trans_b = true} : (tensor<8x160xf32>, tensor<144x160xf32>) -> tensor<8x144xf32> loc("model.layers.0.mlp.down_proj")
  return %y : tensor<8x144xf32>
}

// -----

// Two products of one weight (a prompt and a decode entry share it) both
// fuse; a dequantized weight something else reads stays for that reader.
// CHECK-LABEL: func.func @shared_weight
// CHECK: %[[W:.*]] = tern.dequantize
// CHECK-NEXT: tern.block_scaled_matmul %arg0, %arg2, %arg3
// CHECK-NEXT: tern.block_scaled_matmul %arg1, %arg2, %arg3
// CHECK-NOT: tern.gemm
// CHECK: return %{{.*}}, %{{.*}}, %[[W]]
func.func @shared_weight(%x: tensor<8x256xbf16>, %y: tensor<1x256xbf16>, %q: tensor<64x256xi8>, %s: tensor<1x2xbf16>) -> (tensor<8x64xbf16>, tensor<1x64xbf16>, tensor<64x256xbf16>) {
  %w = tern.dequantize %q, %s {block_size = array<i64: 64, 128>} : (tensor<64x256xi8>, tensor<1x2xbf16>) -> tensor<64x256xbf16>
  %a = tern.gemm %x, %w {trans_b = true} : (tensor<8x256xbf16>, tensor<64x256xbf16>) -> tensor<8x64xbf16>
  %b = tern.gemm %y, %w {trans_b = true} : (tensor<1x256xbf16>, tensor<64x256xbf16>) -> tensor<1x64xbf16>
  return %a, %b, %w : tensor<8x64xbf16>, tensor<1x64xbf16>, tensor<64x256xbf16>
}

// -----

// Near-misses, left alone: a per-tensor and a per-axis scale (no blocks), a
// weight stored [K, N] (not transposed), a transposed x, a bias c, and an
// alpha other than 1.
// CHECK-LABEL: func.func @near_misses
// CHECK-NOT: tern.block_scaled_matmul
// CHECK-COUNT-6: tern.gemm
// CHECK-NOT: tern.block_scaled_matmul
func.func @near_misses(%x: tensor<8x256xf32>, %xt: tensor<256x8xf32>, %c: tensor<64xf32>,
    %q: tensor<64x256xf8E4M3FN>, %s: tensor<1x2xf32>, %qk: tensor<256x64xf8E4M3FN>, %sk: tensor<2x1xf32>,
    %st: tensor<f32>, %sa: tensor<64xf32>) -> (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) {
  %wt = tern.dequantize %q, %st : (tensor<64x256xf8E4M3FN>, tensor<f32>) -> tensor<64x256xf32>
  %0 = tern.gemm %x, %wt {trans_b = true} : (tensor<8x256xf32>, tensor<64x256xf32>) -> tensor<8x64xf32>
  %wa = tern.dequantize %q, %sa {axis = 0 : i64} : (tensor<64x256xf8E4M3FN>, tensor<64xf32>) -> tensor<64x256xf32>
  %1 = tern.gemm %x, %wa {trans_b = true} : (tensor<8x256xf32>, tensor<64x256xf32>) -> tensor<8x64xf32>
  %wk = tern.dequantize %qk, %sk {block_size = array<i64: 128, 128>} : (tensor<256x64xf8E4M3FN>, tensor<2x1xf32>) -> tensor<256x64xf32>
  %2 = tern.gemm %x, %wk : (tensor<8x256xf32>, tensor<256x64xf32>) -> tensor<8x64xf32>
  %w = tern.dequantize %q, %s {block_size = array<i64: 128, 128>} : (tensor<64x256xf8E4M3FN>, tensor<1x2xf32>) -> tensor<64x256xf32>
  %3 = tern.gemm %xt, %w {trans_a = true, trans_b = true} : (tensor<256x8xf32>, tensor<64x256xf32>) -> tensor<8x64xf32>
  %4 = tern.gemm %x, %w, %c {trans_b = true} : (tensor<8x256xf32>, tensor<64x256xf32>, tensor<64xf32>) -> tensor<8x64xf32>
  %5 = tern.gemm %x, %w {alpha = 0.5 : f32, trans_b = true} : (tensor<8x256xf32>, tensor<64x256xf32>) -> tensor<8x64xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>
}
