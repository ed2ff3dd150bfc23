// RUN: tern-opt %s -split-input-file -tern-stream-contractions | FileCheck %s
// RUN: tern-opt %s -split-input-file -tern-stream-contractions="block-bytes=64" | FileCheck %s --check-prefix=SMALL
// RUN: tern-opt %s -split-input-file -tern-stream-contractions="block-bytes=256" | FileCheck %s --check-prefix=MID
// RUN: tern-opt %s -split-input-file -tern-stream-contractions="vector-bits=512" | FileCheck %s --check-prefix=AVX512
// RUN: tern-opt %s -split-input-file -tern-stream-contractions -tern-outline-host-tasks | FileCheck %s --check-prefix=TASKS
// RUN: not tern-opt %s -tern-stream-contractions="block-bytes=0" 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not tern-opt %s -tern-stream-contractions="vector-bits=384" 2>&1 | FileCheck %s --check-prefix=BITS

// ZERO: error: block-bytes (0) must be at least 1
// BITS: error: vector-bits (384) must be 128, 256 or 512

// A matrix-vector product with a [K, N] weight: one block of all 64
// columns; K, then the row's operand, then the block's columns, the body
// applied in place, its product added with one rounding (math.fma).
// CHECK-LABEL: func.func @vector_times_matrix
// CHECK-SAME: (%[[A:.*]]: memref<1x32xf32>, %[[B:.*]]: memref<32x64xf32>, %[[C:.*]]: memref<1x64xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG: %[[C64:.*]] = arith.constant 64 : index
// CHECK: scf.parallel (%[[BLOCK:.*]]) = (%[[C0]]) to (%[[C1]]) step (%[[C1]])
// CHECK: %[[FIRST:.*]] = arith.muli %[[BLOCK]], %[[C64]]
// CHECK: %[[END:.*]] = arith.addi %[[FIRST]], %[[C64]]
// CHECK: %[[LAST:.*]] = arith.minui %[[END]], %[[C64]]
// CHECK: scf.for %[[K:.*]] = %[[C0]] to %[[C32]] step %[[C1]] {
// CHECK-NEXT: %[[LHS:.*]] = memref.load %[[A]][%[[C0]], %[[K]]]
// CHECK-NEXT: scf.for %[[N:.*]] = %[[FIRST]] to %[[LAST]] step %[[C1]] {
// CHECK-NEXT: %[[RHS:.*]] = memref.load %[[B]][%[[K]], %[[N]]]
// CHECK-NEXT: %[[ACC:.*]] = memref.load %[[C]][%[[C0]], %[[N]]]
// CHECK-NEXT: %[[SUM:.*]] = math.fma %[[LHS]], %[[RHS]], %[[ACC]] : f32
// CHECK-NEXT: memref.store %[[SUM]], %[[C]][%[[C0]], %[[N]]]
// CHECK-NOT: linalg.matmul

// At most 64 bytes of output per block: 16 f32 columns, four blocks.
// SMALL-LABEL: func.func @vector_times_matrix
// SMALL-DAG: %[[FOUR:.*]] = arith.constant 4 : index
// SMALL-DAG: %[[SIXTEEN:.*]] = arith.constant 16 : index
// SMALL: scf.parallel (%[[BLOCK:.*]]) = (%{{.*}}) to (%[[FOUR]])
// SMALL: arith.muli %[[BLOCK]], %[[SIXTEEN]]
func.func @vector_times_matrix(%a: memref<1x32xf32>, %b: memref<32x64xf32>, %c: memref<1x64xf32>) {
  linalg.matmul ins(%a, %b : memref<1x32xf32>, memref<32x64xf32>) outs(%c : memref<1x64xf32>)
  return
}

// -----

// A batch of matrix products whose weight is a strided view (unit stride
// along N). Its three rows are unrolled: their left operands are loaded
// before the columns loop, and each weight element is loaded once for all
// three. bf16 operands are extended in the body.
// CHECK-LABEL: func.func @batched_view
// CHECK-SAME: (%[[A:.*]]: memref<2x3x8xbf16>, %[[B:.*]]: memref<2x8x41xbf16, strided<[400, 48, 1], offset: ?>>, %[[C:.*]]: memref<2x3x41xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK: scf.parallel (%[[BATCH:.*]], %[[BLOCK:.*]]) =
// CHECK: scf.for %[[K:.*]] =
// CHECK-NEXT: %[[A0:.*]] = memref.load %[[A]][%[[BATCH]], %[[C0]], %[[K]]]
// CHECK-NEXT: %[[A1:.*]] = memref.load %[[A]][%[[BATCH]], %[[C1]], %[[K]]]
// CHECK-NEXT: %[[A2:.*]] = memref.load %[[A]][%[[BATCH]], %[[C2]], %[[K]]]
// CHECK-NEXT: scf.for %[[N:.*]] =
// CHECK-NEXT: %[[W:.*]] = memref.load %[[B]][%[[BATCH]], %[[K]], %[[N]]]
// CHECK-NOT: memref.load %[[B]]
// CHECK: arith.extf %[[A0]]
// CHECK: arith.extf %[[W]]
// CHECK: memref.store %{{.*}}, %[[C]][%[[BATCH]], %[[C0]], %[[N]]]
// CHECK: arith.extf %[[A1]]
// CHECK: memref.store %{{.*}}, %[[C]][%[[BATCH]], %[[C1]], %[[N]]]
// CHECK: arith.extf %[[A2]]
// CHECK: memref.store %{{.*}}, %[[C]][%[[BATCH]], %[[C2]], %[[N]]]
// With 256 bytes, blocks of at most 21 of the 41 columns (3 rows of f32):
// two blocks of 21, the last cut at 41.
// MID-LABEL: func.func @batched_view
// MID-DAG: %[[TWO:.*]] = arith.constant 2 : index
// MID-DAG: %[[C21:.*]] = arith.constant 21 : index
// MID-DAG: %[[C41:.*]] = arith.constant 41 : index
// MID: scf.parallel (%{{.*}}, %[[BLOCK:.*]]) = {{.*}} to (%[[TWO]], %[[TWO]])
// MID: %[[FIRST:.*]] = arith.muli %[[BLOCK]], %[[C21]]
// MID: %[[END:.*]] = arith.addi %[[FIRST]], %[[C21]]
// MID: arith.minui %[[END]], %[[C41]]
// With 64 bytes a block would be 5 columns wide, narrower than a vector
// loop's 16: left for the register tiles.
// SMALL-LABEL: func.func @batched_view
// SMALL-NOT: scf.parallel
// SMALL: linalg.generic
#lhs = affine_map<(b, m, n, k) -> (b, m, k)>
#rhs = affine_map<(b, m, n, k) -> (b, k, n)>
#out = affine_map<(b, m, n, k) -> (b, m, n)>
func.func @batched_view(%a: memref<2x3x8xbf16>, %b: memref<2x8x41xbf16, strided<[400, 48, 1], offset: ?>>,
                        %c: memref<2x3x41xf32>) {
  linalg.generic {indexing_maps = [#lhs, #rhs, #out],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<2x3x8xbf16>, memref<2x8x41xbf16, strided<[400, 48, 1], offset: ?>>)
      outs(%c : memref<2x3x41xf32>) {
  ^bb0(%x: bf16, %w: bf16, %acc: f32):
    %xf = arith.extf %x : bf16 to f32
    %wf = arith.extf %w : bf16 to f32
    %p = arith.mulf %xf, %wf : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Near-miss: a weight stored [N, K] (contiguous along K) is left for the
// register tiles.
// CHECK-LABEL: func.func @transposed_weight
// CHECK-NOT: scf.parallel
// CHECK: linalg.generic
#x = affine_map<(m, n, k) -> (m, k)>
#w = affine_map<(m, n, k) -> (n, k)>
#y = affine_map<(m, n, k) -> (m, n)>
func.func @transposed_weight(%a: memref<1x32xf32>, %b: memref<64x32xf32>, %c: memref<1x64xf32>) {
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<1x32xf32>, memref<64x32xf32>) outs(%c : memref<1x64xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %p = arith.mulf %u, %v : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// More rows than one tile (12 > 8) with an elementwise body: for each slice
// of K (1024 steps of the 2048: a 256 KiB block of the weight), tiles of 6
// rows held in vector registers, 16 columns (two AVX2 registers of f32) at a
// time, through the slice: the accumulators loaded from the output, each
// step of K one vector of the weight's row and each row's left operand
// broadcast, the body on vectors, then stored. The columns past the last
// whole vector (none here) run one at a time.
// CHECK-LABEL: func.func @rows_loop
// CHECK-SAME: (%[[A:.*]]: memref<12x2048xf32>, %[[B:.*]]: memref<2048x64xf32>, %[[C:.*]]: memref<12x64xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG: %[[C12:.*]] = arith.constant 12 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C1024:.*]] = arith.constant 1024 : index
// CHECK-DAG: %[[C2048:.*]] = arith.constant 2048 : index
// CHECK: scf.for %[[FIRST:.*]] = %[[C0]] to %[[C2048]] step %[[C1024]] {
// CHECK: %[[LAST:.*]] = arith.minui %{{.*}}, %[[C2048]]
// CHECK-NEXT: scf.for %[[TILE:.*]] = %[[C0]] to %[[C12]] step %[[C6]] {
// CHECK: scf.for %[[COL:.*]] = %{{.*}} to %{{.*}} step %[[C16]] {
// CHECK-NEXT: %[[ACC0:.*]] = vector.load %[[C]][%[[TILE]], %[[COL]]] : memref<12x64xf32>, vector<16xf32>
// CHECK-COUNT-5: vector.load %[[C]]
// CHECK-NEXT: %[[SUMS:.*]]:6 = scf.for %[[K:.*]] = %[[FIRST]] to %[[LAST]] step %{{.*}} iter_args(%[[ITER0:.*]] = %[[ACC0]], {{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK-NEXT: %[[W:.*]] = vector.load %[[B]][%[[K]], %[[COL]]] : memref<2048x64xf32>, vector<16xf32>
// CHECK-NEXT: %[[X:.*]] = memref.load %[[A]][%[[TILE]], %[[K]]]
// CHECK-NEXT: %[[XS:.*]] = vector.broadcast %[[X]] : f32 to vector<16xf32>
// CHECK-NEXT: math.fma %[[XS]], %[[W]], %[[ITER0]] : vector<16xf32>
// CHECK: scf.yield
// CHECK: vector.store %[[SUMS]]#0, %[[C]][%[[TILE]], %[[COL]]]
// CHECK-COUNT-5: vector.store
// The columns left after the whole vectors.
// CHECK: scf.for %[[K2:.*]] = %[[FIRST]] to %[[LAST]] step
// CHECK-COUNT-6: memref.load %[[A]]
// CHECK-NEXT: scf.for
// With 512-bit registers (AVX-512), 32 columns per tile.
// AVX512-LABEL: func.func @rows_loop
// AVX512: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C32:.*]] {
// AVX512: vector.load {{.*}} vector<32xf32>
// AVX512: math.fma {{.*}} : vector<32xf32>
func.func @rows_loop(%a: memref<12x2048xf32>, %b: memref<2048x64xf32>, %c: memref<12x64xf32>) {
  linalg.matmul ins(%a, %b : memref<12x2048xf32>, memref<2048x64xf32>) outs(%c : memref<12x64xf32>)
  return
}

// -----

// 12 rows of a block-scaled weight (no vector tiles, whose columns need
// not share a block of scales): a loop over whole tiles of 8 rows, then the
// 4 rows left, each tile a loop over K (one slice: all of it, constant
// bounds) with its rows unrolled and its columns in runs of one block of
// scales.
// CHECK-LABEL: func.func @rows_scaled
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C11:.*]] = arith.constant 11 : index
// CHECK-DAG: %[[C256:.*]] = arith.constant 256 : index
// CHECK: scf.for %[[TILE:.*]] = %[[C0]] to %[[C8]] step %[[C8]] {
// CHECK-NEXT: %[[ROW1:.*]] = arith.addi %[[TILE]], %{{.*}}
// CHECK-COUNT-6: arith.addi %[[TILE]]
// CHECK-NEXT: scf.for %[[K:.*]] = %[[C0]] to %[[C256]] step
// CHECK-NEXT: %[[LHS0:.*]] = memref.load %{{.*}}[%[[TILE]], %[[K]]]
// CHECK-NEXT: %[[LHS1:.*]] = memref.load %{{.*}}[%[[ROW1]], %[[K]]]
// CHECK-COUNT-6: memref.load
// CHECK: scf.for %[[SPAN:.*]] =
// CHECK: scf.for %[[N:.*]] =
// CHECK: math.fma %[[LHS0]]
// CHECK: math.fma %[[LHS1]]
// CHECK: scf.for %[[K2:.*]] = %[[C0]] to %[[C256]] step
// CHECK-COUNT-3: memref.load %{{.*}}[%{{.*}}, %[[K2]]]
// CHECK-NEXT: memref.load %{{.*}}[%[[C11]], %[[K2]]]
// CHECK: scf.for
// CHECK-NOT: vector.
#r_x = affine_map<(m, n, k) -> (m, k)>
#r_w = affine_map<(m, n, k) -> (k, n)>
#r_s = affine_map<(m, n, k) -> (k floordiv 128, n floordiv 128)>
#r_y = affine_map<(m, n, k) -> (m, n)>
func.func @rows_scaled(%a: memref<12x256xf32>, %b: memref<256x64xf8E4M3FN>,
                       %s: memref<2x1xf32>, %c: memref<12x64xf32>) {
  linalg.generic {indexing_maps = [#r_x, #r_w, #r_s, #r_y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b, %s : memref<12x256xf32>, memref<256x64xf8E4M3FN>, memref<2x1xf32>)
      outs(%c : memref<12x64xf32>) {
  ^bb0(%u: f32, %q: f8E4M3FN, %scale: f32, %acc: f32):
    %w = arith.extf %q : f8E4M3FN to f32
    %v = arith.mulf %w, %scale : f32
    %p = arith.mulf %u, %v : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// 512 rows: 85 tiles of 6 rows in vector registers, then the 2 rows left,
// share each slice of the weight. With 64 bytes, a block of 8 rows would be 2 columns wide,
// less than a vector loop's 16: left for the register tiles.
// CHECK-LABEL: func.func @many_rows
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG: %[[C510:.*]] = arith.constant 510 : index
// CHECK: scf.parallel
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C510]] step %[[C6]]
// CHECK-NOT: linalg.matmul
// SMALL-LABEL: func.func @many_rows
// SMALL-NOT: scf.parallel
// SMALL: linalg.matmul
func.func @many_rows(%a: memref<512x32xf32>, %b: memref<32x64xf32>, %c: memref<512x64xf32>) {
  linalg.matmul ins(%a, %b : memref<512x32xf32>, memref<32x64xf32>) outs(%c : memref<512x64xf32>)
  return
}

// -----

// A weight packed in panels of 16 (tern-pack-weight-panels), one row: a
// vector tile of the row by one panel's 16 columns through all of K (no
// slices: one tile), the panel's row loaded whole at each step; the 8
// columns after the last whole panel one at a time, read through the map.
// CHECK-LABEL: func.func @panels_one_row
// CHECK-SAME: (%[[A:.*]]: memref<1x32xf32>, %[[B:.*]]: memref<3x32x16xf32>, %[[C:.*]]: memref<1x40xf32>)
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK-NOT: step %[[C32]]
// CHECK: scf.for %[[COL:.*]] = %{{.*}} to %{{.*}} step %[[C16]] {
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %[[C32]] step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (vector<16xf32>)
// CHECK-NEXT: %[[PANEL:.*]] = affine.apply #{{.*}}(%[[COL]])
// CHECK-NEXT: %[[LANE:.*]] = affine.apply #{{.*}}(%[[COL]])
// CHECK-NEXT: %[[W:.*]] = vector.load %[[B]][%[[PANEL]], %[[K]], %[[LANE]]] : memref<3x32x16xf32>, vector<16xf32>
// CHECK: math.fma %{{.*}}, %[[W]], %[[ACC]] : vector<16xf32>
// CHECK: scf.for %[[N:.*]] =
// CHECK: memref.load %[[B]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<3x32x16xf32>
// CHECK: math.fma {{.*}} : f32
// CHECK-NOT: linalg.generic
#p_x = affine_map<(m, n, k) -> (m, k)>
#p_w = affine_map<(m, n, k) -> (n floordiv 16, k, n mod 16)>
#p_y = affine_map<(m, n, k) -> (m, n)>
func.func @panels_one_row(%a: memref<1x32xf32>, %b: memref<3x32x16xf32>, %c: memref<1x40xf32>) {
  linalg.generic {indexing_maps = [#p_x, #p_w, #p_y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<1x32xf32>, memref<3x32x16xf32>) outs(%c : memref<1x40xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %p = arith.mulf %u, %v : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A decode step's product with a paneled weight ([1, 256] x [256, 1024]):
// two blocks of 512 columns, each one vector tile through all of K with
// constant bounds, enough work that the session's threads share the blocks.
// TASKS-LABEL: func.func private @panels_decode_task
// TASKS-SAME: tern.host_task
#d_x = affine_map<(m, n, k) -> (m, k)>
#d_w = affine_map<(m, n, k) -> (n floordiv 16, k, n mod 16)>
#d_y = affine_map<(m, n, k) -> (m, n)>
func.func @panels_decode(%a: memref<1x256xf32>, %b: memref<64x256x16xf32>, %c: memref<1x1024xf32>) {
  linalg.generic {indexing_maps = [#d_x, #d_w, #d_y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<1x256xf32>, memref<64x256x16xf32>) outs(%c : memref<1x1024xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %p = arith.mulf %u, %v : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Near-misses for panels: a map whose panel index is not the one its
// lanes come from (k floordiv 16), and panels of another width than the
// buffer's: left for the plain loops.
// CHECK-LABEL: func.func @panels_near_misses
// CHECK-NOT: vector.load
// CHECK-COUNT-2: linalg.generic
#n_x = affine_map<(m, n, k) -> (m, k)>
#n_y = affine_map<(m, n, k) -> (m, n)>
#q_w = affine_map<(m, n, k) -> (k floordiv 16, n, k mod 16)>
#n_w = affine_map<(m, n, k) -> (n floordiv 8, k, n mod 8)>
func.func @panels_near_misses(%a: memref<1x32xf32>, %b: memref<2x40x16xf32>, %b8: memref<5x32x16xf32>,
                              %c: memref<1x40xf32>) {
  linalg.generic {indexing_maps = [#n_x, #q_w, #n_y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<1x32xf32>, memref<2x40x16xf32>) outs(%c : memref<1x40xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %p = arith.mulf %u, %v : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#n_x, #n_w, #n_y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b8 : memref<1x32xf32>, memref<5x32x16xf32>) outs(%c : memref<1x40xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %p = arith.mulf %u, %v : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Near-miss: an output column view whose N is not unit-stride.
// CHECK-LABEL: func.func @strided_output
// CHECK-NOT: scf.parallel
// CHECK: linalg.matmul
func.func @strided_output(%a: memref<1x32xf32>, %b: memref<32x64xf32>,
                          %c: memref<1x64xf32, strided<[128, 2]>>) {
  linalg.matmul ins(%a, %b : memref<1x32xf32>, memref<32x64xf32>) outs(%c : memref<1x64xf32, strided<[128, 2]>>)
  return
}

// -----

// Near-misses the register tiles also leave alone: tensors, dynamic sizes,
// a body that reads its indices.
// CHECK-LABEL: func.func @tensors
// CHECK: linalg.matmul
func.func @tensors(%a: tensor<1x32xf32>, %b: tensor<32x64xf32>, %c: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<1x32xf32>, tensor<32x64xf32>) outs(%c : tensor<1x64xf32>) -> tensor<1x64xf32>
  return %r : tensor<1x64xf32>
}

// -----

// CHECK-LABEL: func.func @dynamic
// CHECK-NOT: scf.parallel
// CHECK: linalg.matmul
func.func @dynamic(%a: memref<?x32xf32>, %b: memref<32x64xf32>, %c: memref<?x64xf32>) {
  linalg.matmul ins(%a, %b : memref<?x32xf32>, memref<32x64xf32>) outs(%c : memref<?x64xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @reads_indices
// CHECK-NOT: scf.parallel
// CHECK: linalg.index
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (k, n)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @reads_indices(%a: memref<1x32xf32>, %b: memref<32x64xf32>, %c: memref<1x64xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<1x32xf32>, memref<32x64xf32>) outs(%c : memref<1x64xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %k = linalg.index 2 : index
    %ki = arith.index_cast %k : index to i64
    %kf = arith.sitofp %ki : i64 to f32
    %p = arith.mulf %x, %w : f32
    %q = arith.mulf %p, %kf : f32
    %s = arith.addf %acc, %q : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A block-scaled FP8 weight dequantized as it is read (the fused form of
// tern.dequantize and a gemm, and the MoE experts' FP8 products): the scale
// is a third input at functions of K and N alone. The block's columns go in
// runs that one block of scales covers (n floordiv 128), each run's scale
// loaded once before its loop, and the body applied as it is.
// CHECK-DAG: #[[$KBLOCK:.*]] = affine_map<(d0, d1, d2) -> (d2 floordiv 128)>
// CHECK-DAG: #[[$NBLOCK:.*]] = affine_map<(d0, d1, d2) -> (d1 floordiv 128)>
// CHECK-LABEL: func.func @block_scaled_weight
// CHECK-SAME: (%[[A:.*]]: memref<2x256xf32>, %[[B:.*]]: memref<256x64xf8E4M3FN>, %[[S:.*]]: memref<2x1xf32>, %[[C:.*]]: memref<2x64xf32>)
// CHECK-DAG: %[[C127:.*]] = arith.constant 127 : index
// CHECK-DAG: %[[C128:.*]] = arith.constant 128 : index
// CHECK: scf.parallel
// CHECK: %[[FIRST:.*]] = arith.muli
// CHECK: %[[LAST:.*]] = arith.minui
// CHECK: scf.for %[[K:.*]] =
// CHECK: %[[SPAN0:.*]] = arith.divui %[[FIRST]], %[[C128]]
// CHECK-NEXT: %[[END:.*]] = arith.addi %[[LAST]], %[[C127]]
// CHECK-NEXT: %[[SPANS:.*]] = arith.divui %[[END]], %[[C128]]
// CHECK-NEXT: scf.for %[[SPAN:.*]] = %[[SPAN0]] to %[[SPANS]]
// CHECK-NEXT: %[[START:.*]] = arith.muli %[[SPAN]], %[[C128]]
// CHECK-NEXT: %[[LO:.*]] = arith.maxui %[[FIRST]], %[[START]]
// CHECK-NEXT: %[[STOP:.*]] = arith.addi %[[START]], %[[C128]]
// CHECK-NEXT: %[[HI:.*]] = arith.minui %[[LAST]], %[[STOP]]
// CHECK-NEXT: %[[SK:.*]] = affine.apply #[[$KBLOCK]](%{{.*}}, %[[LO]], %[[K]])
// CHECK-NEXT: %[[SN:.*]] = affine.apply #[[$NBLOCK]](%{{.*}}, %[[LO]], %[[K]])
// CHECK-NEXT: %[[SCALE:.*]] = memref.load %[[S]][%[[SK]], %[[SN]]]
// CHECK-NEXT: scf.for %[[N:.*]] = %[[LO]] to %[[HI]]
// CHECK-NEXT: %[[Q:.*]] = memref.load %[[B]][%[[K]], %[[N]]]
// CHECK: %[[W:.*]] = arith.extf %[[Q]] : f8E4M3FN to f32
// CHECK-NEXT: %[[DEQUANT:.*]] = arith.mulf %[[W]], %[[SCALE]]
// CHECK-NEXT: math.fma %{{.*}}, %[[DEQUANT]]
// CHECK-NEXT: memref.store
// CHECK-NOT: linalg.generic
#q1_x = affine_map<(m, n, k) -> (m, k)>
#q1_w = affine_map<(m, n, k) -> (k, n)>
#q1_s = affine_map<(m, n, k) -> (k floordiv 128, n floordiv 128)>
#q1_y = affine_map<(m, n, k) -> (m, n)>
func.func @block_scaled_weight(%a: memref<2x256xf32>, %b: memref<256x64xf8E4M3FN>,
                               %s: memref<2x1xf32>, %c: memref<2x64xf32>) {
  linalg.generic {indexing_maps = [#q1_x, #q1_w, #q1_s, #q1_y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b, %s : memref<2x256xf32>, memref<256x64xf8E4M3FN>, memref<2x1xf32>)
      outs(%c : memref<2x64xf32>) {
  ^bb0(%u: f32, %q: f8E4M3FN, %scale: f32, %acc: f32):
    %w = arith.extf %q : f8E4M3FN to f32
    %v = arith.mulf %w, %scale : f32
    %p = arith.mulf %u, %v : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Blocks of columns hold whole blocks of scales: with 256 bytes, 96 columns
// would go in 2 blocks of 48; they go in blocks of 64 (two blocks of 32
// scales each) and 32, so that no run of columns sharing a scale is cut.
// MID-LABEL: func.func @blocks_of_whole_scales
// MID-DAG: %[[TWO:.*]] = arith.constant 2 : index
// MID-DAG: %[[C64:.*]] = arith.constant 64 : index
// MID-DAG: %[[C96:.*]] = arith.constant 96 : index
// MID: scf.parallel (%[[BLOCK:.*]]) = {{.*}} to (%[[TWO]])
// MID: %[[FIRST:.*]] = arith.muli %[[BLOCK]], %[[C64]]
// MID: %[[END:.*]] = arith.addi %[[FIRST]], %[[C64]]
// MID: arith.minui %[[END]], %[[C96]]
#qb_x = affine_map<(m, n, k) -> (m, k)>
#qb_w = affine_map<(m, n, k) -> (k, n)>
#qb_s = affine_map<(m, n, k) -> (k floordiv 32, n floordiv 32)>
#qb_y = affine_map<(m, n, k) -> (m, n)>
func.func @blocks_of_whole_scales(%a: memref<1x64xf32>, %b: memref<64x96xf8E4M3FN>,
                                  %s: memref<2x3xf32>, %c: memref<1x96xf32>) {
  linalg.generic {indexing_maps = [#qb_x, #qb_w, #qb_s, #qb_y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b, %s : memref<1x64xf32>, memref<64x96xf8E4M3FN>, memref<2x3xf32>)
      outs(%c : memref<1x96xf32>) {
  ^bb0(%u: f32, %q: f8E4M3FN, %scale: f32, %acc: f32):
    %w = arith.extf %q : f8E4M3FN to f32
    %v = arith.mulf %w, %scale : f32
    %p = arith.mulf %u, %v : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A scale per column (n itself, not a block of columns) is loaded at each
// column, beside the weight's element.
// CHECK-DAG: #[[$COLUMN:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @column_scaled_weight
// CHECK: scf.for %[[K:.*]] =
// CHECK-NOT: arith.divui
// CHECK: scf.for %[[N:.*]] =
// CHECK-NEXT: memref.load %{{.*}}[%[[K]], %[[N]]]
// CHECK-NEXT: %[[SN:.*]] = affine.apply #[[$COLUMN]](%{{.*}}, %[[N]], %[[K]])
// CHECK-NEXT: memref.load %{{.*}}[%[[SN]]]
#qc_x = affine_map<(m, n, k) -> (m, k)>
#qc_w = affine_map<(m, n, k) -> (k, n)>
#qc_s = affine_map<(m, n, k) -> (n)>
#qc_y = affine_map<(m, n, k) -> (m, n)>
func.func @column_scaled_weight(%a: memref<2x256xf32>, %b: memref<256x64xi8>,
                                %s: memref<64xf32>, %c: memref<2x64xf32>) {
  linalg.generic {indexing_maps = [#qc_x, #qc_w, #qc_s, #qc_y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b, %s : memref<2x256xf32>, memref<256x64xi8>, memref<64xf32>)
      outs(%c : memref<2x64xf32>) {
  ^bb0(%u: f32, %q: i8, %scale: f32, %acc: f32):
    %w = arith.sitofp %q : i8 to f32
    %v = arith.mulf %w, %scale : f32
    %p = arith.mulf %u, %v : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Near-miss: scales that vary with the row (M) are not a weight's.
// CHECK-LABEL: func.func @scale_per_row
// CHECK-NOT: scf.parallel
// CHECK: linalg.generic
#q2_x = affine_map<(m, n, k) -> (m, k)>
#q2_w = affine_map<(m, n, k) -> (k, n)>
#q2_s = affine_map<(m, n, k) -> (m, k floordiv 128)>
#q2_y = affine_map<(m, n, k) -> (m, n)>
func.func @scale_per_row(%a: memref<2x256xf32>, %b: memref<256x64xf8E4M3FN>,
                         %s: memref<2x2xf32>, %c: memref<2x64xf32>) {
  linalg.generic {indexing_maps = [#q2_x, #q2_w, #q2_s, #q2_y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b, %s : memref<2x256xf32>, memref<256x64xf8E4M3FN>, memref<2x2xf32>)
      outs(%c : memref<2x64xf32>) {
  ^bb0(%u: f32, %q: f8E4M3FN, %scale: f32, %acc: f32):
    %w = arith.extf %q : f8E4M3FN to f32
    %v = arith.mulf %w, %scale : f32
    %p = arith.mulf %u, %v : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Near-miss: the scale multiplies the activation, not the weight; the
// product is not the weight's element times the row's.
// CHECK-LABEL: func.func @scale_on_activation
// CHECK-NOT: scf.parallel
// CHECK: linalg.generic
#q3_x = affine_map<(m, n, k) -> (m, k)>
#q3_w = affine_map<(m, n, k) -> (k, n)>
#q3_s = affine_map<(m, n, k) -> (k floordiv 128, n floordiv 128)>
#q3_y = affine_map<(m, n, k) -> (m, n)>
func.func @scale_on_activation(%a: memref<2x256xf32>, %b: memref<256x64xf8E4M3FN>,
                               %s: memref<2x1xf32>, %c: memref<2x64xf32>) {
  linalg.generic {indexing_maps = [#q3_x, #q3_w, #q3_s, #q3_y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b, %s : memref<2x256xf32>, memref<256x64xf8E4M3FN>, memref<2x1xf32>)
      outs(%c : memref<2x64xf32>) {
  ^bb0(%u: f32, %q: f8E4M3FN, %scale: f32, %acc: f32):
    %w = arith.extf %q : f8E4M3FN to f32
    %x = arith.mulf %u, %scale : f32
    %p = arith.mulf %x, %w : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  }
  return
}
