// RUN: tern-opt %s -split-input-file -convert-tern-to-linalg -cse | FileCheck %s
// RUN: tern-opt %s -split-input-file -convert-tern-to-linalg -cse | grep -c 'arith.constant #tern.concat_elements' | FileCheck %s --check-prefix=ONCE
// ONCE: {{^}}1{{$}}

// tern.mla_attention lowers absorbed: q_nope times each head's key rows of
// kv_b (W_UK) into the latent space, scores against the cached [latent |
// k_rope] rows, softmax, the probabilities times the cached latents, then
// each head's value rows (W_UV). Shapes: B = H = 2, N = 4, R = 2, V = 3,
// L = 4, S = 3 positions.

// A widened constant kv_b is read through the transposed constant its gemm
// in the prompt reads, [L, H * (N + V)]: the plan stores it once. It is
// sliced as stored (bf16), and the products widen each element as they
// read it: no widened copy of kv_b.
// CHECK-LABEL: func.func @shared_weight
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x4xf32>, %[[QN:[^:]*]]: tensor<2x2x4xf32>, %[[QR:[^:]*]]: tensor<2x2x2xf32>, %[[CACHE:[^:]*]]: tensor<2x3x6xf32>, %[[MASK:[^:]*]]: tensor<2x1x3xf32>)
// CHECK: %[[STORED:.*]] = arith.constant #tern.concat_elements<parts = [dense_resource<kv_b> : tensor<14x4xbf16>], transposedGroups = 1> : tensor<4x14xbf16>
// CHECK: %[[WIDE:.*]] = linalg.generic {{.*}} ins(%[[STORED]] : tensor<4x14xbf16>)
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[WIDE]] : tensor<2x4xf32>, tensor<4x14xf32>)
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[STORED]] {{\[\[}}0, 1]] : tensor<4x14xbf16> into tensor<56xbf16>
// CHECK: %[[PERHEAD:.*]] = tensor.expand_shape %[[FLAT]] {{.*}} output_shape [4, 2, 7] : tensor<56xbf16> into tensor<4x2x7xbf16>
// CHECK: %[[WUK16:.*]] = tensor.extract_slice %[[PERHEAD]][0, 0, 0] [4, 2, 4] [1, 1, 1]
// CHECK: %[[WUV16:.*]] = tensor.extract_slice %[[PERHEAD]][0, 0, 4] [4, 2, 3] [1, 1, 1]
// CHECK: %[[QLAT:.*]] = linalg.generic {{.*}} ins(%[[QN]], %[[WUK16]] : tensor<2x2x4xf32>, tensor<4x2x4xbf16>) outs({{.*}} : tensor<2x2x4xf32>)
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: %[[QUERY:.*]] = tensor.concat dim(2) %[[QLAT]], %[[QR]] : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
// CHECK: linalg.generic {{.*}} ins(%[[QUERY]], %[[CACHE]] : tensor<2x2x6xf32>, tensor<2x3x6xf32>) outs({{.*}} : tensor<2x2x3xf32>)
// CHECK: %[[LATENTS:.*]] = tensor.extract_slice %[[CACHE]][0, 0, 0] [2, 3, 4] [1, 1, 1]
// CHECK: %[[MIXED:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[LATENTS]] : tensor<2x2x3xf32>, tensor<2x3x4xf32>) outs({{.*}} : tensor<2x2x4xf32>)
// CHECK: %[[OUT:.*]] = linalg.generic {{.*}} ins(%[[MIXED]], %[[WUV16]] : tensor<2x2x4xf32>, tensor<4x2x3xbf16>) outs({{.*}} : tensor<2x2x3xf32>)
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

// Any other kv_b (here an argument; FP8 whose blocks straddle a head's key
// and value rows) is read as it is, [H * (N + V), L], each head's rows a view.
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

// -----

// Block-quantized kv_b whose blocks hold whole key and value rows of a head
// (here 2-row blocks, N = 4, V = 2): data and scales sliced per head alike,
// each element dequantized where the product reads it (its scale at [h, n /
// 2, l / 4] for the query, [h, e / 2, l / 4] for the values).
// CHECK-DAG: #[[$QSCALE:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3 floordiv 2, d2 floordiv 4)>
// CHECK-DAG: #[[$VSCALE:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2 floordiv 2, d3 floordiv 4)>
// CHECK-LABEL: func.func @block_quantized_weight
// CHECK: %[[QH:.*]] = tensor.expand_shape %{{.*}} output_shape [2, 6, 4] : tensor<48xf8E4M3FN> into tensor<2x6x4xf8E4M3FN>
// CHECK: %[[SH:.*]] = tensor.expand_shape %{{.*}} output_shape [2, 3, 1] : tensor<6xf32> into tensor<2x3x1xf32>
// CHECK: %[[QK:.*]] = tensor.extract_slice %[[QH]][0, 0, 0] [2, 4, 4] [1, 1, 1]
// CHECK: %[[SK:.*]] = tensor.extract_slice %[[SH]][0, 0, 0] [2, 2, 1] [1, 1, 1]
// CHECK: %[[QV:.*]] = tensor.extract_slice %[[QH]][0, 4, 0] [2, 2, 4] [1, 1, 1]
// CHECK: %[[SV:.*]] = tensor.extract_slice %[[SH]][0, 2, 0] [2, 1, 1] [1, 1, 1]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #[[$QSCALE]], #{{.*}}], {{.*}} ins(%{{.*}}, %[[QK]], %[[SK]] : tensor<2x2x4xf32>, tensor<2x4x4xf8E4M3FN>, tensor<2x2x1xf32>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #[[$VSCALE]], #{{.*}}], {{.*}} ins(%{{.*}}, %[[QV]], %[[SV]] : tensor<2x2x4xf32>, tensor<2x2x4xf8E4M3FN>, tensor<2x1x1xf32>)
// CHECK-NOT: tern.
func.func @block_quantized_weight(%qn: tensor<2x2x4xf32>, %qr: tensor<2x2x2xf32>, %c: tensor<2x3x6xf32>, %q: tensor<12x4xf8E4M3FN>, %s: tensor<6x1xf32>, %m: tensor<2x1x3xf32>) -> tensor<2x2x2xf32> {
  %w = tern.dequantize %q, %s {block_size = array<i64: 2, 4>} : (tensor<12x4xf8E4M3FN>, tensor<6x1xf32>) -> tensor<12x4xf32>
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.5 : f64}
      : (tensor<2x2x4xf32>, tensor<2x2x2xf32>, tensor<2x3x6xf32>, tensor<12x4xf32>, tensor<2x1x3xf32>) -> tensor<2x2x2xf32>
  return %o : tensor<2x2x2xf32>
}

// -----

// A bf16 cache: both products with it widen its elements as they read them.
// CHECK-LABEL: func.func @bf16_cache
// CHECK-SAME: %[[CACHE:[^:]*]]: tensor<2x3x6xbf16>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[CACHE]] : tensor<2x2x6xf32>, tensor<2x3x6xbf16>) outs(%{{.*}} : tensor<2x2x3xf32>)
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: %[[LATENTS:.*]] = tensor.extract_slice %[[CACHE]][0, 0, 0] [2, 3, 4] [1, 1, 1] : tensor<2x3x6xbf16> to tensor<2x3x4xbf16>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[LATENTS]] : tensor<2x2x3xf32>, tensor<2x3x4xbf16>) outs(%{{.*}} : tensor<2x2x4xf32>)
func.func @bf16_cache(%qn: tensor<2x2x4xf32>, %qr: tensor<2x2x2xf32>, %c: tensor<2x3x6xbf16>, %w: tensor<14x4xf32>, %m: tensor<2x1x3xf32>) -> tensor<2x2x3xf32> {
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.5 : f64}
      : (tensor<2x2x4xf32>, tensor<2x2x2xf32>, tensor<2x3x6xbf16>, tensor<14x4xf32>, tensor<2x1x3xf32>) -> tensor<2x2x3xf32>
  return %o : tensor<2x2x3xf32>
}

// -----

// A bf16 op (ternc --precision=bf16): the query in the latent space, the
// scores, their softmax and the weighted latents stay f32 (the mask and the
// RoPE query widened); only the result is rounded to bf16.
// CHECK-LABEL: func.func @bf16_op
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<2x2x6xf32>, tensor<2x3x6xbf16>) outs(%{{.*}} : tensor<2x2x3xf32>)
// CHECK: arith.maximumf %{{.*}} : f32
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<2x2x3xf32>, tensor<2x3x4xbf16>) outs(%{{.*}} : tensor<2x2x4xf32>)
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: return %{{.*}} : tensor<2x2x3xbf16>
func.func @bf16_op(%qn: tensor<2x2x4xbf16>, %qr: tensor<2x2x2xbf16>, %c: tensor<2x3x6xbf16>, %w: tensor<14x4xbf16>, %m: tensor<2x1x3xbf16>) -> tensor<2x2x3xbf16> {
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.5 : f64}
      : (tensor<2x2x4xbf16>, tensor<2x2x2xbf16>, tensor<2x3x6xbf16>, tensor<14x4xbf16>, tensor<2x1x3xbf16>) -> tensor<2x2x3xbf16>
  return %o : tensor<2x2x3xbf16>
}

// -----

// A bf16 op whose kv_b is a block-dequantized FP8 weight rounded to bf16
// (--precision=bf16 on an FP8 checkpoint): the products still read the FP8
// data and its scales in place, with no dequantized copy per step.
// CHECK-LABEL: func.func @bf16_block_quantized_weight
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x2x4xbf16>, tensor<2x4x4xf8E4M3FN>, tensor<2x2x1xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x2x4xf32>, tensor<2x2x4xf8E4M3FN>, tensor<2x1x1xf32>)
// CHECK-NOT: tern.
func.func @bf16_block_quantized_weight(%qn: tensor<2x2x4xbf16>, %qr: tensor<2x2x2xbf16>, %c: tensor<2x3x6xbf16>, %q: tensor<12x4xf8E4M3FN>, %s: tensor<6x1xf32>, %m: tensor<2x1x3xbf16>) -> tensor<2x2x2xbf16> {
  %w = tern.dequantize %q, %s {block_size = array<i64: 2, 4>} : (tensor<12x4xf8E4M3FN>, tensor<6x1xf32>) -> tensor<12x4xf32>
  %w16 = tern.cast %w : tensor<12x4xf32> to tensor<12x4xbf16>
  %o = tern.mla_attention %qn, %qr, %c, %w16, %m {scale = 0.5 : f64}
      : (tensor<2x2x4xbf16>, tensor<2x2x2xbf16>, tensor<2x3x6xbf16>, tensor<12x4xbf16>, tensor<2x1x3xbf16>) -> tensor<2x2x2xbf16>
  return %o : tensor<2x2x2xbf16>
}
