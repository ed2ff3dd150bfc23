// RUN: tern-opt %s -split-input-file -canonicalize | FileCheck %s

// Tern ops are Pure: every value a test looks at is returned so that
// canonicalization cannot erase it as dead.

// Equal constants fold to one (the folder returns the value attribute and
// the greedy driver uniques constants); different values stay apart.
// CHECK-LABEL: func.func @constant_dedup
// CHECK-NEXT: %[[A:.*]] = tern.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: %[[B:.*]] = tern.constant dense<[1.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: return %[[A]], %[[B]], %[[A]]
func.func @constant_dedup() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %0 = tern.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %1 = tern.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %2 = tern.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %0, %1, %2 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// Same value, different types: two constants.
// CHECK-LABEL: func.func @constant_same_value_other_type
// CHECK-DAG: %[[A:.*]] = tern.constant dense<1> : tensor<2xi64>
// CHECK-DAG: %[[B:.*]] = tern.constant dense<1> : tensor<2xi32>
// CHECK: return %[[A]], %[[B]]
func.func @constant_same_value_other_type() -> (tensor<2xi64>, tensor<2xi32>) {
  %0 = tern.constant dense<1> : tensor<2xi64>
  %1 = tern.constant dense<1> : tensor<2xi32>
  return %0, %1 : tensor<2xi64>, tensor<2xi32>
}

// -----

// cast(x : T) to T => x, whatever saturate says.
// CHECK-LABEL: func.func @cast_same_type
// CHECK-SAME: (%[[X:.*]]: tensor<4x?xbf16>)
// CHECK-NOT: tern.cast
// CHECK: return %[[X]], %[[X]]
func.func @cast_same_type(%x: tensor<4x?xbf16>) -> (tensor<4x?xbf16>, tensor<4x?xbf16>) {
  %0 = tern.cast %x : tensor<4x?xbf16> to tensor<4x?xbf16>
  %1 = tern.cast %x {saturate = false} : tensor<4x?xbf16> to tensor<4x?xbf16>
  return %0, %1 : tensor<4x?xbf16>, tensor<4x?xbf16>
}

// -----

// Near-misses: a cast that changes the element type, and one that keeps it
// but makes a dimension static, are not identities.
// CHECK-LABEL: func.func @cast_changes_type
// CHECK-SAME: (%[[X:.*]]: tensor<?xf32>)
// CHECK: %[[A:.*]] = tern.cast %[[X]] : tensor<?xf32> to tensor<?xbf16>
// CHECK: %[[B:.*]] = tern.cast %[[X]] : tensor<?xf32> to tensor<4xf32>
// CHECK: return %[[A]], %[[B]]
func.func @cast_changes_type(%x: tensor<?xf32>) -> (tensor<?xbf16>, tensor<4xf32>) {
  %0 = tern.cast %x : tensor<?xf32> to tensor<?xbf16>
  %1 = tern.cast %x : tensor<?xf32> to tensor<4xf32>
  return %0, %1 : tensor<?xbf16>, tensor<4xf32>
}

// -----

// cast(cast(x : T) to U) to V, where T -> U is exact (a widening): the
// round trip is x, any other V reads x directly.
// CHECK-LABEL: func.func @cast_of_widening
// CHECK-SAME: (%[[X:.*]]: tensor<4xbf16>, %[[Y:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[H:.*]] = tern.cast %[[X]] : tensor<4xbf16> to tensor<4xf16>
// CHECK-NEXT: %[[R:.*]] = tern.cast %[[Y]] : tensor<4xf32> to tensor<4xbf16>
// CHECK-NEXT: %[[W:.*]] = tern.cast %[[R]] : tensor<4xbf16> to tensor<4xf32>
// CHECK-NEXT: return %[[X]], %[[H]], %[[W]]
func.func @cast_of_widening(%x: tensor<4xbf16>, %y: tensor<4xf32>) -> (tensor<4xbf16>, tensor<4xf16>, tensor<4xf32>) {
  %wide = tern.cast %x : tensor<4xbf16> to tensor<4xf32>
  %0 = tern.cast %wide : tensor<4xf32> to tensor<4xbf16>
  %1 = tern.cast %wide : tensor<4xf32> to tensor<4xf16>
  // Near-miss: rounding then widening is not the identity.
  %rounded = tern.cast %y : tensor<4xf32> to tensor<4xbf16>
  %2 = tern.cast %rounded : tensor<4xbf16> to tensor<4xf32>
  return %0, %1, %2 : tensor<4xbf16>, tensor<4xf16>, tensor<4xf32>
}

// -----

// An inline float constant converts at compile time, rounded to nearest
// even; FP8 (whose saturation the lowering applies) does not fold.
// CHECK-LABEL: func.func @cast_of_constant
// CHECK-DAG: %[[B:.*]] = tern.constant dense<[1.000000e+00, 1.000980e-01, 0xFF80]> : tensor<3xbf16>
// CHECK-DAG: %[[C:.*]] = tern.constant dense<[1.000000e+00, 1.000000e-01, 0xFF800000]> : tensor<3xf32>
// CHECK-DAG: %[[Q:.*]] = tern.cast %[[C]] : tensor<3xf32> to tensor<3xf8E4M3FN>
// CHECK: return %[[B]], %[[Q]]
func.func @cast_of_constant() -> (tensor<3xbf16>, tensor<3xf8E4M3FN>) {
  %c = tern.constant dense<[1.0, 0.1, 0xFF800000]> : tensor<3xf32>
  %0 = tern.cast %c : tensor<3xf32> to tensor<3xbf16>
  %1 = tern.cast %c : tensor<3xf32> to tensor<3xf8E4M3FN>
  return %0, %1 : tensor<3xbf16>, tensor<3xf8E4M3FN>
}

// -----

// shape_of(x : static) => constant, rank 0 included.
// CHECK-LABEL: func.func @shape_of_static
// CHECK-DAG: %[[A:.*]] = tern.constant dense<[2, 0, 7]> : tensor<3xi64>
// CHECK-DAG: %[[B:.*]] = tern.constant dense<> : tensor<0xi64>
// CHECK-NOT: tern.shape_of
// CHECK: return %[[A]], %[[B]]
func.func @shape_of_static(%x: tensor<2x0x7xf32>, %s: tensor<i1>) -> (tensor<3xi64>, tensor<0xi64>) {
  %0 = tern.shape_of %x : tensor<2x0x7xf32> -> tensor<3xi64>
  %1 = tern.shape_of %s : tensor<i1> -> tensor<0xi64>
  return %0, %1 : tensor<3xi64>, tensor<0xi64>
}

// -----

// Near-misses: a dynamic operand has no constant shape; a static operand
// with a `tensor<?xi64>` result has no static type for the constant.
// CHECK-LABEL: func.func @shape_of_not_static
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>, %[[Y:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: %[[A:.*]] = tern.shape_of %[[X]] : tensor<?x4xf32> -> tensor<2xi64>
// CHECK-NEXT: %[[B:.*]] = tern.shape_of %[[Y]] : tensor<2x3xf32> -> tensor<?xi64>
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @shape_of_not_static(%x: tensor<?x4xf32>, %y: tensor<2x3xf32>) -> (tensor<2xi64>, tensor<?xi64>) {
  %0 = tern.shape_of %x : tensor<?x4xf32> -> tensor<2xi64>
  %1 = tern.shape_of %y : tensor<2x3xf32> -> tensor<?xi64>
  return %0, %1 : tensor<2xi64>, tensor<?xi64>
}

// -----

// reshape(x : T) -> T => x for a static T.
// CHECK-LABEL: func.func @reshape_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xi8>)
// CHECK-NEXT: return %[[X]]
func.func @reshape_identity(%x: tensor<2x3xi8>) -> tensor<2x3xi8> {
  %0 = tern.reshape %x : (tensor<2x3xi8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

// Near-misses: a reshape that changes the shape; one to the same dynamic
// type; one with a shape operand.
// CHECK-LABEL: func.func @reshape_not_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xi8>, %[[D:.*]]: tensor<?x3xi8>, %[[S:.*]]: tensor<2xi64>)
// CHECK: %[[A:.*]] = tern.reshape %[[X]] : (tensor<2x3xi8>) -> tensor<3x2xi8>
// CHECK: %[[B:.*]] = tern.reshape %[[D]] : (tensor<?x3xi8>) -> tensor<?x3xi8>
// CHECK: %[[C:.*]] = tern.reshape %[[X]], %[[S]] : (tensor<2x3xi8>, tensor<2xi64>) -> tensor<2x3xi8>
// CHECK: return %[[A]], %[[B]], %[[C]]
func.func @reshape_not_identity(%x: tensor<2x3xi8>, %d: tensor<?x3xi8>, %s: tensor<2xi64>)
    -> (tensor<3x2xi8>, tensor<?x3xi8>, tensor<2x3xi8>) {
  %0 = tern.reshape %x : (tensor<2x3xi8>) -> tensor<3x2xi8>
  %1 = tern.reshape %d : (tensor<?x3xi8>) -> tensor<?x3xi8>
  %2 = tern.reshape %x, %s : (tensor<2x3xi8>, tensor<2xi64>) -> tensor<2x3xi8>
  return %0, %1, %2 : tensor<3x2xi8>, tensor<?x3xi8>, tensor<2x3xi8>
}

// -----

// expand(x : T) -> T => x for a static T, with or without a shape operand.
// CHECK-LABEL: func.func @expand_identity
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf16>, %[[S:.*]]: tensor<2xi64>)
// CHECK-NEXT: return %[[X]], %[[X]]
func.func @expand_identity(%x: tensor<4x8xf16>, %s: tensor<2xi64>) -> (tensor<4x8xf16>, tensor<4x8xf16>) {
  %0 = tern.expand %x : (tensor<4x8xf16>) -> tensor<4x8xf16>
  %1 = tern.expand %x, %s : (tensor<4x8xf16>, tensor<2xi64>) -> tensor<4x8xf16>
  return %0, %1 : tensor<4x8xf16>, tensor<4x8xf16>
}

// -----

// Near-misses: a real broadcast, and a dynamic type (a ? may grow from 1).
// CHECK-LABEL: func.func @expand_not_identity
// CHECK-SAME: (%[[X:.*]]: tensor<4x1xf16>, %[[D:.*]]: tensor<?x8xf16>)
// CHECK: %[[A:.*]] = tern.expand %[[X]] : (tensor<4x1xf16>) -> tensor<4x8xf16>
// CHECK: %[[B:.*]] = tern.expand %[[D]] : (tensor<?x8xf16>) -> tensor<?x8xf16>
// CHECK: return %[[A]], %[[B]]
func.func @expand_not_identity(%x: tensor<4x1xf16>, %d: tensor<?x8xf16>) -> (tensor<4x8xf16>, tensor<?x8xf16>) {
  %0 = tern.expand %x : (tensor<4x1xf16>) -> tensor<4x8xf16>
  %1 = tern.expand %d : (tensor<?x8xf16>) -> tensor<?x8xf16>
  return %0, %1 : tensor<4x8xf16>, tensor<?x8xf16>
}

// -----

// transpose(x, identity) => x, dynamic dimensions included.
// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x?x4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @transpose_identity(%x: tensor<2x?x4xf32>) -> tensor<2x?x4xf32> {
  %0 = tern.transpose %x {permutation = array<i64: 0, 1, 2>} : tensor<2x?x4xf32> -> tensor<2x?x4xf32>
  return %0 : tensor<2x?x4xf32>
}

// -----

// Near-misses: a real permutation (even of two equal dimensions), and an
// identity permutation whose result type is more static than its input.
// CHECK-LABEL: func.func @transpose_not_identity
// CHECK-SAME: (%[[X:.*]]: tensor<4x4xf32>, %[[D:.*]]: tensor<?x4xf32>)
// CHECK: %[[A:.*]] = tern.transpose %[[X]] {permutation = array<i64: 1, 0>} : tensor<4x4xf32> -> tensor<4x4xf32>
// CHECK: %[[B:.*]] = tern.transpose %[[D]] {permutation = array<i64: 0, 1>} : tensor<?x4xf32> -> tensor<3x4xf32>
// CHECK: return %[[A]], %[[B]]
func.func @transpose_not_identity(%x: tensor<4x4xf32>, %d: tensor<?x4xf32>) -> (tensor<4x4xf32>, tensor<3x4xf32>) {
  %0 = tern.transpose %x {permutation = array<i64: 1, 0>} : tensor<4x4xf32> -> tensor<4x4xf32>
  %1 = tern.transpose %d {permutation = array<i64: 0, 1>} : tensor<?x4xf32> -> tensor<3x4xf32>
  return %0, %1 : tensor<4x4xf32>, tensor<3x4xf32>
}

// -----

// Folds compose: the identities collapse and the shape of the now-direct
// static operand becomes a constant.
// CHECK-LABEL: func.func @fold_chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: %[[S:.*]] = tern.constant dense<[2, 3]> : tensor<2xi64>
// CHECK-NEXT: return %[[X]], %[[S]]
func.func @fold_chain(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2xi64>) {
  %0 = tern.cast %x : tensor<2x3xf32> to tensor<2x3xf32>
  %1 = tern.transpose %0 {permutation = array<i64: 0, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = tern.reshape %1 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = tern.expand %2 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = tern.shape_of %3 : tensor<2x3xf32> -> tensor<2xi64>
  return %3, %4 : tensor<2x3xf32>, tensor<2xi64>
}

// -----

// Unused tern ops are Pure and go away.
// CHECK-LABEL: func.func @dead_ops
// CHECK-NEXT: return
func.func @dead_ops(%x: tensor<4xf32>) {
  %0 = tern.exp %x : tensor<4xf32>
  %1 = tern.add %0, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// SiLU as exporters write it, in either order, becomes tern.silu; the
// sigmoid goes with it when nothing else reads it.
// CHECK-LABEL: func.func @silu_spelled_out
// CHECK-NEXT: %[[A:.*]] = tern.silu %arg0 : tensor<4x8xf32>
// CHECK-NEXT: %[[B:.*]] = tern.silu %arg0 : tensor<4x8xf32>
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @silu_spelled_out(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %s = tern.sigmoid %x : tensor<4x8xf32>
  %0 = tern.mul %x, %s : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = tern.mul %s, %x : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Near-miss: the sigmoid of another value.
// CHECK-LABEL: func.func @silu_near_miss
// CHECK-NOT: tern.silu
// CHECK: return
func.func @silu_near_miss(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %s = tern.sigmoid %y : tensor<4x8xf32>
  %0 = tern.mul %x, %s : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// A forall mapped to #tern.kernel_iteration is one kernel: it keeps its one
// iteration; without the mapping, canonicalization inlines the body.
// CHECK-LABEL: func.func @kernel_iteration_kept
// CHECK: scf.forall (%{{.*}}) in (1)
// CHECK: } {mapping = [#tern.kernel_iteration]}
// CHECK-NOT: scf.forall
// CHECK: return
func.func @kernel_iteration_kept(%x: tensor<1x4xf32>, %y: tensor<1x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
  %0 = scf.forall (%i) in (1) shared_outs(%o = %y) -> (tensor<1x4xf32>) {
    %row = tensor.extract_slice %x[%i, 0] [1, 4] [1, 1] : tensor<1x4xf32> to tensor<1x4xf32>
    %e = tern.exp %row : tensor<1x4xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %e into %o[%i, 0] [1, 4] [1, 1] : tensor<1x4xf32> into tensor<1x4xf32>
    }
  } {mapping = [#tern.kernel_iteration]}
  %1 = scf.forall (%i) in (1) shared_outs(%o = %y) -> (tensor<1x4xf32>) {
    %row = tensor.extract_slice %x[%i, 0] [1, 4] [1, 1] : tensor<1x4xf32> to tensor<1x4xf32>
    %e = tern.exp %row : tensor<1x4xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %e into %o[%i, 0] [1, 4] [1, 1] : tensor<1x4xf32> into tensor<1x4xf32>
    }
  }
  return %0, %1 : tensor<1x4xf32>, tensor<1x4xf32>
}
