// Layer 1's MoE block as the HF importer writes it.
// Cut from `ternc test/frontend/hf/fixtures/tiny_v3 --dim seq=4 --emit=tern` by
// scripts/make_fusion_fixtures.py; weights elided. Do not edit: regenerate.
func.func @moe(%202: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %40 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.7.down_proj.weight> : tensor<64x32xbf16>
  %41 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.7.up_proj.weight> : tensor<32x64xbf16>
  %42 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.7.gate_proj.weight> : tensor<32x64xbf16>
  %43 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.6.down_proj.weight> : tensor<64x32xbf16>
  %44 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.6.up_proj.weight> : tensor<32x64xbf16>
  %45 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.6.gate_proj.weight> : tensor<32x64xbf16>
  %46 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.5.down_proj.weight> : tensor<64x32xbf16>
  %47 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.5.up_proj.weight> : tensor<32x64xbf16>
  %48 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.5.gate_proj.weight> : tensor<32x64xbf16>
  %49 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.4.down_proj.weight> : tensor<64x32xbf16>
  %50 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.4.up_proj.weight> : tensor<32x64xbf16>
  %51 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.4.gate_proj.weight> : tensor<32x64xbf16>
  %52 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.3.down_proj.weight> : tensor<64x32xbf16>
  %53 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.3.up_proj.weight> : tensor<32x64xbf16>
  %54 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.3.gate_proj.weight> : tensor<32x64xbf16>
  %55 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.2.down_proj.weight> : tensor<64x32xbf16>
  %56 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.2.up_proj.weight> : tensor<32x64xbf16>
  %57 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.2.gate_proj.weight> : tensor<32x64xbf16>
  %58 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.1.down_proj.weight> : tensor<64x32xbf16>
  %59 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.1.up_proj.weight> : tensor<32x64xbf16>
  %60 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.1.gate_proj.weight> : tensor<32x64xbf16>
  %61 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.0.down_proj.weight> : tensor<64x32xbf16>
  %62 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.0.up_proj.weight> : tensor<32x64xbf16>
  %63 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.0.gate_proj.weight> : tensor<32x64xbf16>
  %64 = tern.constant dense_resource<hf.model.layers.1.mlp.shared_experts.down_proj.weight> : tensor<64x32xbf16>
  %65 = tern.constant dense_resource<hf.model.layers.1.mlp.shared_experts.up_proj.weight> : tensor<32x64xbf16>
  %66 = tern.constant dense_resource<hf.model.layers.1.mlp.shared_experts.gate_proj.weight> : tensor<32x64xbf16>
  %67 = tern.constant dense<0.000000e+00> : tensor<4x8xf32>
  %68 = tern.constant dense<2.500000e+00> : tensor<f32>
  %69 = tern.constant dense<9.99999968E-21> : tensor<f32>
  %70 = tern.constant dense<5.000000e-01> : tensor<f32>
  %71 = tern.constant dense<0.000000e+00> : tensor<4x4xf32>
  %72 = tern.constant dense<1.000000e+00> : tensor<4x2xf32>
  %73 = tern.constant dense_resource<hf.model.layers.1.mlp.gate.e_score_correction_bias> : tensor<8xf32>
  %74 = tern.constant dense_resource<hf.model.layers.1.mlp.gate.weight> : tensor<8x64xbf16>
  %99 = tern.constant dense<0xFF800000> : tensor<f32>
  %203 = tern.cast %74 : tensor<8x64xbf16> to tensor<8x64xf32>
  %204 = tern.gemm %202, %203 {trans_b = true} : (tensor<4x64xf32>, tensor<8x64xf32>) -> tensor<4x8xf32>
  %205 = tern.sigmoid %204 : tensor<4x8xf32>
  %206 = tern.add %205, %73 : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %207 = tern.reshape %206 : (tensor<4x8xf32>) -> tensor<4x4x2xf32>
  %values, %indices = tern.topk %207 {axis = 2 : i64, k = 2 : i64} : tensor<4x4x2xf32> -> tensor<4x4x2xf32>, tensor<4x4x2xi64>
  %208 = tern.reduce_sum %values {axes = array<i64: 2>, keepdims = false} : tensor<4x4x2xf32> -> tensor<4x4xf32>
  %values_0, %indices_1 = tern.topk %208 {axis = 1 : i64, k = 2 : i64} : tensor<4x4xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %209 = tern.scatter_elements %71, %indices_1, %72 {axis = 1 : i64} : (tensor<4x4xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x4xf32>
  %210 = tern.reshape %209 : (tensor<4x4xf32>) -> tensor<4x4x1xf32>
  %211 = tern.expand %210 : (tensor<4x4x1xf32>) -> tensor<4x4x2xf32>
  %212 = tern.reshape %211 : (tensor<4x4x2xf32>) -> tensor<4x8xf32>
  %213 = tern.gt %212, %70 : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xi1>
  %214 = tern.where %213, %206, %99 : (tensor<4x8xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %values_2, %indices_3 = tern.topk %214 {axis = 1 : i64, k = 2 : i64} : tensor<4x8xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %215 = tern.gather_elements %205, %indices_3 {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
  %216 = tern.reduce_sum %215 {axes = array<i64: 1>} : tensor<4x2xf32> -> tensor<4x1xf32>
  %217 = tern.add %216, %69 : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %218 = tern.div %215, %217 : (tensor<4x2xf32>, tensor<4x1xf32>) -> tensor<4x2xf32>
  %219 = tern.mul %218, %68 : (tensor<4x2xf32>, tensor<f32>) -> tensor<4x2xf32>
  %220 = tern.scatter_elements %67, %indices_3, %219 {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  %221 = tern.cast %66 : tensor<32x64xbf16> to tensor<32x64xf32>
  %222 = tern.gemm %202, %221 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %223 = tern.silu %222 : tensor<4x32xf32>
  %224 = tern.cast %65 : tensor<32x64xbf16> to tensor<32x64xf32>
  %225 = tern.gemm %202, %224 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %226 = tern.mul %223, %225 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %227 = tern.cast %64 : tensor<64x32xbf16> to tensor<64x32xf32>
  %228 = tern.gemm %226, %227 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %229 = tern.cast %63 : tensor<32x64xbf16> to tensor<32x64xf32>
  %230 = tern.gemm %202, %229 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %231 = tern.silu %230 : tensor<4x32xf32>
  %232 = tern.cast %62 : tensor<32x64xbf16> to tensor<32x64xf32>
  %233 = tern.gemm %202, %232 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %234 = tern.mul %231, %233 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %235 = tern.cast %61 : tensor<64x32xbf16> to tensor<64x32xf32>
  %236 = tern.gemm %234, %235 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %237 = tern.slice %220 {ends = array<i64: 4, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %238 = tern.mul %236, %237 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  %239 = tern.add %228, %238 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %240 = tern.cast %60 : tensor<32x64xbf16> to tensor<32x64xf32>
  %241 = tern.gemm %202, %240 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %242 = tern.silu %241 : tensor<4x32xf32>
  %243 = tern.cast %59 : tensor<32x64xbf16> to tensor<32x64xf32>
  %244 = tern.gemm %202, %243 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %245 = tern.mul %242, %244 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %246 = tern.cast %58 : tensor<64x32xbf16> to tensor<64x32xf32>
  %247 = tern.gemm %245, %246 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %248 = tern.slice %220 {ends = array<i64: 4, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %249 = tern.mul %247, %248 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  %250 = tern.add %239, %249 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %251 = tern.cast %57 : tensor<32x64xbf16> to tensor<32x64xf32>
  %252 = tern.gemm %202, %251 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %253 = tern.silu %252 : tensor<4x32xf32>
  %254 = tern.cast %56 : tensor<32x64xbf16> to tensor<32x64xf32>
  %255 = tern.gemm %202, %254 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %256 = tern.mul %253, %255 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %257 = tern.cast %55 : tensor<64x32xbf16> to tensor<64x32xf32>
  %258 = tern.gemm %256, %257 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %259 = tern.slice %220 {ends = array<i64: 4, 3>, starts = array<i64: 0, 2>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %260 = tern.mul %258, %259 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  %261 = tern.add %250, %260 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %262 = tern.cast %54 : tensor<32x64xbf16> to tensor<32x64xf32>
  %263 = tern.gemm %202, %262 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %264 = tern.silu %263 : tensor<4x32xf32>
  %265 = tern.cast %53 : tensor<32x64xbf16> to tensor<32x64xf32>
  %266 = tern.gemm %202, %265 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %267 = tern.mul %264, %266 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %268 = tern.cast %52 : tensor<64x32xbf16> to tensor<64x32xf32>
  %269 = tern.gemm %267, %268 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %270 = tern.slice %220 {ends = array<i64: 4, 4>, starts = array<i64: 0, 3>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %271 = tern.mul %269, %270 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  %272 = tern.add %261, %271 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %273 = tern.cast %51 : tensor<32x64xbf16> to tensor<32x64xf32>
  %274 = tern.gemm %202, %273 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %275 = tern.silu %274 : tensor<4x32xf32>
  %276 = tern.cast %50 : tensor<32x64xbf16> to tensor<32x64xf32>
  %277 = tern.gemm %202, %276 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %278 = tern.mul %275, %277 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %279 = tern.cast %49 : tensor<64x32xbf16> to tensor<64x32xf32>
  %280 = tern.gemm %278, %279 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %281 = tern.slice %220 {ends = array<i64: 4, 5>, starts = array<i64: 0, 4>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %282 = tern.mul %280, %281 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  %283 = tern.add %272, %282 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %284 = tern.cast %48 : tensor<32x64xbf16> to tensor<32x64xf32>
  %285 = tern.gemm %202, %284 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %286 = tern.silu %285 : tensor<4x32xf32>
  %287 = tern.cast %47 : tensor<32x64xbf16> to tensor<32x64xf32>
  %288 = tern.gemm %202, %287 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %289 = tern.mul %286, %288 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %290 = tern.cast %46 : tensor<64x32xbf16> to tensor<64x32xf32>
  %291 = tern.gemm %289, %290 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %292 = tern.slice %220 {ends = array<i64: 4, 6>, starts = array<i64: 0, 5>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %293 = tern.mul %291, %292 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  %294 = tern.add %283, %293 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %295 = tern.cast %45 : tensor<32x64xbf16> to tensor<32x64xf32>
  %296 = tern.gemm %202, %295 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %297 = tern.silu %296 : tensor<4x32xf32>
  %298 = tern.cast %44 : tensor<32x64xbf16> to tensor<32x64xf32>
  %299 = tern.gemm %202, %298 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %300 = tern.mul %297, %299 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %301 = tern.cast %43 : tensor<64x32xbf16> to tensor<64x32xf32>
  %302 = tern.gemm %300, %301 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %303 = tern.slice %220 {ends = array<i64: 4, 7>, starts = array<i64: 0, 6>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %304 = tern.mul %302, %303 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  %305 = tern.add %294, %304 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %306 = tern.cast %42 : tensor<32x64xbf16> to tensor<32x64xf32>
  %307 = tern.gemm %202, %306 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %308 = tern.silu %307 : tensor<4x32xf32>
  %309 = tern.cast %41 : tensor<32x64xbf16> to tensor<32x64xf32>
  %310 = tern.gemm %202, %309 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %311 = tern.mul %308, %310 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %312 = tern.cast %40 : tensor<64x32xbf16> to tensor<64x32xf32>
  %313 = tern.gemm %311, %312 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %314 = tern.slice %220 {ends = array<i64: 4, 8>, starts = array<i64: 0, 7>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %315 = tern.mul %313, %314 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  %316 = tern.add %305, %315 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  return %316 : tensor<4x64xf32>
}
