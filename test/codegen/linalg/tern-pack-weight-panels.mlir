// RUN: tern-opt %s -split-input-file -tern-pack-weight-panels | FileCheck %s
// RUN: tern-opt %s -split-input-file -tern-pack-weight-panels="columns=32" | FileCheck %s --check-prefix=WIDE
// RUN: not tern-opt %s -split-input-file -tern-pack-weight-panels="columns=0" 2>&1 | FileCheck %s --check-prefix=ZERO

// ZERO: error: columns (0) must be at least 1

// An ONNX MatMul's [K, N] weight: packed in panels of 16 columns (the last
// of the 40 half full), the product a generic reading it through
// (n floordiv 16, k, n mod 16), its body as it was.
// CHECK-DAG: #[[$PANELS:.*]] = affine_map<(d0, d1, d2) -> (d1 floordiv 16, d2, d1 mod 16)>
// CHECK-LABEL: func.func @matmul_kn
// CHECK: %[[W:.*]] = arith.constant #tern.packed_panels<source = dense_resource<w> : tensor<64x40xf32>, columns = 16> : tensor<3x64x16xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$PANELS]], #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %[[W]] : tensor<4x64xf32>, tensor<3x64x16xf32>)
// CHECK: arith.mulf
// CHECK-NEXT: arith.addf
// CHECK-NOT: linalg.matmul
// WIDE-LABEL: func.func @matmul_kn
// WIDE: #tern.packed_panels<source = dense_resource<w> : tensor<64x40xf32>, columns = 32> : tensor<2x64x32xf32>
func.func @matmul_kn(%x: tensor<4x64xf32>) -> tensor<4x40xf32> {
  %w = arith.constant dense_resource<w> : tensor<64x40xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x40xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x40xf32>) -> tensor<4x40xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x64xf32>, tensor<64x40xf32>) outs(%init : tensor<4x40xf32>) -> tensor<4x40xf32>
  return %y : tensor<4x40xf32>
}

// -----

// A checkpoint's bf16 [N, K] projection, stored transposed for the product
// (a one-part #tern.concat_elements) and widened in its body: packed from
// the [N, K] part itself, the body's widening kept.
// CHECK-LABEL: func.func @stored_transposed_bf16
// CHECK: %[[W:.*]] = arith.constant #tern.packed_panels<source = dense_resource<q> : tensor<96x64xbf16>, columns = 16, transposed = true> : tensor<6x64x16xbf16>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[W]] : tensor<4x64xbf16>, tensor<6x64x16xbf16>)
// CHECK-COUNT-2: arith.extf
// CHECK-NOT: concat_elements
#x = affine_map<(m, n, k) -> (m, k)>
#w_kn = affine_map<(m, n, k) -> (k, n)>
#w_nk = affine_map<(m, n, k) -> (n, k)>
#y = affine_map<(m, n, k) -> (m, n)>
func.func @stored_transposed_bf16(%x: tensor<4x64xbf16>, %init: tensor<4x96xf32>) -> tensor<4x96xf32> {
  %w = arith.constant #tern.concat_elements<parts = [dense_resource<q> : tensor<96x64xbf16>], transposedGroups = 1> : tensor<64x96xbf16>
  %y = linalg.generic {indexing_maps = [#x, #w_kn, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<4x64xbf16>, tensor<64x96xbf16>) outs(%init : tensor<4x96xf32>) {
  ^bb0(%a: bf16, %b: bf16, %acc: f32):
    %0 = arith.extf %a : bf16 to f32
    %1 = arith.extf %b : bf16 to f32
    %2 = arith.mulf %0, %1 : f32
    %3 = arith.addf %acc, %2 : f32
    linalg.yield %3 : f32
  } -> tensor<4x96xf32>
  return %y : tensor<4x96xf32>
}

// -----

// An [N, K] weight read as it is (n, k), by two products: one packed
// constant, transposed, for both.
// CHECK-LABEL: func.func @two_readers_nk
// CHECK: %[[W:.*]] = arith.constant #tern.packed_panels<source = dense<1.000000e+00> : tensor<32x8xf32>, columns = 16, transposed = true> : tensor<2x8x16xf32>
// CHECK-NOT: arith.constant #tern.packed_panels
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[W]] :
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[W]] :
#x = affine_map<(m, n, k) -> (m, k)>
#w_kn = affine_map<(m, n, k) -> (k, n)>
#w_nk = affine_map<(m, n, k) -> (n, k)>
#y = affine_map<(m, n, k) -> (m, n)>
func.func @two_readers_nk(%x: tensor<2x8xf32>, %init: tensor<2x32xf32>) -> (tensor<2x32xf32>, tensor<2x32xf32>) {
  %w = arith.constant dense<1.0> : tensor<32x8xf32>
  %y = linalg.generic {indexing_maps = [#x, #w_nk, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<2x8xf32>, tensor<32x8xf32>) outs(%init : tensor<2x32xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  } -> tensor<2x32xf32>
  %z = linalg.generic {indexing_maps = [#x, #w_nk, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<2x8xf32>, tensor<32x8xf32>) outs(%init : tensor<2x32xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  } -> tensor<2x32xf32>
  return %y, %z : tensor<2x32xf32>, tensor<2x32xf32>
}

// -----

// Near-misses: a weight that is an argument, a weight also returned (it
// would be stored twice), a batched product, an integer product, a body
// that reads its indices, fewer columns (8) than a panel.
// CHECK-LABEL: func.func @near_misses
// CHECK-NOT: packed_panels
// CHECK: return
#b_x = affine_map<(b, m, n, k) -> (b, m, k)>
#b_w = affine_map<(b, m, n, k) -> (b, k, n)>
#b_y = affine_map<(b, m, n, k) -> (b, m, n)>
#x = affine_map<(m, n, k) -> (m, k)>
#w_kn = affine_map<(m, n, k) -> (k, n)>
#w_nk = affine_map<(m, n, k) -> (n, k)>
#y = affine_map<(m, n, k) -> (m, n)>
func.func @near_misses(%x: tensor<4x64xf32>, %arg: tensor<64x40xf32>, %init: tensor<4x40xf32>,
                       %bx: tensor<2x4x8xf32>, %binit: tensor<2x4x16xf32>,
                       %ix: tensor<4x8xi32>, %iinit: tensor<4x16xi32>)
    -> (tensor<4x40xf32>, tensor<4x40xf32>, tensor<64x40xf32>, tensor<2x4x16xf32>, tensor<4x16xi32>, tensor<4x40xf32>, tensor<4x8xf32>) {
  %a = linalg.matmul ins(%x, %arg : tensor<4x64xf32>, tensor<64x40xf32>) outs(%init : tensor<4x40xf32>) -> tensor<4x40xf32>
  %w = arith.constant dense_resource<w> : tensor<64x40xf32>
  %b = linalg.matmul ins(%x, %w : tensor<4x64xf32>, tensor<64x40xf32>) outs(%init : tensor<4x40xf32>) -> tensor<4x40xf32>
  %bw = arith.constant dense_resource<bw> : tensor<2x8x16xf32>
  %c = linalg.generic {indexing_maps = [#b_x, #b_w, #b_y], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%bx, %bw : tensor<2x4x8xf32>, tensor<2x8x16xf32>) outs(%binit : tensor<2x4x16xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %0 = arith.mulf %u, %v : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  } -> tensor<2x4x16xf32>
  %iw = arith.constant dense<3> : tensor<8x16xi32>
  %d = linalg.matmul ins(%ix, %iw : tensor<4x8xi32>, tensor<8x16xi32>) outs(%iinit : tensor<4x16xi32>) -> tensor<4x16xi32>
  %xw = arith.constant dense_resource<xw> : tensor<64x40xf32>
  %e = linalg.generic {indexing_maps = [#x, #w_kn, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %xw : tensor<4x64xf32>, tensor<64x40xf32>) outs(%init : tensor<4x40xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %i = linalg.index 1 : index
    %ii = arith.index_cast %i : index to i32
    %if = arith.sitofp %ii : i32 to f32
    %0 = arith.mulf %u, %v : f32
    %1 = arith.mulf %0, %if : f32
    %2 = arith.addf %acc, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<4x40xf32>
  %nw = arith.constant dense_resource<nw> : tensor<64x8xf32>
  %ne = tensor.empty() : tensor<4x8xf32>
  %f = linalg.matmul ins(%x, %nw : tensor<4x64xf32>, tensor<64x8xf32>) outs(%ne : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %a, %b, %w, %c, %d, %e, %f : tensor<4x40xf32>, tensor<4x40xf32>, tensor<64x40xf32>, tensor<2x4x16xf32>, tensor<4x16xi32>, tensor<4x40xf32>, tensor<4x8xf32>
}
