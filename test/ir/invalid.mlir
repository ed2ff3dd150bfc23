// RUN: tern-opt %s -split-input-file -verify-diagnostics

// One case per constraint: the ODS type constraints and traits first, then
// each error of the ops' shape inference, then the check of declared result
// types against the inferred ones.

//===----------------------------------------------------------------------===//
// Elementwise: ODS constraints
//===----------------------------------------------------------------------===//

func.func @constant_unsupported_element_type() {
  // expected-error @+1 {{'tern.constant' op result #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit float or f8E4M3FN type or f8E5M2 type or f8E4M3FNUZ type or f8E5M2FNUZ type or 64-bit signless integer or 32-bit signless integer or 16-bit signless integer or 8-bit signless integer or 64-bit unsigned integer or 32-bit unsigned integer or 16-bit unsigned integer or 8-bit unsigned integer or 1-bit signless integer values, but got 'tensor<2xsi16>'}}
  %0 = tern.constant dense<[1, 2]> : tensor<2xsi16>
  return
}

// -----

func.func @sqrt_integer(%x: tensor<4xi32>) {
  // expected-error @+1 {{'tern.sqrt' op operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit float values, but got 'tensor<4xi32>'}}
  %0 = tern.sqrt %x : tensor<4xi32>
  return
}

// -----

// FP8 only crosses quantize ops: no arithmetic on it.
func.func @exp_fp8(%x: tensor<4xf8E4M3FN>) {
  // expected-error @+1 {{'tern.exp' op operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit float values, but got 'tensor<4xf8E4M3FN>'}}
  %0 = tern.exp %x : tensor<4xf8E4M3FN>
  return
}

// -----

func.func @neg_bool(%x: tensor<4xi1>) {
  // expected-error @+1 {{'tern.neg' op operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit float or 64-bit signless integer or 32-bit signless integer or 16-bit signless integer or 8-bit signless integer values, but got 'tensor<4xi1>'}}
  %0 = tern.neg %x : tensor<4xi1>
  return
}

// -----

func.func @not_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tern.not' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = tern.not %x : tensor<4xf32>
  return
}

// -----

func.func @unary_result_type_differs(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tern.relu' op requires the same type for all operands and results}}
  %0 = "tern.relu"(%x) : (tensor<4xf32>) -> tensor<4xf16>
  return
}

// -----

func.func @add_mixed_element_types(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'tern.add' op requires the same element type for all operands}}
  %0 = tern.add %a, %b : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

func.func @add_bool(%a: tensor<4xi1>) {
  // expected-error @+1 {{'tern.add' op operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit float or 64-bit signless integer or 32-bit signless integer or 16-bit signless integer or 8-bit signless integer or 64-bit unsigned integer or 32-bit unsigned integer or 16-bit unsigned integer or 8-bit unsigned integer values, but got 'tensor<4xi1>'}}
  %0 = tern.add %a, %a : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return
}

// -----

func.func @pow_bool(%a: tensor<4xi1>) {
  // expected-error @+1 {{'tern.pow' op operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit float or 64-bit signless integer or 32-bit signless integer or 16-bit signless integer or 8-bit signless integer values, but got 'tensor<4xi1>'}}
  %0 = tern.pow %a, %a : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return
}

// -----

func.func @and_float(%a: tensor<4xf32>) {
  // expected-error @+1 {{'tern.and' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = tern.and %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @compare_result_not_bool(%a: tensor<4xf32>) {
  // expected-error @+1 {{'tern.lt' op result #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = tern.lt %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @compare_fp8(%a: tensor<4xf8E5M2>) {
  // expected-error @+1 {{'tern.gt' op operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit float or 64-bit signless integer or 32-bit signless integer or 16-bit signless integer or 8-bit signless integer or 64-bit unsigned integer or 32-bit unsigned integer or 16-bit unsigned integer or 8-bit unsigned integer values, but got 'tensor<4xf8E5M2>'}}
  %0 = tern.gt %a, %a : (tensor<4xf8E5M2>, tensor<4xf8E5M2>) -> tensor<4xi1>
  return
}

// -----

func.func @where_condition_not_bool(%c: tensor<4xi32>, %a: tensor<4xf32>) {
  // expected-error @+1 {{'tern.where' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xi32>'}}
  %0 = tern.where %c, %a, %a : (tensor<4xi32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @where_value_types_differ(%c: tensor<4xi1>, %a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'tern.where' op failed to verify that all of {true_value, false_value, result} have same element type}}
  %0 = tern.where %c, %a, %b : (tensor<4xi1>, tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

func.func @unranked_operand(%a: tensor<*xf32>) {
  // expected-error @+1 {{'tern.add' op operand #0 must be ranked tensor of}}
  %0 = tern.add %a, %a : (tensor<*xf32>, tensor<*xf32>) -> tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// Elementwise: inference
//===----------------------------------------------------------------------===//

// -----

func.func @add_not_broadcast_compatible(%a: tensor<4x3xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{'tern.add' op shapes [4, 3] and [8] are not broadcast-compatible}}
  %0 = tern.add %a, %b : (tensor<4x3xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return
}

// -----

// The condition's shape takes part in the broadcast.
func.func @where_not_broadcast_compatible(%c: tensor<2x1xi1>, %a: tensor<4xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'tern.where' op shapes [2, 4] and [3, 4] are not broadcast-compatible}}
  %0 = tern.where %c, %a, %b : (tensor<2x1xi1>, tensor<4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @add_result_shape(%a: tensor<4x1xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{'tern.add' op result #0 type 'tensor<4x1xf32>' is incompatible with the inferred type 'tensor<4x8xf32>'}}
  %0 = tern.add %a, %b : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x1xf32>
  return
}

// -----

func.func @add_result_rank(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.add' op result #0 type 'tensor<1x4x8xf32>' is incompatible with the inferred type 'tensor<4x8xf32>'}}
  %0 = tern.add %a, %a : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<1x4x8xf32>
  return
}

// -----

// Nothing in ODS ties an arithmetic result's element type to its operands'.
func.func @mul_result_element_type(%a: tensor<4xf32>) {
  // expected-error @+1 {{'tern.mul' op result #0 type 'tensor<4xi32>' is incompatible with the inferred type 'tensor<4xf32>'}}
  %0 = tern.mul %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi32>
  return
}

// -----

func.func @cast_changes_shape(%x: tensor<3xf32>) {
  // expected-error @+1 {{'tern.cast' op result #0 type 'tensor<4xbf16>' is incompatible with the inferred type 'tensor<3xbf16>'}}
  %0 = tern.cast %x : tensor<3xf32> to tensor<4xbf16>
  return
}

// -----

func.func @cast_unsupported_target(%x: tensor<3xf32>) {
  // expected-error @+1 {{'tern.cast' op result #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit float or f8E4M3FN type or f8E5M2 type or f8E4M3FNUZ type or f8E5M2FNUZ type or 64-bit signless integer or 32-bit signless integer or 16-bit signless integer or 8-bit signless integer or 64-bit unsigned integer or 32-bit unsigned integer or 16-bit unsigned integer or 8-bit unsigned integer or 1-bit signless integer values, but got 'tensor<3xsi8>'}}
  %0 = tern.cast %x : tensor<3xf32> to tensor<3xsi8>
  return
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

// -----

func.func @shape_of_wrong_length(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'tern.shape_of' op result #0 type 'tensor<3xi64>' is incompatible with the inferred type 'tensor<2xi64>'}}
  %0 = tern.shape_of %x : tensor<?x4xf32> -> tensor<3xi64>
  return
}

// -----

func.func @shape_of_i32(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'tern.shape_of' op result #0 must be 1D tensor of 64-bit signless integer values, but got 'tensor<2xi32>'}}
  %0 = tern.shape_of %x : tensor<?x4xf32> -> tensor<2xi32>
  return
}

// -----

func.func @reshape_element_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tern.reshape' op failed to verify that all of {input, result} have same element type}}
  %0 = tern.reshape %x : (tensor<2x3xf32>) -> tensor<6xf16>
  return
}

// -----

func.func @reshape_shape_length(%x: tensor<?x4xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{'tern.reshape' op shape operand has 2 elements but the result has rank 3}}
  %0 = tern.reshape %x, %s : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x2x2xf32>
  return
}

// -----

func.func @reshape_two_dynamic_without_shape(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'tern.reshape' op result shape [?, 2, ?] has more than one dynamic dimension and no shape operand}}
  %0 = tern.reshape %x : (tensor<2x3x4xf32>) -> tensor<?x2x?xf32>
  return
}

// -----

func.func @reshape_count_mismatch(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'tern.reshape' op input of 24 elements cannot be reshaped to [5, 5] (25 elements)}}
  %0 = tern.reshape %x : (tensor<2x3x4xf32>) -> tensor<5x5xf32>
  return
}

// -----

// The dynamic dimension would have to be 24 / 5.
func.func @reshape_dynamic_not_divisible(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'tern.reshape' op input of 24 elements cannot be reshaped to [?, 5]}}
  %0 = tern.reshape %x : (tensor<2x3x4xf32>) -> tensor<?x5xf32>
  return
}

// -----

func.func @reshape_dynamic_beside_zero(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'tern.reshape' op input of 24 elements cannot be reshaped to [?, 0]}}
  %0 = tern.reshape %x : (tensor<2x3x4xf32>) -> tensor<?x0xf32>
  return
}

// -----

func.func @reshape_shape_not_i64(%x: tensor<?x4xf32>, %s: tensor<2xi32>) {
  // expected-error @+1 {{'tern.reshape' op operand #1 must be 1D tensor of 64-bit signless integer values, but got 'tensor<2xi32>'}}
  %0 = tern.reshape %x, %s : (tensor<?x4xf32>, tensor<2xi32>) -> tensor<?x4xf32>
  return
}

// -----

// The result rank is max(input rank, shape length) = max(2, 2).
func.func @expand_shape_too_short(%x: tensor<4x1xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{'tern.expand' op result rank 3 is not the larger of the input rank 2 and the shape operand's length 2}}
  %0 = tern.expand %x, %s : (tensor<4x1xf32>, tensor<2xi64>) -> tensor<?x4x?xf32>
  return
}

// -----

func.func @expand_shape_too_long(%x: tensor<4x1xf32>, %s: tensor<4xi64>) {
  // expected-error @+1 {{'tern.expand' op result rank 3 is not the larger of the input rank 2 and the shape operand's length 4}}
  %0 = tern.expand %x, %s : (tensor<4x1xf32>, tensor<4xi64>) -> tensor<?x4x?xf32>
  return
}

// -----

func.func @expand_rank_exceeds(%x: tensor<2x4x1xf32>) {
  // expected-error @+1 {{'tern.expand' op input rank 3 exceeds the result rank 2}}
  %0 = tern.expand %x : (tensor<2x4x1xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @expand_not_broadcast_compatible(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'tern.expand' op shapes [4, 3] and [2, 4, 5] are not broadcast-compatible}}
  %0 = tern.expand %x : (tensor<4x3xf32>) -> tensor<2x4x5xf32>
  return
}

// -----

// A result dimension of 1 cannot shrink an input dimension of 4.
func.func @expand_result_smaller(%x: tensor<4x1xf32>) {
  // expected-error @+1 {{'tern.expand' op result #0 type 'tensor<1x8xf32>' is incompatible with the inferred type 'tensor<4x8xf32>'}}
  %0 = tern.expand %x : (tensor<4x1xf32>) -> tensor<1x8xf32>
  return
}

// -----

func.func @transpose_permutation_length(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tern.transpose' op permutation has 3 entries but the input has rank 2}}
  %0 = tern.transpose %x {permutation = array<i64: 1, 0, 2>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_permutation_repeats(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tern.transpose' op permutation [0, 0] is not a permutation of [0, 2)}}
  %0 = tern.transpose %x {permutation = array<i64: 0, 0>} : tensor<2x3xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @transpose_permutation_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tern.transpose' op permutation [-1, 0] is not a permutation of [0, 2)}}
  %0 = tern.transpose %x {permutation = array<i64: -1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_result_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tern.transpose' op result #0 type 'tensor<2x3xf32>' is incompatible with the inferred type 'tensor<3x2xf32>'}}
  %0 = tern.transpose %x {permutation = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @concat_no_inputs() {
  // expected-error @+1 {{'tern.concat' op expected 1 or more operands, but found 0}}
  %0 = tern.concat {axis = 0 : i64} : () -> tensor<2xf32>
  return
}

// -----

func.func @concat_element_types(%a: tensor<2xf32>, %b: tensor<2xf16>) {
  // expected-error @+1 {{'tern.concat' op requires the same element type for all operands and results}}
  %0 = tern.concat %a, %b {axis = 0 : i64} : (tensor<2xf32>, tensor<2xf16>) -> tensor<4xf32>
  return
}

// -----

func.func @concat_axis_out_of_range(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'tern.concat' op axis (2) is out of range for rank 2}}
  %0 = tern.concat %a, %a {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_negative_axis_out_of_range(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'tern.concat' op axis (-3) is out of range for rank 2}}
  %0 = tern.concat %a, %a {axis = -3 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_rank_mismatch(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'tern.concat' op input #1 has rank 1 but input #0 has rank 2}}
  %0 = tern.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x6xf32>
  return
}

// -----

// A dynamic dimension in input #0 takes input #1's size, which input #2 contradicts.
func.func @concat_size_mismatch(%a: tensor<?x3xf32>, %b: tensor<2x5xf32>, %c: tensor<4x1xf32>) {
  // expected-error @+1 {{'tern.concat' op input #2 has size 4 in dimension 0 but the other inputs have 2}}
  %0 = tern.concat %a, %b, %c {axis = 1 : i64} : (tensor<?x3xf32>, tensor<2x5xf32>, tensor<4x1xf32>) -> tensor<2x9xf32>
  return
}

// -----

func.func @concat_result_shape(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) {
  // expected-error @+1 {{'tern.concat' op result #0 type 'tensor<2x7xf32>' is incompatible with the inferred type 'tensor<2x8xf32>'}}
  %0 = tern.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x7xf32>
  return
}

// -----

func.func @slice_entry_counts(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.slice' op starts, ends and steps need 2 entries each (got 2, 1, 2)}}
  %0 = tern.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 4>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @slice_step_zero(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.slice' op step of dimension 1 must be nonzero (got 0)}}
  %0 = tern.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 4, 8>, steps = array<i64: 1, 0>} : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @slice_step_int64_min(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.slice' op step of dimension 0 must be greater than INT64_MIN}}
  %0 = tern.slice %x {starts = array<i64: 3, 0>, ends = array<i64: 0, 8>, steps = array<i64: -9223372036854775808, 1>} : tensor<4x8xf32> -> tensor<1x8xf32>
  return
}

// -----

// [1, 3) with step 1 has 2 elements; going backwards from 3 to 1 (exclusive) too.
func.func @slice_result_shape(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.slice' op result #0 type 'tensor<2x3xf32>' is incompatible with the inferred type 'tensor<2x2xf32>'}}
  %0 = tern.slice %x {starts = array<i64: 1, 3>, ends = array<i64: 3, 1>, steps = array<i64: 1, -1>} : tensor<4x8xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @split_axis_out_of_range(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'tern.split' op axis (2) is out of range for rank 2}}
  %0:2 = tern.split %x {axis = 2 : i64, sizes = array<i64: 3, 5>} : tensor<2x8xf32> -> tensor<2x3xf32>, tensor<2x5xf32>
  return
}

// -----

func.func @split_sizes_empty(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'tern.split' op sizes must not be empty}}
  %0 = tern.split %x {axis = 1 : i64, sizes = array<i64>} : tensor<2x8xf32> -> tensor<2x8xf32>
  return
}

// -----

func.func @split_size_negative(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'tern.split' op sizes must be non-negative (got -1)}}
  %0:2 = tern.split %x {axis = 1 : i64, sizes = array<i64: 9, -1>} : tensor<2x8xf32> -> tensor<2x9xf32>, tensor<2x1xf32>
  return
}

// -----

func.func @split_sizes_overflow(%x: tensor<2x?xf32>) {
  // expected-error @+1 {{'tern.split' op sizes overflow int64}}
  %0:2 = tern.split %x {axis = 1 : i64, sizes = array<i64: 9223372036854775807, 1>} : tensor<2x?xf32> -> tensor<2x9223372036854775807xf32>, tensor<2x1xf32>
  return
}

// -----

func.func @split_sizes_sum(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'tern.split' op sizes add up to 7 but dimension 1 is 8}}
  %0:2 = tern.split %x {axis = -1 : i64, sizes = array<i64: 3, 4>} : tensor<2x8xf32> -> tensor<2x3xf32>, tensor<2x4xf32>
  return
}

// -----

func.func @split_result_count(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'tern.split' op has 3 results but 2 were inferred}}
  %0:3 = tern.split %x {axis = 1 : i64, sizes = array<i64: 3, 5>} : tensor<2x8xf32> -> tensor<2x3xf32>, tensor<2x5xf32>, tensor<2x0xf32>
  return
}

// -----

func.func @split_result_shape(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'tern.split' op result #1 type 'tensor<2x4xf32>' is incompatible with the inferred type 'tensor<2x5xf32>'}}
  %0:2 = tern.split %x {axis = 1 : i64, sizes = array<i64: 3, 5>} : tensor<2x8xf32> -> tensor<2x3xf32>, tensor<2x4xf32>
  return
}

// -----

func.func @squeeze_not_one(%x: tensor<4x1x8xf32>) {
  // expected-error @+1 {{'tern.squeeze' op cannot squeeze dimension 0 of size 4}}
  %0 = tern.squeeze %x {axes = array<i64: 1, 0>} : tensor<4x1x8xf32> -> tensor<8xf32>
  return
}

// -----

func.func @squeeze_axes_out_of_range(%x: tensor<4x1x8xf32>) {
  // expected-error @+1 {{'tern.squeeze' op axes (3) is out of range for rank 3}}
  %0 = tern.squeeze %x {axes = array<i64: 3>} : tensor<4x1x8xf32> -> tensor<4x1x8xf32>
  return
}

// -----

func.func @squeeze_axes_twice(%x: tensor<4x1x8xf32>) {
  // expected-error @+1 {{'tern.squeeze' op axes names dimension 1 twice}}
  %0 = tern.squeeze %x {axes = array<i64: 1, -2>} : tensor<4x1x8xf32> -> tensor<4x8xf32>
  return
}

// -----

// The axes of unsqueeze index the result, of rank 2 + 1 here.
func.func @unsqueeze_axes_out_of_range(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.unsqueeze' op axes (3) is out of range for rank 3}}
  %0 = tern.unsqueeze %x {axes = array<i64: 3>} : tensor<4x8xf32> -> tensor<4x8x1xf32>
  return
}

// -----

func.func @unsqueeze_axes_twice(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.unsqueeze' op axes names dimension 0 twice}}
  %0 = tern.unsqueeze %x {axes = array<i64: 0, -4>} : tensor<4x8xf32> -> tensor<1x1x4x8xf32>
  return
}

// -----

func.func @unsqueeze_result_shape(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.unsqueeze' op result #0 type 'tensor<1x4x8xf32>' is incompatible with the inferred type 'tensor<4x1x8xf32>'}}
  %0 = tern.unsqueeze %x {axes = array<i64: 1>} : tensor<4x8xf32> -> tensor<1x4x8xf32>
  return
}

// -----

func.func @gather_rank_zero_input(%x: tensor<f32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'tern.gather' op input must have rank at least 1}}
  %0 = tern.gather %x, %i {axis = 0 : i64} : (tensor<f32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_axis_out_of_range(%x: tensor<4x8xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'tern.gather' op axis (-3) is out of range for rank 2}}
  %0 = tern.gather %x, %i {axis = -3 : i64} : (tensor<4x8xf32>, tensor<2xi64>) -> tensor<2x8xf32>
  return
}

// -----

func.func @gather_indices_type(%x: tensor<4x8xf32>, %i: tensor<2xi8>) {
  // expected-error @+1 {{'tern.gather' op operand #1 must be ranked tensor of 64-bit signless integer or 32-bit signless integer values, but got 'tensor<2xi8>'}}
  %0 = tern.gather %x, %i {axis = 0 : i64} : (tensor<4x8xf32>, tensor<2xi8>) -> tensor<2x8xf32>
  return
}

// -----

// The result is input[:1] + indices + input[2:] = [4] + [2, 3] + [].
func.func @gather_result_shape(%x: tensor<4x8xf32>, %i: tensor<2x3xi64>) {
  // expected-error @+1 {{'tern.gather' op result #0 type 'tensor<2x3x8xf32>' is incompatible with the inferred type 'tensor<4x2x3xf32>'}}
  %0 = tern.gather %x, %i {axis = 1 : i64} : (tensor<4x8xf32>, tensor<2x3xi64>) -> tensor<2x3x8xf32>
  return
}

// -----

func.func @gather_elements_rank_mismatch(%x: tensor<4x8xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'tern.gather_elements' op indices rank 1 differs from input rank 2}}
  %0 = tern.gather_elements %x, %i {axis = 0 : i64} : (tensor<4x8xf32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_elements_rank_zero(%x: tensor<f32>, %i: tensor<i64>) {
  // expected-error @+1 {{'tern.gather_elements' op input must have rank at least 1}}
  %0 = tern.gather_elements %x, %i {axis = 0 : i64} : (tensor<f32>, tensor<i64>) -> tensor<f32>
  return
}

// -----

func.func @gather_elements_axis_out_of_range(%x: tensor<4x8xf32>, %i: tensor<4x2xi64>) {
  // expected-error @+1 {{'tern.gather_elements' op axis (2) is out of range for rank 2}}
  %0 = tern.gather_elements %x, %i {axis = 2 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
  return
}

// -----

// The result has the indices' shape, not the input's.
func.func @gather_elements_result_shape(%x: tensor<4x8xf32>, %i: tensor<4x2xi64>) {
  // expected-error @+1 {{'tern.gather_elements' op result #0 type 'tensor<4x8xf32>' is incompatible with the inferred type 'tensor<4x2xf32>'}}
  %0 = tern.gather_elements %x, %i {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x8xf32>
  return
}

// -----

func.func @scatter_elements_rank_mismatch(%x: tensor<4x8xf32>, %i: tensor<2xi64>, %u: tensor<2xf32>) {
  // expected-error @+1 {{'tern.scatter_elements' op indices rank 1 differs from input rank 2}}
  %0 = tern.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<4x8xf32>, tensor<2xi64>, tensor<2xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @scatter_elements_updates_shape(%x: tensor<4x8xf32>, %i: tensor<4x2xi64>, %u: tensor<4x3xf32>) {
  // expected-error @+1 {{'tern.scatter_elements' op updates shape [4, 3] differs from indices shape [4, 2]}}
  %0 = tern.scatter_elements %x, %i, %u {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x3xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @scatter_elements_rank_zero(%x: tensor<f32>, %i: tensor<i64>, %u: tensor<f32>) {
  // expected-error @+1 {{'tern.scatter_elements' op input must have rank at least 1}}
  %0 = tern.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<f32>, tensor<i64>, tensor<f32>) -> tensor<f32>
  return
}

// -----

func.func @scatter_elements_axis_out_of_range(%x: tensor<4x8xf32>, %i: tensor<4x2xi64>, %u: tensor<4x2xf32>) {
  // expected-error @+1 {{'tern.scatter_elements' op axis (-3) is out of range for rank 2}}
  %0 = tern.scatter_elements %x, %i, %u {axis = -3 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @scatter_elements_reduction(%x: tensor<4x8xf32>, %i: tensor<4x2xi64>, %u: tensor<4x2xf32>) {
  // expected-error @+1 {{'tern.scatter_elements' op reduction 'sum' is not one of none, add, mul, max, min}}
  %0 = tern.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = "sum"} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @scatter_elements_updates_element_type(%x: tensor<4x8xf32>, %i: tensor<4x2xi64>, %u: tensor<4x2xf16>) {
  // expected-error @+1 {{'tern.scatter_elements' op failed to verify that all of {input, updates, result} have same element type}}
  %0 = tern.scatter_elements %x, %i, %u {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf16>) -> tensor<4x8xf32>
  return
}

// -----

// The result has the input's shape, not the updates'.
func.func @scatter_elements_result_shape(%x: tensor<4x8xf32>, %i: tensor<4x2xi64>, %u: tensor<4x2xf32>) {
  // expected-error @+1 {{'tern.scatter_elements' op result #0 type 'tensor<4x2xf32>' is incompatible with the inferred type 'tensor<4x8xf32>'}}
  %0 = tern.scatter_elements %x, %i, %u {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x2xf32>
  return
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

// -----

func.func @matmul_rank_zero(%a: tensor<f32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'tern.matmul' op operands must have rank at least 1}}
  %0 = tern.matmul %a, %b : (tensor<f32>, tensor<4xf32>) -> tensor<f32>
  return
}

// -----

func.func @matmul_contracting_mismatch(%a: tensor<4x8xf32>, %b: tensor<4x16xf32>) {
  // expected-error @+1 {{'tern.matmul' op contracting dimensions differ: lhs has 8, rhs has 4}}
  %0 = tern.matmul %a, %b : (tensor<4x8xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

// A 1-D rhs is a column: its only dimension is the contracting one.
func.func @matmul_vector_contracting_mismatch(%a: tensor<2x4x8xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'tern.matmul' op contracting dimensions differ: lhs has 8, rhs has 4}}
  %0 = tern.matmul %a, %b : (tensor<2x4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @matmul_batch_not_broadcast_compatible(%a: tensor<2x4x8xf32>, %b: tensor<3x8x16xf32>) {
  // expected-error @+1 {{'tern.matmul' op batch dimensions do not broadcast: shapes [2] and [3] are not broadcast-compatible}}
  %0 = tern.matmul %a, %b : (tensor<2x4x8xf32>, tensor<3x8x16xf32>) -> tensor<3x4x16xf32>
  return
}

// -----

func.func @matmul_element_types(%a: tensor<4x8xf32>, %b: tensor<8x16xbf16>) {
  // expected-error @+1 {{'tern.matmul' op requires the same element type for all operands and results}}
  %0 = tern.matmul %a, %b : (tensor<4x8xf32>, tensor<8x16xbf16>) -> tensor<4x16xf32>
  return
}

// -----

// A 1-D lhs is a row whose dimension is dropped from the result.
func.func @matmul_result_shape(%a: tensor<8xf32>, %b: tensor<8x16xf32>) {
  // expected-error @+1 {{'tern.matmul' op result #0 type 'tensor<1x16xf32>' is incompatible with the inferred type 'tensor<16xf32>'}}
  %0 = tern.matmul %a, %b : (tensor<8xf32>, tensor<8x16xf32>) -> tensor<1x16xf32>
  return
}

// -----

func.func @gemm_ranks(%a: tensor<2x4x8xf32>, %b: tensor<8x16xf32>) {
  // expected-error @+1 {{'tern.gemm' op a and b must be 2-D (got ranks 3 and 2)}}
  %0 = tern.gemm %a, %b : (tensor<2x4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

// trans_b reads b as [N, K] = [8, 16]: K = 16 against a's 8.
func.func @gemm_contracting_mismatch(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) {
  // expected-error @+1 {{'tern.gemm' op contracting dimensions differ: lhs has 8, rhs has 16}}
  %0 = tern.gemm %a, %b {trans_b = true} : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @gemm_c_element_type(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<16xf16>) {
  // expected-error @+1 {{'tern.gemm' op c has element type 'f16' but a has 'f32'}}
  %0 = tern.gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<16xf16>) -> tensor<4x16xf32>
  return
}

// -----

func.func @gemm_c_not_broadcast_compatible(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<3xf32>) {
  // expected-error @+1 {{'tern.gemm' op c shape [3] does not broadcast to the result [4, 16]}}
  %0 = tern.gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<3xf32>) -> tensor<4x16xf32>
  return
}

// -----

// c broadcasts to the result, never the other way round.
func.func @gemm_c_larger_than_result(%a: tensor<1x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32>) {
  // expected-error @+1 {{'tern.gemm' op c shape [4, 16] does not broadcast to the result [1, 16]}}
  %0 = tern.gemm %a, %b, %c : (tensor<1x8xf32>, tensor<8x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @gemm_c_rank(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<1x4x16xf32>) {
  // expected-error @+1 {{'tern.gemm' op c shape [1, 4, 16] does not broadcast to the result [4, 16]}}
  %0 = tern.gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<1x4x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

// trans_a reads a as [K, M] = [4, 8]: M = 8.
func.func @gemm_result_shape(%a: tensor<4x8xf32>, %b: tensor<4x16xf32>) {
  // expected-error @+1 {{'tern.gemm' op result #0 type 'tensor<4x16xf32>' is incompatible with the inferred type 'tensor<8x16xf32>'}}
  %0 = tern.gemm %a, %b {trans_a = true} : (tensor<4x8xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @einsum_no_arrow(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'tern.einsum' op equation 'ij' needs exactly one '->'}}
  %0 = tern.einsum %a {equation = "ij"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @einsum_two_arrows(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'tern.einsum' op equation 'ij->ji->ij' needs exactly one '->'}}
  %0 = tern.einsum %a {equation = "ij->ji->ij"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @einsum_term_count(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'tern.einsum' op equation 'ij->i' has 1 input terms but the op has 2 inputs}}
  %0 = tern.einsum %a, %b {equation = "ij->i"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @einsum_ellipsis(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'tern.einsum' op equation term '...j' may only contain letters}}
  %0 = tern.einsum %a {equation = "...j->j"} : (tensor<2x3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @einsum_term_rank(%a: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'tern.einsum' op equation term 'ij' has 2 labels but input #0 has rank 3}}
  %0 = tern.einsum %a {equation = "ij->i"} : (tensor<2x3x4xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @einsum_label_sizes(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{'tern.einsum' op label 'j' has sizes 3 and 4}}
  %0 = tern.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @einsum_output_label_unknown(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'tern.einsum' op output label 'k' does not appear in any input}}
  %0 = tern.einsum %a {equation = "ij->ik"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @einsum_output_not_a_letter(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'tern.einsum' op output label '.' does not appear in any input}}
  %0 = tern.einsum %a {equation = "ij->i."} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @einsum_element_types(%a: tensor<2x3xf32>, %b: tensor<3x4xf16>) {
  // expected-error @+1 {{'tern.einsum' op requires the same element type for all operands and results}}
  %0 = tern.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<3x4xf16>) -> tensor<2x4xf32>
  return
}

// -----

func.func @einsum_output_label_twice(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'tern.einsum' op output label 'i' appears twice}}
  %0 = tern.einsum %a {equation = "ij->ii"} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @einsum_result_shape(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'tern.einsum' op result #0 type 'tensor<2x4xf32>' is incompatible with the inferred type 'tensor<4x2xf32>'}}
  %0 = tern.einsum %a, %b {equation = "ij,jk->ki"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return
}

//===----------------------------------------------------------------------===//
// Reductions, softmax, topk, norms, rotary
//===----------------------------------------------------------------------===//

// -----

func.func @reduce_axes_out_of_range(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.reduce_sum' op axes (2) is out of range for rank 2}}
  %0 = tern.reduce_sum %x {axes = array<i64: 2>} : tensor<4x8xf32> -> tensor<4x1xf32>
  return
}

// -----

func.func @reduce_axes_twice(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.reduce_max' op axes names dimension 1 twice}}
  %0 = tern.reduce_max %x {axes = array<i64: 1, -1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  return
}

// -----

func.func @reduce_keepdims_result(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.reduce_mean' op result #0 type 'tensor<4x1xf32>' is incompatible with the inferred type 'tensor<4xf32>'}}
  %0 = tern.reduce_mean %x {axes = array<i64: 1>, keepdims = false} : tensor<4x8xf32> -> tensor<4x1xf32>
  return
}

// -----

// Booleans have a max and a min (any, all), not a sum.
func.func @reduce_sum_bool(%x: tensor<4xi1>) {
  // expected-error @+1 {{'tern.reduce_sum' op operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit float or 64-bit signless integer or 32-bit signless integer or 16-bit signless integer or 8-bit signless integer or 64-bit unsigned integer or 32-bit unsigned integer or 16-bit unsigned integer or 8-bit unsigned integer values, but got 'tensor<4xi1>'}}
  %0 = tern.reduce_sum %x {axes = array<i64: 0>} : tensor<4xi1> -> tensor<1xi1>
  return
}

// -----

func.func @softmax_axis_out_of_range(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'tern.softmax' op axis (2) is out of range for rank 2}}
  %0 = tern.softmax %x {axis = 2 : i64} : tensor<2x4xf32>
  return
}

// -----

func.func @softmax_integer(%x: tensor<2x4xi32>) {
  // expected-error @+1 {{'tern.softmax' op operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit float values, but got 'tensor<2x4xi32>'}}
  %0 = tern.softmax %x : tensor<2x4xi32>
  return
}

// -----

func.func @softmax_result_type(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'tern.softmax' op requires the same type for all operands and results}}
  %0 = "tern.softmax"(%x) : (tensor<2x4xf32>) -> tensor<2x4xf16>
  return
}

// -----

func.func @topk_k_zero(%x: tensor<7x8xf32>) {
  // expected-error @+1 {{'tern.topk' op attribute 'k' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %v, %i = tern.topk %x {k = 0 : i64} : tensor<7x8xf32> -> tensor<7x0xf32>, tensor<7x0xi64>
  return
}

// -----

func.func @topk_k_exceeds_dimension(%x: tensor<7x8xf32>) {
  // expected-error @+1 {{'tern.topk' op k (9) exceeds the size of dimension 1 (8)}}
  %v, %i = tern.topk %x {k = 9 : i64} : tensor<7x8xf32> -> tensor<7x9xf32>, tensor<7x9xi64>
  return
}

// -----

func.func @topk_axis_out_of_range(%x: tensor<7x8xf32>) {
  // expected-error @+1 {{'tern.topk' op axis (-3) is out of range for rank 2}}
  %v, %i = tern.topk %x {k = 2 : i64, axis = -3 : i64} : tensor<7x8xf32> -> tensor<2x8xf32>, tensor<2x8xi64>
  return
}

// -----

func.func @topk_indices_i32(%x: tensor<7x8xf32>) {
  // expected-error @+1 {{'tern.topk' op result #1 must be ranked tensor of 64-bit signless integer values, but got 'tensor<7x2xi32>'}}
  %v, %i = tern.topk %x {k = 2 : i64} : tensor<7x8xf32> -> tensor<7x2xf32>, tensor<7x2xi32>
  return
}

// -----

func.func @topk_values_element_type(%x: tensor<7x8xf32>) {
  // expected-error @+1 {{'tern.topk' op failed to verify that all of {input, values} have same element type}}
  %v, %i = tern.topk %x {k = 2 : i64} : tensor<7x8xf32> -> tensor<7x2xf16>, tensor<7x2xi64>
  return
}

// -----

func.func @topk_values_shape(%x: tensor<7x8xf32>) {
  // expected-error @+1 {{'tern.topk' op result #0 type 'tensor<7x8xf32>' is incompatible with the inferred type 'tensor<7x2xf32>'}}
  %v, %i = tern.topk %x {k = 2 : i64} : tensor<7x8xf32> -> tensor<7x8xf32>, tensor<7x2xi64>
  return
}

// -----

func.func @rms_norm_axis_out_of_range(%x: tensor<2x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op axis (2) is out of range for rank 2}}
  %0 = tern.rms_norm %x, %w {axis = 2 : i64} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @rms_norm_scale_shape(%x: tensor<2x8xf32>, %w: tensor<3xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op scale shape [3] does not broadcast to the normalized shape [8]}}
  %0 = tern.rms_norm %x, %w : (tensor<2x8xf32>, tensor<3xf32>) -> tensor<2x8xf32>
  return
}

// -----

// The scale covers dimensions axis.. only: a leading 1 is one too many.
func.func @rms_norm_scale_rank(%x: tensor<2x8xf32>, %w: tensor<1x8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op scale shape [1, 8] does not broadcast to the normalized shape [8]}}
  %0 = tern.rms_norm %x, %w : (tensor<2x8xf32>, tensor<1x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @rms_norm_negative_epsilon(%x: tensor<2x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op epsilon must be non-negative}}
  %0 = tern.rms_norm %x, %w {epsilon = -1.0e-06 : f32} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @rms_norm_scale_element_type(%x: tensor<2x8xbf16>, %w: tensor<8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op requires the same element type for all operands}}
  %0 = tern.rms_norm %x, %w : (tensor<2x8xbf16>, tensor<8xf32>) -> tensor<2x8xbf16>
  return
}

// -----

func.func @rms_norm_result_type(%x: tensor<2x?xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op failed to verify that all of {input, result} have same type}}
  %0 = tern.rms_norm %x, %w : (tensor<2x?xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_scale_shape(%x: tensor<2x3x8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.layer_norm' op scale shape [4, 8] does not broadcast to the normalized shape [3, 8]}}
  %0 = tern.layer_norm %x, %w {axis = 1 : i64} : (tensor<2x3x8xf32>, tensor<4x8xf32>) -> tensor<2x3x8xf32>
  return
}

// -----

func.func @layer_norm_bias_shape(%x: tensor<2x8xf32>, %w: tensor<8xf32>, %b: tensor<2xf32>) {
  // expected-error @+1 {{'tern.layer_norm' op bias shape [2] does not broadcast to the normalized shape [8]}}
  %0 = tern.layer_norm %x, %w, %b : (tensor<2x8xf32>, tensor<8xf32>, tensor<2xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_axis_out_of_range(%x: tensor<2x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{'tern.layer_norm' op axis (-3) is out of range for rank 2}}
  %0 = tern.layer_norm %x, %w {axis = -3 : i64} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_negative_epsilon(%x: tensor<2x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{'tern.layer_norm' op epsilon must be non-negative}}
  %0 = tern.layer_norm %x, %w {epsilon = -1.0 : f32} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_bias_element_type(%x: tensor<2x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf16>) {
  // expected-error @+1 {{'tern.layer_norm' op requires the same element type for all operands}}
  %0 = tern.layer_norm %x, %w, %b : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf16>) -> tensor<2x8xf32>
  return
}

// -----

func.func @rotary_rank_zero(%x: tensor<f32>, %c: tensor<f32>) {
  // expected-error @+1 {{'tern.rotary' op input, cos and sin must have rank at least 1}}
  %0 = tern.rotary %x, %c, %c : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<f32>
  return
}

// -----

func.func @rotary_cos_sin_differ(%x: tensor<7x64xf32>, %c: tensor<7x32xf32>, %s: tensor<7x16xf32>) {
  // expected-error @+1 {{'tern.rotary' op cos shape [7, 32] differs from sin shape [7, 16]}}
  %0 = tern.rotary %x, %c, %s : (tensor<7x64xf32>, tensor<7x32xf32>, tensor<7x16xf32>) -> tensor<7x64xf32>
  return
}

// -----

func.func @rotary_width(%x: tensor<7x64xf32>, %c: tensor<7x40xf32>) {
  // expected-error @+1 {{'tern.rotary' op rotary width 2 x 40 exceeds the last dimension (64)}}
  %0 = tern.rotary %x, %c, %c {interleaved = true} : (tensor<7x64xf32>, tensor<7x40xf32>, tensor<7x40xf32>) -> tensor<7x64xf32>
  return
}

// -----

func.func @rotary_cos_not_broadcast_compatible(%x: tensor<1x16x7x64xf32>, %c: tensor<8x32xf32>) {
  // expected-error @+1 {{'tern.rotary' op cos/sin shape [8, 32] does not broadcast to [1, 16, 7, 32]}}
  %0 = tern.rotary %x, %c, %c : (tensor<1x16x7x64xf32>, tensor<8x32xf32>, tensor<8x32xf32>) -> tensor<1x16x7x64xf32>
  return
}

// -----

// cos/sin broadcast to the input, not the input to them.
func.func @rotary_cos_larger_than_input(%x: tensor<1x7x64xf32>, %c: tensor<4x7x32xf32>) {
  // expected-error @+1 {{'tern.rotary' op cos/sin shape [4, 7, 32] does not broadcast to [1, 7, 32]}}
  %0 = tern.rotary %x, %c, %c : (tensor<1x7x64xf32>, tensor<4x7x32xf32>, tensor<4x7x32xf32>) -> tensor<1x7x64xf32>
  return
}

// -----

func.func @rotary_result_type(%x: tensor<7x64xf32>, %c: tensor<7x32xf32>) {
  // expected-error @+1 {{'tern.rotary' op failed to verify that all of {input, result} have same type}}
  %0 = tern.rotary %x, %c, %c : (tensor<7x64xf32>, tensor<7x32xf32>, tensor<7x32xf32>) -> tensor<7x32xf32>
  return
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

// -----

func.func @quantize_result_float(%x: tensor<4xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.quantize' op result #0 must be ranked tensor of f8E4M3FN type or f8E5M2 type or 8-bit signless integer or 8-bit unsigned integer or 16-bit signless integer or 16-bit unsigned integer or 32-bit signless integer values, but got 'tensor<4xf16>'}}
  %0 = tern.quantize %x, %s : (tensor<4xf32>, tensor<f32>) -> tensor<4xf16>
  return
}

// -----

func.func @quantize_fp8_input(%x: tensor<4xf8E4M3FN>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.quantize' op operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<4xf8E4M3FN>'}}
  %0 = tern.quantize %x, %s : (tensor<4xf8E4M3FN>, tensor<f32>) -> tensor<4xf8E5M2>
  return
}

// -----

// Quantization computes in f32: no f64 scales (nor f64 products).
func.func @dequantize_f64_scale(%q: tensor<4xf8E4M3FN>, %s: tensor<f64>) {
  // expected-error @+1 {{'tern.dequantize' op operand #1 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<f64>'}}
  %0 = tern.dequantize %q, %s : (tensor<4xf8E4M3FN>, tensor<f64>) -> tensor<4xf64>
  return
}

// -----

func.func @quantize_scale_element_type(%x: tensor<4xf32>, %s: tensor<f16>) {
  // expected-error @+1 {{'tern.quantize' op scale element type 'f16' differs from the input's 'f32'}}
  %0 = tern.quantize %x, %s : (tensor<4xf32>, tensor<f16>) -> tensor<4xi8>
  return
}

// -----

func.func @quantize_axis_and_block_size(%x: tensor<8x256xf32>, %s: tensor<8x2xf32>) {
  // expected-error @+1 {{'tern.quantize' op takes either axis or block_size, not both}}
  %0 = tern.quantize %x, %s {axis = 0 : i64, block_size = array<i64: 1, 128>} : (tensor<8x256xf32>, tensor<8x2xf32>) -> tensor<8x256xf8E4M3FN>
  return
}

// -----

func.func @quantize_block_size_rank(%x: tensor<8x256xf32>, %s: tensor<8x2xf32>) {
  // expected-error @+1 {{'tern.quantize' op blocked scales need block_size and scale of the input's rank (2), got 1 and 2}}
  %0 = tern.quantize %x, %s {block_size = array<i64: 128>} : (tensor<8x256xf32>, tensor<8x2xf32>) -> tensor<8x256xf8E4M3FN>
  return
}

// -----

func.func @quantize_blocked_scale_rank(%x: tensor<8x256xf32>, %s: tensor<2xf32>) {
  // expected-error @+1 {{'tern.quantize' op blocked scales need block_size and scale of the input's rank (2), got 2 and 1}}
  %0 = tern.quantize %x, %s {block_size = array<i64: 8, 128>} : (tensor<8x256xf32>, tensor<2xf32>) -> tensor<8x256xf8E4M3FN>
  return
}

// -----

func.func @quantize_block_size_not_positive(%x: tensor<8x256xf32>, %s: tensor<8x2xf32>) {
  // expected-error @+1 {{'tern.quantize' op block_size[1] must be positive (got 0)}}
  %0 = tern.quantize %x, %s {block_size = array<i64: 1, 0>} : (tensor<8x256xf32>, tensor<8x2xf32>) -> tensor<8x256xf8E4M3FN>
  return
}

// -----

// ceil(2049 / 128) = 17 blocks, not 16.
func.func @quantize_block_count(%x: tensor<7x2049xf32>, %s: tensor<7x16xf32>) {
  // expected-error @+1 {{'tern.quantize' op scale dimension 1 is 16 but ceil(2049 / 128) = 17}}
  %0 = tern.quantize %x, %s {block_size = array<i64: 1, 128>} : (tensor<7x2049xf32>, tensor<7x16xf32>) -> tensor<7x2049xf8E4M3FN>
  return
}

// -----

func.func @quantize_per_tensor_with_axis(%x: tensor<8x256xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.quantize' op a per-tensor (rank-0) scale takes no axis}}
  %0 = tern.quantize %x, %s {axis = 0 : i64} : (tensor<8x256xf32>, tensor<f32>) -> tensor<8x256xi8>
  return
}

// -----

func.func @quantize_rank2_scale_without_block_size(%x: tensor<8x256xf32>, %s: tensor<8x2xf32>) {
  // expected-error @+1 {{'tern.quantize' op a scale of rank 2 needs block_size}}
  %0 = tern.quantize %x, %s : (tensor<8x256xf32>, tensor<8x2xf32>) -> tensor<8x256xi8>
  return
}

// -----

func.func @quantize_rank1_scale_without_axis(%x: tensor<8x256xf32>, %s: tensor<256xf32>) {
  // expected-error @+1 {{'tern.quantize' op a rank-1 scale needs an axis (per axis) or block_size (blocked)}}
  %0 = tern.quantize %x, %s : (tensor<8x256xf32>, tensor<256xf32>) -> tensor<8x256xi8>
  return
}

// -----

func.func @quantize_per_axis_axis_out_of_range(%x: tensor<8x256xf32>, %s: tensor<256xf32>) {
  // expected-error @+1 {{'tern.quantize' op axis (2) is out of range for rank 2}}
  %0 = tern.quantize %x, %s {axis = 2 : i64} : (tensor<8x256xf32>, tensor<256xf32>) -> tensor<8x256xi8>
  return
}

// -----

func.func @quantize_per_axis_size(%x: tensor<8x256xf32>, %s: tensor<256xf32>) {
  // expected-error @+1 {{'tern.quantize' op per-axis scale has 256 elements but dimension 0 has 8}}
  %0 = tern.quantize %x, %s {axis = -2 : i64} : (tensor<8x256xf32>, tensor<256xf32>) -> tensor<8x256xi8>
  return
}

// -----

func.func @quantize_result_shape(%x: tensor<8x256xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.quantize' op result #0 type 'tensor<256x8xi8>' is incompatible with the inferred type 'tensor<8x256xi8>'}}
  %0 = tern.quantize %x, %s : (tensor<8x256xf32>, tensor<f32>) -> tensor<256x8xi8>
  return
}

// -----

func.func @dequantize_float_input(%x: tensor<4xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.dequantize' op operand #0 must be ranked tensor of f8E4M3FN type or f8E5M2 type or 8-bit signless integer or 8-bit unsigned integer or 16-bit signless integer or 16-bit unsigned integer or 32-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = tern.dequantize %x, %s : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return
}

// -----

func.func @zero_point_layout(%q: tensor<2x3xi8>, %s: tensor<3xf32>, %z: tensor<2xi8>) {
  // expected-error @+1 {{'tern.dequantize' op zero point 'tensor<2xi8>' differs from the scale's shape ('tensor<3xf32>') or the quantized element type ('i8')}}
  %0 = tern.dequantize %q, %s zero_point %z {axis = 1 : i64} : (tensor<2x3xi8>, tensor<3xf32>, tensor<2xi8>) -> tensor<2x3xf32>
  return
}

// -----

func.func @zero_point_type(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<i16>) {
  // expected-error @+1 {{'tern.quantize' op zero point 'tensor<i16>' differs from the scale's shape ('tensor<f32>') or the quantized element type ('i8')}}
  %0 = tern.quantize %x, %s zero_point %z : (tensor<4xf32>, tensor<f32>, tensor<i16>) -> tensor<4xi8>
  return
}

// -----

// The result takes the scale's element type.
func.func @dequantize_result_element_type(%q: tensor<4xf8E4M3FN>, %s: tensor<bf16>) {
  // expected-error @+1 {{'tern.dequantize' op result #0 type 'tensor<4xf32>' is incompatible with the inferred type 'tensor<4xbf16>'}}
  %0 = tern.dequantize %q, %s : (tensor<4xf8E4M3FN>, tensor<bf16>) -> tensor<4xf32>
  return
}

// -----

func.func @dequantize_block_count(%q: tensor<512x2048xf8E4M3FN>, %s: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.dequantize' op scale dimension 1 is 8 but ceil(2048 / 128) = 16}}
  %0 = tern.dequantize %q, %s {block_size = array<i64: 128, 128>} : (tensor<512x2048xf8E4M3FN>, tensor<4x8xf32>) -> tensor<512x2048xf32>
  return
}

// -----

func.func @dequantize_per_axis_size(%q: tensor<?x64xi8>, %s: tensor<32xf16>) {
  // expected-error @+1 {{'tern.dequantize' op per-axis scale has 32 elements but dimension 1 has 64}}
  %0 = tern.dequantize %q, %s {axis = 1 : i64} : (tensor<?x64xi8>, tensor<32xf16>) -> tensor<?x64xf16>
  return
}

// -----

func.func @block_scaled_matmul_scale_shape(%x: tensor<7x2048xf32>, %q: tensor<512x2048xf8E4M3FN>, %s: tensor<16x4xf32>) {
  // expected-error @+1 {{'tern.block_scaled_matmul' op rhs_scale must have shape [4, 16] (a [512, 2048] weight in 128x128 blocks), got [16, 4]}}
  %0 = tern.block_scaled_matmul %x, %q, %s {block_size = array<i64: 128, 128>} : (tensor<7x2048xf32>, tensor<512x2048xf8E4M3FN>, tensor<16x4xf32>) -> tensor<7x512xf32>
  return
}

// -----

func.func @block_scaled_matmul_contraction(%x: tensor<7x1024xf32>, %q: tensor<512x2048xf8E4M3FN>, %s: tensor<4x16xf32>) {
  // expected-error @+1 {{'tern.block_scaled_matmul' op contracting dimensions differ: lhs has 1024, rhs has 2048}}
  %0 = tern.block_scaled_matmul %x, %q, %s {block_size = array<i64: 128, 128>} : (tensor<7x1024xf32>, tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<7x512xf32>
  return
}

// -----

func.func @block_scaled_matmul_rank(%x: tensor<2x7x2048xf32>, %q: tensor<512x2048xf8E4M3FN>, %s: tensor<4x16xf32>) {
  // expected-error @+1 {{'tern.block_scaled_matmul' op lhs and rhs must be 2-D (got ranks 3 and 2)}}
  %0 = tern.block_scaled_matmul %x, %q, %s {block_size = array<i64: 128, 128>} : (tensor<2x7x2048xf32>, tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<2x7x512xf32>
  return
}

// -----

func.func @block_scaled_matmul_block_size(%x: tensor<7x2048xf32>, %q: tensor<512x2048xf8E4M3FN>, %s: tensor<4x16xf32>) {
  // expected-error @+1 {{'tern.block_scaled_matmul' op block_size must be two positive extents [rows, cols], got [128, 0]}}
  %0 = tern.block_scaled_matmul %x, %q, %s {block_size = array<i64: 128, 0>} : (tensor<7x2048xf32>, tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<7x512xf32>
  return
}

// -----

// The scales and the result share one element type, and so do unquantized
// activations.
func.func @block_scaled_matmul_scale_type(%x: tensor<7x2048xbf16>, %q: tensor<512x2048xf8E4M3FN>, %s: tensor<4x16xf32>) {
  // expected-error @+1 {{'tern.block_scaled_matmul' op failed to verify that all of {rhs_scale, result} have same element type}}
  %0 = tern.block_scaled_matmul %x, %q, %s {block_size = array<i64: 128, 128>} : (tensor<7x2048xbf16>, tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<7x512xbf16>
  return
}

// -----

func.func @block_scaled_matmul_lhs_type(%x: tensor<7x2048xbf16>, %q: tensor<512x2048xf8E4M3FN>, %s: tensor<4x16xf32>) {
  // expected-error @+1 {{'tern.block_scaled_matmul' op lhs has element type 'bf16' but rhs_scale has 'f32' (quantized activations take an lhs_scale)}}
  %0 = tern.block_scaled_matmul %x, %q, %s {block_size = array<i64: 128, 128>} : (tensor<7x2048xbf16>, tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<7x512xf32>
  return
}

// -----

// FP8 activations come with their scales, and only quantized ones do.
func.func @block_scaled_matmul_fp8_lhs_unscaled(%x: tensor<7x2048xf8E4M3FN>, %q: tensor<512x2048xf8E4M3FN>, %s: tensor<4x16xf32>) {
  // expected-error @+1 {{'tern.block_scaled_matmul' op lhs has element type 'f8E4M3FN' but rhs_scale has 'f32' (quantized activations take an lhs_scale)}}
  %0 = tern.block_scaled_matmul %x, %q, %s {block_size = array<i64: 128, 128>} : (tensor<7x2048xf8E4M3FN>, tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<7x512xf32>
  return
}

// -----

func.func @block_scaled_matmul_float_lhs_scaled(%x: tensor<7x2048xf32>, %xs: tensor<7x16xf32>, %q: tensor<512x2048xf8E4M3FN>, %s: tensor<4x16xf32>) {
  // expected-error @+1 {{'tern.block_scaled_matmul' op lhs_scale scales quantized activations, but lhs has element type 'f32'}}
  %0 = tern.block_scaled_matmul %x scaled %xs, %q, %s {block_size = array<i64: 128, 128>} : (tensor<7x2048xf32>, tensor<7x16xf32>, tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<7x512xf32>
  return
}

// -----

// The activations' blocks are the weight's along K.
func.func @block_scaled_matmul_lhs_scale_shape(%x: tensor<7x2048xf8E4M3FN>, %xs: tensor<7x32xf32>, %q: tensor<512x2048xf8E4M3FN>, %s: tensor<4x16xf32>) {
  // expected-error @+1 {{'tern.block_scaled_matmul' op lhs_scale must have shape [7, 16] (a [7, 2048] activation in 1x128 blocks), got [7, 32]}}
  %0 = tern.block_scaled_matmul %x scaled %xs, %q, %s {block_size = array<i64: 128, 128>} : (tensor<7x2048xf8E4M3FN>, tensor<7x32xf32>, tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<7x512xf32>
  return
}

// -----

func.func @block_scaled_matmul_lhs_scale_type(%x: tensor<7x2048xf8E4M3FN>, %xs: tensor<7x16xbf16>, %q: tensor<512x2048xf8E4M3FN>, %s: tensor<4x16xf32>) {
  // expected-error @+1 {{'tern.block_scaled_matmul' op lhs_scale has element type 'bf16' but rhs_scale has 'f32'}}
  %0 = tern.block_scaled_matmul %x scaled %xs, %q, %s {block_size = array<i64: 128, 128>} : (tensor<7x2048xf8E4M3FN>, tensor<7x16xbf16>, tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<7x512xf32>
  return
}

// -----

func.func @block_scaled_matmul_float_weight(%x: tensor<7x2048xf32>, %w: tensor<512x2048xbf16>, %s: tensor<4x16xf32>) {
  // expected-error @+1 {{'tern.block_scaled_matmul' op operand #1 must be ranked tensor of f8E4M3FN type or f8E5M2 type or 8-bit signless integer values, but got 'tensor<512x2048xbf16>'}}
  %0 = tern.block_scaled_matmul %x, %w, %s {block_size = array<i64: 128, 128>} : (tensor<7x2048xf32>, tensor<512x2048xbf16>, tensor<4x16xf32>) -> tensor<7x512xf32>
  return
}
