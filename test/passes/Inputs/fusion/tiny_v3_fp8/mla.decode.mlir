// Layer 1's attention (MLA) for a decode step of 2 sequences with a 16-position KV cache, as the
// HF importer writes it; the caches come in as state arguments and go out updated.
// Cut from `ternc test/frontend/hf/fixtures/tiny_v3_fp8 --max-seq-len 16 --max-batch 2 --dim seq=4 --emit=tern` by
// scripts/make_fusion_fixtures.py; weights elided. Do not edit: regenerate.
func.func @mla_decode(%241: tensor<2x160xf32>, %arg1: tensor<2xi64>, %arg4: tensor<32x4x24xf32> {tern.name = "layers.1.key_cache", tern.state = "layers.1.key_cache"}, %arg5: tensor<32x4x16xf32> {tern.name = "layers.1.value_cache", tern.state = "layers.1.value_cache"}) -> (tensor<2x160xf32>, tensor<32x4x24xf32> {tern.name = "layers.1.key_cache", tern.state = "layers.1.key_cache"}, tensor<32x4x16xf32> {tern.name = "layers.1.value_cache", tern.state = "layers.1.value_cache"}) {
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
  %172 = tern.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi64>
  %173 = tern.constant dense<[[[0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]], [[0.841470957, 0.0624593161, 0.00249999738, 2.500000e-04]], [[0.909297406, 0.12467473, 0.00499997893, 5.000000e-04]], [[1.411200e-01, 0.186403289, 0.00749992952, 7.49999948E-4]], [[-0.756802499, 0.247403964, 0.00999983306, 9.99999931E-4]], [[-0.958924293, 0.307438523, 0.0124996733, 0.00124999974]], [[-0.279415488, 0.366272539, 0.0149994371, 0.00149999943]], [[0.656986594, 0.423676252, 0.017499106, 0.00174999912]], [[0.989358246, 0.47942555, 0.0199986659, 0.0019999987]], [[0.412118495, 0.533302665, 0.022498101, 0.00224999827]], [[-0.54402113, 0.585097253, 0.0249973945, 0.00249999762]], [[-0.999990224, 0.634607077, 0.0274965335, 0.00274999673]], [[-0.536572933, 0.681638777, 2.999550e-02, 0.0029999956]], [[0.420167029, 0.726008654, 0.0324942768, 0.00324999425]], [[0.99060738, 0.767543494, 0.034992855, 0.00349999289]], [[0.650287867, 0.806081116, 0.0374912098, 0.0037499913]]]> : tensor<16x1x4xf32>
  %174 = tern.constant dense<[[[1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00]], [[0.540302277, 0.99804753, 0.9999969, 0.99999994]], [[-0.416146845, 0.992197692, 0.999987483, 0.99999988]], [[-0.989992499, 0.982473313, 0.999971866, 0.999999701]], [[-0.653643608, 0.968912422, 0.999949991, 0.999999523]], [[0.2836622, 0.951567947, 0.999921858, 0.999999225]], [[0.960170269, 0.9305076, 0.999887526, 0.999998867]], [[0.753902256, 0.905813694, 0.999846875, 0.99999845]], [[-0.145500034, 0.87758255, 9.998000e-01, 0.999997973]], [[-0.911130249, 0.845924496, 0.999746859, 0.999997496]], [[-0.839071512, 0.810963094, 0.999687492, 0.9999969]], [[0.00442569796, 0.772834956, 0.999621927, 0.999996244]], [[0.84385395, 0.731688857, 0.999550044, 0.999995529]], [[0.907446801, 0.687685549, 0.999471902, 0.999994695]], [[0.136737213, 0.640996873, 0.999387562, 0.99999386]], [[-0.7596879, 0.5918051, 0.999296963, 0.999992966]]]> : tensor<16x1x4xf32>
  %175 = tern.constant dense<[0, 16]> : tensor<2xi64>
  %176 = tern.add %175, %arg1 : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %177 = tern.gather %174, %arg1 {axis = 0 : i64} : (tensor<16x1x4xf32>, tensor<2xi64>) -> tensor<2x1x4xf32>
  %178 = tern.gather %173, %arg1 {axis = 0 : i64} : (tensor<16x1x4xf32>, tensor<2xi64>) -> tensor<2x1x4xf32>
  %179 = tern.reshape %arg1 : (tensor<2xi64>) -> tensor<2x1xi64>
  %180 = tern.le %172, %179 : (tensor<16xi64>, tensor<2x1xi64>) -> tensor<2x16xi1>
  %181 = tern.where %180, %170, %171 : (tensor<2x16xi1>, tensor<f32>, tensor<f32>) -> tensor<2x16xf32>
  %182 = tern.reshape %181 : (tensor<2x16xf32>) -> tensor<2x1x16xf32>
  %213 = tern.reshape %176 : (tensor<2xi64>) -> tensor<2x1x1xi64>
  %214 = tern.expand %213 : (tensor<2x1x1xi64>) -> tensor<2x4x24xi64>
  %216 = tern.expand %213 : (tensor<2x1x1xi64>) -> tensor<2x4x16xi64>
  %242 = tern.dequantize %146, %145 {block_size = array<i64: 128, 128>} : (tensor<144x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<144x160xf32>
  %243 = tern.gemm %241, %242 {trans_b = true} : (tensor<2x160xf32>, tensor<144x160xf32>) -> tensor<2x144xf32>
  %244 = tern.cast %144 : tensor<144xbf16> to tensor<144xf32>
  %245 = tern.rms_norm %243, %244 {axis = 1 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<2x144xf32>, tensor<144xf32>) -> tensor<2x144xf32>
  %246 = tern.dequantize %143, %142 {block_size = array<i64: 128, 128>} : (tensor<96x144xf8E4M3FN>, tensor<1x2xf32>) -> tensor<96x144xf32>
  %247 = tern.gemm %245, %246 {trans_b = true} : (tensor<2x144xf32>, tensor<96x144xf32>) -> tensor<2x96xf32>
  %248 = tern.reshape %247 : (tensor<2x96xf32>) -> tensor<2x4x24xf32>
  %249 = tern.slice %248 {ends = array<i64: 2, 4, 16>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x4x24xf32> -> tensor<2x4x16xf32>
  %250 = tern.slice %248 {ends = array<i64: 2, 4, 24>, starts = array<i64: 0, 0, 16>, steps = array<i64: 1, 1, 1>} : tensor<2x4x24xf32> -> tensor<2x4x8xf32>
  %251 = tern.rotary %250, %177, %178 {interleaved = true} : (tensor<2x4x8xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32>) -> tensor<2x4x8xf32>
  %252 = tern.dequantize %141, %140 {block_size = array<i64: 128, 128>} : (tensor<144x160xf8E4M3FN>, tensor<2x2xf32>) -> tensor<144x160xf32>
  %253 = tern.gemm %241, %252 {trans_b = true} : (tensor<2x160xf32>, tensor<144x160xf32>) -> tensor<2x144xf32>
  %254 = tern.slice %253 {ends = array<i64: 2, 136>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x144xf32> -> tensor<2x136xf32>
  %255 = tern.slice %253 {ends = array<i64: 2, 144>, starts = array<i64: 0, 136>, steps = array<i64: 1, 1>} : tensor<2x144xf32> -> tensor<2x8xf32>
  %256 = tern.reshape %255 : (tensor<2x8xf32>) -> tensor<2x1x8xf32>
  %257 = tern.rotary %256, %177, %178 {interleaved = true} : (tensor<2x1x8xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32>) -> tensor<2x1x8xf32>
  %258 = tern.cast %139 : tensor<136xbf16> to tensor<136xf32>
  %259 = tern.rms_norm %254, %258 {axis = 1 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<2x136xf32>, tensor<136xf32>) -> tensor<2x136xf32>
  %260 = tern.dequantize %138, %137 {block_size = array<i64: 128, 128>} : (tensor<128x136xf8E4M3FN>, tensor<1x2xf32>) -> tensor<128x136xf32>
  %261 = tern.gemm %259, %260 {trans_b = true} : (tensor<2x136xf32>, tensor<128x136xf32>) -> tensor<2x128xf32>
  %262 = tern.reshape %261 : (tensor<2x128xf32>) -> tensor<2x4x32xf32>
  %263 = tern.slice %262 {ends = array<i64: 2, 4, 16>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x4x32xf32> -> tensor<2x4x16xf32>
  %264 = tern.slice %262 {ends = array<i64: 2, 4, 32>, starts = array<i64: 0, 0, 16>, steps = array<i64: 1, 1, 1>} : tensor<2x4x32xf32> -> tensor<2x4x16xf32>
  %265 = tern.expand %257 : (tensor<2x1x8xf32>) -> tensor<2x4x8xf32>
  %266 = tern.concat %249, %251 {axis = 2 : i64} : (tensor<2x4x16xf32>, tensor<2x4x8xf32>) -> tensor<2x4x24xf32>
  %267 = tern.concat %263, %265 {axis = 2 : i64} : (tensor<2x4x16xf32>, tensor<2x4x8xf32>) -> tensor<2x4x24xf32>
  %268 = tern.scatter_elements %arg4, %214, %267 {axis = 0 : i64} : (tensor<32x4x24xf32>, tensor<2x4x24xi64>, tensor<2x4x24xf32>) -> tensor<32x4x24xf32>
  %269 = tern.scatter_elements %arg5, %216, %264 {axis = 0 : i64} : (tensor<32x4x16xf32>, tensor<2x4x16xi64>, tensor<2x4x16xf32>) -> tensor<32x4x16xf32>
  %270 = tern.reshape %268 : (tensor<32x4x24xf32>) -> tensor<2x16x4x24xf32>
  %271 = tern.reshape %269 : (tensor<32x4x16xf32>) -> tensor<2x16x4x16xf32>
  %272 = tern.einsum %266, %270 {equation = "bhd,bshd->bhs"} : (tensor<2x4x24xf32>, tensor<2x16x4x24xf32>) -> tensor<2x4x16xf32>
  %273 = tern.mul %272, %157 : (tensor<2x4x16xf32>, tensor<f32>) -> tensor<2x4x16xf32>
  %274 = tern.add %273, %182 : (tensor<2x4x16xf32>, tensor<2x1x16xf32>) -> tensor<2x4x16xf32>
  %275 = tern.softmax %274 {axis = 2 : i64} : tensor<2x4x16xf32>
  %276 = tern.einsum %275, %271 {equation = "bhs,bshe->bhe"} : (tensor<2x4x16xf32>, tensor<2x16x4x16xf32>) -> tensor<2x4x16xf32>
  %277 = tern.reshape %276 : (tensor<2x4x16xf32>) -> tensor<2x64xf32>
  %278 = tern.dequantize %136, %135 {block_size = array<i64: 128, 128>} : (tensor<160x64xf8E4M3FN>, tensor<2x1xf32>) -> tensor<160x64xf32>
  %279 = tern.gemm %277, %278 {trans_b = true} : (tensor<2x64xf32>, tensor<160x64xf32>) -> tensor<2x160xf32>
  return %279, %268, %269 : tensor<2x160xf32>, tensor<32x4x24xf32>, tensor<32x4x16xf32>
}
