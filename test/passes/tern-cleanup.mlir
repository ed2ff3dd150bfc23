// RUN: tern-opt %s -split-input-file -tern-cleanup | FileCheck %s
// RUN: tern-opt %s -split-input-file --pass-pipeline='builtin.module(tern-cleanup)' | FileCheck %s
// RUN: tern-opt %s -split-input-file --pass-pipeline='builtin.module(tern-cleanup{infer-shapes=false})' | FileCheck %s --check-prefix=NOINFER

// tern-cleanup = tern-infer-shapes, canonicalize, CSE. Shape inference makes
// operands static, which lets the folders fire; CSE merges the duplicates.

// The reshape becomes 6x4, so shape_of folds to a constant and the cast to
// the same type disappears; the two equal exps merge.
// CHECK-LABEL: func.func @infer_then_fold
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>) -> (tensor<2xi64>, tensor<6x4xf32>)
// CHECK-DAG: %[[S:.*]] = tern.constant dense<[6, 4]> : tensor<2xi64>
// CHECK-DAG: %[[R:.*]] = tern.reshape %[[X]] : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
// CHECK: %[[E:.*]] = tern.exp %[[R]] : tensor<6x4xf32>
// CHECK-NOT: tern.exp
// CHECK: %[[A:.*]] = tern.add %[[E]], %[[E]] : (tensor<6x4xf32>, tensor<6x4xf32>) -> tensor<6x4xf32>
// CHECK-NOT: tern.cast
// CHECK-NOT: tern.shape_of
// CHECK: return %[[S]], %[[A]] : tensor<2xi64>, tensor<6x4xf32>

// Without shape inference nothing is static enough to fold; CSE still merges.
// NOINFER-LABEL: func.func @infer_then_fold
// NOINFER-SAME: -> (tensor<2xi64>, tensor<?x4xf32>)
// NOINFER: %[[R:.*]] = tern.reshape %{{.*}} : (tensor<2x3x4xf32>) -> tensor<?x4xf32>
// NOINFER: %[[S:.*]] = tern.shape_of %[[R]] : tensor<?x4xf32> -> tensor<2xi64>
// NOINFER: %[[E:.*]] = tern.exp %[[R]] : tensor<?x4xf32>
// NOINFER-NOT: tern.exp
// NOINFER: %[[A:.*]] = tern.add %[[E]], %[[E]]
// NOINFER: %[[C:.*]] = tern.cast %[[A]] : tensor<?x4xf32> to tensor<6x4xf32>
// NOINFER: %[[T:.*]] = tern.transpose %[[C]] {permutation = array<i64: 0, 1>} : tensor<6x4xf32> -> tensor<?x4xf32>
// NOINFER: return %[[S]], %[[T]]
func.func @infer_then_fold(%x: tensor<2x3x4xf32>) -> (tensor<2xi64>, tensor<?x4xf32>) {
  %0 = tern.reshape %x : (tensor<2x3x4xf32>) -> tensor<?x4xf32>
  %1 = tern.shape_of %0 : tensor<?x4xf32> -> tensor<2xi64>
  %2 = tern.exp %0 : tensor<?x4xf32>
  %3 = tern.exp %0 : tensor<?x4xf32>
  %4 = tern.add %2, %3 : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %5 = tern.cast %4 : tensor<?x4xf32> to tensor<6x4xf32>
  %6 = tern.transpose %5 {permutation = array<i64: 0, 1>} : tensor<6x4xf32> -> tensor<?x4xf32>
  return %1, %6 : tensor<2xi64>, tensor<?x4xf32>
}

// -----

// Dead ops go; the identity transpose of a refined value folds away.
// CHECK-LABEL: func.func @dead_and_identity
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: %[[A:.*]] = tern.add %[[X]], %[[B]] : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: return %[[A]] : tensor<4x8xf32>
// NOINFER-LABEL: func.func @dead_and_identity
// NOINFER-NEXT: %[[A:.*]] = tern.add %{{.*}}, %{{.*}} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
// NOINFER-NEXT: %[[T:.*]] = tern.transpose %[[A]] {permutation = array<i64: 0, 1>} : tensor<?x8xf32> -> tensor<4x8xf32>
// NOINFER-NEXT: return %[[T]] : tensor<4x8xf32>
func.func @dead_and_identity(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = tern.add %x, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %1 = tern.sqrt %x : tensor<4x8xf32>
  %2 = tern.transpose %0 {permutation = array<i64: 0, 1>} : tensor<?x8xf32> -> tensor<4x8xf32>
  return %2 : tensor<4x8xf32>
}
