// RUN: tern-opt %s -split-input-file -convert-tern-to-linalg | FileCheck %s

// An embedding lookup: a generic over the result reads the ids through a map
// onto the result's leading dimensions and extracts the table row; negative
// ids count from the end, and the row is clamped into [0, 10).
// CHECK-DAG: #[[$IDS:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @gather_rows
// CHECK-SAME: (%[[T:.*]]: tensor<10x8xf32>, %[[IDS:.*]]: tensor<2x3xi64>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C9:.*]] = arith.constant 9 : index
// CHECK-DAG: %[[C10:.*]] = arith.constant 10 : index
// CHECK: linalg.generic {indexing_maps = [#[[$IDS]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[IDS]] : tensor<2x3xi64>)
// CHECK: ^bb0(%[[ID:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[COL:.*]] = linalg.index 2 : index
// CHECK: %[[I:.*]] = arith.index_cast %[[ID]] : i64 to index
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[I]], %[[C0]]
// CHECK: %[[WRAP:.*]] = arith.addi %[[I]], %[[C10]]
// CHECK: %[[SEL:.*]] = arith.select %[[NEG]], %[[WRAP]], %[[I]]
// CHECK: %[[LO:.*]] = arith.maxsi %[[SEL]], %[[C0]]
// CHECK: %[[ROW:.*]] = arith.minsi %[[LO]], %[[C9]]
// CHECK: %[[E:.*]] = tensor.extract %[[T]][%[[ROW]], %[[COL]]] : tensor<10x8xf32>
// CHECK: linalg.yield %[[E]]
func.func @gather_rows(%t: tensor<10x8xf32>, %ids: tensor<2x3xi64>) -> tensor<2x3x8xf32> {
  %0 = tern.gather %t, %ids {axis = 0 : i64} : (tensor<10x8xf32>, tensor<2x3xi64>) -> tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

// -----

// Gathering along the last axis puts the ids' dimensions last.
// CHECK-DAG: #[[$IDS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @gather_columns
// CHECK: linalg.generic {indexing_maps = [#[[$IDS]], #{{.*}}]
// CHECK: %[[ROW:.*]] = linalg.index 0 : index
// CHECK: tensor.extract %{{.*}}[%[[ROW]], %{{.*}}] : tensor<4x6xf32>
func.func @gather_columns(%x: tensor<4x6xf32>, %ids: tensor<2xi32>) -> tensor<4x2xf32> {
  %0 = tern.gather %x, %ids {axis = 1 : i64} : (tensor<4x6xf32>, tensor<2xi32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// gather_elements: the position is the output's, with the axis coordinate
// taken from the index.
// CHECK-LABEL: func.func @gather_elements
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<4x2xi64>) outs(%{{.*}} : tensor<4x2xf32>)
// CHECK: %[[ROW:.*]] = linalg.index 0 : index
// CHECK: %[[COL:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// CHECK: tensor.extract %{{.*}}[%[[ROW]], %[[COL]]] : tensor<4x8xf32>
func.func @gather_elements(%x: tensor<4x8xf32>, %i: tensor<4x2xi64>) -> tensor<4x2xf32> {
  %0 = tern.gather_elements %x, %i {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// scatter_elements: a parallel loop over the lines of the result along the
// axis (updates elsewhere never meet), each applying its updates in order;
// "add" reads the element it lands on first.
// CHECK-LABEL: func.func @scatter_add
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[I:.*]]: tensor<4x2xi64>, %[[U:.*]]: tensor<4x2xf32>)
// CHECK: %[[R:.*]] = scf.forall (%[[P:.*]]) in (4) shared_outs(%[[OUT:.*]] = %[[X]]) -> (tensor<4x8xf32>)
// CHECK: %[[LINE:.*]] = tensor.extract_slice %[[OUT]][%[[P]], 0] [1, 8] [1, 1] : tensor<4x8xf32> to tensor<1x8xf32>
// CHECK: %[[DONE:.*]] = scf.for %[[Q:.*]] = {{.*}} iter_args(%[[ACC:.*]] = %[[LINE]])
// CHECK: %[[IDX:.*]] = tensor.extract %[[I]][%[[P]], %[[Q]]]
// CHECK: %[[UP:.*]] = tensor.extract %[[U]][%[[P]], %[[Q]]]
// CHECK: %[[COL:.*]] = arith.minsi
// CHECK: %[[OLD:.*]] = tensor.extract %[[ACC]][%{{.*}}, %[[COL]]]
// CHECK: %[[SUM:.*]] = arith.addf %[[OLD]], %[[UP]]
// CHECK: tensor.insert %[[SUM]] into %[[ACC]][%{{.*}}, %[[COL]]]
// CHECK: scf.forall.in_parallel
// CHECK-NEXT: tensor.parallel_insert_slice %[[DONE]] into %[[OUT]][%[[P]], 0] [1, 8] [1, 1]
// CHECK: return %[[R]]
func.func @scatter_add(%x: tensor<4x8xf32>, %i: tensor<4x2xi64>, %u: tensor<4x2xf32>) -> tensor<4x8xf32> {
  %0 = tern.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = "add"} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Without a reduction the update replaces the element: nothing is read.
// With one dimension there are no lines to run in parallel: one loop.
// CHECK-LABEL: func.func @scatter_replace
// CHECK-NOT: scf.forall
// CHECK-NOT: arith.addf
// CHECK: %[[UP:.*]] = tensor.extract %{{.*}} : tensor<3xi32>
// CHECK: tensor.insert %[[UP]] into
func.func @scatter_replace(%x: tensor<5xi32>, %i: tensor<3xi64>, %u: tensor<3xi32>) -> tensor<5xi32> {
  %0 = tern.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<5xi32>, tensor<3xi64>, tensor<3xi32>) -> tensor<5xi32>
  return %0 : tensor<5xi32>
}

// -----

// top-k: a generic over both results with no inputs; output j of a row is
// pick j of j + 1 selection scans over the row (values, then lower indices
// first).
// CHECK-LABEL: func.func @topk_largest
// CHECK-SAME: (%[[X:.*]]: tensor<4x6xf32>)
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<4x2xf32>, tensor<4x2xi64>)
// CHECK: %[[ROW:.*]] = linalg.index 0 : index
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[PICKS:.*]] = arith.addi %[[J]], %{{.*}} : index
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[PICKS]]
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK: tensor.extract %[[X]][%[[ROW]], %[[I]]] : tensor<4x6xf32>
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf oeq
// CHECK: arith.cmpi ult
// CHECK: %[[ID:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK: linalg.yield %{{.*}}, %[[ID]] : f32, i64
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @topk_largest(%x: tensor<4x6xf32>) -> (tensor<4x2xf32>, tensor<4x2xi64>) {
  %v, %i = tern.topk %x {k = 2 : i64} : tensor<4x6xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  return %v, %i : tensor<4x2xf32>, tensor<4x2xi64>
}

// -----

// The smallest k of integers, along the first axis.
// CHECK-LABEL: func.func @topk_smallest_int
// CHECK: %[[COL:.*]] = linalg.index 1 : index
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %[[COL]]] : tensor<5x3xi32>
// CHECK: arith.cmpi slt
// CHECK-NOT: arith.cmpi sgt
func.func @topk_smallest_int(%x: tensor<5x3xi32>) -> (tensor<2x3xi32>, tensor<2x3xi64>) {
  %v, %i = tern.topk %x {k = 2 : i64, axis = 0 : i64, largest = false} : tensor<5x3xi32> -> tensor<2x3xi32>, tensor<2x3xi64>
  return %v, %i : tensor<2x3xi32>, tensor<2x3xi64>
}

// -----

// Interleaved rotary over the whole last dimension: pairs (2i, 2i+1), the
// partner is d xor 1 and the frequency d / 2; cos and sin broadcast over the
// heads (d1).
// CHECK-LABEL: func.func @rotary_interleaved
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3x8xf32>, %[[COS:.*]]: tensor<3x4xf32>, %[[SIN:.*]]: tensor<3x4xf32>)
// CHECK: linalg.generic
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[POS:.*]] = linalg.index 2 : index
// CHECK: %[[D:.*]] = linalg.index 3 : index
// CHECK-NOT: scf.if
// CHECK: %[[FREQ:.*]] = arith.shrui %[[D]]
// CHECK: %[[PARTNER:.*]] = arith.xori %[[D]]
// CHECK: %[[C:.*]] = tensor.extract %[[COS]][%[[POS]], %[[FREQ]]]
// CHECK: %[[S:.*]] = tensor.extract %[[SIN]][%[[POS]], %[[FREQ]]]
// CHECK: %[[XP:.*]] = tensor.extract %[[X]][%{{.*}}, %{{.*}}, %[[POS]], %[[PARTNER]]]
// CHECK: %[[OTHER:.*]] = arith.mulf %[[XP]], %[[S]]
// CHECK: %[[OWN:.*]] = arith.mulf %[[IN]], %[[C]]
// CHECK: %[[SUB:.*]] = arith.subf %[[OWN]], %[[OTHER]]
// CHECK: %[[ADD:.*]] = arith.addf %[[OWN]], %[[OTHER]]
// CHECK: arith.select %{{.*}}, %[[SUB]], %[[ADD]]
func.func @rotary_interleaved(%x: tensor<1x2x3x8xf32>, %c: tensor<3x4xf32>, %s: tensor<3x4xf32>) -> tensor<1x2x3x8xf32> {
  %0 = tern.rotary %x, %c, %s {interleaved = true} : (tensor<1x2x3x8xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<1x2x3x8xf32>
  return %0 : tensor<1x2x3x8xf32>
}

// -----

// Rotate-half over the first 2 * 2 of 8 values: beyond them x passes through.
// CHECK-LABEL: func.func @rotary_partial
// CHECK: %[[D:.*]] = linalg.index 2 : index
// CHECK: %[[INSIDE:.*]] = arith.cmpi ult, %[[D]], %{{.*}} : index
// CHECK: %[[Y:.*]] = scf.if %[[INSIDE]] -> (f32)
// CHECK: arith.cmpi ult
// CHECK: tensor.extract
// CHECK: } else {
// CHECK-NEXT: scf.yield %{{.*}} : f32
// CHECK: linalg.yield %[[Y]]
func.func @rotary_partial(%x: tensor<2x3x8xf32>, %c: tensor<3x2xf32>, %s: tensor<3x2xf32>) -> tensor<2x3x8xf32> {
  %0 = tern.rotary %x, %c, %s : (tensor<2x3x8xf32>, tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}
