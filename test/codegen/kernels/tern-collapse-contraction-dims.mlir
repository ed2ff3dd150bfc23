// RUN: tern-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(tern-collapse-contraction-dims))' | FileCheck %s

// tern-collapse-contraction-dims merges a contraction role's loops when
// they walk every operand contiguously, so that the stream and tile passes
// (one M, one N, one K) take the contraction.

// A projection whose output is viewed as 16 heads of 192: N = (h, d) over a
// [K, N] weight viewed [K, 16, 192] becomes one N of 3072.
// CHECK-DAG: #[[$X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$W:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[$Y:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @heads
// CHECK: %[[W:.*]] = memref.collapse_shape %{{.*}} {{\[\[}}0], [1, 2]] : memref<64x4x8xbf16> into memref<64x32xbf16>
// CHECK: %[[Y:.*]] = memref.collapse_shape %arg2 {{\[\[}}0], [1, 2]] : memref<1x4x8xf32> into memref<1x32xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$X]], #[[$W]], #[[$Y]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %[[W]] : memref<1x64xf32>, memref<64x32xbf16>) outs(%[[Y]] : memref<1x32xf32>)
// CHECK: arith.extf
func.func @heads(%x: memref<1x64xf32>, %w: memref<64x32xbf16>, %y: memref<1x4x8xf32>) {
  %wh = memref.expand_shape %w [[0], [1, 2]] output_shape [64, 4, 8] : memref<64x32xbf16> into memref<64x4x8xbf16>
  linalg.generic {indexing_maps = [affine_map<(m, h, d, k) -> (m, k)>, affine_map<(m, h, d, k) -> (k, h, d)>, affine_map<(m, h, d, k) -> (m, h, d)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %wh : memref<1x64xf32>, memref<64x4x8xbf16>) outs(%y : memref<1x4x8xf32>) {
  ^bb0(%a: f32, %b: bf16, %acc: f32):
    %bf = arith.extf %b : bf16 to f32
    %p = arith.mulf %a, %bf : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Near-miss: the weight holds the heads' loops in the other order ([K, d,
// h]), so (h, d) is not one contiguous run of it.
// CHECK-LABEL: func.func @heads_transposed
// CHECK-NOT: memref.collapse_shape
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
func.func @heads_transposed(%x: memref<1x64xf32>, %w: memref<64x8x4xf32>, %y: memref<1x4x8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, h, d, k) -> (m, k)>, affine_map<(m, h, d, k) -> (k, d, h)>, affine_map<(m, h, d, k) -> (m, h, d)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<1x64xf32>, memref<64x8x4xf32>) outs(%y : memref<1x4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Near-miss: the output is a strided view (every other head), which
// collapse_shape cannot merge.
// CHECK-LABEL: func.func @strided_output
// CHECK-NOT: memref.collapse_shape
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
func.func @strided_output(%x: memref<1x64xf32>, %w: memref<64x4x8xf32>, %out: memref<1x8x8xf32>) {
  %y = memref.subview %out[0, 0, 0] [1, 4, 8] [1, 2, 1] : memref<1x8x8xf32> to memref<1x4x8xf32, strided<[64, 16, 1]>>
  linalg.generic {indexing_maps = [affine_map<(m, h, d, k) -> (m, k)>, affine_map<(m, h, d, k) -> (k, h, d)>, affine_map<(m, h, d, k) -> (m, h, d)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<1x64xf32>, memref<64x4x8xf32>) outs(%y : memref<1x4x8xf32, strided<[64, 16, 1]>>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Near-miss: one loop per role already.
// CHECK-LABEL: func.func @plain_matmul
// CHECK-NOT: memref.collapse_shape
// CHECK: linalg.matmul
func.func @plain_matmul(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}
