// RUN: tern-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// #tern.concat_elements: constant data made of other constants' data, in
// order (codegen's stacked expert weights). It round-trips, and its
// verifier names what does not add up.

// CHECK-LABEL: func.func @stacked
// CHECK: arith.constant #tern.concat_elements<parts = [dense<1.000000e+00> : tensor<2x3xf32>, dense_resource<expert1> : tensor<2x3xf32>]> : tensor<2x2x3xf32>
func.func @stacked() -> tensor<2x2x3xf32> {
  %0 = arith.constant #tern.concat_elements<parts = [dense<1.0> : tensor<2x3xf32>, dense_resource<expert1> : tensor<2x3xf32>]> : tensor<2x2x3xf32>
  return %0 : tensor<2x2x3xf32>
}

// Per expert, two [2, 3] parts transposed side by side: [2 experts, 3, 4].
// CHECK-LABEL: func.func @transposed
// CHECK: arith.constant #tern.concat_elements<parts = [dense<1.000000e+00> : tensor<2x3xf32>, dense<2.000000e+00> : tensor<2x3xf32>, dense<3.000000e+00> : tensor<2x3xf32>, dense<4.000000e+00> : tensor<2x3xf32>], transposedGroups = 2> : tensor<2x3x4xf32>
func.func @transposed() -> tensor<2x3x4xf32> {
  %0 = arith.constant #tern.concat_elements<parts = [dense<1.0> : tensor<2x3xf32>, dense<2.0> : tensor<2x3xf32>, dense<3.0> : tensor<2x3xf32>, dense<4.0> : tensor<2x3xf32>], transposedGroups = 2> : tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// One [3, 2] weight stored transposed: a rank-2 block, [2, 3].
// CHECK-LABEL: func.func @one_transposed
// CHECK: arith.constant #tern.concat_elements<parts = [dense_resource<w> : tensor<3x2xbf16>], transposedGroups = 1> : tensor<2x3xbf16>
func.func @one_transposed() -> tensor<2x3xbf16> {
  %0 = arith.constant #tern.concat_elements<parts = [dense_resource<w> : tensor<3x2xbf16>], transposedGroups = 1> : tensor<2x3xbf16>
  return %0 : tensor<2x3xbf16>
}

// Parts given transposed already ([in, out] weights, [3, 2] each) placed
// side by side as they are: [2 experts, 3, 4].
// CHECK-LABEL: func.func @parts_transposed
// CHECK: arith.constant #tern.concat_elements<parts = [dense<1.000000e+00> : tensor<3x2xf32>, dense<2.000000e+00> : tensor<3x2xf32>, dense<3.000000e+00> : tensor<3x2xf32>, dense<4.000000e+00> : tensor<3x2xf32>], transposedGroups = 2, partsTransposed = true> : tensor<2x3x4xf32>
func.func @parts_transposed() -> tensor<2x3x4xf32> {
  %0 = arith.constant #tern.concat_elements<parts = [dense<1.0> : tensor<3x2xf32>, dense<2.0> : tensor<3x2xf32>, dense<3.0> : tensor<3x2xf32>, dense<4.0> : tensor<3x2xf32>], transposedGroups = 2, partsTransposed = true> : tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @parts_transposed_shape() -> tensor<2x3x4xf32> {
  // expected-error @+1 {{concat_elements part 0 must have the shape of part 0, [3, rows]}}
  %0 = arith.constant #tern.concat_elements<parts = [dense<1.0> : tensor<2x3xf32>, dense<2.0> : tensor<2x3xf32>, dense<3.0> : tensor<2x3xf32>, dense<4.0> : tensor<2x3xf32>], transposedGroups = 2, partsTransposed = true> : tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @parts_transposed_without_groups() -> tensor<2x3xf32> {
  // expected-error @+1 {{concat_elements with partsTransposed needs transposedGroups > 0}}
  %0 = arith.constant #tern.concat_elements<parts = [dense<1.0> : tensor<3x2xf32>], partsTransposed = true> : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @transposed_rank() -> tensor<6xf32> {
  // expected-error @+1 {{concat_elements with transposedGroups = 1 needs a type [E, C, R] and E x 1 parts, or [C, R] and 1 parts}}
  %0 = arith.constant #tern.concat_elements<parts = [dense<1.0> : tensor<3x2xf32>], transposedGroups = 1> : tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

func.func @transposed_part_shape() -> tensor<2x3x4xf32> {
  // expected-error @+1 {{concat_elements part 2 must have the shape of part 0, [rows, 3]}}
  %0 = arith.constant #tern.concat_elements<parts = [dense<1.0> : tensor<2x3xf32>, dense<2.0> : tensor<2x3xf32>, dense<3.0> : tensor<3x3xf32>, dense<4.0> : tensor<1x3xf32>], transposedGroups = 2> : tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @count_mismatch() -> tensor<2x2x3xf32> {
  // expected-error @+1 {{concat_elements parts hold 9 elements, 'tensor<2x2x3xf32>' needs 12}}
  %0 = arith.constant #tern.concat_elements<parts = [dense<1.0> : tensor<2x3xf32>, dense<2.0> : tensor<3xf32>]> : tensor<2x2x3xf32>
  return %0 : tensor<2x2x3xf32>
}

// -----

func.func @element_type_mismatch() -> tensor<2x3xf32> {
  // expected-error @+1 {{concat_elements part 1 has element type 'bf16', not 'f32'}}
  %0 = arith.constant #tern.concat_elements<parts = [dense<1.0> : tensor<3xf32>, dense<2.0> : tensor<3xbf16>]> : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @not_data() -> tensor<3xf32> {
  // expected-error @+1 {{concat_elements part 0 must be dense or dense_resource data}}
  %0 = arith.constant #tern.concat_elements<parts = [1.0 : f32]> : tensor<3xf32>
  return %0 : tensor<3xf32>
}
