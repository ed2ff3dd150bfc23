// RUN: tern-opt %s -split-input-file -tern-infer-shapes | FileCheck %s

// tern-infer-shapes replaces result types by the inferred ones where those
// are at least as static, in program order so that users see refined
// operands, then makes the function's result types what it returns.

// CHECK-LABEL: func.func @broadcast
// CHECK-SAME: (%[[A:.*]]: tensor<4x1xf32>, %[[B:.*]]: tensor<8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: %[[R:.*]] = tern.add %[[A]], %[[B]] : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: return %[[R]] : tensor<4x8xf32>
func.func @broadcast(%a: tensor<4x1xf32>, %b: tensor<8xf32>) -> tensor<?x?xf32> {
  %0 = tern.add %a, %b : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// A refined result refines its users in turn: 2x3x4 reshapes to 6x4, exp
// keeps it, 6x4 times 4x8 is 6x8, transposed 8x6.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[W:.*]]: tensor<4x8xf32>) -> tensor<8x6xf32>
// CHECK-NEXT: %[[R:.*]] = tern.reshape %[[X]] : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
// CHECK-NEXT: %[[E:.*]] = tern.exp %[[R]] : tensor<6x4xf32>
// CHECK-NEXT: %[[M:.*]] = tern.matmul %[[E]], %[[W]] : (tensor<6x4xf32>, tensor<4x8xf32>) -> tensor<6x8xf32>
// CHECK-NEXT: %[[T:.*]] = tern.transpose %[[M]] {permutation = array<i64: 1, 0>} : tensor<6x8xf32> -> tensor<8x6xf32>
// CHECK-NEXT: return %[[T]] : tensor<8x6xf32>
func.func @chain(%x: tensor<2x3x4xf32>, %w: tensor<4x8xf32>) -> tensor<?x?xf32> {
  %0 = tern.reshape %x : (tensor<2x3x4xf32>) -> tensor<?x4xf32>
  %1 = tern.exp %0 : tensor<?x4xf32>
  %2 = tern.matmul %1, %w : (tensor<?x4xf32>, tensor<4x8xf32>) -> tensor<?x?xf32>
  %3 = tern.transpose %2 {permutation = array<i64: 1, 0>} : tensor<?x?xf32> -> tensor<?x?xf32>
  return %3 : tensor<?x?xf32>
}

// -----

// Data movement: concat [2, 3] + [?, 5] -> [2, 8]; columns 1, 3, 5 of 8;
// split rows; squeeze, unsqueeze; gather 7 indices along axis 1 of [3, 1].
// CHECK-LABEL: func.func @shape_ops
// CHECK-SAME: -> (tensor<3x7xf32>, tensor<1x3xf32>)
// CHECK: tern.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3xf32>, tensor<?x5xf32>) -> tensor<2x8xf32>
// CHECK: tern.slice %{{.*}} : tensor<2x8xf32> -> tensor<2x3xf32>
// CHECK: %[[S:.*]]:2 = tern.split %{{.*}} {axis = 0 : i64, sizes = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<1x3xf32>, tensor<1x3xf32>
// CHECK: tern.squeeze %[[S]]#0 {axes = array<i64: 0>} : tensor<1x3xf32> -> tensor<3xf32>
// CHECK: tern.unsqueeze %{{.*}} {axes = array<i64: 1>} : tensor<3xf32> -> tensor<3x1xf32>
// CHECK: %[[G:.*]] = tern.gather %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<3x1xf32>, tensor<7xi64>) -> tensor<3x7xf32>
// CHECK: return %[[G]], %[[S]]#1 : tensor<3x7xf32>, tensor<1x3xf32>
func.func @shape_ops(%x: tensor<2x3xf32>, %y: tensor<?x5xf32>, %i: tensor<7xi64>)
    -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = tern.concat %x, %y {axis = 1 : i64} : (tensor<2x3xf32>, tensor<?x5xf32>) -> tensor<?x?xf32>
  %1 = tern.slice %0 {starts = array<i64: 0, 1>, ends = array<i64: 9223372036854775807, -1>,
                      steps = array<i64: 1, 2>} : tensor<?x?xf32> -> tensor<?x?xf32>
  %2:2 = tern.split %1 {axis = 0 : i64, sizes = array<i64: 1, 1>} : tensor<?x?xf32> -> tensor<?x?xf32>, tensor<?x?xf32>
  %3 = tern.squeeze %2#0 {axes = array<i64: 0>} : tensor<?x?xf32> -> tensor<?xf32>
  %4 = tern.unsqueeze %3 {axes = array<i64: 1>} : tensor<?xf32> -> tensor<?x1xf32>
  %5 = tern.gather %4, %i {axis = 1 : i64} : (tensor<?x1xf32>, tensor<7xi64>) -> tensor<?x?xf32>
  return %5, %2#1 : tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// Partial refinement: what the operands do not pin stays dynamic.
// CHECK-LABEL: func.func @contractions
// CHECK-SAME: -> (tensor<2x4x?xbf16>, tensor<?x32xf32>)
// CHECK: tern.einsum %{{.*}}, %{{.*}} {equation = "bqd,bkd->bqk"} : (tensor<2x4x8xbf16>, tensor<2x?x8xbf16>) -> tensor<2x4x?xbf16>
// CHECK: tern.gemm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x16xf32>, tensor<16x32xf32>, tensor<32xf32>) -> tensor<?x32xf32>
func.func @contractions(%q: tensor<2x4x8xbf16>, %k: tensor<2x?x8xbf16>, %a: tensor<?x16xf32>,
    %b: tensor<16x32xf32>, %c: tensor<32xf32>) -> (tensor<?x?x?xbf16>, tensor<?x?xf32>) {
  %0 = tern.einsum %q, %k {equation = "bqd,bkd->bqk"} : (tensor<2x4x8xbf16>, tensor<2x?x8xbf16>) -> tensor<?x?x?xbf16>
  %1 = tern.gemm %a, %b, %c : (tensor<?x16xf32>, tensor<16x32xf32>, tensor<32xf32>) -> tensor<?x?xf32>
  return %0, %1 : tensor<?x?x?xbf16>, tensor<?x?xf32>
}

// -----

// Both topk results refine; the reduction follows.
// CHECK-LABEL: func.func @topk_reduce
// CHECK-SAME: -> (tensor<7xf32>, tensor<7x8xi64>)
// CHECK: %[[V:.*]], %[[I:.*]] = tern.topk %{{.*}} {k = 8 : i64} : tensor<7x256xf32> -> tensor<7x8xf32>, tensor<7x8xi64>
// CHECK: %[[R:.*]] = tern.reduce_sum %[[V]] {axes = array<i64: 1>, keepdims = false} : tensor<7x8xf32> -> tensor<7xf32>
// CHECK: return %[[R]], %[[I]] : tensor<7xf32>, tensor<7x8xi64>
func.func @topk_reduce(%x: tensor<7x256xf32>) -> (tensor<?xf32>, tensor<?x?xi64>) {
  %v, %i = tern.topk %x {k = 8 : i64} : tensor<7x256xf32> -> tensor<?x?xf32>, tensor<?x?xi64>
  %0 = tern.reduce_sum %v {axes = array<i64: 1>, keepdims = false} : tensor<?x?xf32> -> tensor<?xf32>
  return %0, %i : tensor<?xf32>, tensor<?x?xi64>
}

// -----

// CHECK-LABEL: func.func @quant
// CHECK-SAME: -> (tensor<512x2048xf32>, tensor<7x2048xf8E4M3FN>)
// CHECK: tern.dequantize %{{.*}}, %{{.*}} {block_size = array<i64: 128, 128>} : (tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<512x2048xf32>
// CHECK: tern.quantize %{{.*}}, %{{.*}} {block_size = array<i64: 1, 128>} : (tensor<7x2048xf32>, tensor<7x16xf32>) -> tensor<7x2048xf8E4M3FN>
func.func @quant(%w: tensor<512x2048xf8E4M3FN>, %s: tensor<4x16xf32>, %x: tensor<7x2048xf32>,
    %sx: tensor<7x16xf32>) -> (tensor<?x?xf32>, tensor<?x?xf8E4M3FN>) {
  %0 = tern.dequantize %w, %s {block_size = array<i64: 128, 128>} : (tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<?x?xf32>
  %1 = tern.quantize %x, %sx {block_size = array<i64: 1, 128>} : (tensor<7x2048xf32>, tensor<7x16xf32>) -> tensor<?x?xf8E4M3FN>
  return %0, %1 : tensor<?x?xf32>, tensor<?x?xf8E4M3FN>
}

// -----

// expand against 4x1 pins the first dimension; cast keeps the shape and its
// own element type; shape_of gets its length; eq/where broadcast.
// CHECK-LABEL: func.func @elementwise_and_shape_of
// CHECK-SAME: -> (tensor<2xi64>, tensor<4x8xf32>)
// CHECK: %[[E:.*]] = tern.expand %{{.*}} : (tensor<4x1xf32>) -> tensor<4x8xf32>
// CHECK: %[[C:.*]] = tern.cast %[[E]] : tensor<4x8xf32> to tensor<4x8xbf16>
// CHECK: %[[S:.*]] = tern.shape_of %[[C]] : tensor<4x8xbf16> -> tensor<2xi64>
// CHECK: %[[EQ:.*]] = tern.eq %[[C]], %[[C]] : (tensor<4x8xbf16>, tensor<4x8xbf16>) -> tensor<4x8xi1>
// CHECK: %[[W:.*]] = tern.where %[[EQ]], %[[E]], %{{.*}} : (tensor<4x8xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
// CHECK: return %[[S]], %[[W]] : tensor<2xi64>, tensor<4x8xf32>
func.func @elementwise_and_shape_of(%x: tensor<4x1xf32>, %z: tensor<f32>) -> (tensor<?xi64>, tensor<?x?xf32>) {
  %0 = tern.expand %x : (tensor<4x1xf32>) -> tensor<?x8xf32>
  %1 = tern.cast %0 : tensor<?x8xf32> to tensor<?x?xbf16>
  %2 = tern.shape_of %1 : tensor<?x?xbf16> -> tensor<?xi64>
  %3 = tern.eq %1, %1 : (tensor<?x?xbf16>, tensor<?x?xbf16>) -> tensor<?x?xi1>
  %4 = tern.where %3, %0, %z : (tensor<?x?xi1>, tensor<?x8xf32>, tensor<f32>) -> tensor<?x?xf32>
  return %2, %4 : tensor<?xi64>, tensor<?x?xf32>
}

// -----

// Norms and rotary take the input's type: a refined input refines them.
// CHECK-LABEL: func.func @norms_follow_input
// CHECK-SAME: -> tensor<1x7x64xf32>
// CHECK: %[[X:.*]] = tern.reshape %{{.*}} : (tensor<7x64xf32>) -> tensor<1x7x64xf32>
// CHECK: %[[N:.*]] = tern.rms_norm %[[X]], %{{.*}} : (tensor<1x7x64xf32>, tensor<64xf32>) -> tensor<1x7x64xf32>
// CHECK: %[[R:.*]] = tern.rotary %[[N]], %{{.*}}, %{{.*}} : (tensor<1x7x64xf32>, tensor<7x32xf32>, tensor<7x32xf32>) -> tensor<1x7x64xf32>
// CHECK: return %[[R]] : tensor<1x7x64xf32>
func.func @norms_follow_input(%x: tensor<7x64xf32>, %w: tensor<64xf32>, %c: tensor<7x32xf32>)
    -> tensor<?x7x64xf32> {
  %0 = tern.reshape %x : (tensor<7x64xf32>) -> tensor<?x7x64xf32>
  %1 = tern.rms_norm %0, %w : (tensor<?x7x64xf32>, tensor<64xf32>) -> tensor<?x7x64xf32>
  %2 = tern.rotary %1, %c, %c : (tensor<?x7x64xf32>, tensor<7x32xf32>, tensor<7x32xf32>) -> tensor<?x7x64xf32>
  return %2 : tensor<?x7x64xf32>
}

// -----

// Near-misses: nothing pins these dimensions, so the IR and the signature
// stay as they are.
// CHECK-LABEL: func.func @not_refinable
// CHECK-SAME: (%[[A:.*]]: tensor<?x8xf32>, %[[S:.*]]: tensor<3xi64>, %[[O:.*]]: tensor<1xf32>) -> (tensor<?x8xf32>, tensor<?x?x2xf32>, tensor<?xf32>, tensor<2x?xf32>, tensor<?x8xf32>)
// CHECK-NEXT: %[[ADD:.*]] = tern.add %[[A]], %[[A]] : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
// CHECK-NEXT: %[[R1:.*]] = tern.reshape %[[A]], %[[S]] : (tensor<?x8xf32>, tensor<3xi64>) -> tensor<?x?x2xf32>
// CHECK-NEXT: %[[EX:.*]] = tern.expand %[[O]] : (tensor<1xf32>) -> tensor<?xf32>
// CHECK-NEXT: %[[R2:.*]] = tern.reshape %[[A]] : (tensor<?x8xf32>) -> tensor<2x?xf32>
// CHECK-NEXT: return %[[ADD]], %[[R1]], %[[EX]], %[[R2]], %[[A]] : tensor<?x8xf32>, tensor<?x?x2xf32>, tensor<?xf32>, tensor<2x?xf32>, tensor<?x8xf32>
func.func @not_refinable(%a: tensor<?x8xf32>, %s: tensor<3xi64>, %one: tensor<1xf32>)
    -> (tensor<?x8xf32>, tensor<?x?x2xf32>, tensor<?xf32>, tensor<2x?xf32>, tensor<?x8xf32>) {
  %0 = tern.add %a, %a : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
  %1 = tern.reshape %a, %s : (tensor<?x8xf32>, tensor<3xi64>) -> tensor<?x?x2xf32>
  %2 = tern.expand %one : (tensor<1xf32>) -> tensor<?xf32>
  %3 = tern.reshape %a : (tensor<?x8xf32>) -> tensor<2x?xf32>
  return %0, %1, %2, %3, %a : tensor<?x8xf32>, tensor<?x?x2xf32>, tensor<?xf32>, tensor<2x?xf32>, tensor<?x8xf32>
}

// -----

// Near-miss: a declared result more static than the inferred one is kept,
// never loosened to the inferred type.
// CHECK-LABEL: func.func @keeps_more_static
// CHECK-SAME: -> tensor<4x8xf32>
// CHECK-NEXT: tern.add %{{.*}}, %{{.*}} : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<4x8xf32>
func.func @keeps_more_static(%a: tensor<?x8xf32>) -> tensor<4x8xf32> {
  %0 = tern.add %a, %a : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Near-miss: a declaration has no body to refine.
// CHECK-LABEL: func.func private @declaration(tensor<?xf32>) -> tensor<?xf32>
func.func private @declaration(tensor<?xf32>) -> tensor<?xf32>

// -----

// A declared static dimension and an inferred one combine.
// CHECK-LABEL: func.func @partial_join
// CHECK-SAME: -> tensor<4x8xf32>
// CHECK: tern.add %{{.*}}, %{{.*}} : (tensor<4x?xf32>, tensor<4x?xf32>) -> tensor<4x8xf32>
func.func @partial_join(%a: tensor<4x?xf32>, %b: tensor<4x?xf32>) -> tensor<?x8xf32> {
  %0 = tern.add %a, %b : (tensor<4x?xf32>, tensor<4x?xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}
