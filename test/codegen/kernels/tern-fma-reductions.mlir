// RUN: tern-opt %s -split-input-file -tern-fma-reductions | FileCheck %s

// A product the contraction emitters left (dynamic rows): the named op
// becomes a generic whose body adds the product with one rounding.
// CHECK-LABEL: func.func @dynamic_matmul
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[OUT:.*]]: f32):
// CHECK-NEXT: %[[SUM:.*]] = math.fma %[[X]], %[[Y]], %[[OUT]] : f32
// CHECK-NEXT: linalg.yield %[[SUM]]
// CHECK-NOT: linalg.matmul
func.func @dynamic_matmul(%a: memref<?x8xf32>, %b: memref<8x4xf32>, %c: memref<?x4xf32>) {
  linalg.matmul ins(%a, %b : memref<?x8xf32>, memref<8x4xf32>) outs(%c : memref<?x4xf32>)
  return
}

// -----

// A generic reduction whose body widens and scales first (a block-scaled
// weight): only its last product and sum fuse; f64 too.
// CHECK-LABEL: func.func @scaled_f64
// CHECK: %[[W:.*]] = arith.mulf %{{.*}}, %{{.*}} : f64
// CHECK-NEXT: math.fma %{{.*}}, %[[W]], %{{.*}} : f64
// CHECK-NOT: arith.addf
#x = affine_map<(m, k) -> (m, k)>
#w = affine_map<(m, k) -> (k)>
#y = affine_map<(m, k) -> (m)>
func.func @scaled_f64(%a: memref<4x8xf64>, %b: memref<8xf64>, %c: memref<4xf64>) {
  %s = arith.constant 2.0 : f64
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf64>, memref<8xf64>) outs(%c : memref<4xf64>) {
  ^bb0(%u: f64, %v: f64, %acc: f64):
    %w = arith.mulf %v, %s : f64
    %p = arith.mulf %u, %w : f64
    %r = arith.addf %acc, %p : f64
    linalg.yield %r : f64
  }
  return
}

// -----

// Near-misses: an elementwise multiply-add (no reduction loop: an ONNX Mul
// then Add keeps both roundings), an integer reduction, a bf16 sum, a
// product read twice, a sum of something else.
// CHECK-LABEL: func.func @near_misses
// CHECK-NOT: math.fma
// CHECK: return
#e = affine_map<(i) -> (i)>
#r_in = affine_map<(i, k) -> (i, k)>
#r_out = affine_map<(i, k) -> (i)>
func.func @near_misses(%a: memref<8xf32>, %b: memref<8xf32>, %c: memref<8xf32>,
                       %ia: memref<4x8xi32>, %ic: memref<4xi32>,
                       %ha: memref<4x8xbf16>, %hc: memref<4xbf16>, %fa: memref<4x8xf32>,
                       %fc: memref<4xf32>) {
  linalg.generic {indexing_maps = [#e, #e, #e], iterator_types = ["parallel"]}
      ins(%a, %b : memref<8xf32>, memref<8xf32>) outs(%c : memref<8xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %out, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#r_in, #r_in, #r_out], iterator_types = ["parallel", "reduction"]}
      ins(%ia, %ia : memref<4x8xi32>, memref<4x8xi32>) outs(%ic : memref<4xi32>) {
  ^bb0(%x: i32, %y: i32, %out: i32):
    %p = arith.muli %x, %y : i32
    %s = arith.addi %out, %p : i32
    linalg.yield %s : i32
  }
  linalg.generic {indexing_maps = [#r_in, #r_in, #r_out], iterator_types = ["parallel", "reduction"]}
      ins(%ha, %ha : memref<4x8xbf16>, memref<4x8xbf16>) outs(%hc : memref<4xbf16>) {
  ^bb0(%x: bf16, %y: bf16, %out: bf16):
    %p = arith.mulf %x, %y : bf16
    %s = arith.addf %out, %p : bf16
    linalg.yield %s : bf16
  }
  linalg.generic {indexing_maps = [#r_in, #r_in, #r_out], iterator_types = ["parallel", "reduction"]}
      ins(%fa, %fa : memref<4x8xf32>, memref<4x8xf32>) outs(%fc : memref<4xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %p = arith.mulf %x, %y : f32
    %q = arith.addf %p, %p : f32
    %s = arith.addf %out, %q : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#r_in, #r_in, #r_out], iterator_types = ["parallel", "reduction"]}
      ins(%fa, %fa : memref<4x8xf32>, memref<4x8xf32>) outs(%fc : memref<4xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %out, %p : f32
    %t = arith.addf %s, %p : f32
    linalg.yield %t : f32
  }
  return
}
