// RUN: tern-opt %s -split-input-file -convert-tern-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @transpose
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xf32>) outs(%[[E]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = tern.transpose %x {permutation = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// A reshape goes through a 1-D view.
// CHECK-LABEL: func.func @reshape
// CHECK: %[[F:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: tensor.expand_shape %[[F]] {{\[\[}}0, 1]] output_shape [6, 4] : tensor<24xf32> into tensor<6x4xf32>
func.func @reshape(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %0 = tern.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  return %0 : tensor<6x4xf32>
}

// -----

// CHECK-LABEL: func.func @squeeze_to_scalar
// CHECK: tensor.collapse_shape %{{.*}} [] : tensor<1x1xf32> into tensor<f32>
func.func @squeeze_to_scalar(%x: tensor<1x1xf32>) -> tensor<f32> {
  %0 = tern.squeeze %x {axes = array<i64: 0, 1>} : tensor<1x1xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @unsqueeze
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2]] output_shape [1, 4, 1] : tensor<4xf32> into tensor<1x4x1xf32>
func.func @unsqueeze(%x: tensor<4xf32>) -> tensor<1x4x1xf32> {
  %0 = tern.unsqueeze %x {axes = array<i64: 0, 2>} : tensor<4xf32> -> tensor<1x4x1xf32>
  return %0 : tensor<1x4x1xf32>
}

// -----

// Near-miss: a reshape with a dynamic result stays.
// CHECK-LABEL: func.func @dynamic_reshape
// CHECK: tern.reshape
func.func @dynamic_reshape(%x: tensor<?x4xf32>) -> tensor<?xf32> {
  %0 = tern.reshape %x : (tensor<?x4xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Columns 1, 3, 5 of every row; a negative start counts from the end.
// CHECK-LABEL: func.func @slice
// CHECK: tensor.extract_slice %{{.*}}[0, 1] [4, 3] [1, 2] : tensor<4x8xf32> to tensor<4x3xf32>
// CHECK: tensor.extract_slice %{{.*}}[2] [2] [1] : tensor<4xf32> to tensor<2xf32>
func.func @slice(%x: tensor<4x8xf32>, %y: tensor<4xf32>) -> (tensor<4x3xf32>, tensor<2xf32>) {
  %0 = tern.slice %x {starts = array<i64: 0, 1>, ends = array<i64: 9223372036854775807, 7>, steps = array<i64: 1, 2>} : tensor<4x8xf32> -> tensor<4x3xf32>
  %1 = tern.slice %y {starts = array<i64: -2>, ends = array<i64: 9223372036854775807>, steps = array<i64: 1>} : tensor<4xf32> -> tensor<2xf32>
  return %0, %1 : tensor<4x3xf32>, tensor<2xf32>
}

// -----

// Negative steps: a copy reading x at start + step * i (the start clamped:
// 9223372036854775807 is the last column).
// CHECK-DAG: #[[$READ:.*]] = affine_map<(d0, d1) -> (-d0 + 3, d1 * -2 + 7)>
// CHECK-LABEL: func.func @slice_backwards
// CHECK: linalg.generic {indexing_maps = [#[[$READ]], #{{.*}}], iterator_types = ["parallel", "parallel"]} ins(%{{.*}} : tensor<4x8xf32>) outs(%{{.*}} : tensor<4x4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
func.func @slice_backwards(%x: tensor<4x8xf32>) -> tensor<4x4xf32> {
  %0 = tern.slice %x {starts = array<i64: -1, 9223372036854775807>, ends = array<i64: -9223372036854775807, -9223372036854775807>, steps = array<i64: -1, -2>} : tensor<4x8xf32> -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// CHECK-LABEL: func.func @split
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [2, 3] [1, 1] : tensor<2x8xf32> to tensor<2x3xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 3] [2, 5] [1, 1] : tensor<2x8xf32> to tensor<2x5xf32>
func.func @split(%x: tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x5xf32>) {
  %a, %b = tern.split %x {axis = -1 : i64, sizes = array<i64: 3, 5>} : tensor<2x8xf32> -> tensor<2x3xf32>, tensor<2x5xf32>
  return %a, %b : tensor<2x3xf32>, tensor<2x5xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK: tensor.concat dim(1) %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> tensor<2x8xf32> {
  %0 = tern.concat %a, %b {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}


// -----

// expand: a generic reading the input through its broadcasting map (the unit
// dimension reads index 0, the new leading dimension is dropped).
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @expand
// CHECK-SAME: (%[[X:.*]]: tensor<4x1xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[$IN]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[X]] : tensor<4x1xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
func.func @expand(%x: tensor<4x1xf32>) -> tensor<2x4x8xf32> {
  %0 = tern.expand %x : (tensor<4x1xf32>) -> tensor<2x4x8xf32>
  return %0 : tensor<2x4x8xf32>
}

// -----

// Empty pieces: tensor.extract_slice rejects an offset at the end of a
// dimension even for an empty slice, so an empty split piece is a
// tensor.empty and concat drops empty inputs (one left: no concat at all).
// CHECK-LABEL: func.func @empty_pieces
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x0xf32>
// CHECK-NOT: tensor.concat
// CHECK: return %[[X]], %[[E]]
func.func @empty_pieces(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x0xf32>) {
  %a, %b = tern.split %x {axis = 1 : i64, sizes = array<i64: 8, 0>} : tensor<2x8xf32> -> tensor<2x8xf32>, tensor<2x0xf32>
  %c = tern.concat %a, %b {axis = 1 : i64} : (tensor<2x8xf32>, tensor<2x0xf32>) -> tensor<2x8xf32>
  return %c, %b : tensor<2x8xf32>, tensor<2x0xf32>
}
