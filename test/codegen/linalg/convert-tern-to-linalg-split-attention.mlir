// RUN: tern-opt %s -split-input-file -convert-tern-to-linalg=split-attention=true -cse | FileCheck %s
// RUN: tern-opt %s -split-input-file -convert-tern-to-linalg -cse | FileCheck %s --check-prefix=MASKED

// tern.mla_attention with last_positions, lowered with split-attention (the
// host's): the positions are cut into chunks (a power of two up to 64 that
// keeps a chunk's scores within 16 KiB, dividing a paged cache's blocks), a
// forall over B x splits (at most 8) takes them round robin, each split an
// online softmax over its chunks up to its query's last position, then the
// splits are combined. Without the option (GPUs), every position is scored
// and the positions after the last are masked.
// Shapes: B = H = 2, N = 4, R = 2, V = 3, L = 4.

// A dense cache of 72 positions: chunks of 64, so 2 chunks and 2 splits; the
// second chunk overhangs the cache, so it is read from position 8 on and
// the positions before 64 in it are left out.
// CHECK-LABEL: func.func @dense
// CHECK-SAME: %[[CACHE:[^:]*]]: tensor<2x72x6xf32>, %{{[^:]*}}: tensor<14x4xf32>, %[[LAST:[^:]*]]: tensor<2xi64>
// CHECK: %[[QUERY:.*]] = tensor.concat dim(2)
// Iteration i computes split i * 3 mod 4 (spread over the threads' ranges:
// a short sequence fills only its first splits).
// CHECK: %[[SPLITS:.*]]:3 = scf.forall (%[[I:.*]]) in (4) shared_outs({{.*}}) -> (tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2x4xf32>)
// CHECK: %[[STEP:.*]] = arith.muli %[[I]], %c3 : index
// CHECK: %[[N:.*]] = arith.remui %[[STEP]], %c4 : index
// CHECK: %[[B:.*]] = arith.divui %[[N]], %[[C2:.*]] : index
// CHECK: %[[J:.*]] = arith.remui %[[N]], %[[C2]] : index
// The query's last position, clamped into [0, 72); the chunks up to it.
// CHECK: tensor.extract %[[LAST]][%[[B]]] : tensor<2xi64>
// CHECK: arith.maxsi %{{.*}}, %c0 : index
// CHECK: %[[CLAMPED:.*]] = arith.minsi %{{.*}}, %c71 : index
// CHECK: %[[USED:.*]] = arith.addi %{{.*}}, %c1 : index
// CHECK: %[[NONEMPTY:.*]] = arith.cmpi ult, %[[J]], %[[USED]] : index
// CHECK: scf.if %[[NONEMPTY]] -> (tensor<2xf32>, tensor<2xf32>, tensor<2x4xf32>)
// CHECK: %[[ROWS:.*]] = tensor.extract_slice %[[QUERY]][%[[B]], 0, 0] [1, 2, 6] [1, 1, 1] : tensor<2x2x6xf32> to tensor<2x6xf32>
// CHECK: scf.for %[[C:.*]] = %[[J]] to %[[USED]] step %[[C2]] iter_args
// CHECK: %[[START:.*]] = arith.muli %[[C]], %c64 : index
// CHECK: %[[VIEW:.*]] = arith.minui %[[START]], %c8 : index
// CHECK: %[[CHUNK:.*]] = tensor.extract_slice %[[CACHE]][%[[B]], %[[VIEW]], 0] [1, 64, 6] [1, 1, 1] : tensor<2x72x6xf32> to tensor<64x6xf32>
// CHECK: %[[LATENTS:.*]] = tensor.extract_slice %[[CACHE]][%[[B]], %[[VIEW]], 0] [1, 64, 4] [1, 1, 1] : tensor<2x72x6xf32> to tensor<64x4xf32>
// CHECK: linalg.generic {{.*}} ins(%[[ROWS]], %[[CHUNK]] : tensor<2x6xf32>, tensor<64x6xf32>) outs(%{{.*}} : tensor<2x64xf32>)
// Scaled, then -inf before the chunk's first position and after the last.
// CHECK: arith.mulf
// CHECK: %[[POS:.*]] = arith.addi %[[VIEW]], %{{.*}} : index
// CHECK: %[[FROM:.*]] = arith.cmpi sge, %[[POS]], %[[START]] : index
// CHECK: %[[TO:.*]] = arith.cmpi sle, %[[POS]], %[[CLAMPED]] : index
// CHECK: arith.andi %[[FROM]], %[[TO]] : i1
// The probabilities times the latents accumulate onto the rescaled sums.
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[LATENTS]] : tensor<2x64xf32>, tensor<64x4xf32>) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: scf.yield
// An empty split leaves its sums unwritten.
// CHECK: } else {
// CHECK: %[[UNTOUCHED:.*]] = tensor.extract_slice %{{.*}}[%[[N]], 0, 0] [1, 2, 4] [1, 1, 1] : tensor<4x2x4xf32> to tensor<2x4xf32>
// CHECK: scf.yield %{{.*}}, %{{.*}}, %[[UNTOUCHED]]
// CHECK: {mapping = [#tern.kernel_iteration]}
// The combine over the 2 splits, then W_UV.
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[SPLITS]]#2
// CHECK: tensor.expand_shape %[[FLAT]] {{.*}} output_shape [2, 2, 2, 4]
// CHECK: } -> tensor<2x2x3xf32>
// MASKED-LABEL: func.func @dense
// MASKED-NOT: scf.forall
// MASKED: linalg.index 2
// MASKED: arith.cmpi sle
// MASKED: } -> tensor<2x2x72xf32>
func.func @dense(%qn: tensor<2x2x4xf32>, %qr: tensor<2x2x2xf32>, %c: tensor<2x72x6xf32>, %w: tensor<14x4xf32>, %p: tensor<2xi64>) -> tensor<2x2x3xf32> {
  %o = tern.mla_attention %qn, %qr, %c, %w last_positions %p {scale = 0.5 : f64}
      : (tensor<2x2x4xf32>, tensor<2x2x2xf32>, tensor<2x72x6xf32>, tensor<14x4xf32>, tensor<2xi64>) -> tensor<2x2x3xf32>
  return %o : tensor<2x2x3xf32>
}

// -----

// A pool of 10 blocks of 16 positions (bf16), 4 blocks per sequence, and a
// mask: a chunk is a block, read at the block the table names (clamped into
// the pool), widened as it is read; the mask is added at each position.
// CHECK-LABEL: func.func @paged
// CHECK-SAME: %[[POOL:[^:]*]]: tensor<10x16x6xbf16>, %{{[^:]*}}: tensor<14x4xf32>, %[[LAST:[^:]*]]: tensor<2xi64>, %[[TABLE:[^:]*]]: tensor<2x4xi32>, %[[MASK:[^:]*]]: tensor<2x1x64xf32>
// CHECK: scf.forall (%{{.*}}) in (8)
// CHECK: scf.for
// CHECK: %[[BLOCK:.*]] = tensor.extract %[[TABLE]][%{{.*}}, %{{.*}}] : tensor<2x4xi32>
// CHECK: arith.index_cast %[[BLOCK]] : i32 to index
// CHECK: arith.maxsi %{{.*}}, %c0 : index
// CHECK: %[[AT:.*]] = arith.minsi %{{.*}}, %c9 : index
// CHECK: %[[ROW:.*]] = arith.remui %{{.*}}, %c16 : index
// CHECK: %[[CHUNK:.*]] = tensor.extract_slice %[[POOL]][%[[AT]], %[[ROW]], 0] [1, 16, 6] [1, 1, 1] : tensor<10x16x6xbf16> to tensor<16x6xbf16>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[CHUNK]] : tensor<2x6xf32>, tensor<16x6xbf16>)
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: tensor.extract %[[MASK]][%{{.*}}, %c0, %{{.*}}] : tensor<2x1x64xf32>
// Without split-attention every position is scored, the pool read through
// the table where each product reads it (no gathered copy of the blocks):
// the scores over [B, H, S] and the latents weighed over S.
// MASKED-LABEL: func.func @paged
// MASKED-SAME: %[[POOL:[^:]*]]: tensor<10x16x6xbf16>, %{{[^:]*}}: tensor<14x4xf32>, %{{[^:]*}}: tensor<2xi64>, %[[TABLE:[^:]*]]: tensor<2x4xi32>
// MASKED-NOT: scf.forall
// MASKED: linalg.generic {{.*}} ins(%{{.*}}, %[[TABLE]] : tensor<2x2x6xf32>, tensor<2x4xi32>) outs(%{{.*}} : tensor<2x2x64xf32>)
// MASKED: %[[ROW:.*]] = arith.remui %{{.*}}, %c16 : index
// MASKED: tensor.extract %[[POOL]][%{{.*}}, %[[ROW]], %{{.*}}] : tensor<10x16x6xbf16>
// MASKED: linalg.generic {{.*}} ins(%{{.*}}, %[[TABLE]] : tensor<2x2x64xf32>, tensor<2x4xi32>) outs(%{{.*}} : tensor<2x2x4xf32>)
// MASKED: tensor.extract %[[POOL]]
// MASKED-NOT: 4x16x6xbf16
func.func @paged(%qn: tensor<2x2x4xf32>, %qr: tensor<2x2x2xf32>, %c: tensor<10x16x6xbf16>, %w: tensor<14x4xf32>, %p: tensor<2xi64>, %t: tensor<2x4xi32>, %m: tensor<2x1x64xf32>) -> tensor<2x2x3xf32> {
  %o = tern.mla_attention %qn, %qr, %c, %w, %m last_positions %p blocks %t {scale = 0.5 : f64}
      : (tensor<2x2x4xf32>, tensor<2x2x2xf32>, tensor<10x16x6xbf16>, tensor<14x4xf32>, tensor<2x1x64xf32>, tensor<2xi64>, tensor<2x4xi32>) -> tensor<2x2x3xf32>
  return %o : tensor<2x2x3xf32>
}

// -----

// Without last_positions the op is lowered over every position, split or
// not: only the mask says what a query sees.
// CHECK-LABEL: func.func @mask_only
// CHECK-NOT: scf.forall
// CHECK: return
func.func @mask_only(%qn: tensor<2x2x4xf32>, %qr: tensor<2x2x2xf32>, %c: tensor<2x72x6xf32>, %w: tensor<14x4xf32>, %m: tensor<2x1x72xf32>) -> tensor<2x2x3xf32> {
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.5 : f64}
      : (tensor<2x2x4xf32>, tensor<2x2x2xf32>, tensor<2x72x6xf32>, tensor<14x4xf32>, tensor<2x1x72xf32>) -> tensor<2x2x3xf32>
  return %o : tensor<2x2x3xf32>
}
