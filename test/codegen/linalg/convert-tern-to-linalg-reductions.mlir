// RUN: tern-opt %s -split-input-file -convert-tern-to-linalg | FileCheck %s

// reduce_sum with keepdims: a reduction over d1 into a zero fill, then a
// reshape that restores the unit dimension.
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @reduce_sum_keepdims
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<4xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$OUT]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<4x8xf32>) outs(%[[INIT]] : tensor<4xf32>)
// CHECK: arith.addf
// CHECK: %[[R:.*]] = tensor.expand_shape %[[SUM]] {{\[\[}}0, 1]] output_shape [4, 1] : tensor<4xf32> into tensor<4x1xf32>
// CHECK: return %[[R]]
func.func @reduce_sum_keepdims(%x: tensor<4x8xf32>) -> tensor<4x1xf32> {
  %0 = tern.reduce_sum %x {axes = array<i64: 1>, keepdims = true} : tensor<4x8xf32> -> tensor<4x1xf32>
  return %0 : tensor<4x1xf32>
}

// -----

// The mean divides the sum by the reduced count, 4 * 8 = 32.
// CHECK-LABEL: func.func @reduce_mean_all
// CHECK: %[[N:.*]] = arith.constant 3.200000e+01 : f32
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "reduction"]
// CHECK: arith.divf %{{.*}}, %[[N]] : f32
func.func @reduce_mean_all(%x: tensor<4x8xf32>) -> tensor<f32> {
  %0 = tern.reduce_mean %x {axes = array<i64>, keepdims = false} : tensor<4x8xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// The max starts from -inf.
// CHECK-LABEL: func.func @reduce_max
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: arith.maximumf
func.func @reduce_max(%x: tensor<4x8xf32>) -> tensor<8xf32> {
  %0 = tern.reduce_max %x {axes = array<i64: 0>, keepdims = false} : tensor<4x8xf32> -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Booleans order false < true: the max is an or from false, the min an and
// from true (a signed max of i1 would take true, -1, as the smaller).
// CHECK-LABEL: func.func @reduce_bool
// CHECK-DAG: %[[TRUE:.*]] = arith.constant true
// CHECK-DAG: %[[FALSE:.*]] = arith.constant false
// CHECK: linalg.fill ins(%[[FALSE]] : i1)
// CHECK: arith.ori
// CHECK: linalg.fill ins(%[[TRUE]] : i1)
// CHECK: arith.andi
func.func @reduce_bool(%x: tensor<4x8xi1>) -> (tensor<8xi1>, tensor<8xi1>) {
  %0 = tern.reduce_max %x {axes = array<i64: 0>, keepdims = false} : tensor<4x8xi1> -> tensor<8xi1>
  %1 = tern.reduce_min %x {axes = array<i64: 0>, keepdims = false} : tensor<4x8xi1> -> tensor<8xi1>
  return %0, %1 : tensor<8xi1>, tensor<8xi1>
}

// -----

// softmax = exp(x - max) / sum(exp(x - max)) along the last axis.
// CHECK-LABEL: func.func @softmax
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: %[[EXP:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[MAX]] : tensor<2x6xf32>, tensor<2xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]{{.*}} ins(%[[EXP]] : tensor<2x6xf32>)
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} ins(%[[EXP]], %[[SUM]] : tensor<2x6xf32>, tensor<2xf32>)
// CHECK: arith.divf
func.func @softmax(%x: tensor<2x6xf32>) -> tensor<2x6xf32> {
  %0 = tern.softmax %x {axis = -1 : i64} : tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

// rms_norm = x * rsqrt(sum(x^2) / 8 + eps) * w
// CHECK-LABEL: func.func @rms_norm
// CHECK-DAG: %[[N:.*]] = arith.constant 8.000000e+00 : f32
// CHECK-DAG: %[[EPS:.*]] = arith.constant 9.99999997E-7 : f32
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[SUM]], %{{.*}} : tensor<2x8xf32>, tensor<2xf32>, tensor<8xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[S:.*]]: f32, %[[W:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[MEAN:.*]] = arith.divf %[[S]], %[[N]] : f32
// CHECK-NEXT: %[[V:.*]] = arith.addf %[[MEAN]], %[[EPS]] : f32
// CHECK-NEXT: %[[INV:.*]] = math.rsqrt %[[V]] : f32
// CHECK-NEXT: %[[XN:.*]] = arith.mulf %[[X]], %[[INV]] : f32
// CHECK-NEXT: %[[Y:.*]] = arith.mulf %[[XN]], %[[W]] : f32
// CHECK-NEXT: linalg.yield %[[Y]] : f32
func.func @rms_norm(%x: tensor<2x8xf32>, %w: tensor<8xf32>) -> tensor<2x8xf32> {
  %0 = tern.rms_norm %x, %w {epsilon = 1.0e-06 : f32} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// Near-miss: an integer mean stays.
// CHECK-LABEL: func.func @integer_mean
// CHECK: tern.reduce_mean
func.func @integer_mean(%x: tensor<4xi32>) -> tensor<1xi32> {
  %0 = tern.reduce_mean %x {axes = array<i64: 0>} : tensor<4xi32> -> tensor<1xi32>
  return %0 : tensor<1xi32>
}

// -----

// layer_norm over the last two dimensions: sum, centre by the mean, sum of
// squares, then c * rsqrt(var + epsilon) * w + b with w and b broadcast.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[$W:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x8xf32>, %[[W:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK-DAG: %[[N:.*]] = arith.constant 2.400000e+01 : f32
// CHECK-DAG: %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction", "reduction"]} ins(%[[X]]
// CHECK: %[[C:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[SUM]]
// CHECK: arith.divf %{{.*}}, %[[N]]
// CHECK: arith.subf
// CHECK: %[[SQ:.*]] = linalg.generic {{.*}} ins(%[[C]]
// CHECK: %[[SQSUM:.*]] = linalg.generic {{.*}} ins(%[[SQ]]
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$W]], #[[$W]], #[[$ID]]], {{.*}} ins(%[[C]], %[[SQSUM]], %[[W]], %[[B]]
// CHECK: %[[VAR:.*]] = arith.divf %{{.*}}, %[[N]]
// CHECK: %[[SHIFTED:.*]] = arith.addf %[[VAR]], %[[EPS]]
// CHECK: math.rsqrt %[[SHIFTED]]
// CHECK: arith.addf
func.func @layer_norm(%x: tensor<2x3x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x3x8xf32> {
  %0 = tern.layer_norm %x, %w, %b {axis = 1 : i64} : (tensor<2x3x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

// -----

// Norms and softmax on bf16 compute in f32 (as ONNX's stash_type = 1 and
// PyTorch's softmax(dtype=float32) do): the input and scale are widened, the
// sum of squares and the rsqrt are f32, and only the result is rounded.
// CHECK-LABEL: func.func @rms_norm_bf16
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.addf %{{.*}}, %{{.*}} : f32
// CHECK: math.rsqrt %{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK-NOT: tern.
func.func @rms_norm_bf16(%x: tensor<4x16xbf16>, %w: tensor<16xbf16>) -> tensor<4x16xbf16> {
  %0 = tern.rms_norm %x, %w : (tensor<4x16xbf16>, tensor<16xbf16>) -> tensor<4x16xbf16>
  return %0 : tensor<4x16xbf16>
}

// -----

// CHECK-LABEL: func.func @softmax_f16
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : f32
// CHECK: math.exp %{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @softmax_f16(%x: tensor<2x8xf16>) -> tensor<2x8xf16> {
  %0 = tern.softmax %x : tensor<2x8xf16>
  return %0 : tensor<2x8xf16>
}
