// RUN: tern-opt %s -split-input-file -convert-tern-to-linalg | FileCheck %s
// RUN: tern-opt %s -split-input-file -convert-tern-to-linalg -canonicalize | FileCheck %s --check-prefix=CANON

// tern.moe_experts groups the routing choices by expert (MoEDispatch.h):
// each choice's expert, clamped; the experts' counts and first blocks; one
// scan over the choices in order (one kernel, kept whole) giving each its
// row from its expert's running count, and each row its token; each
// block's expert. Then a kernel over the blocks computes,
// for the used ones only, its expert's MLP on the block's rows through
// views of weights stacked at compile time, and a sum over the choices in
// order reads each choice's row. Two tokens, one choice each, two experts:
// blocks of one row, at most 2 + 2 blocks.

// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$MATRIX:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-LABEL: func.func @experts
// The experts' weights stacked without a copy, transposed: gate and up of
// expert 0 side by side, then of expert 1, [E, hidden, 2 * inter]; down
// [E, inter, hidden].
// CHECK-DAG: %[[GATE_UP:.*]] = arith.constant #tern.concat_elements<parts = [dense<{{\[\[}}1.000000e+00, {{.*}}]> : tensor<2x4xbf16>, dense<{{\[\[}}9.000000e+00, {{.*}}]> : tensor<2x4xbf16>, dense<5.000000e-01> : tensor<2x4xbf16>, dense<2.500000e-01> : tensor<2x4xbf16>], transposedGroups = 2> : tensor<2x4x4xbf16>
// CHECK-DAG: %[[DOWN:.*]] = arith.constant #tern.concat_elements<parts = [dense<{{\[\[}}1.700000e+01, {{.*}}]> : tensor<4x2xbf16>, dense<1.250000e-01> : tensor<4x2xbf16>], transposedGroups = 1> : tensor<2x2x4xbf16>
// The expert index, negative counting from the end, clamped into [0, 2).
// CHECK: %[[EXPERT:.*]] = linalg.generic {{.*}} ins(%arg1 : tensor<2x1xi64>)
// CHECK: arith.cmpi slt
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: %[[COUNT:.*]] = linalg.generic {{.*}} ins(%[[EXPERT]] : tensor<2x1xi64>) outs(%{{.*}} : tensor<2xi64>)
// CHECK: %[[FIRST:.*]] = linalg.generic {{.*}} ins(%[[COUNT]] : tensor<2xi64>) outs(%{{.*}} : tensor<2xi64>)
// The scan: row = first block of the expert + its running count (rows of
// one here), recorded in the choice's position and as the row's token.
// CHECK: %[[SCAN:.*]]:2 = scf.forall (%{{.*}}) in (1) shared_outs(%[[P:.*]] = %{{.*}}, %[[R:.*]] = %{{.*}}) -> (tensor<2x1xi64>, tensor<4xi64>)
// CHECK: scf.for %[[C:.*]] = %c0 to %c2 step %c1 iter_args(%[[PI:.*]] = %[[P]], %[[RI:.*]] = %[[R]], %[[RUNNING:.*]] = %{{.*}})
// CHECK: %[[X:.*]] = tensor.extract %[[EXPERT]][%[[C]], %c0] : tensor<2x1xi64>
// CHECK: %[[RANK:.*]] = tensor.extract %[[RUNNING]]
// CHECK: %[[FIRST_X:.*]] = tensor.extract %[[FIRST]]
// CHECK: %[[ROW:.*]] = arith.addi %[[FIRST_X]], %[[RANK]] : i64
// CHECK: tensor.insert %[[ROW]] into %[[PI]][%[[C]], %c0]
// CHECK: tensor.insert %{{.*}} into %[[RI]]
// CHECK: tensor.insert %{{.*}} into %[[RUNNING]]
// CHECK: } {mapping = [#tern.kernel_iteration]}
// CHECK: %[[BLOCK_EXPERT:.*]] = linalg.generic {{.*}} ins(%[[FIRST]], %[[COUNT]] : tensor<2xi64>, tensor<2xi64>) outs(%{{.*}} : tensor<4xi64>)
// Iteration i computes block i * 3 mod 4 (a stride coprime to the blocks,
// so that the used blocks, a prefix, spread over the threads' ranges).
// CHECK: %[[OUT:.*]] = scf.forall (%[[I:.*]]) in (4) shared_outs(%[[SHARED:.*]] = %{{.*}}) -> (tensor<4x4xf32>)
// CHECK: %[[STEP:.*]] = arith.muli %[[I]], %c3 : index
// CHECK: %[[N:.*]] = arith.remui %[[STEP]], %c4 : index
// CHECK: %[[E64:.*]] = tensor.extract %[[BLOCK_EXPERT]][%[[N]]] : tensor<4xi64>
// CHECK: %[[USED:.*]] = arith.cmpi sge, %[[E64]], %c0_i64
// CHECK: %[[BLOCK:.*]] = scf.if %[[USED]] -> (tensor<1x4xf32>) {
// CHECK: %[[E:.*]] = arith.index_cast %[[E64]] : i64 to index
// The block's rows of the hidden states, through their tokens.
// CHECK: %[[X:.*]] = linalg.generic
// CHECK: tensor.extract %[[SCAN]]#1
// CHECK: tensor.extract %arg0
// CHECK: %[[W1:.*]] = tensor.extract_slice %[[GATE_UP]][%[[E]], 0, 0] [1, 4, 4] [1, 1, 1] : tensor<2x4x4xbf16> to tensor<4x4xbf16>
// CHECK: %[[H:.*]] = linalg.generic {indexing_maps = [#[[$ROW]], #[[$MATRIX]], #{{.*}}], {{.*}} ins(%[[X]], %[[W1]] : tensor<1x4xf32>, tensor<4x4xbf16>)
// CHECK: arith.extf
// CHECK: %[[G:.*]] = tensor.extract_slice %[[H]][0, 0] [1, 2] [1, 1]
// CHECK: %[[U:.*]] = tensor.extract_slice %[[H]][0, 2] [1, 2] [1, 1]
// CHECK: %[[A:.*]] = linalg.generic {{.*}} ins(%[[G]], %[[U]] : tensor<1x2xf32>, tensor<1x2xf32>)
// CHECK: math.exp
// CHECK: %[[W2:.*]] = tensor.extract_slice %[[DOWN]][%[[E]], 0, 0] [1, 2, 4] [1, 1, 1] : tensor<2x2x4xbf16> to tensor<2x4xbf16>
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[$ROW]], #[[$MATRIX]], #{{.*}}], {{.*}} ins(%[[A]], %[[W2]] : tensor<1x2xf32>, tensor<2x4xbf16>)
// CHECK: scf.yield %[[Y]]
// Unused blocks compute nothing: they yield their own rows of the output
// as they are (not a new tensor, which eliminate-empty-tensors would have
// to choose between).
// CHECK: } else {
// CHECK-NEXT: %[[NOTHING:.*]] = tensor.extract_slice %[[SHARED]][%{{.*}}, 0] [1, 4] [1, 1] : tensor<4x4xf32> to tensor<1x4xf32>
// CHECK-NEXT: scf.yield %[[NOTHING]]
// CHECK: tensor.parallel_insert_slice %[[BLOCK]] into %[[SHARED]][%[[N]], 0] [1, 4] [1, 1]
// The choices' rows times their weights, added in choice order.
// CHECK: %[[SUM:.*]] = linalg.generic {{{.*}}iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg2, %[[SCAN]]#0 : tensor<2x1xf32>, tensor<2x1xi64>)
// CHECK: tensor.extract %[[OUT]]
// CHECK: return %[[SUM]]
func.func @experts(%x: tensor<2x4xf32>, %idx: tensor<2x1xi64>, %w: tensor<2x1xf32>) -> tensor<2x4xf32> {
  %g0 = tern.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xbf16>
  %u0 = tern.constant dense<[[9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]> : tensor<2x4xbf16>
  %d0 = tern.constant dense<[[17.0, 18.0], [19.0, 20.0], [21.0, 22.0], [23.0, 24.0]]> : tensor<4x2xbf16>
  %g1 = tern.constant dense<0.5> : tensor<2x4xbf16>
  %u1 = tern.constant dense<0.25> : tensor<2x4xbf16>
  %d1 = tern.constant dense<0.125> : tensor<4x2xbf16>
  %y = tern.moe_experts %x, %idx, %w gate(%g0, %g1) up(%u0, %u1) down(%d0, %d1)
      : (tensor<2x4xf32>, tensor<2x1xi64>, tensor<2x1xf32>, tensor<2x4xbf16>, tensor<2x4xbf16>,
         tensor<2x4xbf16>, tensor<2x4xbf16>, tensor<4x2xbf16>, tensor<4x2xbf16>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Four tokens, two choices each, over two experts: four rows per expert on
// average, so blocks of four rows; at most 8 / 4 + 2 blocks, 16 rows.
// CHECK-LABEL: func.func @blocks_of_rows
// CHECK: scf.forall (%[[I:.*]]) in (4) shared_outs(%[[SHARED:.*]] = %{{.*}}) -> (tensor<16x4xf32>)
// CHECK: %[[N:.*]] = arith.remui %{{.*}}, %c4 : index
// CHECK: %[[FIRST:.*]] = arith.muli %[[N]], %c4 : index
// CHECK: scf.if %{{.*}} -> (tensor<4x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<4x4xf32>, tensor<4x4xbf16>)
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[SHARED]][%[[FIRST]], 0] [4, 4] [1, 1]
func.func @blocks_of_rows(%x: tensor<4x4xf32>, %idx: tensor<4x2xi64>, %w: tensor<4x2xf32>) -> tensor<4x4xf32> {
  %g0 = tern.constant dense<1.0> : tensor<2x4xbf16>
  %u0 = tern.constant dense<2.0> : tensor<2x4xbf16>
  %d0 = tern.constant dense<3.0> : tensor<4x2xbf16>
  %g1 = tern.constant dense<0.5> : tensor<2x4xbf16>
  %u1 = tern.constant dense<0.25> : tensor<2x4xbf16>
  %d1 = tern.constant dense<0.125> : tensor<4x2xbf16>
  %y = tern.moe_experts %x, %idx, %w gate(%g0, %g1) up(%u0, %u1) down(%d0, %d1)
      : (tensor<4x4xf32>, tensor<4x2xi64>, tensor<4x2xf32>, tensor<2x4xbf16>, tensor<2x4xbf16>,
         tensor<2x4xbf16>, tensor<2x4xbf16>, tensor<4x2xbf16>, tensor<4x2xbf16>) -> tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}

// -----

// Sixteen tokens, one choice each, over two experts would make blocks of 8
// rows, but a block's gate and up outputs for an intermediate of 2048 f32
// take 16 KiB per row, and a block's scratch at most 64 KiB
// (tern-kernel-scratch-to-stack): blocks of 4 rows. (DeepSeek-V2-Lite's
// experts, 2 x 1408, failed to compile prompts of 128 tokens before.)
// CHECK-LABEL: func.func @rows_bounded_by_scratch
// CHECK: scf.forall (%{{.*}}) in (6) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<24x4xf32>)
// CHECK: scf.if %{{.*}} -> (tensor<4x4xf32>)
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<4x4096xf32>)
func.func @rows_bounded_by_scratch(%x: tensor<16x4xf32>, %idx: tensor<16x1xi64>, %w: tensor<16x1xf32>) -> tensor<16x4xf32> {
  %g = tern.constant dense<1.0> : tensor<2048x4xbf16>
  %d = tern.constant dense<3.0> : tensor<4x2048xbf16>
  %y = tern.moe_experts %x, %idx, %w gate(%g, %g) up(%g, %g) down(%d, %d)
      : (tensor<16x4xf32>, tensor<16x1xi64>, tensor<16x1xf32>, tensor<2048x4xbf16>, tensor<2048x4xbf16>,
         tensor<2048x4xbf16>, tensor<2048x4xbf16>, tensor<4x2048xbf16>, tensor<4x2048xbf16>) -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

// Weights an export stores [in, out], transposed into the op's [out, in]
// (tern-fuse-moe-experts writes them so): the constants under the
// transposes are stacked as they are, gate and up side by side.
// CHECK-LABEL: func.func @weights_in_out
// CHECK-DAG: arith.constant #tern.concat_elements<parts = [dense<1.000000e+00> : tensor<4x2xbf16>, dense<2.000000e+00> : tensor<4x2xbf16>, dense<5.000000e-01> : tensor<4x2xbf16>, dense<2.500000e-01> : tensor<4x2xbf16>], transposedGroups = 2, partsTransposed = true> : tensor<2x4x4xbf16>
// CHECK-DAG: arith.constant #tern.concat_elements<parts = [dense<3.000000e+00> : tensor<2x4xbf16>, dense<1.250000e-01> : tensor<2x4xbf16>], transposedGroups = 1, partsTransposed = true> : tensor<2x2x4xbf16>
// CHECK-NOT: linalg.transpose
// CHECK: scf.forall
func.func @weights_in_out(%x: tensor<2x4xf32>, %idx: tensor<2x1xi64>, %w: tensor<2x1xf32>) -> tensor<2x4xf32> {
  %g0 = tern.constant dense<1.0> : tensor<4x2xbf16>
  %u0 = tern.constant dense<2.0> : tensor<4x2xbf16>
  %d0 = tern.constant dense<3.0> : tensor<2x4xbf16>
  %g1 = tern.constant dense<0.5> : tensor<4x2xbf16>
  %u1 = tern.constant dense<0.25> : tensor<4x2xbf16>
  %d1 = tern.constant dense<0.125> : tensor<2x4xbf16>
  %tg0 = tern.transpose %g0 {permutation = array<i64: 1, 0>} : tensor<4x2xbf16> -> tensor<2x4xbf16>
  %tu0 = tern.transpose %u0 {permutation = array<i64: 1, 0>} : tensor<4x2xbf16> -> tensor<2x4xbf16>
  %td0 = tern.transpose %d0 {permutation = array<i64: 1, 0>} : tensor<2x4xbf16> -> tensor<4x2xbf16>
  %tg1 = tern.transpose %g1 {permutation = array<i64: 1, 0>} : tensor<4x2xbf16> -> tensor<2x4xbf16>
  %tu1 = tern.transpose %u1 {permutation = array<i64: 1, 0>} : tensor<4x2xbf16> -> tensor<2x4xbf16>
  %td1 = tern.transpose %d1 {permutation = array<i64: 1, 0>} : tensor<2x4xbf16> -> tensor<4x2xbf16>
  %y = tern.moe_experts %x, %idx, %w gate(%tg0, %tg1) up(%tu0, %tu1) down(%td0, %td1)
      : (tensor<2x4xf32>, tensor<2x1xi64>, tensor<2x1xf32>, tensor<2x4xbf16>, tensor<2x4xbf16>,
         tensor<2x4xbf16>, tensor<2x4xbf16>, tensor<4x2xbf16>, tensor<4x2xbf16>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// One expert's gate stored [out, in], the other's [in, out]: one stack
// cannot hold both layouts, so the op stays (reported by
// tern-check-lowered-to-linalg).
// CHECK-LABEL: func.func @weights_mixed_layouts
// CHECK: tern.moe_experts
func.func @weights_mixed_layouts(%x: tensor<2x4xf32>, %idx: tensor<2x1xi64>, %w: tensor<2x1xf32>) -> tensor<2x4xf32> {
  %g0 = tern.constant dense<1.0> : tensor<2x4xbf16>
  %g1 = tern.constant dense<0.5> : tensor<4x2xbf16>
  %u = tern.constant dense<2.0> : tensor<2x4xbf16>
  %d = tern.constant dense<3.0> : tensor<4x2xbf16>
  %tg1 = tern.transpose %g1 {permutation = array<i64: 1, 0>} : tensor<4x2xbf16> -> tensor<2x4xbf16>
  %y = tern.moe_experts %x, %idx, %w gate(%g0, %tg1) up(%u, %u) down(%d, %d)
      : (tensor<2x4xf32>, tensor<2x1xi64>, tensor<2x1xf32>, tensor<2x4xbf16>, tensor<2x4xbf16>,
         tensor<2x4xbf16>, tensor<2x4xbf16>, tensor<4x2xbf16>, tensor<4x2xbf16>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Weights that are not constants cannot be stacked at compile time: the op
// stays, and tern-check-lowered-to-linalg reports it.
// CHECK-LABEL: func.func @weights_not_constant
// CHECK: tern.moe_experts
func.func @weights_not_constant(%x: tensor<2x4xf32>, %idx: tensor<2x1xi64>, %w: tensor<2x1xf32>,
                                %g: tensor<2x4xbf16>, %d: tensor<4x2xbf16>) -> tensor<2x4xf32> {
  %y = tern.moe_experts %x, %idx, %w gate(%g) up(%g) down(%d)
      : (tensor<2x4xf32>, tensor<2x1xi64>, tensor<2x1xf32>, tensor<2x4xbf16>, tensor<2x4xbf16>,
         tensor<4x2xbf16>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// FP8 experts with block scales (blocks of 2 rows and 4 columns; inter 3 is
// not a multiple of 2): the weights stacked as stored, in FP8, and the
// scales beside them the same way, transposed ([E, hidden blocks, gate
// blocks + up blocks] and [E, inter blocks, hidden blocks]). Gate and up are
// two products, each reading its own part of both stacks and dequantizing
// each weight element as it reads it, scale [k / 4, n / 2].
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$MATRIX:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[$SCALE:.*]] = affine_map<(d0, d1, d2) -> (d2 floordiv 4, d1 floordiv 2)>
// CHECK-LABEL: func.func @experts_fp8
// CHECK-DAG: %[[DOWN_SCALES:.*]] = arith.constant #tern.concat_elements<parts = [dense<{{\[\[}}1.400000e+01], [1.500000e+01]]> : tensor<2x1xf32>, dense<2.200000e+01> : tensor<2x1xf32>], transposedGroups = 1> : tensor<2x1x2xf32>
// CHECK-DAG: %[[GATE_UP_SCALES:.*]] = arith.constant #tern.concat_elements<parts = [dense<{{\[\[}}1.000000e+01], [1.100000e+01]]> : tensor<2x1xf32>, dense<{{\[\[}}1.200000e+01], [1.300000e+01]]> : tensor<2x1xf32>, dense<2.000000e+01> : tensor<2x1xf32>, dense<2.100000e+01> : tensor<2x1xf32>], transposedGroups = 2> : tensor<2x1x4xf32>
// CHECK-DAG: %[[DOWN:.*]] = arith.constant #tern.concat_elements<parts = [dense<3.000000e+00> : tensor<4x3xf8E4M3FN>, dense<1.250000e-01> : tensor<4x3xf8E4M3FN>], transposedGroups = 1> : tensor<2x3x4xf8E4M3FN>
// CHECK-DAG: %[[GATE_UP:.*]] = arith.constant #tern.concat_elements<parts = [dense<1.000000e+00> : tensor<3x4xf8E4M3FN>, dense<2.000000e+00> : tensor<3x4xf8E4M3FN>, dense<5.000000e-01> : tensor<3x4xf8E4M3FN>, dense<2.500000e-01> : tensor<3x4xf8E4M3FN>], transposedGroups = 2> : tensor<2x4x6xf8E4M3FN>
// CHECK: scf.if
// CHECK: %[[E:.*]] = arith.index_cast
// CHECK: %[[X:.*]] = linalg.generic
// CHECK: %[[WG:.*]] = tensor.extract_slice %[[GATE_UP]][%[[E]], 0, 0] [1, 4, 3] [1, 1, 1] : tensor<2x4x6xf8E4M3FN> to tensor<4x3xf8E4M3FN>
// CHECK: %[[SG:.*]] = tensor.extract_slice %[[GATE_UP_SCALES]][%[[E]], 0, 0] [1, 1, 2] [1, 1, 1] : tensor<2x1x4xf32> to tensor<1x2xf32>
// CHECK: %[[G:.*]] = linalg.generic {indexing_maps = [#[[$ROW]], #[[$MATRIX]], #[[$SCALE]], #{{.*}}], {{.*}} ins(%[[X]], %[[WG]], %[[SG]] : tensor<1x4xf32>, tensor<4x3xf8E4M3FN>, tensor<1x2xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[Q:.*]]: f8E4M3FN, %[[S:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[Q32:.*]] = arith.extf %[[Q]] : f8E4M3FN to f32
// CHECK-NEXT: %[[WEIGHT:.*]] = arith.mulf %[[Q32]], %[[S]] : f32
// CHECK-NEXT: %[[TERM:.*]] = arith.mulf %[[IN]], %[[WEIGHT]] : f32
// CHECK-NEXT: %[[NEXT:.*]] = arith.addf %[[ACC]], %[[TERM]] : f32
// CHECK-NEXT: linalg.yield %[[NEXT]]
// CHECK: %[[WU:.*]] = tensor.extract_slice %[[GATE_UP]][%[[E]], 0, 3] [1, 4, 3] [1, 1, 1] : tensor<2x4x6xf8E4M3FN> to tensor<4x3xf8E4M3FN>
// CHECK: %[[SU:.*]] = tensor.extract_slice %[[GATE_UP_SCALES]][%[[E]], 0, 2] [1, 1, 2] [1, 1, 1] : tensor<2x1x4xf32> to tensor<1x2xf32>
// CHECK: %[[U:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[WU]], %[[SU]] : tensor<1x4xf32>, tensor<4x3xf8E4M3FN>, tensor<1x2xf32>)
// CHECK: %[[A:.*]] = linalg.generic {{.*}} ins(%[[G]], %[[U]] : tensor<1x3xf32>, tensor<1x3xf32>)
// CHECK: %[[WD:.*]] = tensor.extract_slice %[[DOWN]][%[[E]], 0, 0] [1, 3, 4] [1, 1, 1] : tensor<2x3x4xf8E4M3FN> to tensor<3x4xf8E4M3FN>
// CHECK: %[[SD:.*]] = tensor.extract_slice %[[DOWN_SCALES]][%[[E]], 0, 0] [1, 1, 2] [1, 1, 1] : tensor<2x1x2xf32> to tensor<1x2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$ROW]], #[[$MATRIX]], #[[$SCALE]], #{{.*}}], {{.*}} ins(%[[A]], %[[WD]], %[[SD]] : tensor<1x3xf32>, tensor<3x4xf8E4M3FN>, tensor<1x2xf32>)
func.func @experts_fp8(%x: tensor<2x4xf32>, %idx: tensor<2x1xi64>, %w: tensor<2x1xf32>) -> tensor<2x4xf32> {
  %g0 = tern.constant dense<1.0> : tensor<3x4xf8E4M3FN>
  %u0 = tern.constant dense<2.0> : tensor<3x4xf8E4M3FN>
  %d0 = tern.constant dense<3.0> : tensor<4x3xf8E4M3FN>
  %g1 = tern.constant dense<0.5> : tensor<3x4xf8E4M3FN>
  %u1 = tern.constant dense<0.25> : tensor<3x4xf8E4M3FN>
  %d1 = tern.constant dense<0.125> : tensor<4x3xf8E4M3FN>
  %sg0 = tern.constant dense<[[10.0], [11.0]]> : tensor<2x1xf32>
  %su0 = tern.constant dense<[[12.0], [13.0]]> : tensor<2x1xf32>
  %sd0 = tern.constant dense<[[14.0], [15.0]]> : tensor<2x1xf32>
  %sg1 = tern.constant dense<20.0> : tensor<2x1xf32>
  %su1 = tern.constant dense<21.0> : tensor<2x1xf32>
  %sd1 = tern.constant dense<22.0> : tensor<2x1xf32>
  %y = tern.moe_experts %x, %idx, %w gate(%g0, %g1) up(%u0, %u1) down(%d0, %d1)
      scales gate(%sg0, %sg1) up(%su0, %su1) down(%sd0, %sd1) {block_size = array<i64: 2, 4>}
      : (tensor<2x4xf32>, tensor<2x1xi64>, tensor<2x1xf32>, tensor<3x4xf8E4M3FN>, tensor<3x4xf8E4M3FN>,
         tensor<3x4xf8E4M3FN>, tensor<3x4xf8E4M3FN>, tensor<4x3xf8E4M3FN>, tensor<4x3xf8E4M3FN>,
         tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>,
         tensor<2x1xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// tern.moe_route becomes one kernel: a forall over the tokens, mapped so
// that it stays one, each iteration the reference routing of its token's
// row lowered in place (the sigmoid's exp inside), writing its row of the
// indices and of the weights; nothing of the tern dialect is left.
// CHECK-LABEL: func.func @route
// CHECK-NOT: tern.
// CHECK: %[[ROUTE:.*]]:2 = scf.forall (%[[T:.*]]) in (4) shared_outs(%[[IDX:.*]] = %{{.*}}, %[[W:.*]] = %{{.*}}) -> (tensor<4x2xi64>, tensor<4x2xf32>)
// CHECK: tensor.extract_slice %arg0[%[[T]], 0] [1, 8] [1, 1] : tensor<4x8xf32> to tensor<1x8xf32>
// CHECK-NOT: tern.
// CHECK: math.exp
// CHECK-NOT: tern.
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[IDX]][%[[T]], 0] [1, 2] [1, 1] : tensor<1x2xi64> into tensor<4x2xi64>
// CHECK-NEXT: tensor.parallel_insert_slice %{{.*}} into %[[W]][%[[T]], 0] [1, 2] [1, 1] : tensor<1x2xf32> into tensor<4x2xf32>
// CHECK: } {mapping = [#tern.kernel_iteration]}
// CHECK: return %[[ROUTE]]#0, %[[ROUTE]]#1
func.func @route(%logits: tensor<4x8xf32>, %bias: tensor<8xf32>) -> (tensor<4x2xi64>, tensor<4x2xf32>) {
  %idx, %w = tern.moe_route %logits, %bias {scoring = "sigmoid", k = 2 : i64, n_group = 4 : i64,
      topk_group = 2 : i64, group_score = "top2_sum", dropped_fill = 0xFFF0000000000000 : f64,
      normalize = true, norm_epsilon = 1.0e-20 : f64, scaling = 2.5 : f64}
      : (tensor<4x8xf32>, tensor<8xf32>) -> (tensor<4x2xi64>, tensor<4x2xf32>)
  return %idx, %w : tensor<4x2xi64>, tensor<4x2xf32>
}

// -----

// One token (a decode step): the routing kernel keeps its forall of one
// iteration through canonicalization (its mapping), so it stays one kernel.
// CANON-LABEL: func.func @route_one_token
// CANON: scf.forall (%{{.*}}) in (1)
// CANON: math.exp
// CANON: } {mapping = [#tern.kernel_iteration]}
func.func @route_one_token(%logits: tensor<1x8xf32>) -> (tensor<1x3xi64>, tensor<1x3xf32>) {
  %idx, %w = tern.moe_route %logits {scoring = "softmax", k = 3 : i64}
      : (tensor<1x8xf32>) -> (tensor<1x3xi64>, tensor<1x3xf32>)
  return %idx, %w : tensor<1x3xi64>, tensor<1x3xf32>
}
