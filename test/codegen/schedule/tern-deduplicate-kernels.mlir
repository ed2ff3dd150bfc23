// RUN: tern-opt %s -split-input-file -tern-deduplicate-kernels | FileCheck %s

// Two layers' kernels that differ only in their names and locations become
// one; both dispatches call it and keep their own sources. A kernel with
// another constant, and one with another signature, stay.
// CHECK-LABEL: func.func @main(
// CHECK: tern.dispatch @kernels::@main_generic_0(%arg0, %arg1) {source = "model.layers.1.mlp"}
// CHECK: tern.dispatch @kernels::@main_generic_0(%arg1, %arg0) {source = "model.layers.2.mlp"}
// CHECK: tern.dispatch @kernels::@main_generic_2(%arg0, %arg1) {source = "model.layers.3.mlp"}
// CHECK: tern.dispatch @kernels::@main_generic_3(%arg2, %arg2)
// CHECK-LABEL: module @kernels
// CHECK: func.func @main_generic_0(
// CHECK-NOT: func.func @main_generic_1(
// CHECK: func.func @main_generic_2(
// CHECK: arith.constant 2.0
// CHECK: func.func @main_generic_3(
// CHECK-NOT: func.func
func.func @main(%a: memref<4xf32>, %b: memref<4xf32>, %c: memref<8xf32>) {
  tern.dispatch @kernels::@main_generic_0(%a, %b) {source = "model.layers.1.mlp"} : memref<4xf32>, memref<4xf32>
  tern.dispatch @kernels::@main_generic_1(%b, %a) {source = "model.layers.2.mlp"} : memref<4xf32>, memref<4xf32>
  tern.dispatch @kernels::@main_generic_2(%a, %b) {source = "model.layers.3.mlp"} : memref<4xf32>, memref<4xf32>
  tern.dispatch @kernels::@main_generic_3(%c, %c) : memref<8xf32>, memref<8xf32>
  return
}
module @kernels {
  func.func @main_generic_0(%x: memref<4xf32>, %y: memref<4xf32>) {
    %c = arith.constant 1.0 : f32
    linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
        ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %s = arith.addf %in, %c : f32
      linalg.yield %s : f32
    } loc("model.layers.1.mlp")
    return
  }
  func.func @main_generic_1(%x: memref<4xf32>, %y: memref<4xf32>) {
    %c = arith.constant 1.0 : f32
    linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
        ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %s = arith.addf %in, %c : f32
      linalg.yield %s : f32
    } loc("model.layers.2.mlp")
    return
  }
  func.func @main_generic_2(%x: memref<4xf32>, %y: memref<4xf32>) {
    %c = arith.constant 2.0 : f32
    linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
        ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %s = arith.addf %in, %c : f32
      linalg.yield %s : f32
    }
    return
  }
  func.func @main_generic_3(%x: memref<8xf32>, %y: memref<8xf32>) {
    %c = arith.constant 1.0 : f32
    linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
        ins(%x : memref<8xf32>) outs(%y : memref<8xf32>) {
    ^bb0(%in: f32, %out: f32):
      %s = arith.addf %in, %c : f32
      linalg.yield %s : f32
    }
    return
  }
}
