// Layer 1's MoE block as the HF importer writes it.
// Cut from `ternc test/frontend/hf/fixtures/tiny_v3_fp8 --dim seq=4 --emit=tern` by
// scripts/make_fusion_fixtures.py; weights elided. Do not edit: regenerate.
func.func @moe(%274: tensor<4x160xf32>) -> tensor<4x160xf32> {
  %72 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.7.down_proj.weight_scale_inv> : tensor<2x2xf32>
  %73 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.7.down_proj.weight> : tensor<160x136xf8E4M3FN>
  %74 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.7.up_proj.weight_scale_inv> : tensor<2x2xf32>
  %75 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.7.up_proj.weight> : tensor<136x160xf8E4M3FN>
  %76 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.7.gate_proj.weight_scale_inv> : tensor<2x2xf32>
  %77 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.7.gate_proj.weight> : tensor<136x160xf8E4M3FN>
  %78 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.6.down_proj.weight_scale_inv> : tensor<2x2xf32>
  %79 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.6.down_proj.weight> : tensor<160x136xf8E4M3FN>
  %80 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.6.up_proj.weight_scale_inv> : tensor<2x2xf32>
  %81 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.6.up_proj.weight> : tensor<136x160xf8E4M3FN>
  %82 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.6.gate_proj.weight_scale_inv> : tensor<2x2xf32>
  %83 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.6.gate_proj.weight> : tensor<136x160xf8E4M3FN>
  %84 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.5.down_proj.weight_scale_inv> : tensor<2x2xf32>
  %85 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.5.down_proj.weight> : tensor<160x136xf8E4M3FN>
  %86 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.5.up_proj.weight_scale_inv> : tensor<2x2xf32>
  %87 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.5.up_proj.weight> : tensor<136x160xf8E4M3FN>
  %88 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.5.gate_proj.weight_scale_inv> : tensor<2x2xf32>
  %89 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.5.gate_proj.weight> : tensor<136x160xf8E4M3FN>
  %90 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.4.down_proj.weight_scale_inv> : tensor<2x2xf32>
  %91 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.4.down_proj.weight> : tensor<160x136xf8E4M3FN>
  %92 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.4.up_proj.weight_scale_inv> : tensor<2x2xf32>
  %93 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.4.up_proj.weight> : tensor<136x160xf8E4M3FN>
  %94 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.4.gate_proj.weight_scale_inv> : tensor<2x2xf32>
  %95 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.4.gate_proj.weight> : tensor<136x160xf8E4M3FN>
  %96 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.3.down_proj.weight_scale_inv> : tensor<2x2xf32>
  %97 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.3.down_proj.weight> : tensor<160x136xf8E4M3FN>
  %98 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.3.up_proj.weight_scale_inv> : tensor<2x2xf32>
  %99 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.3.up_proj.weight> : tensor<136x160xf8E4M3FN>
  %100 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.3.gate_proj.weight_scale_inv> : tensor<2x2xf32>
  %101 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.3.gate_proj.weight> : tensor<136x160xf8E4M3FN>
  %102 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.2.down_proj.weight_scale_inv> : tensor<2x2xf32>
  %103 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.2.down_proj.weight> : tensor<160x136xf8E4M3FN>
  %104 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.2.up_proj.weight_scale_inv> : tensor<2x2xf32>
  %105 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.2.up_proj.weight> : tensor<136x160xf8E4M3FN>
  %106 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.2.gate_proj.weight_scale_inv> : tensor<2x2xf32>
  %107 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.2.gate_proj.weight> : tensor<136x160xf8E4M3FN>
  %108 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.1.down_proj.weight_scale_inv> : tensor<2x2xf32>
  %109 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.1.down_proj.weight> : tensor<160x136xf8E4M3FN>
  %110 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.1.up_proj.weight_scale_inv> : tensor<2x2xf32>
  %111 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.1.up_proj.weight> : tensor<136x160xf8E4M3FN>
  %112 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.1.gate_proj.weight_scale_inv> : tensor<2x2xf32>
  %113 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.1.gate_proj.weight> : tensor<136x160xf8E4M3FN>
  %114 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.0.down_proj.weight_scale_inv> : tensor<2x2xf32>
  %115 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.0.down_proj.weight> : tensor<160x136xf8E4M3FN>
  %116 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.0.up_proj.weight_scale_inv> : tensor<2x2xf32>
  %117 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.0.up_proj.weight> : tensor<136x160xf8E4M3FN>
  %118 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.0.gate_proj.weight_scale_inv> : tensor<2x2xf32>
  %119 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.0.gate_proj.weight> : tensor<136x160xf8E4M3FN>
  %120 = tern.constant dense_resource<hf.model.layers.1.mlp.shared_experts.down_proj.weight_scale_inv> : tensor<2x2xf32>
  %121 = tern.constant dense_resource<hf.model.layers.1.mlp.shared_experts.down_proj.weight> : tensor<160x136xf8E4M3FN>
  %122 = tern.constant dense_resource<hf.model.layers.1.mlp.shared_experts.up_proj.weight_scale_inv> : tensor<2x2xf32>
  %123 = tern.constant dense_resource<hf.model.layers.1.mlp.shared_experts.up_proj.weight> : tensor<136x160xf8E4M3FN>
  %124 = tern.constant dense_resource<hf.model.layers.1.mlp.shared_experts.gate_proj.weight_scale_inv> : tensor<2x2xf32>
  %125 = tern.constant dense_resource<hf.model.layers.1.mlp.shared_experts.gate_proj.weight> : tensor<136x160xf8E4M3FN>
  %126 = tern.constant dense<0.000000e+00> : tensor<4x8xf32>
  %127 = tern.constant dense<2.500000e+00> : tensor<f32>
  %128 = tern.constant dense<9.99999968E-21> : tensor<f32>
  %129 = tern.constant dense<5.000000e-01> : tensor<f32>
  %130 = tern.constant dense<0.000000e+00> : tensor<4x4xf32>
  %131 = tern.constant dense<1.000000e+00> : tensor<4x2xf32>
  %132 = tern.constant dense_resource<hf.model.layers.1.mlp.gate.e_score_correction_bias> : tensor<8xf32>
  %133 = tern.constant dense_resource<hf.model.layers.1.mlp.gate.weight> : tensor<8x160xbf16>
  %171 = tern.constant dense<0xFF800000> : tensor<f32>
  %275 = tern.cast %133 : tensor<8x160xbf16> to tensor<8x160xf32>
  %276 = tern.gemm %274, %275 {trans_b = true} : (tensor<4x160xf32>, tensor<8x160xf32>) -> tensor<4x8xf32>
  %277 = tern.sigmoid %276 : tensor<4x8xf32>
  %278 = tern.add %277, %132 : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %279 = tern.reshape %278 : (tensor<4x8xf32>) -> tensor<4x4x2xf32>
  %values, %indices = tern.topk %279 {axis = 2 : i64, k = 2 : i64} : tensor<4x4x2xf32> -> tensor<4x4x2xf32>, tensor<4x4x2xi64>
  %280 = tern.reduce_sum %values {axes = array<i64: 2>, keepdims = false} : tensor<4x4x2xf32> -> tensor<4x4xf32>
  %values_0, %indices_1 = tern.topk %280 {axis = 1 : i64, k = 2 : i64} : tensor<4x4xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %281 = tern.scatter_elements %130, %indices_1, %131 {axis = 1 : i64} : (tensor<4x4xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x4xf32>
  %282 = tern.reshape %281 : (tensor<4x4xf32>) -> tensor<4x4x1xf32>
  %283 = tern.expand %282 : (tensor<4x4x1xf32>) -> tensor<4x4x2xf32>
  %284 = tern.reshape %283 : (tensor<4x4x2xf32>) -> tensor<4x8xf32>
  %285 = tern.gt %284, %129 : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xi1>
  %286 = tern.where %285, %278, %171 : (tensor<4x8xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %values_2, %indices_3 = tern.topk %286 {axis = 1 : i64, k = 2 : i64} : tensor<4x8xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %287 = tern.gather_elements %277, %indices_3 {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
  %288 = tern.reduce_sum %287 {axes = array<i64: 1>} : tensor<4x2xf32> -> tensor<4x1xf32>
  %289 = tern.add %288, %128 : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %290 = tern.div %287, %289 : (tensor<4x2xf32>, tensor<4x1xf32>) -> tensor<4x2xf32>
  %291 = tern.mul %290, %127 : (tensor<4x2xf32>, tensor<f32>) -> tensor<4x2xf32>
  %292 = tern.scatter_elements %126, %indices_3, %291 {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  %293 = tern.dequantize %125, %124 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %294 = tern.gemm %274, %293 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %295 = tern.silu %294 : tensor<4x136xf32>
  %296 = tern.dequantize %123, %122 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %297 = tern.gemm %274, %296 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %298 = tern.mul %295, %297 : (tensor<4x136xf32>, tensor<4x136xf32>) -> tensor<4x136xf32>
  %299 = tern.dequantize %121, %120 {block_size = array<i64: 128, 128>} : (tensor<160x136xf8E4M3FN>, tensor<2x2xf32>) -> tensor<160x136xf32>
  %300 = tern.gemm %298, %299 {trans_b = true} : (tensor<4x136xf32>, tensor<160x136xf32>) -> tensor<4x160xf32>
  %301 = tern.dequantize %119, %118 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %302 = tern.gemm %274, %301 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %303 = tern.silu %302 : tensor<4x136xf32>
  %304 = tern.dequantize %117, %116 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %305 = tern.gemm %274, %304 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %306 = tern.mul %303, %305 : (tensor<4x136xf32>, tensor<4x136xf32>) -> tensor<4x136xf32>
  %307 = tern.dequantize %115, %114 {block_size = array<i64: 128, 128>} : (tensor<160x136xf8E4M3FN>, tensor<2x2xf32>) -> tensor<160x136xf32>
  %308 = tern.gemm %306, %307 {trans_b = true} : (tensor<4x136xf32>, tensor<160x136xf32>) -> tensor<4x160xf32>
  %309 = tern.slice %292 {ends = array<i64: 4, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %310 = tern.mul %308, %309 : (tensor<4x160xf32>, tensor<4x1xf32>) -> tensor<4x160xf32>
  %311 = tern.add %300, %310 : (tensor<4x160xf32>, tensor<4x160xf32>) -> tensor<4x160xf32>
  %312 = tern.dequantize %113, %112 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %313 = tern.gemm %274, %312 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %314 = tern.silu %313 : tensor<4x136xf32>
  %315 = tern.dequantize %111, %110 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %316 = tern.gemm %274, %315 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %317 = tern.mul %314, %316 : (tensor<4x136xf32>, tensor<4x136xf32>) -> tensor<4x136xf32>
  %318 = tern.dequantize %109, %108 {block_size = array<i64: 128, 128>} : (tensor<160x136xf8E4M3FN>, tensor<2x2xf32>) -> tensor<160x136xf32>
  %319 = tern.gemm %317, %318 {trans_b = true} : (tensor<4x136xf32>, tensor<160x136xf32>) -> tensor<4x160xf32>
  %320 = tern.slice %292 {ends = array<i64: 4, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %321 = tern.mul %319, %320 : (tensor<4x160xf32>, tensor<4x1xf32>) -> tensor<4x160xf32>
  %322 = tern.add %311, %321 : (tensor<4x160xf32>, tensor<4x160xf32>) -> tensor<4x160xf32>
  %323 = tern.dequantize %107, %106 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %324 = tern.gemm %274, %323 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %325 = tern.silu %324 : tensor<4x136xf32>
  %326 = tern.dequantize %105, %104 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %327 = tern.gemm %274, %326 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %328 = tern.mul %325, %327 : (tensor<4x136xf32>, tensor<4x136xf32>) -> tensor<4x136xf32>
  %329 = tern.dequantize %103, %102 {block_size = array<i64: 128, 128>} : (tensor<160x136xf8E4M3FN>, tensor<2x2xf32>) -> tensor<160x136xf32>
  %330 = tern.gemm %328, %329 {trans_b = true} : (tensor<4x136xf32>, tensor<160x136xf32>) -> tensor<4x160xf32>
  %331 = tern.slice %292 {ends = array<i64: 4, 3>, starts = array<i64: 0, 2>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %332 = tern.mul %330, %331 : (tensor<4x160xf32>, tensor<4x1xf32>) -> tensor<4x160xf32>
  %333 = tern.add %322, %332 : (tensor<4x160xf32>, tensor<4x160xf32>) -> tensor<4x160xf32>
  %334 = tern.dequantize %101, %100 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %335 = tern.gemm %274, %334 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %336 = tern.silu %335 : tensor<4x136xf32>
  %337 = tern.dequantize %99, %98 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %338 = tern.gemm %274, %337 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %339 = tern.mul %336, %338 : (tensor<4x136xf32>, tensor<4x136xf32>) -> tensor<4x136xf32>
  %340 = tern.dequantize %97, %96 {block_size = array<i64: 128, 128>} : (tensor<160x136xf8E4M3FN>, tensor<2x2xf32>) -> tensor<160x136xf32>
  %341 = tern.gemm %339, %340 {trans_b = true} : (tensor<4x136xf32>, tensor<160x136xf32>) -> tensor<4x160xf32>
  %342 = tern.slice %292 {ends = array<i64: 4, 4>, starts = array<i64: 0, 3>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %343 = tern.mul %341, %342 : (tensor<4x160xf32>, tensor<4x1xf32>) -> tensor<4x160xf32>
  %344 = tern.add %333, %343 : (tensor<4x160xf32>, tensor<4x160xf32>) -> tensor<4x160xf32>
  %345 = tern.dequantize %95, %94 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %346 = tern.gemm %274, %345 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %347 = tern.silu %346 : tensor<4x136xf32>
  %348 = tern.dequantize %93, %92 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %349 = tern.gemm %274, %348 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %350 = tern.mul %347, %349 : (tensor<4x136xf32>, tensor<4x136xf32>) -> tensor<4x136xf32>
  %351 = tern.dequantize %91, %90 {block_size = array<i64: 128, 128>} : (tensor<160x136xf8E4M3FN>, tensor<2x2xf32>) -> tensor<160x136xf32>
  %352 = tern.gemm %350, %351 {trans_b = true} : (tensor<4x136xf32>, tensor<160x136xf32>) -> tensor<4x160xf32>
  %353 = tern.slice %292 {ends = array<i64: 4, 5>, starts = array<i64: 0, 4>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %354 = tern.mul %352, %353 : (tensor<4x160xf32>, tensor<4x1xf32>) -> tensor<4x160xf32>
  %355 = tern.add %344, %354 : (tensor<4x160xf32>, tensor<4x160xf32>) -> tensor<4x160xf32>
  %356 = tern.dequantize %89, %88 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %357 = tern.gemm %274, %356 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %358 = tern.silu %357 : tensor<4x136xf32>
  %359 = tern.dequantize %87, %86 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %360 = tern.gemm %274, %359 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %361 = tern.mul %358, %360 : (tensor<4x136xf32>, tensor<4x136xf32>) -> tensor<4x136xf32>
  %362 = tern.dequantize %85, %84 {block_size = array<i64: 128, 128>} : (tensor<160x136xf8E4M3FN>, tensor<2x2xf32>) -> tensor<160x136xf32>
  %363 = tern.gemm %361, %362 {trans_b = true} : (tensor<4x136xf32>, tensor<160x136xf32>) -> tensor<4x160xf32>
  %364 = tern.slice %292 {ends = array<i64: 4, 6>, starts = array<i64: 0, 5>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %365 = tern.mul %363, %364 : (tensor<4x160xf32>, tensor<4x1xf32>) -> tensor<4x160xf32>
  %366 = tern.add %355, %365 : (tensor<4x160xf32>, tensor<4x160xf32>) -> tensor<4x160xf32>
  %367 = tern.dequantize %83, %82 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %368 = tern.gemm %274, %367 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %369 = tern.silu %368 : tensor<4x136xf32>
  %370 = tern.dequantize %81, %80 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %371 = tern.gemm %274, %370 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %372 = tern.mul %369, %371 : (tensor<4x136xf32>, tensor<4x136xf32>) -> tensor<4x136xf32>
  %373 = tern.dequantize %79, %78 {block_size = array<i64: 128, 128>} : (tensor<160x136xf8E4M3FN>, tensor<2x2xf32>) -> tensor<160x136xf32>
  %374 = tern.gemm %372, %373 {trans_b = true} : (tensor<4x136xf32>, tensor<160x136xf32>) -> tensor<4x160xf32>
  %375 = tern.slice %292 {ends = array<i64: 4, 7>, starts = array<i64: 0, 6>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %376 = tern.mul %374, %375 : (tensor<4x160xf32>, tensor<4x1xf32>) -> tensor<4x160xf32>
  %377 = tern.add %366, %376 : (tensor<4x160xf32>, tensor<4x160xf32>) -> tensor<4x160xf32>
  %378 = tern.dequantize %77, %76 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %379 = tern.gemm %274, %378 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %380 = tern.silu %379 : tensor<4x136xf32>
  %381 = tern.dequantize %75, %74 {block_size = array<i64: 128, 128>} : (tensor<136x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<136x160xf32>
  %382 = tern.gemm %274, %381 {trans_b = true} : (tensor<4x160xf32>, tensor<136x160xf32>) -> tensor<4x136xf32>
  %383 = tern.mul %380, %382 : (tensor<4x136xf32>, tensor<4x136xf32>) -> tensor<4x136xf32>
  %384 = tern.dequantize %73, %72 {block_size = array<i64: 128, 128>} : (tensor<160x136xf8E4M3FN>, tensor<2x2xf32>) -> tensor<160x136xf32>
  %385 = tern.gemm %383, %384 {trans_b = true} : (tensor<4x136xf32>, tensor<160x136xf32>) -> tensor<4x160xf32>
  %386 = tern.slice %292 {ends = array<i64: 4, 8>, starts = array<i64: 0, 7>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %387 = tern.mul %385, %386 : (tensor<4x160xf32>, tensor<4x1xf32>) -> tensor<4x160xf32>
  %388 = tern.add %377, %387 : (tensor<4x160xf32>, tensor<4x160xf32>) -> tensor<4x160xf32>
  return %388 : tensor<4x160xf32>
}
