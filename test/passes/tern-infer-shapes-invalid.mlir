// RUN: tern-opt %s -split-input-file -tern-infer-shapes -verify-diagnostics

// IR that verifies while a dimension is unknown can turn out inconsistent
// once tern-infer-shapes pins it: the pass reports the op and fails.

// 12 elements reshape to [3, 4]; 3 x 4 = 12 cannot become 5 x 2 = 10.
func.func @reshape_count_exposed(%x: tensor<12xf32>) -> tensor<5x2xf32> {
  %0 = tern.reshape %x : (tensor<12xf32>) -> tensor<?x4xf32>
  // expected-error @+1 {{'tern.reshape' op input of 12 elements cannot be reshaped to [5, 2] (10 elements)}}
  %1 = tern.reshape %0 : (tensor<?x4xf32>) -> tensor<5x2xf32>
  return %1 : tensor<5x2xf32>
}

// -----

// The broadcast gives [4, 8]; topk along dimension 1 cannot take 9.
func.func @topk_k_exposed(%a: tensor<4x1xf32>, %b: tensor<8xf32>) {
  %0 = tern.add %a, %b : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<?x?xf32>
  // expected-error @+1 {{'tern.topk' op k (9) exceeds the size of dimension 1 (8)}}
  %v, %i = tern.topk %0 {k = 9 : i64} : tensor<?x?xf32> -> tensor<?x9xf32>, tensor<?x9xi64>
  return
}
