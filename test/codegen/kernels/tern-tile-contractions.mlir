// RUN: tern-opt %s -split-input-file -tern-tile-contractions | FileCheck %s
// RUN: tern-opt %s -split-input-file -tern-tile-contractions="tile-m=2 tile-n=8" | FileCheck %s --check-prefix=WIDE
// RUN: tern-opt %s -split-input-file -tern-tile-contractions="fused-multiply-add=1" | FileCheck %s --check-prefix=FMA
// RUN: not tern-opt %s -tern-tile-contractions="tile-m=0" 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not tern-opt %s -tern-tile-contractions="tile-m=16 tile-n=8" 2>&1 | FileCheck %s --check-prefix=LARGE
// RUN: not tern-opt %s -tern-tile-contractions="tile-m=4611686018427387904 tile-n=4" 2>&1 | FileCheck %s --check-prefix=HUGE

// ZERO: error: tile-m (0) and tile-n (4) must be at least 1 with a product of at most 64
// LARGE: error: tile-m (16) and tile-n (8) must be at least 1 with a product of at most 64
// HUGE: error: tile-m (4611686018427387904) and tile-n (4) must be at least 1 with a product of at most 64

// A matmul whose tiles divide it: a 2 x 2 parallel loop of 4 x 4 tiles,
// their 16 accumulators carried through K, no bounds checks.
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: memref<8x16xf32>, %[[B:.*]]: memref<16x8xf32>, %[[C:.*]]: memref<8x8xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK: scf.parallel (%[[TM:.*]], %[[TN:.*]]) = (%[[C0]], %[[C0]]) to (%[[C2]], %[[C2]]) step (%[[C1]], %[[C1]])
// CHECK-NOT: arith.minui
// CHECK: %[[ROW:.*]] = arith.muli %[[TM]], %[[C4]]
// CHECK: %[[COL:.*]] = arith.muli %[[TN]], %[[C4]]
// CHECK: %[[INIT:.*]] = memref.load %[[C]][%[[ROW]], %[[COL]]]
// CHECK: %[[ACC:.*]]:16 = scf.for %[[K:[a-z0-9_]+]] = %[[C0]] to %[[C16]] step %[[C1]] iter_args(%[[ACC0:[a-z0-9_]+]] = %[[INIT]],
// CHECK-COUNT-4: memref.load %[[A]][%{{.*}}, %[[K]]]
// CHECK-COUNT-4: memref.load %[[B]][%[[K]], %{{.*}}]
// CHECK: %[[PRODUCT:.*]] = arith.mulf
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[ACC0]], %[[PRODUCT]]
// CHECK-COUNT-15: arith.addf
// CHECK: scf.yield %[[SUM]],
// CHECK: memref.store %[[ACC]]#0, %[[C]][%[[ROW]], %[[COL]]]
// CHECK-COUNT-15: memref.store
// CHECK-NOT: scf.if
// CHECK-NOT: linalg.matmul
// CHECK: return

// Tiles of 2 x 8: four of them, one across.
// WIDE-LABEL: func.func @matmul
// WIDE-DAG: %[[ONE:.*]] = arith.constant 1 : index
// WIDE-DAG: %[[FOUR:.*]] = arith.constant 4 : index
// WIDE: scf.parallel (%{{.*}}, %{{.*}}) = (%{{.*}}, %{{.*}}) to (%[[FOUR]], %[[ONE]]) step
// WIDE: scf.for {{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)
func.func @matmul(%a: memref<8x16xf32>, %b: memref<16x8xf32>, %c: memref<8x8xf32>) {
  linalg.matmul ins(%a, %b : memref<8x16xf32>, memref<16x8xf32>) outs(%c : memref<8x8xf32>)
  return
}

// -----

// Five rows: tiles of 3 (two tiles waste one row; tiles of 4 would waste
// three). Loads of the rows past the end read the last row; stores to them
// are skipped. Columns divide and are never checked.
// CHECK-LABEL: func.func @overhanging_rows
// CHECK-SAME: (%[[A:.*]]: memref<5x16xf32>, %[[B:.*]]: memref<16x8xf32>, %[[C:.*]]: memref<5x8xf32>)
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C5:.*]] = arith.constant 5 : index
// CHECK: scf.parallel (%[[TM:.*]], %[[TN:.*]]) =
// CHECK: %[[ROW0:.*]] = arith.muli %[[TM]], %[[C3]]
// CHECK: %[[ROW1:.*]] = arith.addi %[[ROW0]],
// CHECK: %[[LAST1:.*]] = arith.minui %[[ROW1]], %[[C4]]
// CHECK: %[[IN1:.*]] = arith.cmpi ult, %[[ROW1]], %[[C5]]
// CHECK: %[[ROW2:.*]] = arith.addi %[[ROW0]],
// CHECK: %[[LAST2:.*]] = arith.minui %[[ROW2]], %[[C4]]
// CHECK: %[[IN2:.*]] = arith.cmpi ult, %[[ROW2]], %[[C5]]
// CHECK-NOT: arith.cmpi
// CHECK: scf.for {{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)
// CHECK: memref.load %[[A]][%[[ROW0]],
// CHECK: memref.load %[[A]][%[[LAST1]],
// CHECK: memref.load %[[A]][%[[LAST2]],
// CHECK-COUNT-4: memref.store %{{.*}}, %[[C]][%[[ROW0]],
// CHECK: scf.if %[[IN1]] {
// CHECK-NEXT: memref.store %{{.*}}, %[[C]][%[[ROW1]],
// CHECK: scf.if %[[IN2]] {
// CHECK-NEXT: memref.store %{{.*}}, %[[C]][%[[ROW2]],
func.func @overhanging_rows(%a: memref<5x16xf32>, %b: memref<16x8xf32>, %c: memref<5x8xf32>) {
  linalg.matmul ins(%a, %b : memref<5x16xf32>, memref<16x8xf32>) outs(%c : memref<5x8xf32>)
  return
}

// -----

// One row (a decode step's matrix-vector product): tiles of 1 x 4.
// CHECK-LABEL: func.func @one_row
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%{{.*}}, %{{.*}}) to (%[[C1]], %[[C16]])
// CHECK: scf.for {{.*}} -> (f32, f32, f32, f32) {
func.func @one_row(%a: memref<1x32xf32>, %b: memref<32x64xf32>, %c: memref<1x64xf32>) {
  linalg.matmul ins(%a, %b : memref<1x32xf32>, memref<32x64xf32>) outs(%c : memref<1x64xf32>)
  return
}

// -----

// Batch loops come first in the parallel loop, and index every operand.
// CHECK-LABEL: func.func @batch_matmul
// CHECK-SAME: (%[[A:.*]]: memref<3x4x8xf32>, %[[B:.*]]: memref<3x8x4xf32>, %[[C:.*]]: memref<3x4x4xf32>)
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK: scf.parallel (%[[BATCH:.*]], %{{.*}}, %{{.*}}) = (%{{.*}}, %{{.*}}, %{{.*}}) to (%[[C3]],
// CHECK: memref.load %[[C]][%[[BATCH]],
// CHECK: memref.load %[[A]][%[[BATCH]],
// CHECK: memref.load %[[B]][%[[BATCH]],
// CHECK: memref.store %{{.*}}, %[[C]][%[[BATCH]],
func.func @batch_matmul(%a: memref<3x4x8xf32>, %b: memref<3x8x4xf32>, %c: memref<3x4x4xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<3x4x8xf32>, memref<3x8x4xf32>)
                      outs(%c : memref<3x4x4xf32>)
  return
}

// -----

// A generic with the weight first, stored [N, K], and a body that widens
// bf16 operands: operands are read through their maps (the tile's rows run
// along the first input's free loop) and the body is cloned whole for every
// output of the tile.
// With fused-multiply-add (the host's), the widened operands' product is
// added with one rounding.
// FMA-LABEL: func.func @transposed_bf16
// FMA-COUNT-2: arith.extf {{.*}} : bf16 to f32
// FMA-NEXT: math.fma
// FMA-NOT: arith.mulf
// FMA: return
// CHECK-LABEL: func.func @transposed_bf16
// CHECK-SAME: (%[[W:.*]]: memref<8x16xbf16>, %[[X:.*]]: memref<4x16xbf16>, %[[Y:.*]]: memref<4x8xf32>)
// CHECK: memref.load %[[Y]]
// CHECK: scf.for %[[K:[a-z0-9_]+]] = {{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)
// CHECK-COUNT-4: memref.load %[[W]][%{{.*}}, %[[K]]] : memref<8x16xbf16>
// CHECK-COUNT-4: memref.load %[[X]][%{{.*}}, %[[K]]] : memref<4x16xbf16>
// CHECK: arith.extf {{.*}} : bf16 to f32
// CHECK-NEXT: arith.extf {{.*}} : bf16 to f32
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: arith.addf
#wt = affine_map<(m, n, k) -> (n, k)>
#x = affine_map<(m, n, k) -> (m, k)>
#y = affine_map<(m, n, k) -> (m, n)>
func.func @transposed_bf16(%w: memref<8x16xbf16>, %x: memref<4x16xbf16>, %y: memref<4x8xf32>) {
  linalg.generic {indexing_maps = [#wt, #x, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<8x16xbf16>, memref<4x16xbf16>) outs(%y : memref<4x8xf32>) {
  ^bb0(%wv: bf16, %xv: bf16, %acc: f32):
    %0 = arith.extf %wv : bf16 to f32
    %1 = arith.extf %xv : bf16 to f32
    %2 = arith.mulf %1, %0 : f32
    %3 = arith.addf %acc, %2 : f32
    linalg.yield %3 : f32
  }
  return
}

// -----

// Near-miss: on tensors (before bufferization) nothing is tiled.
// CHECK-LABEL: func.func @tensors
// CHECK-NOT: scf.parallel
// CHECK: linalg.matmul
func.func @tensors(%a: tensor<8x16xf32>, %b: tensor<16x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

// Near-miss: dynamic sizes.
// CHECK-LABEL: func.func @dynamic
// CHECK-NOT: scf.parallel
// CHECK: linalg.matmul
func.func @dynamic(%a: memref<?x16xf32>, %b: memref<16x8xf32>, %c: memref<?x8xf32>) {
  linalg.matmul ins(%a, %b : memref<?x16xf32>, memref<16x8xf32>) outs(%c : memref<?x8xf32>)
  return
}

// -----

// Near-miss: a one-element output has no tile larger than one element.
// CHECK-LABEL: func.func @one_element
// CHECK-NOT: scf.parallel
// CHECK: linalg.matmul
func.func @one_element(%a: memref<1x16xf32>, %b: memref<16x1xf32>, %c: memref<1x1xf32>) {
  linalg.matmul ins(%a, %b : memref<1x16xf32>, memref<16x1xf32>) outs(%c : memref<1x1xf32>)
  return
}

// -----

// Near-miss: two reduction loops (a contraction over two dimensions).
// CHECK-LABEL: func.func @two_k_loops
// CHECK-NOT: scf.parallel
// CHECK: linalg.generic
#a2 = affine_map<(m, n, k0, k1) -> (m, k0, k1)>
#b2 = affine_map<(m, n, k0, k1) -> (k0, k1, n)>
#c2 = affine_map<(m, n, k0, k1) -> (m, n)>
func.func @two_k_loops(%a: memref<4x2x8xf32>, %b: memref<2x8x4xf32>, %c: memref<4x4xf32>) {
  linalg.generic {indexing_maps = [#a2, #b2, #c2], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%a, %b : memref<4x2x8xf32>, memref<2x8x4xf32>) outs(%c : memref<4x4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %0 = arith.mulf %x, %y : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// Near-miss: a body that reads its loop indices.
// CHECK-LABEL: func.func @reads_indices
// CHECK-NOT: scf.parallel
// CHECK: linalg.index
#ma = affine_map<(m, n, k) -> (m, k)>
#mb = affine_map<(m, n, k) -> (k, n)>
#mc = affine_map<(m, n, k) -> (m, n)>
func.func @reads_indices(%a: memref<4x8xf32>, %b: memref<8x4xf32>, %c: memref<4x4xf32>) {
  linalg.generic {indexing_maps = [#ma, #mb, #mc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x4xf32>) outs(%c : memref<4x4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %k = linalg.index 2 : index
    %ki = arith.index_cast %k : index to i32
    %kf = arith.sitofp %ki : i32 to f32
    %0 = arith.mulf %x, %y : f32
    %1 = arith.mulf %0, %kf : f32
    %2 = arith.addf %acc, %1 : f32
    linalg.yield %2 : f32
  }
  return
}
