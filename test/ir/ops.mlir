// RUN: tern-opt %s -split-input-file | tern-opt -split-input-file | FileCheck %s
// RUN: tern-opt %s -split-input-file --mlir-print-op-generic | tern-opt -split-input-file | FileCheck %s

// Round trip of every tern op through the custom and the generic assembly.
// Default-valued attributes (cast saturate, gemm alpha/beta/trans_*, norm
// epsilon/axis, reduce keepdims, softmax/topk axis, topk largest/sorted,
// rotary interleaved) are elided on printing when they hold their default.

// CHECK-LABEL: func.func @constant_all_element_types
func.func @constant_all_element_types() -> (tensor<2xf32>, tensor<f16>, tensor<2xbf16>,
    tensor<2xf8E4M3FN>, tensor<2xf8E5M2>, tensor<2xi64>, tensor<2xi32>, tensor<2x2xi8>,
    tensor<2xi1>) {
  // CHECK: %[[F32:.*]] = tern.constant dense<[1.000000e+00, -2.500000e+00]> : tensor<2xf32>
  %f32 = tern.constant dense<[1.0, -2.5]> : tensor<2xf32>
  // CHECK: %[[F16:.*]] = tern.constant dense<5.000000e-01> : tensor<f16>
  %f16 = tern.constant dense<0.5> : tensor<f16>
  // CHECK: %[[BF16:.*]] = tern.constant dense<[3.000000e+00, 0.000000e+00]> : tensor<2xbf16>
  %bf16 = tern.constant dense<[3.0, 0.0]> : tensor<2xbf16>
  // CHECK: %[[E4M3:.*]] = tern.constant dense<[4.480000e+02, -1.250000e-01]> : tensor<2xf8E4M3FN>
  %e4m3 = tern.constant dense<[448.0, -0.125]> : tensor<2xf8E4M3FN>
  // CHECK: %[[E5M2:.*]] = tern.constant dense<5.734400e+04> : tensor<2xf8E5M2>
  %e5m2 = tern.constant dense<57344.0> : tensor<2xf8E5M2>
  // CHECK: %[[I64:.*]] = tern.constant dense<[1, -9223372036854775808]> : tensor<2xi64>
  %i64 = tern.constant dense<[1, -9223372036854775808]> : tensor<2xi64>
  // CHECK: %[[I32:.*]] = tern.constant dense<[7, 2147483647]> : tensor<2xi32>
  %i32 = tern.constant dense<[7, 2147483647]> : tensor<2xi32>
  // CHECK: %[[I8:.*]] = tern.constant dense<{{\[}}[-128, 127], [0, 1]]> : tensor<2x2xi8>
  %i8 = tern.constant dense<[[-128, 127], [0, 1]]> : tensor<2x2xi8>
  // CHECK: %[[I1:.*]] = tern.constant dense<[true, false]> : tensor<2xi1>
  %i1 = tern.constant dense<[true, false]> : tensor<2xi1>
  // CHECK: return %[[F32]], %[[F16]], %[[BF16]], %[[E4M3]], %[[E5M2]], %[[I64]], %[[I32]], %[[I8]], %[[I1]]
  return %f32, %f16, %bf16, %e4m3, %e5m2, %i64, %i32, %i8, %i1 : tensor<2xf32>, tensor<f16>,
      tensor<2xbf16>, tensor<2xf8E4M3FN>, tensor<2xf8E5M2>, tensor<2xi64>, tensor<2xi32>,
      tensor<2x2xi8>, tensor<2xi1>
}

// -----

// Weights are resource blobs: the handle and its bytes survive the round trip.
// CHECK-LABEL: func.func @constant_resource
func.func @constant_resource() -> tensor<2xf32> {
  // CHECK: %[[W:.*]] = tern.constant dense_resource<model.w0> : tensor<2xf32>
  %w = tern.constant dense_resource<model.w0> : tensor<2xf32>
  // CHECK: return %[[W]] : tensor<2xf32>
  return %w : tensor<2xf32>
}
// CHECK: {-#
// CHECK-NEXT: dialect_resources: {
// CHECK-NEXT: builtin: {
// CHECK-NEXT: model.w0: "0x040000000000803F00000040"

{-#
  dialect_resources: {
    builtin: {
      model.w0: "0x040000000000803F00000040"
    }
  }
#-}

// -----

// CHECK-LABEL: func.func @unary_arith_float
// CHECK-SAME: (%[[X:.*]]: tensor<4x?xf32>, %[[H:.*]]: tensor<?xf16>, %[[B:.*]]: tensor<2x3xbf16>)
func.func @unary_arith_float(%x: tensor<4x?xf32>, %h: tensor<?xf16>, %b: tensor<2x3xbf16>)
    -> (tensor<4x?xf32>, tensor<?xf16>, tensor<2x3xbf16>) {
  // CHECK: %[[SQRT:.*]] = tern.sqrt %[[X]] : tensor<4x?xf32>
  %0 = tern.sqrt %x : tensor<4x?xf32>
  // CHECK: %[[RSQRT:.*]] = tern.rsqrt %[[SQRT]] : tensor<4x?xf32>
  %1 = tern.rsqrt %0 : tensor<4x?xf32>
  // CHECK: %[[RECIP:.*]] = tern.reciprocal %[[RSQRT]] : tensor<4x?xf32>
  %2 = tern.reciprocal %1 : tensor<4x?xf32>
  // CHECK: %[[EXP:.*]] = tern.exp %[[RECIP]] : tensor<4x?xf32>
  %3 = tern.exp %2 : tensor<4x?xf32>
  // CHECK: %[[LOG:.*]] = tern.log %[[EXP]] : tensor<4x?xf32>
  %4 = tern.log %3 : tensor<4x?xf32>
  // CHECK: %[[SIGMOID:.*]] = tern.sigmoid %[[H]] : tensor<?xf16>
  %5 = tern.sigmoid %h : tensor<?xf16>
  // CHECK: %[[SILU:.*]] = tern.silu %[[SIGMOID]] : tensor<?xf16>
  %6 = tern.silu %5 : tensor<?xf16>
  // CHECK: %[[TANH:.*]] = tern.tanh %[[SILU]] : tensor<?xf16>
  %7 = tern.tanh %6 : tensor<?xf16>
  // CHECK: %[[ERF:.*]] = tern.erf %[[TANH]] : tensor<?xf16>
  %8 = tern.erf %7 : tensor<?xf16>
  // CHECK: %[[COS:.*]] = tern.cos %[[B]] : tensor<2x3xbf16>
  %9 = tern.cos %b : tensor<2x3xbf16>
  // CHECK: %[[SIN:.*]] = tern.sin %[[COS]] : tensor<2x3xbf16>
  %10 = tern.sin %9 : tensor<2x3xbf16>
  // CHECK: %[[RELU:.*]] = tern.relu %[[SIN]] : tensor<2x3xbf16>
  %11 = tern.relu %10 : tensor<2x3xbf16>
  // CHECK: return %[[LOG]], %[[ERF]], %[[RELU]]
  return %4, %8, %11 : tensor<4x?xf32>, tensor<?xf16>, tensor<2x3xbf16>
}

// -----

// neg and abs take every signed type (floats and integers); not takes i1.
// CHECK-LABEL: func.func @unary_signed_and_bool
func.func @unary_signed_and_bool(%f: tensor<?x?xf32>, %h: tensor<3xf16>, %b: tensor<3xbf16>,
    %l: tensor<3xi64>, %i: tensor<?xi32>, %c: tensor<3xi8>, %p: tensor<2x?xi1>) {
  // CHECK: tern.neg %{{.*}} : tensor<?x?xf32>
  %0 = tern.neg %f : tensor<?x?xf32>
  // CHECK: tern.abs %{{.*}} : tensor<3xf16>
  %1 = tern.abs %h : tensor<3xf16>
  // CHECK: tern.neg %{{.*}} : tensor<3xbf16>
  %2 = tern.neg %b : tensor<3xbf16>
  // CHECK: tern.abs %{{.*}} : tensor<3xi64>
  %3 = tern.abs %l : tensor<3xi64>
  // CHECK: tern.neg %{{.*}} : tensor<?xi32>
  %4 = tern.neg %i : tensor<?xi32>
  // CHECK: tern.abs %{{.*}} : tensor<3xi8>
  %5 = tern.abs %c : tensor<3xi8>
  // CHECK: tern.not %{{.*}} : tensor<2x?xi1>
  %6 = tern.not %p : tensor<2x?xi1>
  return
}

// -----

// NumPy broadcasting: [4, 1] x [8] -> [4, 8]; a dynamic dimension against a
// static one other than 1 takes the static size.
// CHECK-LABEL: func.func @binary_arith
// CHECK-SAME: (%[[A:.*]]: tensor<4x1xf32>, %[[B:.*]]: tensor<8xf32>, %[[D:.*]]: tensor<?x8xf32>)
func.func @binary_arith(%a: tensor<4x1xf32>, %b: tensor<8xf32>, %d: tensor<?x8xf32>)
    -> tensor<4x8xf32> {
  // CHECK: %[[ADD:.*]] = tern.add %[[A]], %[[B]] : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %0 = tern.add %a, %b : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[SUB:.*]] = tern.sub %[[ADD]], %[[D]] : (tensor<4x8xf32>, tensor<?x8xf32>) -> tensor<4x8xf32>
  %1 = tern.sub %0, %d : (tensor<4x8xf32>, tensor<?x8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[MUL:.*]] = tern.mul %[[D]], %[[B]] : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %2 = tern.mul %d, %b : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  // CHECK: %[[DIV:.*]] = tern.div %[[SUB]], %[[MUL]] : (tensor<4x8xf32>, tensor<?x8xf32>) -> tensor<4x8xf32>
  %3 = tern.div %1, %2 : (tensor<4x8xf32>, tensor<?x8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[POW:.*]] = tern.pow %[[DIV]], %[[A]] : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %4 = tern.pow %3, %a : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  // CHECK: %[[MAX:.*]] = tern.max %[[POW]], %[[B]] : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %5 = tern.max %4, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[MIN:.*]] = tern.min %[[MAX]], %[[A]] : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %6 = tern.min %5, %a : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  // CHECK: return %[[MIN]] : tensor<4x8xf32>
  return %6 : tensor<4x8xf32>
}

// -----

// The arithmetic binaries over the other numeric element types, with rank-0
// operands and a declared result less static than the inferred one.
// CHECK-LABEL: func.func @binary_numeric_types
func.func @binary_numeric_types(%h: tensor<2x?xf16>, %b: tensor<bf16>, %l: tensor<3xi64>,
    %i: tensor<?xi32>, %c: tensor<1x3xi8>) {
  // CHECK: tern.add %{{.*}}, %{{.*}} : (tensor<2x?xf16>, tensor<2x?xf16>) -> tensor<2x?xf16>
  %0 = tern.add %h, %h : (tensor<2x?xf16>, tensor<2x?xf16>) -> tensor<2x?xf16>
  // CHECK: tern.pow %{{.*}}, %{{.*}} : (tensor<bf16>, tensor<bf16>) -> tensor<bf16>
  %1 = tern.pow %b, %b : (tensor<bf16>, tensor<bf16>) -> tensor<bf16>
  // CHECK: tern.sub %{{.*}}, %{{.*}} : (tensor<3xi64>, tensor<3xi64>) -> tensor<?xi64>
  %2 = tern.sub %l, %l : (tensor<3xi64>, tensor<3xi64>) -> tensor<?xi64>
  // CHECK: tern.div %{{.*}}, %{{.*}} : (tensor<?xi32>, tensor<?xi32>) -> tensor<?xi32>
  %3 = tern.div %i, %i : (tensor<?xi32>, tensor<?xi32>) -> tensor<?xi32>
  // CHECK: tern.mul %{{.*}}, %{{.*}} : (tensor<1x3xi8>, tensor<1x3xi8>) -> tensor<1x3xi8>
  %4 = tern.mul %c, %c : (tensor<1x3xi8>, tensor<1x3xi8>) -> tensor<1x3xi8>
  // CHECK: tern.max %{{.*}}, %{{.*}} : (tensor<bf16>, tensor<bf16>) -> tensor<bf16>
  %5 = tern.max %b, %b : (tensor<bf16>, tensor<bf16>) -> tensor<bf16>
  // CHECK: tern.min %{{.*}}, %{{.*}} : (tensor<?xi32>, tensor<?xi32>) -> tensor<?xi32>
  %6 = tern.min %i, %i : (tensor<?xi32>, tensor<?xi32>) -> tensor<?xi32>
  return
}

// -----

// Comparisons produce i1; eq also compares FP8 and i1 tensors.
// CHECK-LABEL: func.func @compare_and_logic
// CHECK-SAME: (%[[X:.*]]: tensor<4x1xf32>, %[[Y:.*]]: tensor<8xf32>, %[[I:.*]]: tensor<?xi64>, %[[Q:.*]]: tensor<4xf8E4M3FN>, %[[P:.*]]: tensor<4x?xi1>)
func.func @compare_and_logic(%x: tensor<4x1xf32>, %y: tensor<8xf32>, %i: tensor<?xi64>,
    %q: tensor<4xf8E4M3FN>, %p: tensor<4x?xi1>) {
  // CHECK: %[[EQ:.*]] = tern.eq %[[X]], %[[Y]] : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xi1>
  %0 = tern.eq %x, %y : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xi1>
  // CHECK: tern.lt %[[X]], %[[Y]] : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xi1>
  %1 = tern.lt %x, %y : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xi1>
  // CHECK: tern.le %[[I]], %[[I]] : (tensor<?xi64>, tensor<?xi64>) -> tensor<?xi1>
  %2 = tern.le %i, %i : (tensor<?xi64>, tensor<?xi64>) -> tensor<?xi1>
  // CHECK: tern.gt %[[X]], %[[X]] : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<4x1xi1>
  %3 = tern.gt %x, %x : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<4x1xi1>
  // CHECK: tern.ge %[[I]], %[[I]] : (tensor<?xi64>, tensor<?xi64>) -> tensor<?xi1>
  %4 = tern.ge %i, %i : (tensor<?xi64>, tensor<?xi64>) -> tensor<?xi1>
  // CHECK: tern.eq %[[Q]], %[[Q]] : (tensor<4xf8E4M3FN>, tensor<4xf8E4M3FN>) -> tensor<4xi1>
  %5 = tern.eq %q, %q : (tensor<4xf8E4M3FN>, tensor<4xf8E4M3FN>) -> tensor<4xi1>
  // CHECK: %[[EQB:.*]] = tern.eq %[[P]], %[[EQ]] : (tensor<4x?xi1>, tensor<4x8xi1>) -> tensor<4x8xi1>
  %6 = tern.eq %p, %0 : (tensor<4x?xi1>, tensor<4x8xi1>) -> tensor<4x8xi1>
  // CHECK: %[[AND:.*]] = tern.and %[[EQB]], %[[P]] : (tensor<4x8xi1>, tensor<4x?xi1>) -> tensor<4x8xi1>
  %7 = tern.and %6, %p : (tensor<4x8xi1>, tensor<4x?xi1>) -> tensor<4x8xi1>
  // CHECK: tern.or %[[AND]], %[[P]] : (tensor<4x8xi1>, tensor<4x?xi1>) -> tensor<4x8xi1>
  %8 = tern.or %7, %p : (tensor<4x8xi1>, tensor<4x?xi1>) -> tensor<4x8xi1>
  return
}

// -----

// where broadcasts all three operands; the values may have any element type.
// CHECK-LABEL: func.func @where
// CHECK-SAME: (%[[C:.*]]: tensor<4x1xi1>, %[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<f32>, %[[Q:.*]]: tensor<?x8xf8E5M2>, %[[P:.*]]: tensor<8xi1>, %[[I:.*]]: tensor<8xi8>)
func.func @where(%c: tensor<4x1xi1>, %a: tensor<4x8xf32>, %b: tensor<f32>,
    %q: tensor<?x8xf8E5M2>, %p: tensor<8xi1>, %i: tensor<8xi8>) {
  // CHECK: tern.where %[[C]], %[[A]], %[[B]] : (tensor<4x1xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %0 = tern.where %c, %a, %b : (tensor<4x1xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  // CHECK: tern.where %[[C]], %[[Q]], %[[Q]] : (tensor<4x1xi1>, tensor<?x8xf8E5M2>, tensor<?x8xf8E5M2>) -> tensor<4x8xf8E5M2>
  %1 = tern.where %c, %q, %q : (tensor<4x1xi1>, tensor<?x8xf8E5M2>, tensor<?x8xf8E5M2>) -> tensor<4x8xf8E5M2>
  // CHECK: tern.where %[[P]], %[[P]], %[[C]] : (tensor<8xi1>, tensor<8xi1>, tensor<4x1xi1>) -> tensor<4x8xi1>
  %2 = tern.where %p, %p, %c : (tensor<8xi1>, tensor<8xi1>, tensor<4x1xi1>) -> tensor<4x8xi1>
  // CHECK: tern.where %[[P]], %[[I]], %[[I]] : (tensor<8xi1>, tensor<8xi8>, tensor<8xi8>) -> tensor<8xi8>
  %3 = tern.where %p, %i, %i : (tensor<8xi1>, tensor<8xi8>, tensor<8xi8>) -> tensor<8xi8>
  return
}

// -----

// saturate defaults to true and is elided; false is printed.
// CHECK-LABEL: func.func @cast
// CHECK-SAME: (%[[X:.*]]: tensor<4x?xf32>, %[[P:.*]]: tensor<4xi1>, %[[Q:.*]]: tensor<4xf8E5M2>, %[[L:.*]]: tensor<4xi64>, %[[C:.*]]: tensor<4xi8>)
func.func @cast(%x: tensor<4x?xf32>, %p: tensor<4xi1>, %q: tensor<4xf8E5M2>, %l: tensor<4xi64>,
    %c: tensor<4xi8>) {
  // CHECK: tern.cast %[[X]] : tensor<4x?xf32> to tensor<4x?xbf16>
  %0 = tern.cast %x : tensor<4x?xf32> to tensor<4x?xbf16>
  // CHECK: tern.cast %[[X]] : tensor<4x?xf32> to tensor<4x?xf8E4M3FN>
  %1 = tern.cast %x {saturate = true} : tensor<4x?xf32> to tensor<4x?xf8E4M3FN>
  // CHECK: tern.cast %[[X]] {saturate = false} : tensor<4x?xf32> to tensor<4x?xf8E5M2>
  %2 = tern.cast %x {saturate = false} : tensor<4x?xf32> to tensor<4x?xf8E5M2>
  // CHECK: tern.cast %[[X]] : tensor<4x?xf32> to tensor<4x3xf16>
  %3 = tern.cast %x : tensor<4x?xf32> to tensor<4x3xf16>
  // CHECK: tern.cast %[[P]] : tensor<4xi1> to tensor<4xf32>
  %4 = tern.cast %p : tensor<4xi1> to tensor<4xf32>
  // CHECK: tern.cast %[[Q]] : tensor<4xf8E5M2> to tensor<4xf16>
  %5 = tern.cast %q : tensor<4xf8E5M2> to tensor<4xf16>
  // CHECK: tern.cast %[[L]] : tensor<4xi64> to tensor<4xi32>
  %6 = tern.cast %l : tensor<4xi64> to tensor<4xi32>
  // CHECK: tern.cast %[[C]] : tensor<4xi8> to tensor<4xi1>
  %7 = tern.cast %c : tensor<4xi8> to tensor<4xi1>
  // CHECK: tern.cast %[[C]] : tensor<4xi8> to tensor<4xi8>
  %8 = tern.cast %c : tensor<4xi8> to tensor<4xi8>
  return
}

// -----

// CHECK-LABEL: func.func @shape_of
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>, %[[S:.*]]: tensor<i1>)
func.func @shape_of(%x: tensor<?x4xf32>, %s: tensor<i1>) -> (tensor<2xi64>, tensor<0xi64>) {
  // CHECK: %[[A:.*]] = tern.shape_of %[[X]] : tensor<?x4xf32> -> tensor<2xi64>
  %0 = tern.shape_of %x : tensor<?x4xf32> -> tensor<2xi64>
  // CHECK: %[[B:.*]] = tern.shape_of %[[S]] : tensor<i1> -> tensor<0xi64>
  %1 = tern.shape_of %s : tensor<i1> -> tensor<0xi64>
  // CHECK: tern.shape_of %[[X]] : tensor<?x4xf32> -> tensor<?xi64>
  %2 = tern.shape_of %x : tensor<?x4xf32> -> tensor<?xi64>
  // CHECK: return %[[A]], %[[B]]
  return %0, %1 : tensor<2xi64>, tensor<0xi64>
}

// -----

// Without a shape operand at most one result dimension is dynamic; with one,
// any number is.
// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[D:.*]]: tensor<?x4xbf16>, %[[S:.*]]: tensor<3xi64>, %[[T:.*]]: tensor<?xi64>)
func.func @reshape(%x: tensor<2x3x4xf32>, %d: tensor<?x4xbf16>, %s: tensor<3xi64>,
    %t: tensor<?xi64>) {
  // CHECK: tern.reshape %[[X]] : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %0 = tern.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  // CHECK: tern.reshape %[[X]] : (tensor<2x3x4xf32>) -> tensor<?x8xf32>
  %1 = tern.reshape %x : (tensor<2x3x4xf32>) -> tensor<?x8xf32>
  // CHECK: tern.reshape %[[X]] : (tensor<2x3x4xf32>) -> tensor<24xf32>
  %2 = tern.reshape %x : (tensor<2x3x4xf32>) -> tensor<24xf32>
  // CHECK: tern.reshape %[[D]], %[[S]] : (tensor<?x4xbf16>, tensor<3xi64>) -> tensor<?x2x2xbf16>
  %3 = tern.reshape %d, %s : (tensor<?x4xbf16>, tensor<3xi64>) -> tensor<?x2x2xbf16>
  // CHECK: tern.reshape %[[D]], %[[T]] : (tensor<?x4xbf16>, tensor<?xi64>) -> tensor<?x?x?xbf16>
  %4 = tern.reshape %d, %t : (tensor<?x4xbf16>, tensor<?xi64>) -> tensor<?x?x?xbf16>
  // CHECK: tern.reshape %[[D]] : (tensor<?x4xbf16>) -> tensor<2x?xbf16>
  %5 = tern.reshape %d : (tensor<?x4xbf16>) -> tensor<2x?xbf16>
  return
}

// -----

// As in ONNX, the shape operand may be shorter than an input of the
// result's rank; it broadcasts against the input.
// CHECK-LABEL: func.func @expand
// CHECK-SAME: (%[[X:.*]]: tensor<4x1xf32>, %[[D:.*]]: tensor<?x1xi32>, %[[S:.*]]: tensor<3xi64>, %[[T:.*]]: tensor<1xi64>)
func.func @expand(%x: tensor<4x1xf32>, %d: tensor<?x1xi32>, %s: tensor<3xi64>, %t: tensor<1xi64>) {
  // CHECK: tern.expand %[[X]] : (tensor<4x1xf32>) -> tensor<2x4x8xf32>
  %0 = tern.expand %x : (tensor<4x1xf32>) -> tensor<2x4x8xf32>
  // CHECK: tern.expand %[[X]], %[[S]] : (tensor<4x1xf32>, tensor<3xi64>) -> tensor<?x4x?xf32>
  %1 = tern.expand %x, %s : (tensor<4x1xf32>, tensor<3xi64>) -> tensor<?x4x?xf32>
  // CHECK: tern.expand %[[D]] : (tensor<?x1xi32>) -> tensor<?x16xi32>
  %2 = tern.expand %d : (tensor<?x1xi32>) -> tensor<?x16xi32>
  // CHECK: tern.expand %[[D]], %[[T]] : (tensor<?x1xi32>, tensor<1xi64>) -> tensor<?x?xi32>
  %3 = tern.expand %d, %t : (tensor<?x1xi32>, tensor<1xi64>) -> tensor<?x?xi32>
  return
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x?x4xf16>, %[[B:.*]]: tensor<3x5xi1>)
func.func @transpose(%x: tensor<2x?x4xf16>, %b: tensor<3x5xi1>) {
  // CHECK: tern.transpose %[[X]] {permutation = array<i64: 2, 0, 1>} : tensor<2x?x4xf16> -> tensor<4x2x?xf16>
  %0 = tern.transpose %x {permutation = array<i64: 2, 0, 1>} : tensor<2x?x4xf16> -> tensor<4x2x?xf16>
  // CHECK: tern.transpose %[[B]] {permutation = array<i64: 1, 0>} : tensor<3x5xi1> -> tensor<5x3xi1>
  %1 = tern.transpose %b {permutation = array<i64: 1, 0>} : tensor<3x5xi1> -> tensor<5x3xi1>
  return
}

// -----

// Variadic: one, two and three inputs; a dynamic size along the axis makes
// the result's dynamic too.
// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<2x5xf32>, %[[C:.*]]: tensor<?x?xf32>, %[[I:.*]]: tensor<4xi64>)
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>, %c: tensor<?x?xf32>,
    %i: tensor<4xi64>) {
  // CHECK: tern.concat %[[I]] {axis = 0 : i64} : (tensor<4xi64>) -> tensor<4xi64>
  %0 = tern.concat %i {axis = 0 : i64} : (tensor<4xi64>) -> tensor<4xi64>
  // CHECK: tern.concat %[[A]], %[[B]] {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  %1 = tern.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  // CHECK: tern.concat %[[A]], %[[C]], %[[B]] {axis = -1 : i64} : (tensor<2x3xf32>, tensor<?x?xf32>, tensor<2x5xf32>) -> tensor<2x?xf32>
  %2 = tern.concat %a, %c, %b {axis = -1 : i64} : (tensor<2x3xf32>, tensor<?x?xf32>, tensor<2x5xf32>) -> tensor<2x?xf32>
  return
}

// -----

// ONNX slicing: negative bounds count from the end, INT64_MAX/INT64_MIN
// clamp, a negative step walks backwards.
// CHECK-LABEL: func.func @slice
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[D:.*]]: tensor<?x10xi8>)
func.func @slice(%x: tensor<4x8xf32>, %d: tensor<?x10xi8>) {
  // CHECK: tern.slice %[[X]] {ends = array<i64: 9223372036854775807, 3>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x2xf32>
  %0 = tern.slice %x {starts = array<i64: 0, 1>, ends = array<i64: 9223372036854775807, 3>,
                      steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x2xf32>
  // CHECK: tern.slice %[[X]] {ends = array<i64: -9223372036854775808, 100>, starts = array<i64: -1, -3>, steps = array<i64: -2, 2>} : tensor<4x8xf32> -> tensor<2x2xf32>
  %1 = tern.slice %x {starts = array<i64: -1, -3>, ends = array<i64: -9223372036854775808, 100>,
                      steps = array<i64: -2, 2>} : tensor<4x8xf32> -> tensor<2x2xf32>
  // CHECK: tern.slice %[[D]] {ends = array<i64: 5, 100>, starts = array<i64: 1, 1>, steps = array<i64: 1, 4>} : tensor<?x10xi8> -> tensor<?x3xi8>
  %2 = tern.slice %d {starts = array<i64: 1, 1>, ends = array<i64: 5, 100>,
                      steps = array<i64: 1, 4>} : tensor<?x10xi8> -> tensor<?x3xi8>
  return
}

// -----

// Variadic results: two and three pieces, and a dynamic split axis.
// CHECK-LABEL: func.func @split
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>, %[[D:.*]]: tensor<?x6xi32>)
func.func @split(%x: tensor<2x8xf32>, %d: tensor<?x6xi32>)
    -> (tensor<2x3xf32>, tensor<2x5xf32>, tensor<1x6xi32>) {
  // CHECK: %[[S:.*]]:2 = tern.split %[[X]] {axis = 1 : i64, sizes = array<i64: 3, 5>} : tensor<2x8xf32> -> tensor<2x3xf32>, tensor<2x5xf32>
  %a, %b = tern.split %x {axis = 1 : i64, sizes = array<i64: 3, 5>} : tensor<2x8xf32> -> tensor<2x3xf32>, tensor<2x5xf32>
  // CHECK: %[[T:.*]]:3 = tern.split %[[D]] {axis = -2 : i64, sizes = array<i64: 1, 0, 2>} : tensor<?x6xi32> -> tensor<1x6xi32>, tensor<0x6xi32>, tensor<2x6xi32>
  %c:3 = tern.split %d {axis = -2 : i64, sizes = array<i64: 1, 0, 2>} : tensor<?x6xi32> -> tensor<1x6xi32>, tensor<0x6xi32>, tensor<2x6xi32>
  // CHECK: return %[[S]]#0, %[[S]]#1, %[[T]]#0
  return %a, %b, %c#0 : tensor<2x3xf32>, tensor<2x5xf32>, tensor<1x6xi32>
}

// -----

// squeeze may name a dynamic dimension (it must be 1 at run time).
// CHECK-LABEL: func.func @squeeze_unsqueeze
// CHECK-SAME: (%[[X:.*]]: tensor<4x1x8xf32>, %[[D:.*]]: tensor<?x1x?xbf16>, %[[S:.*]]: tensor<i64>)
func.func @squeeze_unsqueeze(%x: tensor<4x1x8xf32>, %d: tensor<?x1x?xbf16>, %s: tensor<i64>) {
  // CHECK: tern.squeeze %[[X]] {axes = array<i64: 1>} : tensor<4x1x8xf32> -> tensor<4x8xf32>
  %0 = tern.squeeze %x {axes = array<i64: 1>} : tensor<4x1x8xf32> -> tensor<4x8xf32>
  // CHECK: tern.squeeze %[[D]] {axes = array<i64: -2, 0>} : tensor<?x1x?xbf16> -> tensor<?xbf16>
  %1 = tern.squeeze %d {axes = array<i64: -2, 0>} : tensor<?x1x?xbf16> -> tensor<?xbf16>
  // CHECK: tern.unsqueeze %[[X]] {axes = array<i64: 0, -1>} : tensor<4x1x8xf32> -> tensor<1x4x1x8x1xf32>
  %2 = tern.unsqueeze %x {axes = array<i64: 0, -1>} : tensor<4x1x8xf32> -> tensor<1x4x1x8x1xf32>
  // CHECK: tern.unsqueeze %[[D]] {axes = array<i64: 2>} : tensor<?x1x?xbf16> -> tensor<?x1x1x?xbf16>
  %3 = tern.unsqueeze %d {axes = array<i64: 2>} : tensor<?x1x?xbf16> -> tensor<?x1x1x?xbf16>
  // CHECK: tern.unsqueeze %[[S]] {axes = array<i64: 0>} : tensor<i64> -> tensor<1xi64>
  %4 = tern.unsqueeze %s {axes = array<i64: 0>} : tensor<i64> -> tensor<1xi64>
  return
}

// -----

// The result of gather is input[:axis] + indices + input[axis+1:].
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[T:.*]]: tensor<32000x4096xbf16>, %[[IDS:.*]]: tensor<1x?xi64>, %[[X:.*]]: tensor<4x8x16xf8E4M3FN>, %[[J:.*]]: tensor<i32>)
func.func @gather(%table: tensor<32000x4096xbf16>, %ids: tensor<1x?xi64>,
    %x: tensor<4x8x16xf8E4M3FN>, %j: tensor<i32>) {
  // CHECK: tern.gather %[[T]], %[[IDS]] {axis = 0 : i64} : (tensor<32000x4096xbf16>, tensor<1x?xi64>) -> tensor<1x?x4096xbf16>
  %0 = tern.gather %table, %ids {axis = 0 : i64} : (tensor<32000x4096xbf16>, tensor<1x?xi64>) -> tensor<1x?x4096xbf16>
  // CHECK: tern.gather %[[X]], %[[J]] {axis = -2 : i64} : (tensor<4x8x16xf8E4M3FN>, tensor<i32>) -> tensor<4x16xf8E4M3FN>
  %1 = tern.gather %x, %j {axis = -2 : i64} : (tensor<4x8x16xf8E4M3FN>, tensor<i32>) -> tensor<4x16xf8E4M3FN>
  return
}

// -----

// gather_elements takes the indices' shape; scatter_elements the input's.
// reduction = "none" is the default and is elided.
// CHECK-LABEL: func.func @gather_scatter_elements
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[I:.*]]: tensor<4x2xi64>, %[[U:.*]]: tensor<4x2xf32>, %[[J:.*]]: tensor<?x2xi32>, %[[V:.*]]: tensor<3x?xf32>)
func.func @gather_scatter_elements(%x: tensor<4x8xf32>, %i: tensor<4x2xi64>, %u: tensor<4x2xf32>,
    %j: tensor<?x2xi32>, %v: tensor<3x?xf32>) {
  // CHECK: tern.gather_elements %[[X]], %[[I]] {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
  %0 = tern.gather_elements %x, %i {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
  // CHECK: tern.gather_elements %[[X]], %[[J]] {axis = -2 : i64} : (tensor<4x8xf32>, tensor<?x2xi32>) -> tensor<?x2xf32>
  %1 = tern.gather_elements %x, %j {axis = -2 : i64} : (tensor<4x8xf32>, tensor<?x2xi32>) -> tensor<?x2xf32>
  // CHECK: tern.scatter_elements %[[X]], %[[I]], %[[U]] {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  %2 = tern.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = "none"} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  // CHECK: tern.scatter_elements %[[X]], %[[I]], %[[U]] {axis = 1 : i64, reduction = "add"}
  %3 = tern.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = "add"} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  // CHECK: tern.scatter_elements %[[X]], %[[I]], %[[U]] {axis = 0 : i64, reduction = "mul"}
  %4 = tern.scatter_elements %x, %i, %u {axis = 0 : i64, reduction = "mul"} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  // CHECK: tern.scatter_elements %[[X]], %[[J]], %[[V]] {axis = -1 : i64, reduction = "max"} : (tensor<4x8xf32>, tensor<?x2xi32>, tensor<3x?xf32>) -> tensor<4x8xf32>
  %5 = tern.scatter_elements %x, %j, %v {axis = -1 : i64, reduction = "max"} : (tensor<4x8xf32>, tensor<?x2xi32>, tensor<3x?xf32>) -> tensor<4x8xf32>
  // CHECK: tern.scatter_elements %[[X]], %[[J]], %[[V]] {axis = 1 : i64, reduction = "min"}
  %6 = tern.scatter_elements %x, %j, %v {axis = 1 : i64, reduction = "min"} : (tensor<4x8xf32>, tensor<?x2xi32>, tensor<3x?xf32>) -> tensor<4x8xf32>
  return
}

// -----

// Batch dimensions broadcast; a 1-D lhs (rhs) drops the row (column).
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[X:.*]]: tensor<2x7x2048xbf16>, %[[W:.*]]: tensor<2048x512xbf16>, %[[B:.*]]: tensor<?x1x4x8xf32>, %[[C:.*]]: tensor<3x8x?xf32>, %[[V:.*]]: tensor<8xf32>, %[[Q:.*]]: tensor<4x?xi8>)
func.func @matmul(%x: tensor<2x7x2048xbf16>, %w: tensor<2048x512xbf16>, %b: tensor<?x1x4x8xf32>,
    %c: tensor<3x8x?xf32>, %v: tensor<8xf32>, %q: tensor<4x?xi8>) {
  // CHECK: tern.matmul %[[X]], %[[W]] : (tensor<2x7x2048xbf16>, tensor<2048x512xbf16>) -> tensor<2x7x512xbf16>
  %0 = tern.matmul %x, %w : (tensor<2x7x2048xbf16>, tensor<2048x512xbf16>) -> tensor<2x7x512xbf16>
  // CHECK: tern.matmul %[[B]], %[[C]] : (tensor<?x1x4x8xf32>, tensor<3x8x?xf32>) -> tensor<?x3x4x?xf32>
  %1 = tern.matmul %b, %c : (tensor<?x1x4x8xf32>, tensor<3x8x?xf32>) -> tensor<?x3x4x?xf32>
  // CHECK: tern.matmul %[[V]], %[[C]] : (tensor<8xf32>, tensor<3x8x?xf32>) -> tensor<3x?xf32>
  %2 = tern.matmul %v, %c : (tensor<8xf32>, tensor<3x8x?xf32>) -> tensor<3x?xf32>
  // CHECK: tern.matmul %[[B]], %[[V]] : (tensor<?x1x4x8xf32>, tensor<8xf32>) -> tensor<?x1x4xf32>
  %3 = tern.matmul %b, %v : (tensor<?x1x4x8xf32>, tensor<8xf32>) -> tensor<?x1x4xf32>
  // CHECK: tern.matmul %[[V]], %[[V]] : (tensor<8xf32>, tensor<8xf32>) -> tensor<f32>
  %4 = tern.matmul %v, %v : (tensor<8xf32>, tensor<8xf32>) -> tensor<f32>
  // CHECK: tern.matmul %[[Q]], %[[Q]] : (tensor<4x?xi8>, tensor<4x?xi8>) -> tensor<4x?xi8>
  %5 = tern.matmul %q, %q : (tensor<4x?xi8>, tensor<4x?xi8>) -> tensor<4x?xi8>
  return
}

// -----

// gemm with and without c; trans_a/trans_b/alpha/beta print only when they
// differ from their defaults (false, false, 1.0, 1.0).
// CHECK-LABEL: func.func @gemm
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<16x8xf32>, %[[C:.*]]: tensor<16xf32>, %[[AT:.*]]: tensor<8x?xf16>, %[[BH:.*]]: tensor<8x16xf16>, %[[CH:.*]]: tensor<?x1xf16>)
func.func @gemm(%a: tensor<4x8xf32>, %b: tensor<16x8xf32>, %c: tensor<16xf32>,
    %at: tensor<8x?xf16>, %bh: tensor<8x16xf16>, %ch: tensor<?x1xf16>) {
  // CHECK: tern.gemm %[[A]], %[[B]], %[[C]] {trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %0 = tern.gemm %a, %b, %c {trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  // CHECK: tern.gemm %[[A]], %[[B]] {alpha = 5.000000e-01 : f32, trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  %1 = tern.gemm %a, %b {alpha = 0.5 : f32, beta = 1.0 : f32, trans_a = false, trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  // CHECK: tern.gemm %[[AT]], %[[BH]], %[[CH]] {beta = 2.000000e+00 : f32, trans_a = true} : (tensor<8x?xf16>, tensor<8x16xf16>, tensor<?x1xf16>) -> tensor<?x16xf16>
  %2 = tern.gemm %at, %bh, %ch {trans_a = true, beta = 2.0 : f32} : (tensor<8x?xf16>, tensor<8x16xf16>, tensor<?x1xf16>) -> tensor<?x16xf16>
  return
}

// -----

// Block-scaled products: FP8 E4M3 in DeepSeek-V3's 128x128 blocks (partial
// blocks at the edges), int8 in other blocks with bf16 scales, a dynamic M.
// CHECK-LABEL: func.func @block_scaled_matmul
// CHECK-SAME: (%[[X:.*]]: tensor<?x160xf32>, %[[Q:.*]]: tensor<144x160xf8E4M3FN>, %[[S:.*]]: tensor<2x2xf32>, %[[XH:.*]]: tensor<3x64xbf16>, %[[Q8:.*]]: tensor<32x64xi8>, %[[SH:.*]]: tensor<2x4xbf16>)
func.func @block_scaled_matmul(%x: tensor<?x160xf32>, %q: tensor<144x160xf8E4M3FN>, %s: tensor<2x2xf32>,
    %xh: tensor<3x64xbf16>, %q8: tensor<32x64xi8>, %sh: tensor<2x4xbf16>) {
  // CHECK: tern.block_scaled_matmul %[[X]], %[[Q]], %[[S]] {block_size = array<i64: 128, 128>} : (tensor<?x160xf32>, tensor<144x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<?x144xf32>
  %0 = tern.block_scaled_matmul %x, %q, %s {block_size = array<i64: 128, 128>} : (tensor<?x160xf32>, tensor<144x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<?x144xf32>
  // CHECK: tern.block_scaled_matmul %[[XH]], %[[Q8]], %[[SH]] {block_size = array<i64: 16, 16>} : (tensor<3x64xbf16>, tensor<32x64xi8>, tensor<2x4xbf16>) -> tensor<3x32xbf16>
  %1 = tern.block_scaled_matmul %xh, %q8, %sh {block_size = array<i64: 16, 16>} : (tensor<3x64xbf16>, tensor<32x64xi8>, tensor<2x4xbf16>) -> tensor<3x32xbf16>
  return
}

// -----

// FP8 activations with their 1x128 scales (DeepSeek-V3's act_quant), a
// partial last block on either side, a dynamic M.
// CHECK-LABEL: func.func @block_scaled_matmul_fp8_activations
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<?x160xf8E4M3FN>, %[[XS:[a-z0-9]+]]: tensor<?x2xf32>, %[[Q:[a-z0-9]+]]: tensor<144x160xf8E4M3FN>, %[[S:[a-z0-9]+]]: tensor<2x2xf32>)
func.func @block_scaled_matmul_fp8_activations(%x: tensor<?x160xf8E4M3FN>, %xs: tensor<?x2xf32>, %q: tensor<144x160xf8E4M3FN>, %s: tensor<2x2xf32>) {
  // CHECK: tern.block_scaled_matmul %[[X]] scaled %[[XS]], %[[Q]], %[[S]] {block_size = array<i64: 128, 128>} : (tensor<?x160xf8E4M3FN>, tensor<?x2xf32>, tensor<144x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<?x144xf32>
  %0 = tern.block_scaled_matmul %x scaled %xs, %q, %s {block_size = array<i64: 128, 128>} : (tensor<?x160xf8E4M3FN>, tensor<?x2xf32>, tensor<144x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<?x144xf32>
  return
}

// -----

// Variadic einsum: one, two and three inputs.
// CHECK-LABEL: func.func @einsum
// CHECK-SAME: (%[[Q:.*]]: tensor<2x4x8xf32>, %[[K:.*]]: tensor<2x?x8xf32>, %[[M:.*]]: tensor<3x3xi32>, %[[A:.*]]: tensor<2x3xbf16>, %[[B:.*]]: tensor<3x4xbf16>, %[[C:.*]]: tensor<4x5xbf16>)
func.func @einsum(%q: tensor<2x4x8xf32>, %k: tensor<2x?x8xf32>, %m: tensor<3x3xi32>,
    %a: tensor<2x3xbf16>, %b: tensor<3x4xbf16>, %c: tensor<4x5xbf16>) {
  // CHECK: tern.einsum %[[M]] {equation = "ii->i"} : (tensor<3x3xi32>) -> tensor<3xi32>
  %0 = tern.einsum %m {equation = "ii->i"} : (tensor<3x3xi32>) -> tensor<3xi32>
  // CHECK: tern.einsum %[[Q]], %[[K]] {equation = "bqd,bkd->bqk"} : (tensor<2x4x8xf32>, tensor<2x?x8xf32>) -> tensor<2x4x?xf32>
  %1 = tern.einsum %q, %k {equation = "bqd,bkd->bqk"} : (tensor<2x4x8xf32>, tensor<2x?x8xf32>) -> tensor<2x4x?xf32>
  // CHECK: tern.einsum %[[A]], %[[B]], %[[C]] {equation = "ij,jk,kl->li"} : (tensor<2x3xbf16>, tensor<3x4xbf16>, tensor<4x5xbf16>) -> tensor<5x2xbf16>
  %2 = tern.einsum %a, %b, %c {equation = "ij,jk,kl->li"} : (tensor<2x3xbf16>, tensor<3x4xbf16>, tensor<4x5xbf16>) -> tensor<5x2xbf16>
  // CHECK: tern.einsum %[[M]] {equation = "ij->"} : (tensor<3x3xi32>) -> tensor<i32>
  %3 = tern.einsum %m {equation = "ij->"} : (tensor<3x3xi32>) -> tensor<i32>
  return
}

// -----

// keepdims defaults to true; empty axes reduce every dimension.
// CHECK-LABEL: func.func @reductions
// CHECK-SAME: (%[[X:.*]]: tensor<4x?x8xf32>, %[[I:.*]]: tensor<4x8xi64>, %[[H:.*]]: tensor<2x3xf16>)
func.func @reductions(%x: tensor<4x?x8xf32>, %i: tensor<4x8xi64>, %h: tensor<2x3xf16>) {
  // CHECK: tern.reduce_sum %[[X]] {axes = array<i64: 1>} : tensor<4x?x8xf32> -> tensor<4x1x8xf32>
  %0 = tern.reduce_sum %x {axes = array<i64: 1>, keepdims = true} : tensor<4x?x8xf32> -> tensor<4x1x8xf32>
  // CHECK: tern.reduce_mean %[[X]] {axes = array<i64: -1, 0>, keepdims = false} : tensor<4x?x8xf32> -> tensor<?xf32>
  %1 = tern.reduce_mean %x {axes = array<i64: -1, 0>, keepdims = false} : tensor<4x?x8xf32> -> tensor<?xf32>
  // CHECK: tern.reduce_max %[[I]] {axes = array<i64>} : tensor<4x8xi64> -> tensor<1x1xi64>
  %2 = tern.reduce_max %i {axes = array<i64>} : tensor<4x8xi64> -> tensor<1x1xi64>
  // CHECK: tern.reduce_min %[[I]] {axes = array<i64>, keepdims = false} : tensor<4x8xi64> -> tensor<i64>
  %3 = tern.reduce_min %i {axes = array<i64>, keepdims = false} : tensor<4x8xi64> -> tensor<i64>
  // CHECK: tern.reduce_sum %[[H]] {axes = array<i64: 0>, keepdims = false} : tensor<2x3xf16> -> tensor<3xf16>
  %4 = tern.reduce_sum %h {axes = array<i64: 0>, keepdims = false} : tensor<2x3xf16> -> tensor<3xf16>
  return
}

// -----

// CHECK-LABEL: func.func @softmax_topk
// CHECK-SAME: (%[[S:.*]]: tensor<2x4x?xbf16>, %[[G:.*]]: tensor<7x256xf32>, %[[I:.*]]: tensor<?x16xi32>)
func.func @softmax_topk(%s: tensor<2x4x?xbf16>, %g: tensor<7x256xf32>, %i: tensor<?x16xi32>)
    -> (tensor<7x8xf32>, tensor<7x8xi64>) {
  // CHECK: tern.softmax %[[S]] : tensor<2x4x?xbf16>
  %0 = tern.softmax %s {axis = -1 : i64} : tensor<2x4x?xbf16>
  // CHECK: tern.softmax %[[S]] {axis = 1 : i64} : tensor<2x4x?xbf16>
  %1 = tern.softmax %s {axis = 1 : i64} : tensor<2x4x?xbf16>
  // CHECK: %[[V:.*]], %[[IDX:.*]] = tern.topk %[[G]] {k = 8 : i64} : tensor<7x256xf32> -> tensor<7x8xf32>, tensor<7x8xi64>
  %v, %idx = tern.topk %g {k = 8 : i64, axis = -1 : i64, largest = true, sorted = true} : tensor<7x256xf32> -> tensor<7x8xf32>, tensor<7x8xi64>
  // CHECK: tern.topk %[[I]] {axis = 0 : i64, k = 3 : i64, largest = false, sorted = false} : tensor<?x16xi32> -> tensor<3x16xi32>, tensor<3x16xi64>
  %w:2 = tern.topk %i {k = 3 : i64, axis = 0 : i64, largest = false, sorted = false} : tensor<?x16xi32> -> tensor<3x16xi32>, tensor<3x16xi64>
  // CHECK: tern.topk %[[G]] {k = 256 : i64} : tensor<7x256xf32> -> tensor<7x256xf32>, tensor<7x256xi64>
  %u:2 = tern.topk %g {k = 256 : i64} : tensor<7x256xf32> -> tensor<7x256xf32>, tensor<7x256xi64>
  // CHECK: return %[[V]], %[[IDX]]
  return %v, %idx : tensor<7x8xf32>, tensor<7x8xi64>
}

// -----

// epsilon (1e-5) and axis (-1) are elided when they hold their defaults.
// CHECK-LABEL: func.func @norms
// CHECK-SAME: (%[[X:.*]]: tensor<2x7x2048xbf16>, %[[W:.*]]: tensor<2048xbf16>, %[[Y:.*]]: tensor<?x8xf32>, %[[S:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<1x8xf32>, %[[Z:.*]]: tensor<2x3x4xf16>, %[[T:.*]]: tensor<3x1xf16>)
func.func @norms(%x: tensor<2x7x2048xbf16>, %w: tensor<2048xbf16>, %y: tensor<?x8xf32>,
    %s: tensor<8xf32>, %b: tensor<1x8xf32>, %z: tensor<2x3x4xf16>, %t: tensor<3x1xf16>) {
  // CHECK: tern.rms_norm %[[X]], %[[W]] {epsilon = 9.99999997E-7 : f32} : (tensor<2x7x2048xbf16>, tensor<2048xbf16>) -> tensor<2x7x2048xbf16>
  %0 = tern.rms_norm %x, %w {epsilon = 1.0e-06 : f32} : (tensor<2x7x2048xbf16>, tensor<2048xbf16>) -> tensor<2x7x2048xbf16>
  // CHECK: tern.rms_norm %[[Z]], %[[T]] {axis = 1 : i64} : (tensor<2x3x4xf16>, tensor<3x1xf16>) -> tensor<2x3x4xf16>
  %1 = tern.rms_norm %z, %t {axis = 1 : i64, epsilon = 1.0e-05 : f32} : (tensor<2x3x4xf16>, tensor<3x1xf16>) -> tensor<2x3x4xf16>
  // CHECK: tern.layer_norm %[[Y]], %[[S]] : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %2 = tern.layer_norm %y, %s : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  // CHECK: tern.layer_norm %[[Y]], %[[S]], %[[S]] {epsilon = 0.000000e+00 : f32} : (tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %3 = tern.layer_norm %y, %s, %s {epsilon = 0.0 : f32} : (tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  // CHECK: tern.layer_norm %[[Y]], %[[B]], %[[S]] {axis = 0 : i64} : (tensor<?x8xf32>, tensor<1x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %4 = tern.layer_norm %y, %b, %s {axis = 0 : i64} : (tensor<?x8xf32>, tensor<1x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  return
}

// -----

// Both pair layouts: rotate-half (default, elided) and interleaved.
// CHECK-LABEL: func.func @rotary
// CHECK-SAME: (%[[Q:.*]]: tensor<1x16x7x64xbf16>, %[[C:.*]]: tensor<7x32xbf16>, %[[S:.*]]: tensor<7x32xbf16>, %[[K:.*]]: tensor<?x7x128xf32>, %[[C2:.*]]: tensor<?x1x32xf32>)
func.func @rotary(%q: tensor<1x16x7x64xbf16>, %cos: tensor<7x32xbf16>, %sin: tensor<7x32xbf16>,
    %k: tensor<?x7x128xf32>, %c2: tensor<?x1x32xf32>) {
  // CHECK: tern.rotary %[[Q]], %[[C]], %[[S]] : (tensor<1x16x7x64xbf16>, tensor<7x32xbf16>, tensor<7x32xbf16>) -> tensor<1x16x7x64xbf16>
  %0 = tern.rotary %q, %cos, %sin {interleaved = false} : (tensor<1x16x7x64xbf16>, tensor<7x32xbf16>, tensor<7x32xbf16>) -> tensor<1x16x7x64xbf16>
  // CHECK: tern.rotary %[[Q]], %[[C]], %[[S]] {interleaved = true} : (tensor<1x16x7x64xbf16>, tensor<7x32xbf16>, tensor<7x32xbf16>) -> tensor<1x16x7x64xbf16>
  %1 = tern.rotary %q, %cos, %sin {interleaved = true} : (tensor<1x16x7x64xbf16>, tensor<7x32xbf16>, tensor<7x32xbf16>) -> tensor<1x16x7x64xbf16>
  // Partial rotary: 2 x 32 of 128 channels rotate.
  // CHECK: tern.rotary %[[K]], %[[C2]], %[[C2]] {interleaved = true} : (tensor<?x7x128xf32>, tensor<?x1x32xf32>, tensor<?x1x32xf32>) -> tensor<?x7x128xf32>
  %2 = tern.rotary %k, %c2, %c2 {interleaved = true} : (tensor<?x7x128xf32>, tensor<?x1x32xf32>, tensor<?x1x32xf32>) -> tensor<?x7x128xf32>
  return
}

// -----

// The three scale layouts: per tensor (rank-0 scale), per axis (1-D scale
// with axis), blocked (scale of the input's rank with block_size).
// CHECK-LABEL: func.func @quantize
// CHECK-SAME: (%[[X:.*]]: tensor<7x2048xf32>, %[[ST:.*]]: tensor<f32>, %[[SA:.*]]: tensor<2048xf32>, %[[SB:.*]]: tensor<7x16xf32>, %[[W:.*]]: tensor<300x?xbf16>, %[[SW:.*]]: tensor<3x2xbf16>)
func.func @quantize(%x: tensor<7x2048xf32>, %st: tensor<f32>, %sa: tensor<2048xf32>,
    %sb: tensor<7x16xf32>, %w: tensor<300x?xbf16>, %sw: tensor<3x2xbf16>) {
  // CHECK: tern.quantize %[[X]], %[[ST]] : (tensor<7x2048xf32>, tensor<f32>) -> tensor<7x2048xf8E4M3FN>
  %0 = tern.quantize %x, %st : (tensor<7x2048xf32>, tensor<f32>) -> tensor<7x2048xf8E4M3FN>
  // CHECK: tern.quantize %[[X]], %[[SA]] {axis = 1 : i64} : (tensor<7x2048xf32>, tensor<2048xf32>) -> tensor<7x2048xi8>
  %1 = tern.quantize %x, %sa {axis = 1 : i64} : (tensor<7x2048xf32>, tensor<2048xf32>) -> tensor<7x2048xi8>
  // CHECK: tern.quantize %[[X]], %[[SB]] {block_size = array<i64: 1, 128>} : (tensor<7x2048xf32>, tensor<7x16xf32>) -> tensor<7x2048xf8E4M3FN>
  %2 = tern.quantize %x, %sb {block_size = array<i64: 1, 128>} : (tensor<7x2048xf32>, tensor<7x16xf32>) -> tensor<7x2048xf8E4M3FN>
  // ceil(300 / 128) = 3 blocks; the dynamic dimension is not checked.
  // CHECK: tern.quantize %[[W]], %[[SW]] {block_size = array<i64: 128, 128>} : (tensor<300x?xbf16>, tensor<3x2xbf16>) -> tensor<300x?xf8E5M2>
  %3 = tern.quantize %w, %sw {block_size = array<i64: 128, 128>} : (tensor<300x?xbf16>, tensor<3x2xbf16>) -> tensor<300x?xf8E5M2>
  return
}

// -----

// Asymmetric (ONNX's zero points): the zero point has the scale's layout and
// the quantized type, unsigned and 16-bit integers included.
// CHECK-LABEL: func.func @zero_points
// CHECK: tern.quantize %{{.*}}, %{{.*}} zero_point %{{.*}} : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xui8>
// CHECK: tern.dequantize %{{.*}}, %{{.*}} zero_point %{{.*}} {axis = 1 : i64} : (tensor<2x3xi16>, tensor<3xf32>, tensor<3xi16>) -> tensor<2x3xf32>
func.func @zero_points(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<ui8>, %q: tensor<2x3xi16>,
    %sa: tensor<3xf32>, %za: tensor<3xi16>) {
  %0 = tern.quantize %x, %s zero_point %z : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xui8>
  %1 = tern.dequantize %q, %sa zero_point %za {axis = 1 : i64} : (tensor<2x3xi16>, tensor<3xf32>, tensor<3xi16>) -> tensor<2x3xf32>
  return
}

// -----

// The result of dequantize has the scale's element type.
// CHECK-LABEL: func.func @dequantize
// CHECK-SAME: (%[[Q:.*]]: tensor<512x2048xf8E4M3FN>, %[[SB:.*]]: tensor<4x16xf32>, %[[I:.*]]: tensor<?x64xi8>, %[[SA:.*]]: tensor<?xf16>, %[[E:.*]]: tensor<8xf8E5M2>, %[[ST:.*]]: tensor<bf16>)
func.func @dequantize(%q: tensor<512x2048xf8E4M3FN>, %sb: tensor<4x16xf32>, %i: tensor<?x64xi8>,
    %sa: tensor<?xf16>, %e: tensor<8xf8E5M2>, %st: tensor<bf16>) {
  // CHECK: tern.dequantize %[[Q]], %[[SB]] {block_size = array<i64: 128, 128>} : (tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<512x2048xf32>
  %0 = tern.dequantize %q, %sb {block_size = array<i64: 128, 128>} : (tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<512x2048xf32>
  // CHECK: tern.dequantize %[[I]], %[[SA]] {axis = -2 : i64} : (tensor<?x64xi8>, tensor<?xf16>) -> tensor<?x64xf16>
  %1 = tern.dequantize %i, %sa {axis = -2 : i64} : (tensor<?x64xi8>, tensor<?xf16>) -> tensor<?x64xf16>
  // CHECK: tern.dequantize %[[E]], %[[ST]] : (tensor<8xf8E5M2>, tensor<bf16>) -> tensor<8xbf16>
  %2 = tern.dequantize %e, %st : (tensor<8xf8E5M2>, tensor<bf16>) -> tensor<8xbf16>
  return
}
