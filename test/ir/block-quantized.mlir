// RUN: tern-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// #tern.block_quantized: a weight's FP8 data or f32 scales in blocks
// (ternc --weights=fp8-block), computed by the plan writer
// (test/frontend/hf/weights-fp8-block.test checks its bytes). It
// round-trips; its verifier names the type the source and blocks imply.

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
