// RUN: tern-opt %s -split-input-file -tern-bufferize-functions-in-order | FileCheck %s

// Each function is bufferized alone, in module order: the globals for the
// constants are named in that order (upstream's module bufferization takes
// functions that call nothing in an order set by their addresses), and a
// constant both functions use is one global. The functions keep their order,
// after the globals.
// CHECK-DAG: memref.global "private" constant @[[$FIRST:__constant_4xf32]] : memref<4xf32> = dense<1.000000e+00>
// CHECK-DAG: memref.global "private" constant @[[$SHARED:__constant_4xf32_0]] : memref<4xf32> = dense<3.000000e+00>
// CHECK-DAG: memref.global "private" constant @[[$SECOND:__constant_4xf32_1]] : memref<4xf32> = dense<2.000000e+00>
// CHECK-NOT: memref.global
// CHECK-LABEL: func.func @first
// CHECK-SAME: (%{{.*}}: memref<4xf32>) -> memref<4xf32>
// CHECK-DAG: memref.get_global @[[$FIRST]]
// CHECK-DAG: memref.get_global @[[$SHARED]]
// CHECK-LABEL: func.func @second
// CHECK-SAME: (%{{.*}}: memref<4xf32>) -> memref<4xf32>
// CHECK-DAG: memref.get_global @[[$SECOND]]
// CHECK-DAG: memref.get_global @[[$SHARED]]
#map = affine_map<(d0) -> (d0)>
func.func @first(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = arith.constant dense<1.0> : tensor<4xf32>
  %s = arith.constant dense<3.0> : tensor<4xf32>
  %e = tensor.empty() : tensor<4xf32>
  %y = linalg.generic {indexing_maps = [#map, #map, #map, #map], iterator_types = ["parallel"]}
      ins(%x, %c, %s : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32, %d: f32, %o: f32):
    %p = arith.mulf %a, %b : f32
    %q = arith.addf %p, %d : f32
    linalg.yield %q : f32
  } -> tensor<4xf32>
  return %y : tensor<4xf32>
}
func.func @second(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = arith.constant dense<2.0> : tensor<4xf32>
  %s = arith.constant dense<3.0> : tensor<4xf32>
  %e = tensor.empty() : tensor<4xf32>
  %y = linalg.generic {indexing_maps = [#map, #map, #map, #map], iterator_types = ["parallel"]}
      ins(%x, %c, %s : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32, %d: f32, %o: f32):
    %p = arith.mulf %a, %b : f32
    %q = arith.addf %p, %d : f32
    linalg.yield %q : f32
  } -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A function that calls another: the module is bufferized as a whole (the
// callee first, by the call graph), as upstream does.
// CHECK-LABEL: func.func private @callee
// CHECK-SAME: (%{{.*}}: memref<4xf32>) -> memref<4xf32>
// CHECK-LABEL: func.func @caller
// CHECK: call @callee(%{{.*}}) : (memref<4xf32>) -> memref<4xf32>
func.func private @callee(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @caller(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = call @callee(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
