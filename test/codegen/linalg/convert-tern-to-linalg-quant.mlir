// RUN: tern-opt %s -split-input-file -convert-tern-to-linalg | FileCheck %s

// Blocked FP8 quantization (DeepSeek's activations: 1x128 blocks): the scale
// is read through a floordiv map, the division is in f32 and the rounding to
// E4M3FN is integer arithmetic on the bits, saturating at 448 (code 126).
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$BLOCK:.*]] = affine_map<(d0, d1) -> (d0, d1 floordiv 128)>
// CHECK-LABEL: func.func @quantize_blocked_fp8
// CHECK-DAG: %[[MAX:.*]] = arith.constant 126 : i32
// CHECK-DAG: %[[NAN:.*]] = arith.constant 127 : i32
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$BLOCK]], #[[$ID]]]
// CHECK: ^bb0(%[[X:.*]]: f32, %[[S:.*]]: f32, %{{.*}}: f8E4M3FN):
// CHECK: %[[Q:.*]] = arith.divf %[[X]], %[[S]] : f32
// CHECK: %[[BITS:.*]] = arith.bitcast %[[Q]] : f32 to i32
// CHECK: math.roundeven
// CHECK: %[[OVER:.*]] = arith.cmpi sgt, %{{.*}}, %[[MAX]] : i32
// CHECK: arith.select %[[OVER]], %[[MAX]], %{{.*}} : i32
// CHECK: %[[ISNAN:.*]] = arith.cmpf uno, %[[Q]], %[[Q]] : f32
// CHECK: arith.select %[[ISNAN]], %[[NAN]], %{{.*}} : i32
// CHECK: %[[BYTE:.*]] = arith.trunci %{{.*}} : i32 to i8
// CHECK: %[[F8:.*]] = arith.bitcast %[[BYTE]] : i8 to f8E4M3FN
// CHECK: linalg.yield %[[F8]]
func.func @quantize_blocked_fp8(%x: tensor<7x256xf32>, %s: tensor<7x2xf32>) -> tensor<7x256xf8E4M3FN> {
  %0 = tern.quantize %x, %s {block_size = array<i64: 1, 128>} : (tensor<7x256xf32>, tensor<7x2xf32>) -> tensor<7x256xf8E4M3FN>
  return %0 : tensor<7x256xf8E4M3FN>
}

// -----

// Per-axis int8 from bf16: widened to f32, rounded to even, clamped with
// maxnumf/minnumf (NaN becomes -128) and converted.
// CHECK-DAG: #[[$AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @quantize_axis_int8
// CHECK-DAG: %[[LO:.*]] = arith.constant -1.280000e+02 : f32
// CHECK-DAG: %[[HI:.*]] = arith.constant 1.270000e+02 : f32
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$AXIS]], #{{.*}}]
// CHECK: ^bb0(%[[X:.*]]: bf16, %[[S:.*]]: bf16, %{{.*}}: i8):
// CHECK: %[[XF:.*]] = arith.extf %[[X]] : bf16 to f32
// CHECK: %[[SF:.*]] = arith.extf %[[S]] : bf16 to f32
// CHECK: %[[Q:.*]] = arith.divf %[[XF]], %[[SF]] : f32
// CHECK: %[[R:.*]] = math.roundeven %[[Q]] : f32
// CHECK: %[[A:.*]] = arith.maxnumf %[[R]], %[[LO]] : f32
// CHECK: %[[B:.*]] = arith.minnumf %[[A]], %[[HI]] : f32
// CHECK: arith.fptosi %[[B]] : f32 to i8
func.func @quantize_axis_int8(%x: tensor<4x8xbf16>, %s: tensor<8xbf16>) -> tensor<4x8xi8> {
  %0 = tern.quantize %x, %s {axis = 1 : i64} : (tensor<4x8xbf16>, tensor<8xbf16>) -> tensor<4x8xi8>
  return %0 : tensor<4x8xi8>
}

// -----

// Per-tensor dequantization of E5M2 to bf16: the scale's map has no results;
// the FP8 value is widened to f32 (arith.extf, which the kernel pipelines
// expand for the target: tern-expand-fp8-conversions), multiplied in f32
// and rounded to bf16.
// CHECK-DAG: #[[$SCALAR:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @dequantize_tensor_e5m2
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$SCALAR]], #{{.*}}]
// CHECK: ^bb0(%[[Q:.*]]: f8E5M2, %[[S:.*]]: bf16, %{{.*}}: bf16):
// CHECK: %[[WIDE:.*]] = arith.extf %[[Q]] : f8E5M2 to f32
// CHECK: %[[SF:.*]] = arith.extf %[[S]] : bf16 to f32
// CHECK: %[[P:.*]] = arith.mulf %[[WIDE]], %[[SF]] : f32
// CHECK: %[[Y:.*]] = arith.truncf %[[P]] : f32 to bf16
// CHECK: linalg.yield %[[Y]]
func.func @dequantize_tensor_e5m2(%q: tensor<16xf8E5M2>, %s: tensor<bf16>) -> tensor<16xbf16> {
  %0 = tern.dequantize %q, %s : (tensor<16xf8E5M2>, tensor<bf16>) -> tensor<16xbf16>
  return %0 : tensor<16xbf16>
}

// -----

// Casts to FP8 go through f32; without saturation an E5M2 overflow becomes
// infinity (code 124), not the largest finite value (123).
// CHECK-LABEL: func.func @cast_f16_to_e5m2_nonsaturating
// CHECK-DAG: %[[INF:.*]] = arith.constant 124 : i32
// CHECK-DAG: %[[MAX:.*]] = arith.constant 123 : i32
// CHECK: ^bb0(%[[X:.*]]: f16, %{{.*}}: f8E5M2):
// CHECK: %[[XF:.*]] = arith.extf %[[X]] : f16 to f32
// CHECK: %[[OVER:.*]] = arith.cmpi sgt, %{{.*}}, %[[MAX]] : i32
// CHECK: arith.select %[[OVER]], %[[INF]], %{{.*}} : i32
// CHECK: arith.bitcast %{{.*}} : i8 to f8E5M2
func.func @cast_f16_to_e5m2_nonsaturating(%x: tensor<4xf16>) -> tensor<4xf8E5M2> {
  %0 = tern.cast %x {saturate = false} : tensor<4xf16> to tensor<4xf8E5M2>
  return %0 : tensor<4xf8E5M2>
}

// -----

// E4M3FN to int32: widened to f32 (arith.extf, expanded for the target by
// tern-expand-fp8-conversions), then truncated toward zero.
// CHECK-LABEL: func.func @cast_e4m3fn_to_i32
// CHECK: %[[F:.*]] = arith.extf %{{.*}} : f8E4M3FN to f32
// CHECK: arith.fptosi %[[F]] : f32 to i32
func.func @cast_e4m3fn_to_i32(%x: tensor<4xf8E4M3FN>) -> tensor<4xi32> {
  %0 = tern.cast %x : tensor<4xf8E4M3FN> to tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// f16 and bf16 have the same width: through f32, widening then rounding.
// CHECK-LABEL: func.func @cast_f16_to_bf16
// CHECK: %[[W:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK: arith.truncf %[[W]] : f32 to bf16
func.func @cast_f16_to_bf16(%x: tensor<4xf16>) -> tensor<4xbf16> {
  %0 = tern.cast %x : tensor<4xf16> to tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

// -----

// A block-scaled product with a constant FP8 weight: the weight is read
// [K, N], stored transposed in FP8 by #tern.concat_elements (the plan writer
// transposes it), its scales as stored, [N / 128, K / 128]; each element is
// dequantized where the product reads it, as the dense form's dequantize
// computes it, and added in K order.
// CHECK-DAG: #[[$X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$KN:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[$SCALE:.*]] = affine_map<(d0, d1, d2) -> (d1 floordiv 128, d2 floordiv 128)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @block_scaled_matmul_constant
// CHECK: %[[Q:.*]] = arith.constant #tern.concat_elements<parts = [dense_resource<q> : tensor<144x160xf8E4M3FN>], transposedGroups = 1> : tensor<160x144xf8E4M3FN>
// CHECK: linalg.generic {indexing_maps = [#[[$X]], #[[$KN]], #[[$SCALE]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %[[Q]], %arg1 : tensor<8x160xf32>, tensor<160x144xf8E4M3FN>, tensor<2x2xf32>)
// CHECK: ^bb0(%[[A:.*]]: f32, %[[QE:.*]]: f8E4M3FN, %[[S:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[W:.*]] = arith.mulf %{{.*}}, %[[S]] : f32
// CHECK: %[[T:.*]] = arith.mulf %[[A]], %[[W]] : f32
// CHECK: %[[SUM:.*]] = arith.addf %[[ACC]], %[[T]] : f32
// CHECK: linalg.yield %[[SUM]]
// CHECK-NOT: tern.
func.func @block_scaled_matmul_constant(%x: tensor<8x160xf32>, %s: tensor<2x2xf32>) -> tensor<8x144xf32> {
  %q = tern.constant dense_resource<q> : tensor<144x160xf8E4M3FN>
  %y = tern.block_scaled_matmul %x, %q, %s {block_size = array<i64: 128, 128>} : (tensor<8x160xf32>, tensor<144x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<8x144xf32>
  return %y : tensor<8x144xf32>
}

// -----

// A weight computed at run time is read as it is, [N, K]; with bf16
// activations, each dequantized element is rounded to bf16 (as the dense
// form's dequantize rounds its result) and the products add in f32.
// CHECK-DAG: #[[$NK:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$SCALE:.*]] = affine_map<(d0, d1, d2) -> (d1 floordiv 16, d2 floordiv 32)>
// CHECK-LABEL: func.func @block_scaled_matmul_argument
// CHECK-NOT: concat_elements
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$NK]], #[[$SCALE]], #{{.*}}], {{.*}} ins(%arg0, %arg1, %arg2 : tensor<3x64xbf16>, tensor<32x64xi8>, tensor<2x2xbf16>) outs(%{{.*}} : tensor<3x32xf32>)
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: arith.addf %{{.*}}, %{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @block_scaled_matmul_argument(%x: tensor<3x64xbf16>, %q: tensor<32x64xi8>, %s: tensor<2x2xbf16>) -> tensor<3x32xbf16> {
  %y = tern.block_scaled_matmul %x, %q, %s {block_size = array<i64: 16, 32>} : (tensor<3x64xbf16>, tensor<32x64xi8>, tensor<2x2xbf16>) -> tensor<3x32xbf16>
  return %y : tensor<3x32xbf16>
}

// -----

// A constant [K, N] weight and its scales under the transposes
// tern-fuse-fp8-casts made of an ONNX MatMul's weight are read as stored:
// no transpose and no transposed copy is left.
// CHECK-DAG: #[[$KN:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[$SCALE:.*]] = affine_map<(d0, d1, d2) -> (d2 floordiv 128, d1 floordiv 32)>
// CHECK-LABEL: func.func @block_scaled_matmul_stored_kn
// CHECK-DAG: %[[Q:.*]] = arith.constant dense_resource<qk> : tensor<256x64xf8E4M3FN>
// CHECK-DAG: %[[S:.*]] = arith.constant dense_resource<sk> : tensor<2x2xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$KN]], #[[$SCALE]], #{{.*}}], {{.*}} ins(%arg0, %[[Q]], %[[S]] : tensor<12x256xf32>, tensor<256x64xf8E4M3FN>, tensor<2x2xf32>)
// CHECK-NOT: linalg.transpose
// CHECK-NOT: concat_elements
func.func @block_scaled_matmul_stored_kn(%x: tensor<12x256xf32>) -> tensor<12x64xf32> {
  %q = tern.constant dense_resource<qk> : tensor<256x64xf8E4M3FN>
  %s = tern.constant dense_resource<sk> : tensor<2x2xf32>
  %qt = tern.transpose %q {permutation = array<i64: 1, 0>} : tensor<256x64xf8E4M3FN> -> tensor<64x256xf8E4M3FN>
  %st = tern.transpose %s {permutation = array<i64: 1, 0>} : tensor<2x2xf32> -> tensor<2x2xf32>
  %y = tern.block_scaled_matmul %x, %qt, %st {block_size = array<i64: 32, 128>} : (tensor<12x256xf32>, tensor<64x256xf8E4M3FN>, tensor<2x2xf32>) -> tensor<12x64xf32>
  return %y : tensor<12x64xf32>
}

// -----

// Asymmetric int16 with per-axis scales and zero points: quantize adds the
// zero point after rounding and saturates at int16's range; dequantize
// subtracts it (exact in f32) before scaling. Both read the zero point
// through the scale's map.
// CHECK-DAG: #[[$AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @asymmetric_int16
// CHECK-DAG: %[[HI:.*]] = arith.constant 3.276700e+04 : f32
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$AXIS]], #[[$AXIS]], #{{.*}}]
// CHECK: ^bb0(%[[X:.*]]: f32, %[[S:.*]]: f32, %[[Z:.*]]: i16, %{{.*}}: i16):
// CHECK: %[[ZF:.*]] = arith.sitofp %[[Z]] : i16 to f32
// CHECK: %[[R:.*]] = math.roundeven
// CHECK: arith.addf %[[R]], %[[ZF]] : f32
// CHECK: arith.fptosi
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$AXIS]], #[[$AXIS]], #{{.*}}]
// CHECK: ^bb0(%[[Q:.*]]: i16, %[[S2:.*]]: f32, %[[Z2:.*]]: i16, %{{.*}}: f32):
// CHECK: %[[QF:.*]] = arith.sitofp %[[Q]] : i16 to f32
// CHECK: %[[ZF2:.*]] = arith.sitofp %[[Z2]] : i16 to f32
// CHECK: %[[D:.*]] = arith.subf %[[QF]], %[[ZF2]] : f32
// CHECK: arith.mulf %[[D]], %[[S2]] : f32
func.func @asymmetric_int16(%x: tensor<4x3xf32>, %s: tensor<3xf32>, %z: tensor<3xi16>) -> tensor<4x3xf32> {
  %q = tern.quantize %x, %s zero_point %z {axis = 1 : i64} : (tensor<4x3xf32>, tensor<3xf32>, tensor<3xi16>) -> tensor<4x3xi16>
  %d = tern.dequantize %q, %s zero_point %z {axis = 1 : i64} : (tensor<4x3xi16>, tensor<3xf32>, tensor<3xi16>) -> tensor<4x3xf32>
  return %d : tensor<4x3xf32>
}
