// RUN: tern-opt %s -split-input-file -tern-check-lowered-to-linalg -verify-diagnostics | FileCheck %s

// Nothing of tern left: the module passes unchanged.
// CHECK-LABEL: func.func @lowered
// CHECK: math.exp
func.func @lowered(%x: f32) -> f32 {
  %0 = math.exp %x : f32
  return %0 : f32
}

// -----

// Every op left is reported, dynamic shapes with the remedy.
func.func @left(%x: tensor<?xf32>, %y: tensor<4xf32>) -> (tensor<?xf32>, tensor<4xf32>) {
  // expected-error @+1 {{'tern.sigmoid' has no lowering to linalg yet for dynamic shapes (pin them with --dim)}}
  %0 = tern.sigmoid %x : tensor<?xf32>
  // expected-error @+1 {{'tern.sigmoid' has no lowering to linalg yet}}
  %1 = tern.sigmoid %y : tensor<4xf32>
  return %0, %1 : tensor<?xf32>, tensor<4xf32>
}
