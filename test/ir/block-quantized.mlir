// RUN: tern-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// #tern.block_quantized: a weight's FP8 data or f32 scales in blocks
// (ternc --weights=fp8-block), and #tern.block_dequantized: FP8 data and
// its block scales as bf16 (ternc --weights=bf16), computed by the plan
// writer (test/frontend/hf/weights.test checks their bytes). They
// round-trip; their verifiers name the types the operands imply.

// A [200, 130] weight in 128x128 blocks: data [200, 130], scales [2, 2]
// (partial blocks at both edges); inside a stored transpose too.
// CHECK-LABEL: func.func @weight
// CHECK: arith.constant #tern.block_quantized<source = dense_resource<w> : tensor<200x130xbf16>, blockRows = 128, blockCols = 128> : tensor<200x130xf8E4M3FN>
// CHECK: arith.constant #tern.block_quantized<source = dense_resource<w> : tensor<200x130xbf16>, blockRows = 128, blockCols = 128, scales = true> : tensor<2x2xf32>
// CHECK: arith.constant #tern.concat_elements<parts = [#tern.block_quantized<source = dense_resource<w> : tensor<200x130xbf16>, blockRows = 128, blockCols = 128> : tensor<200x130xf8E4M3FN>], transposedGroups = 1> : tensor<130x200xf8E4M3FN>
func.func @weight() -> (tensor<200x130xf8E4M3FN>, tensor<2x2xf32>, tensor<130x200xf8E4M3FN>) {
  %0 = arith.constant #tern.block_quantized<source = dense_resource<w> : tensor<200x130xbf16>, blockRows = 128, blockCols = 128> : tensor<200x130xf8E4M3FN>
  %1 = arith.constant #tern.block_quantized<source = dense_resource<w> : tensor<200x130xbf16>, blockRows = 128, blockCols = 128, scales = true> : tensor<2x2xf32>
  %2 = arith.constant #tern.concat_elements<parts = [#tern.block_quantized<source = dense_resource<w> : tensor<200x130xbf16>, blockRows = 128, blockCols = 128> : tensor<200x130xf8E4M3FN>], transposedGroups = 1> : tensor<130x200xf8E4M3FN>
  return %0, %1, %2 : tensor<200x130xf8E4M3FN>, tensor<2x2xf32>, tensor<130x200xf8E4M3FN>
}

// -----

func.func @wrong_scales_shape() -> tensor<1x2xf32> {
  // expected-error @+1 {{block_quantized scales of 'tensor<200x130xbf16>' in 128x128 blocks have type 'tensor<2x2xf32>', not 'tensor<1x2xf32>'}}
  %0 = arith.constant #tern.block_quantized<source = dense_resource<w> : tensor<200x130xbf16>, blockRows = 128, blockCols = 128, scales = true> : tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

func.func @wrong_data_type() -> tensor<200x130xf8E5M2> {
  // expected-error @+1 {{block_quantized data of 'tensor<200x130xbf16>' in 128x128 blocks have type 'tensor<200x130xf8E4M3FN>', not 'tensor<200x130xf8E5M2>'}}
  %0 = arith.constant #tern.block_quantized<source = dense_resource<w> : tensor<200x130xbf16>, blockRows = 128, blockCols = 128> : tensor<200x130xf8E5M2>
  return %0 : tensor<200x130xf8E5M2>
}

// -----

func.func @integer_source() -> tensor<4x4xf8E4M3FN> {
  // expected-error @+1 {{block_quantized source must be a static 2-D bf16, f16 or f32 matrix, got 'tensor<4x4xi8>'}}
  %0 = arith.constant #tern.block_quantized<source = dense<1> : tensor<4x4xi8>, blockRows = 128, blockCols = 128> : tensor<4x4xf8E4M3FN>
  return %0 : tensor<4x4xf8E4M3FN>
}

// -----

func.func @empty_block() -> tensor<4x4xf8E4M3FN> {
  // expected-error @+1 {{block_quantized blocks must be at least 1x1, got 0x128}}
  %0 = arith.constant #tern.block_quantized<source = dense<1.0> : tensor<4x4xf32>, blockRows = 0, blockCols = 128> : tensor<4x4xf8E4M3FN>
  return %0 : tensor<4x4xf8E4M3FN>
}

// -----

func.func @nested() -> tensor<4x4xf8E4M3FN> {
  // expected-error @+1 {{block_quantized source must be dense or dense_resource data}}
  %0 = arith.constant #tern.block_quantized<source = #tern.concat_elements<parts = [dense<1.0> : tensor<4x4xf32>]> : tensor<4x4xf32>, blockRows = 128, blockCols = 128> : tensor<4x4xf8E4M3FN>
  return %0 : tensor<4x4xf8E4M3FN>
}

// -----

// CHECK-LABEL: func.func @dequantized
// CHECK: arith.constant #tern.block_dequantized<data = dense_resource<q> : tensor<200x130xf8E4M3FN>, scales = dense_resource<s> : tensor<2x2xf32>, blockRows = 128, blockCols = 128> : tensor<200x130xbf16>
func.func @dequantized() -> tensor<200x130xbf16> {
  %0 = arith.constant #tern.block_dequantized<data = dense_resource<q> : tensor<200x130xf8E4M3FN>, scales = dense_resource<s> : tensor<2x2xf32>, blockRows = 128, blockCols = 128> : tensor<200x130xbf16>
  return %0 : tensor<200x130xbf16>
}

// -----

func.func @dequantized_scales() -> tensor<200x130xbf16> {
  // expected-error @+1 {{block_dequantized scales of 'tensor<200x130xf8E4M3FN>' in 128x128 blocks must be 'tensor<2x2xf32>', got 'tensor<1x2xf32>'}}
  %0 = arith.constant #tern.block_dequantized<data = dense_resource<q> : tensor<200x130xf8E4M3FN>, scales = dense_resource<s> : tensor<1x2xf32>, blockRows = 128, blockCols = 128> : tensor<200x130xbf16>
  return %0 : tensor<200x130xbf16>
}

// -----

func.func @dequantized_type() -> tensor<200x130xf32> {
  // expected-error @+1 {{block_dequantized of 'tensor<200x130xf8E4M3FN>' has type 'tensor<200x130xbf16>', not 'tensor<200x130xf32>'}}
  %0 = arith.constant #tern.block_dequantized<data = dense_resource<q> : tensor<200x130xf8E4M3FN>, scales = dense_resource<s> : tensor<2x2xf32>, blockRows = 128, blockCols = 128> : tensor<200x130xf32>
  return %0 : tensor<200x130xf32>
}

// -----

func.func @dequantized_e5m2() -> tensor<4x4xbf16> {
  // expected-error @+1 {{block_dequantized data must be a static 2-D f8E4M3FN matrix, got 'tensor<4x4xf8E5M2>'}}
  %0 = arith.constant #tern.block_dequantized<data = dense_resource<q> : tensor<4x4xf8E5M2>, scales = dense_resource<s> : tensor<1x1xf32>, blockRows = 128, blockCols = 128> : tensor<4x4xbf16>
  return %0 : tensor<4x4xbf16>
}
