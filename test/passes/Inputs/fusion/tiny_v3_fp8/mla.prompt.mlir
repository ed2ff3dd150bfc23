// Layer 1's attention (MLA) for a prompt, as the HF importer writes it.
// Cut from `ternc test/frontend/hf/fixtures/tiny_v3_fp8 --dim seq=4 --emit=tern` by
// scripts/make_fusion_fixtures.py; weights elided. Do not edit: regenerate.
func.func @mla(%233: tensor<4x160xf32>) -> tensor<4x160xf32> {
  %135 = tern.constant dense_resource<hf.model.layers.1.self_attn.o_proj.weight_scale_inv> : tensor<2x1xf32>
  %136 = tern.constant dense_resource<hf.model.layers.1.self_attn.o_proj.weight> : tensor<160x64xf8E4M3FN>
  %137 = tern.constant dense_resource<hf.model.layers.1.self_attn.kv_b_proj.weight_scale_inv> : tensor<1x2xf32>
  %138 = tern.constant dense_resource<hf.model.layers.1.self_attn.kv_b_proj.weight> : tensor<128x136xf8E4M3FN>
  %139 = tern.constant dense_resource<hf.model.layers.1.self_attn.kv_a_layernorm.weight> : tensor<136xbf16>
  %140 = tern.constant dense_resource<hf.model.layers.1.self_attn.kv_a_proj_with_mqa.weight_scale_inv> : tensor<2x2xf32>
  %141 = tern.constant dense_resource<hf.model.layers.1.self_attn.kv_a_proj_with_mqa.weight> : tensor<144x160xf8E4M3FN>
  %142 = tern.constant dense_resource<hf.model.layers.1.self_attn.q_b_proj.weight_scale_inv> : tensor<1x2xf32>
  %143 = tern.constant dense_resource<hf.model.layers.1.self_attn.q_b_proj.weight> : tensor<96x144xf8E4M3FN>
  %144 = tern.constant dense_resource<hf.model.layers.1.self_attn.q_a_layernorm.weight> : tensor<144xbf16>
  %145 = tern.constant dense_resource<hf.model.layers.1.self_attn.q_a_proj.weight_scale_inv> : tensor<2x2xf32>
  %146 = tern.constant dense_resource<hf.model.layers.1.self_attn.q_a_proj.weight> : tensor<144x160xf8E4M3FN>
  %157 = tern.constant dense<0.264642268> : tensor<f32>
  %170 = tern.constant dense<0.000000e+00> : tensor<f32>
  %171 = tern.constant dense<0xFF800000> : tensor<f32>
  %172 = tern.constant dense<[[[1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00]], [[0.540302277, 0.99804753, 0.9999969, 0.99999994]], [[-0.416146845, 0.992197692, 0.999987483, 0.99999988]], [[-0.989992499, 0.982473313, 0.999971866, 0.999999701]]]> : tensor<4x1x4xf32>
  %173 = tern.constant dense<[[[0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]], [[0.841470957, 0.0624593161, 0.00249999738, 2.500000e-04]], [[0.909297406, 0.12467473, 0.00499997893, 5.000000e-04]], [[1.411200e-01, 0.186403289, 0.00749992952, 7.49999948E-4]]]> : tensor<4x1x4xf32>
  %174 = tern.constant dense<[0, 1, 2, 3]> : tensor<4xi64>
  %175 = tern.reshape %174 : (tensor<4xi64>) -> tensor<4x1xi64>
  %176 = tern.le %174, %175 : (tensor<4xi64>, tensor<4x1xi64>) -> tensor<4x4xi1>
  %177 = tern.where %176, %170, %171 : (tensor<4x4xi1>, tensor<f32>, tensor<f32>) -> tensor<4x4xf32>
  %234 = tern.dequantize %146, %145 {block_size = array<i64: 128, 128>} : (tensor<144x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<144x160xf32>
  %235 = tern.gemm %233, %234 {trans_b = true} : (tensor<4x160xf32>, tensor<144x160xf32>) -> tensor<4x144xf32>
  %236 = tern.cast %144 : tensor<144xbf16> to tensor<144xf32>
  %237 = tern.rms_norm %235, %236 {axis = 1 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<4x144xf32>, tensor<144xf32>) -> tensor<4x144xf32>
  %238 = tern.dequantize %143, %142 {block_size = array<i64: 128, 128>} : (tensor<96x144xf8E4M3FN>, tensor<1x2xf32>) -> tensor<96x144xf32>
  %239 = tern.gemm %237, %238 {trans_b = true} : (tensor<4x144xf32>, tensor<96x144xf32>) -> tensor<4x96xf32>
  %240 = tern.reshape %239 : (tensor<4x96xf32>) -> tensor<4x4x24xf32>
  %241 = tern.slice %240 {ends = array<i64: 4, 4, 16>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<4x4x24xf32> -> tensor<4x4x16xf32>
  %242 = tern.slice %240 {ends = array<i64: 4, 4, 24>, starts = array<i64: 0, 0, 16>, steps = array<i64: 1, 1, 1>} : tensor<4x4x24xf32> -> tensor<4x4x8xf32>
  %243 = tern.rotary %242, %172, %173 {interleaved = true} : (tensor<4x4x8xf32>, tensor<4x1x4xf32>, tensor<4x1x4xf32>) -> tensor<4x4x8xf32>
  %244 = tern.dequantize %141, %140 {block_size = array<i64: 128, 128>} : (tensor<144x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<144x160xf32>
  %245 = tern.gemm %233, %244 {trans_b = true} : (tensor<4x160xf32>, tensor<144x160xf32>) -> tensor<4x144xf32>
  %246 = tern.slice %245 {ends = array<i64: 4, 136>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<4x144xf32> -> tensor<4x136xf32>
  %247 = tern.slice %245 {ends = array<i64: 4, 144>, starts = array<i64: 0, 136>, steps = array<i64: 1, 1>} : tensor<4x144xf32> -> tensor<4x8xf32>
  %248 = tern.reshape %247 : (tensor<4x8xf32>) -> tensor<4x1x8xf32>
  %249 = tern.rotary %248, %172, %173 {interleaved = true} : (tensor<4x1x8xf32>, tensor<4x1x4xf32>, tensor<4x1x4xf32>) -> tensor<4x1x8xf32>
  %250 = tern.cast %139 : tensor<136xbf16> to tensor<136xf32>
  %251 = tern.rms_norm %246, %250 {axis = 1 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<4x136xf32>, tensor<136xf32>) -> tensor<4x136xf32>
  %252 = tern.dequantize %138, %137 {block_size = array<i64: 128, 128>} : (tensor<128x136xf8E4M3FN>, tensor<1x2xf32>) -> tensor<128x136xf32>
  %253 = tern.gemm %251, %252 {trans_b = true} : (tensor<4x136xf32>, tensor<128x136xf32>) -> tensor<4x128xf32>
  %254 = tern.reshape %253 : (tensor<4x128xf32>) -> tensor<4x4x32xf32>
  %255 = tern.slice %254 {ends = array<i64: 4, 4, 16>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<4x4x32xf32> -> tensor<4x4x16xf32>
  %256 = tern.slice %254 {ends = array<i64: 4, 4, 32>, starts = array<i64: 0, 0, 16>, steps = array<i64: 1, 1, 1>} : tensor<4x4x32xf32> -> tensor<4x4x16xf32>
  %257 = tern.expand %249 : (tensor<4x1x8xf32>) -> tensor<4x4x8xf32>
  %258 = tern.concat %241, %243 {axis = 2 : i64} : (tensor<4x4x16xf32>, tensor<4x4x8xf32>) -> tensor<4x4x24xf32>
  %259 = tern.concat %255, %257 {axis = 2 : i64} : (tensor<4x4x16xf32>, tensor<4x4x8xf32>) -> tensor<4x4x24xf32>
  %260 = tern.transpose %258 {permutation = array<i64: 1, 0, 2>} : tensor<4x4x24xf32> -> tensor<4x4x24xf32>
  %261 = tern.transpose %259 {permutation = array<i64: 1, 2, 0>} : tensor<4x4x24xf32> -> tensor<4x24x4xf32>
  %262 = tern.transpose %256 {permutation = array<i64: 1, 0, 2>} : tensor<4x4x16xf32> -> tensor<4x4x16xf32>
  %263 = tern.matmul %260, %261 : (tensor<4x4x24xf32>, tensor<4x24x4xf32>) -> tensor<4x4x4xf32>
  %264 = tern.mul %263, %157 : (tensor<4x4x4xf32>, tensor<f32>) -> tensor<4x4x4xf32>
  %265 = tern.add %264, %177 : (tensor<4x4x4xf32>, tensor<4x4xf32>) -> tensor<4x4x4xf32>
  %266 = tern.softmax %265 {axis = 2 : i64} : tensor<4x4x4xf32>
  %267 = tern.matmul %266, %262 : (tensor<4x4x4xf32>, tensor<4x4x16xf32>) -> tensor<4x4x16xf32>
  %268 = tern.transpose %267 {permutation = array<i64: 1, 0, 2>} : tensor<4x4x16xf32> -> tensor<4x4x16xf32>
  %269 = tern.reshape %268 : (tensor<4x4x16xf32>) -> tensor<4x64xf32>
  %270 = tern.dequantize %136, %135 {block_size = array<i64: 128, 128>} : (tensor<160x64xf8E4M3FN>, tensor<2x1xf32>) -> tensor<160x64xf32>
  %271 = tern.gemm %269, %270 {trans_b = true} : (tensor<4x64xf32>, tensor<160x64xf32>) -> tensor<4x160xf32>
  return %271 : tensor<4x160xf32>
}
