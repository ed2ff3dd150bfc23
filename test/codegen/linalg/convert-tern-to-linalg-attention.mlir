// RUN: tern-opt %s -split-input-file -convert-tern-to-linalg -cse | FileCheck %s
// RUN: tern-opt %s -split-input-file -convert-tern-to-linalg -cse | grep -c 'arith.constant #tern.concat_elements' | FileCheck %s --check-prefix=ONCE
// ONCE: {{^}}1{{$}}

// tern.mla_attention lowers absorbed: q_nope times each head's key rows of
// kv_b (W_UK) into the latent space, scores against the cached [latent |
// k_rope] rows, softmax, the probabilities times the cached latents, then
// each head's value rows (W_UV). Shapes: B = H = 2, N = 4, R = 2, V = 3,
// L = 4, S = 3 positions.

// A widened constant kv_b is read through the transposed constant its gemm
// in the prompt reads, [L, H * (N + V)]: the plan stores it once.
// CHECK-LABEL: func.func @shared_weight
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x4xf32>, %[[QN:[^:]*]]: tensor<2x2x4xf32>, %[[QR:[^:]*]]: tensor<2x2x2xf32>, %[[CACHE:[^:]*]]: tensor<2x3x6xf32>, %[[MASK:[^:]*]]: tensor<2x1x3xf32>)
// CHECK: %[[STORED:.*]] = arith.constant #tern.concat_elements<parts = [dense_resource<kv_b> : tensor<14x4xbf16>], transposedGroups = 1> : tensor<4x14xbf16>
// CHECK: %[[WIDE:.*]] = linalg.generic {{.*}} ins(%[[STORED]] : tensor<4x14xbf16>)
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[WIDE]] : tensor<2x4xf32>, tensor<4x14xf32>)
// CHECK: %[[PERHEAD:.*]] = tensor.expand_shape {{.*}} output_shape [4, 2, 7] : tensor<56xf32> into tensor<4x2x7xf32>
// CHECK: %[[WUK:.*]] = tensor.extract_slice %[[PERHEAD]][0, 0, 0] [4, 2, 4] [1, 1, 1]
// CHECK: %[[WUV:.*]] = tensor.extract_slice %[[PERHEAD]][0, 0, 4] [4, 2, 3] [1, 1, 1]
// CHECK: %[[QLAT:.*]] = linalg.generic {{.*}} ins(%[[QN]], %[[WUK]] : tensor<2x2x4xf32>, tensor<4x2x4xf32>) outs({{.*}} : tensor<2x2x4xf32>)
// CHECK: %[[QUERY:.*]] = tensor.concat dim(2) %[[QLAT]], %[[QR]] : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
// CHECK: linalg.generic {{.*}} ins(%[[QUERY]], %[[CACHE]] : tensor<2x2x6xf32>, tensor<2x3x6xf32>) outs({{.*}} : tensor<2x2x3xf32>)
// CHECK: %[[LATENTS:.*]] = tensor.extract_slice %[[CACHE]][0, 0, 0] [2, 3, 4] [1, 1, 1]
// CHECK: %[[MIXED:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[LATENTS]] : tensor<2x2x3xf32>, tensor<2x3x4xf32>) outs({{.*}} : tensor<2x2x4xf32>)
// CHECK: %[[OUT:.*]] = linalg.generic {{.*}} ins(%[[MIXED]], %[[WUV]] : tensor<2x2x4xf32>, tensor<4x2x3xf32>) outs({{.*}} : tensor<2x2x3xf32>)
// CHECK: return %{{.*}}, %[[OUT]]
func.func @shared_weight(%x: tensor<2x4xf32>, %qn: tensor<2x2x4xf32>, %qr: tensor<2x2x2xf32>, %c: tensor<2x3x6xf32>, %m: tensor<2x1x3xf32>) -> (tensor<2x14xf32>, tensor<2x2x3xf32>) {
  %w = tern.constant dense_resource<kv_b> : tensor<14x4xbf16>
  %wf = tern.cast %w : tensor<14x4xbf16> to tensor<14x4xf32>
  %kv = tern.gemm %x, %wf {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %o = tern.mla_attention %qn, %qr, %c, %wf, %m {scale = 0.5 : f64}
      : (tensor<2x2x4xf32>, tensor<2x2x2xf32>, tensor<2x3x6xf32>, tensor<14x4xf32>, tensor<2x1x3xf32>) -> tensor<2x2x3xf32>
  return %kv, %o : tensor<2x14xf32>, tensor<2x2x3xf32>
}

// -----

// Any other kv_b (here an argument; FP8's dequantized weight) is read as it
// is, [H * (N + V), L], each head's rows a view.
// CHECK-LABEL: func.func @computed_weight
// CHECK-SAME: %[[W:[^:]*]]: tensor<14x4xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[W]] {{\[\[}}0, 1]] : tensor<14x4xf32> into tensor<56xf32>
// CHECK: %[[PERHEAD:.*]] = tensor.expand_shape %[[FLAT]] {{.*}} output_shape [2, 7, 4] : tensor<56xf32> into tensor<2x7x4xf32>
// CHECK: tensor.extract_slice %[[PERHEAD]][0, 0, 0] [2, 4, 4] [1, 1, 1]
// CHECK: tensor.extract_slice %[[PERHEAD]][0, 4, 0] [2, 3, 4] [1, 1, 1]
// CHECK-NOT: tern.
func.func @computed_weight(%qn: tensor<2x2x4xf32>, %qr: tensor<2x2x2xf32>, %c: tensor<2x3x6xf32>, %w: tensor<14x4xf32>, %m: tensor<2x1x3xf32>) -> tensor<2x2x3xf32> {
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.5 : f64}
      : (tensor<2x2x4xf32>, tensor<2x2x2xf32>, tensor<2x3x6xf32>, tensor<14x4xf32>, tensor<2x1x3xf32>) -> tensor<2x2x3xf32>
  return %o : tensor<2x2x3xf32>
}
