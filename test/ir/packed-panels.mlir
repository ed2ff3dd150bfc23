// RUN: tern-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// #tern.packed_panels: a weight in panels of columns contiguous along K
// (tern-pack-weight-panels; the plan writer packs it: host plans' outputs
// against numpy in test/runtime/host-threads.test, host-avx512.test and
// weight-panels.test). It round-trips; its verifier names the packed type
// the source implies.

// A [64, 40] weight in panels of 16: 3 panels, the last 8 columns wide
// (zeros after); an [N, K] source transposed; a block-quantized source.
// CHECK-LABEL: func.func @panels
// CHECK: arith.constant #tern.packed_panels<source = dense_resource<w> : tensor<64x40xf32>, columns = 16> : tensor<3x64x16xf32>
// CHECK: arith.constant #tern.packed_panels<source = dense_resource<w> : tensor<64x40xf32>, columns = 32, transposed = true> : tensor<2x40x32xf32>
// CHECK: arith.constant #tern.packed_panels<source = #tern.block_quantized<source = dense_resource<b> : tensor<200x130xbf16>, blockRows = 128, blockCols = 128> : tensor<200x130xf8E4M3FN>, columns = 16> : tensor<9x200x16xf8E4M3FN>
func.func @panels() -> (tensor<3x64x16xf32>, tensor<2x40x32xf32>, tensor<9x200x16xf8E4M3FN>) {
  %0 = arith.constant #tern.packed_panels<source = dense_resource<w> : tensor<64x40xf32>, columns = 16> : tensor<3x64x16xf32>
  %1 = arith.constant #tern.packed_panels<source = dense_resource<w> : tensor<64x40xf32>, columns = 32, transposed = true> : tensor<2x40x32xf32>
  %2 = arith.constant #tern.packed_panels<source = #tern.block_quantized<source = dense_resource<b> : tensor<200x130xbf16>, blockRows = 128, blockCols = 128> : tensor<200x130xf8E4M3FN>, columns = 16> : tensor<9x200x16xf8E4M3FN>
  return %0, %1, %2 : tensor<3x64x16xf32>, tensor<2x40x32xf32>, tensor<9x200x16xf8E4M3FN>
}

// -----

func.func @wrong_type() -> tensor<3x40x16xf32> {
  // expected-error @+1 {{packed_panels of 'tensor<64x40xf32>' in panels of 16 columns have type 'tensor<3x64x16xf32>', not 'tensor<3x40x16xf32>'}}
  %0 = arith.constant #tern.packed_panels<source = dense_resource<w> : tensor<64x40xf32>, columns = 16> : tensor<3x40x16xf32>
  return %0 : tensor<3x40x16xf32>
}

// -----

func.func @wrong_type_transposed() -> tensor<3x64x16xf32> {
  // expected-error @+1 {{packed_panels of 'tensor<64x40xf32>' (transposed) in panels of 16 columns have type 'tensor<4x40x16xf32>', not 'tensor<3x64x16xf32>'}}
  %0 = arith.constant #tern.packed_panels<source = dense_resource<w> : tensor<64x40xf32>, columns = 16, transposed = true> : tensor<3x64x16xf32>
  return %0 : tensor<3x64x16xf32>
}

// -----

func.func @zero_columns() -> tensor<1x64x0xf32> {
  // expected-error @+1 {{packed_panels columns must be at least 1, got 0}}
  %0 = arith.constant #tern.packed_panels<source = dense_resource<w> : tensor<64x40xf32>, columns = 0> : tensor<1x64x0xf32>
  return %0 : tensor<1x64x0xf32>
}

// -----

func.func @vector_source() -> tensor<1x1x16xf32> {
  // expected-error @+1 {{packed_panels source must be a static non-empty 2-D matrix of 8, 16, 32 or 64-bit elements, got 'tensor<16xf32>'}}
  %0 = arith.constant #tern.packed_panels<source = dense_resource<w> : tensor<16xf32>, columns = 16> : tensor<1x1x16xf32>
  return %0 : tensor<1x1x16xf32>
}

// -----

func.func @boolean_source() -> tensor<1x4x16xi1> {
  // expected-error @+1 {{packed_panels source must be a static non-empty 2-D matrix of 8, 16, 32 or 64-bit elements, got 'tensor<4x4xi1>'}}
  %0 = arith.constant #tern.packed_panels<source = dense<true> : tensor<4x4xi1>, columns = 16> : tensor<1x4x16xi1>
  return %0 : tensor<1x4x16xi1>
}

// -----

func.func @concat_source() -> tensor<1x4x16xf32> {
  // expected-error @+1 {{packed_panels source must be dense, dense_resource, block_quantized or block_dequantized data}}
  %0 = arith.constant #tern.packed_panels<source = #tern.concat_elements<parts = [dense_resource<w> : tensor<4x4xf32>], transposedGroups = 1> : tensor<4x4xf32>, columns = 16> : tensor<1x4x16xf32>
  return %0 : tensor<1x4x16xf32>
}
