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

// A bias: the gemm adds it to the finished products, and so does the add
// after the fused op.
// CHECK-LABEL: func.func @gemm_bias
// CHECK-NEXT: %[[Y:.*]] = tern.block_scaled_matmul %arg0, %arg1, %arg2 {block_size = array<i64: 128, 128>}
// CHECK-NEXT: %[[SUM:.*]] = tern.add %[[Y]], %arg3 : (tensor<8x64xf32>, tensor<64xf32>) -> tensor<8x64xf32>
// CHECK-NEXT: return %[[SUM]]
func.func @gemm_bias(%x: tensor<8x256xf32>, %q: tensor<64x256xf8E4M3FN>, %s: tensor<1x2xf32>, %c: tensor<64xf32>) -> tensor<8x64xf32> {
  %w = tern.dequantize %q, %s {block_size = array<i64: 128, 128>} : (tensor<64x256xf8E4M3FN>, tensor<1x2xf32>) -> tensor<64x256xf32>
  %y = tern.gemm %x, %w, %c {trans_b = true} : (tensor<8x256xf32>, tensor<64x256xf32>, tensor<64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// -----

// ONNX MatMul by a [K, N] weight in blocks of [bk, bn]: the op takes its
// transpose (and its scales' transpose, in blocks of [bn, bk]); rows of a
// 3-D x go through a reshape to [rows, K] and back.
// CHECK-LABEL: func.func @matmul_weight_kn
// CHECK-SAME: (%[[X:.*]]: tensor<12x256xf32>, %[[X3:.*]]: tensor<2x3x256xf32>, %[[Q:.*]]: tensor<256x64xf8E4M3FN>, %[[S:.*]]: tensor<2x2xf32>)
// CHECK-DAG: %[[QT:.*]] = tern.transpose %[[Q]] {permutation = array<i64: 1, 0>} : tensor<256x64xf8E4M3FN> -> tensor<64x256xf8E4M3FN>
// CHECK-DAG: %[[ST:.*]] = tern.transpose %[[S]] {permutation = array<i64: 1, 0>} : tensor<2x2xf32> -> tensor<2x2xf32>
// CHECK-DAG: %[[Y:.*]] = tern.block_scaled_matmul %[[X]], %[[QT]], %[[ST]] {block_size = array<i64: 32, 128>} : (tensor<12x256xf32>, tensor<64x256xf8E4M3FN>, tensor<2x2xf32>) -> tensor<12x64xf32>
// CHECK-DAG: %[[ROWS:.*]] = tern.reshape %[[X3]] : (tensor<2x3x256xf32>) -> tensor<6x256xf32>
// CHECK-DAG: %[[Y3:.*]] = tern.block_scaled_matmul %[[ROWS]], %{{.*}}, %{{.*}} {block_size = array<i64: 32, 128>} : (tensor<6x256xf32>, tensor<64x256xf8E4M3FN>, tensor<2x2xf32>) -> tensor<6x64xf32>
// CHECK-DAG: %[[Y3D:.*]] = tern.reshape %[[Y3]] : (tensor<6x64xf32>) -> tensor<2x3x64xf32>
// CHECK: return %[[Y]], %[[Y3D]]
func.func @matmul_weight_kn(%x: tensor<12x256xf32>, %x3: tensor<2x3x256xf32>, %q: tensor<256x64xf8E4M3FN>, %s: tensor<2x2xf32>) -> (tensor<12x64xf32>, tensor<2x3x64xf32>) {
  %w = tern.dequantize %q, %s {block_size = array<i64: 128, 32>} : (tensor<256x64xf8E4M3FN>, tensor<2x2xf32>) -> tensor<256x64xf32>
  %y = tern.matmul %x, %w : (tensor<12x256xf32>, tensor<256x64xf32>) -> tensor<12x64xf32>
  %y3 = tern.matmul %x3, %w : (tensor<2x3x256xf32>, tensor<256x64xf32>) -> tensor<2x3x64xf32>
  return %y, %y3 : tensor<12x64xf32>, tensor<2x3x64xf32>
}

// -----

// Near-misses, left alone: a per-tensor and a per-axis scale (no blocks), a
// gemm by a weight that is not transposed, a transposed x, a bias scaled by
// beta, an alpha other than 1; a matmul of a vector, and of a 3-D x with a
// dynamic dimension.
// CHECK-LABEL: func.func @near_misses
// CHECK-NOT: tern.block_scaled_matmul
// CHECK-COUNT-6: tern.gemm
// CHECK-COUNT-2: tern.matmul
// CHECK-NOT: tern.block_scaled_matmul
func.func @near_misses(%x: tensor<8x256xf32>, %xt: tensor<256x8xf32>, %c: tensor<64xf32>,
    %q: tensor<64x256xf8E4M3FN>, %s: tensor<1x2xf32>, %qk: tensor<256x64xf8E4M3FN>, %sk: tensor<2x1xf32>,
    %st: tensor<f32>, %sa: tensor<64xf32>, %v: tensor<256xf32>, %xd: tensor<?x3x256xf32>) -> (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<64xf32>, tensor<?x3x64xf32>) {
  %wt = tern.dequantize %q, %st : (tensor<64x256xf8E4M3FN>, tensor<f32>) -> tensor<64x256xf32>
  %0 = tern.gemm %x, %wt {trans_b = true} : (tensor<8x256xf32>, tensor<64x256xf32>) -> tensor<8x64xf32>
  %wa = tern.dequantize %q, %sa {axis = 0 : i64} : (tensor<64x256xf8E4M3FN>, tensor<64xf32>) -> tensor<64x256xf32>
  %1 = tern.gemm %x, %wa {trans_b = true} : (tensor<8x256xf32>, tensor<64x256xf32>) -> tensor<8x64xf32>
  %wk = tern.dequantize %qk, %sk {block_size = array<i64: 128, 128>} : (tensor<256x64xf8E4M3FN>, tensor<2x1xf32>) -> tensor<256x64xf32>
  %2 = tern.gemm %x, %wk : (tensor<8x256xf32>, tensor<256x64xf32>) -> tensor<8x64xf32>
  %w = tern.dequantize %q, %s {block_size = array<i64: 128, 128>} : (tensor<64x256xf8E4M3FN>, tensor<1x2xf32>) -> tensor<64x256xf32>
  %3 = tern.gemm %xt, %w {trans_a = true, trans_b = true} : (tensor<256x8xf32>, tensor<64x256xf32>) -> tensor<8x64xf32>
  %4 = tern.gemm %x, %w, %c {beta = 2.0 : f32, trans_b = true} : (tensor<8x256xf32>, tensor<64x256xf32>, tensor<64xf32>) -> tensor<8x64xf32>
  %5 = tern.gemm %x, %w {alpha = 0.5 : f32, trans_b = true} : (tensor<8x256xf32>, tensor<64x256xf32>) -> tensor<8x64xf32>
  %6 = tern.matmul %v, %wk : (tensor<256xf32>, tensor<256x64xf32>) -> tensor<64xf32>
  %7 = tern.matmul %xd, %wk : (tensor<?x3x256xf32>, tensor<256x64xf32>) -> tensor<?x3x64xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<64xf32>, tensor<?x3x64xf32>
}

// -----

// An asymmetric int8 weight (a zero point: ONNX's QDQ from onnxruntime's
// quantization tool) is not what tern.block_scaled_matmul computes: the
// product keeps its dequantize.
// CHECK-LABEL: func.func @zero_point_near_miss
// CHECK: tern.dequantize %{{.*}}, %{{.*}} zero_point %{{.*}}
// CHECK: tern.gemm
// CHECK-NOT: tern.block_scaled_matmul
func.func @zero_point_near_miss(%x: tensor<8x256xf32>, %q: tensor<64x256xi8>, %s: tensor<1x2xf32>, %z: tensor<1x2xi8>) -> tensor<8x64xf32> {
  %w = tern.dequantize %q, %s zero_point %z {block_size = array<i64: 128, 128>} : (tensor<64x256xi8>, tensor<1x2xf32>, tensor<1x2xi8>) -> tensor<64x256xf32>
  %0 = tern.gemm %x, %w {trans_b = true} : (tensor<8x256xf32>, tensor<64x256xf32>) -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}

// -----

// Activations that are dequantized in 1 x (the weight's K block) blocks (an
// ONNX export's QuantizeLinear/DequantizeLinear pair, DeepSeek's act_quant)
// join the product as FP8 with their scales: gemm by an [N, K] weight, and
// matmul of [2, 4] rows by a [K, N] one (data and scales reshaped to rows).
// CHECK-LABEL: func.func @fp8_activations
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<8x256xf32>, %[[XQ:[a-z0-9]+]]: tensor<8x256xf8E4M3FN>, %[[XS:[a-z0-9]+]]: tensor<8x2xf32>, %[[Q:[a-z0-9]+]]: tensor<64x256xf8E4M3FN>, %[[S:[a-z0-9]+]]: tensor<1x2xf32>, %[[XQ3:[a-z0-9]+]]: tensor<2x4x256xf8E4M3FN>, %[[XS3:[a-z0-9]+]]: tensor<2x4x2xf32>, %[[QK:[a-z0-9]+]]: tensor<256x64xf8E4M3FN>, %[[SK:[a-z0-9]+]]: tensor<2x1xf32>)
// CHECK: tern.block_scaled_matmul %[[XQ]] scaled %[[XS]], %[[Q]], %[[S]] {block_size = array<i64: 128, 128>} : (tensor<8x256xf8E4M3FN>, tensor<8x2xf32>, tensor<64x256xf8E4M3FN>, tensor<1x2xf32>) -> tensor<8x64xf32>
// CHECK-DAG: %[[ROWS:.*]] = tern.reshape %[[XQ3]] : (tensor<2x4x256xf8E4M3FN>) -> tensor<8x256xf8E4M3FN>
// CHECK-DAG: %[[ROW_SCALES:.*]] = tern.reshape %[[XS3]] : (tensor<2x4x2xf32>) -> tensor<8x2xf32>
// CHECK: %[[P:.*]] = tern.block_scaled_matmul %[[ROWS]] scaled %[[ROW_SCALES]], %{{.*}}, %{{.*}} {block_size = array<i64: 128, 128>} : (tensor<8x256xf8E4M3FN>, tensor<8x2xf32>, tensor<64x256xf8E4M3FN>, tensor<1x2xf32>) -> tensor<8x64xf32>
// CHECK: tern.reshape %[[P]] : (tensor<8x64xf32>) -> tensor<2x4x64xf32>
// CHECK-NOT: tern.dequantize
func.func @fp8_activations(%x: tensor<8x256xf32>, %xq: tensor<8x256xf8E4M3FN>, %xs: tensor<8x2xf32>,
    %q: tensor<64x256xf8E4M3FN>, %s: tensor<1x2xf32>, %xq3: tensor<2x4x256xf8E4M3FN>, %xs3: tensor<2x4x2xf32>,
    %qk: tensor<256x64xf8E4M3FN>, %sk: tensor<2x1xf32>) -> (tensor<8x64xf32>, tensor<2x4x64xf32>) {
  %a = tern.dequantize %xq, %xs {block_size = array<i64: 1, 128>} : (tensor<8x256xf8E4M3FN>, tensor<8x2xf32>) -> tensor<8x256xf32>
  %w = tern.dequantize %q, %s {block_size = array<i64: 128, 128>} : (tensor<64x256xf8E4M3FN>, tensor<1x2xf32>) -> tensor<64x256xf32>
  %0 = tern.gemm %a, %w {trans_b = true} : (tensor<8x256xf32>, tensor<64x256xf32>) -> tensor<8x64xf32>
  %a3 = tern.dequantize %xq3, %xs3 {block_size = array<i64: 1, 1, 128>} : (tensor<2x4x256xf8E4M3FN>, tensor<2x4x2xf32>) -> tensor<2x4x256xf32>
  %wk = tern.dequantize %qk, %sk {block_size = array<i64: 128, 128>} : (tensor<256x64xf8E4M3FN>, tensor<2x1xf32>) -> tensor<256x64xf32>
  %1 = tern.matmul %a3, %wk : (tensor<2x4x256xf32>, tensor<256x64xf32>) -> tensor<2x4x64xf32>
  return %0, %1 : tensor<8x64xf32>, tensor<2x4x64xf32>
}

// -----

// Near-misses: activation blocks of 64 under the weight's 128, scales per
// row, blocks of 2 rows: the product still fuses its weight and reads the
// activations dequantized.
// CHECK-LABEL: func.func @fp8_activation_near_misses
// CHECK-COUNT-3: tern.block_scaled_matmul %{{[0-9]+}}, %arg4, %arg5
// CHECK-NOT: tern.gemm
func.func @fp8_activation_near_misses(%xq: tensor<8x256xf8E4M3FN>, %xs64: tensor<8x4xf32>, %xsr: tensor<8xf32>,
    %xs2: tensor<4x2xf32>, %q: tensor<64x256xf8E4M3FN>, %s: tensor<1x2xf32>) -> (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) {
  %w = tern.dequantize %q, %s {block_size = array<i64: 128, 128>} : (tensor<64x256xf8E4M3FN>, tensor<1x2xf32>) -> tensor<64x256xf32>
  %a64 = tern.dequantize %xq, %xs64 {block_size = array<i64: 1, 64>} : (tensor<8x256xf8E4M3FN>, tensor<8x4xf32>) -> tensor<8x256xf32>
  %0 = tern.gemm %a64, %w {trans_b = true} : (tensor<8x256xf32>, tensor<64x256xf32>) -> tensor<8x64xf32>
  %ar = tern.dequantize %xq, %xsr {axis = 0 : i64} : (tensor<8x256xf8E4M3FN>, tensor<8xf32>) -> tensor<8x256xf32>
  %1 = tern.gemm %ar, %w {trans_b = true} : (tensor<8x256xf32>, tensor<64x256xf32>) -> tensor<8x64xf32>
  %a2 = tern.dequantize %xq, %xs2 {block_size = array<i64: 2, 128>} : (tensor<8x256xf8E4M3FN>, tensor<4x2xf32>) -> tensor<8x256xf32>
  %2 = tern.gemm %a2, %w {trans_b = true} : (tensor<8x256xf32>, tensor<64x256xf32>) -> tensor<8x64xf32>
  return %0, %1, %2 : tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>
}
