// Layer 1's MoE block as the HF importer writes it.
// Cut from `ternc test/frontend/hf/fixtures/tiny_v2_lite --dim seq=4 --emit=tern` by
// scripts/make_fusion_fixtures.py; weights elided. Do not edit: regenerate.
func.func @moe(%182: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %37 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.7.down_proj.weight> : tensor<64x32xbf16>
  %38 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.7.up_proj.weight> : tensor<32x64xbf16>
  %39 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.7.gate_proj.weight> : tensor<32x64xbf16>
  %40 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.6.down_proj.weight> : tensor<64x32xbf16>
  %41 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.6.up_proj.weight> : tensor<32x64xbf16>
  %42 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.6.gate_proj.weight> : tensor<32x64xbf16>
  %43 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.5.down_proj.weight> : tensor<64x32xbf16>
  %44 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.5.up_proj.weight> : tensor<32x64xbf16>
  %45 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.5.gate_proj.weight> : tensor<32x64xbf16>
  %46 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.4.down_proj.weight> : tensor<64x32xbf16>
  %47 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.4.up_proj.weight> : tensor<32x64xbf16>
  %48 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.4.gate_proj.weight> : tensor<32x64xbf16>
  %49 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.3.down_proj.weight> : tensor<64x32xbf16>
  %50 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.3.up_proj.weight> : tensor<32x64xbf16>
  %51 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.3.gate_proj.weight> : tensor<32x64xbf16>
  %52 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.2.down_proj.weight> : tensor<64x32xbf16>
  %53 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.2.up_proj.weight> : tensor<32x64xbf16>
  %54 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.2.gate_proj.weight> : tensor<32x64xbf16>
  %55 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.1.down_proj.weight> : tensor<64x32xbf16>
  %56 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.1.up_proj.weight> : tensor<32x64xbf16>
  %57 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.1.gate_proj.weight> : tensor<32x64xbf16>
  %58 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.0.down_proj.weight> : tensor<64x32xbf16>
  %59 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.0.up_proj.weight> : tensor<32x64xbf16>
  %60 = tern.constant dense_resource<hf.model.layers.1.mlp.experts.0.gate_proj.weight> : tensor<32x64xbf16>
  %61 = tern.constant dense_resource<hf.model.layers.1.mlp.shared_experts.down_proj.weight> : tensor<64x64xbf16>
  %62 = tern.constant dense_resource<hf.model.layers.1.mlp.shared_experts.up_proj.weight> : tensor<64x64xbf16>
  %63 = tern.constant dense_resource<hf.model.layers.1.mlp.shared_experts.gate_proj.weight> : tensor<64x64xbf16>
  %64 = tern.constant dense<0.000000e+00> : tensor<4x8xf32>
  %65 = tern.constant dense<1.000000e+00> : tensor<f32>
  %66 = tern.constant dense_resource<hf.model.layers.1.mlp.gate.weight> : tensor<8x64xbf16>
  %183 = tern.cast %66 : tensor<8x64xbf16> to tensor<8x64xf32>
  %184 = tern.gemm %182, %183 {trans_b = true} : (tensor<4x64xf32>, tensor<8x64xf32>) -> tensor<4x8xf32>
  %185 = tern.softmax %184 {axis = 1 : i64} : tensor<4x8xf32>
  %values, %indices = tern.topk %185 {axis = 1 : i64, k = 3 : i64} : tensor<4x8xf32> -> tensor<4x3xf32>, tensor<4x3xi64>
  %186 = tern.mul %values, %65 : (tensor<4x3xf32>, tensor<f32>) -> tensor<4x3xf32>
  %187 = tern.scatter_elements %64, %indices, %186 {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x3xi64>, tensor<4x3xf32>) -> tensor<4x8xf32>
  %188 = tern.cast %63 : tensor<64x64xbf16> to tensor<64x64xf32>
  %189 = tern.gemm %182, %188 {trans_b = true} : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
  %190 = tern.silu %189 : tensor<4x64xf32>
  %191 = tern.cast %62 : tensor<64x64xbf16> to tensor<64x64xf32>
  %192 = tern.gemm %182, %191 {trans_b = true} : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
  %193 = tern.mul %190, %192 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %194 = tern.cast %61 : tensor<64x64xbf16> to tensor<64x64xf32>
  %195 = tern.gemm %193, %194 {trans_b = true} : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
  %196 = tern.cast %60 : tensor<32x64xbf16> to tensor<32x64xf32>
  %197 = tern.gemm %182, %196 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %198 = tern.silu %197 : tensor<4x32xf32>
  %199 = tern.cast %59 : tensor<32x64xbf16> to tensor<32x64xf32>
  %200 = tern.gemm %182, %199 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %201 = tern.mul %198, %200 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %202 = tern.cast %58 : tensor<64x32xbf16> to tensor<64x32xf32>
  %203 = tern.gemm %201, %202 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %204 = tern.slice %187 {ends = array<i64: 4, 1>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %205 = tern.mul %203, %204 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  %206 = tern.add %195, %205 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %207 = tern.cast %57 : tensor<32x64xbf16> to tensor<32x64xf32>
  %208 = tern.gemm %182, %207 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %209 = tern.silu %208 : tensor<4x32xf32>
  %210 = tern.cast %56 : tensor<32x64xbf16> to tensor<32x64xf32>
  %211 = tern.gemm %182, %210 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %212 = tern.mul %209, %211 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %213 = tern.cast %55 : tensor<64x32xbf16> to tensor<64x32xf32>
  %214 = tern.gemm %212, %213 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %215 = tern.slice %187 {ends = array<i64: 4, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %216 = tern.mul %214, %215 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  %217 = tern.add %206, %216 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %218 = tern.cast %54 : tensor<32x64xbf16> to tensor<32x64xf32>
  %219 = tern.gemm %182, %218 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %220 = tern.silu %219 : tensor<4x32xf32>
  %221 = tern.cast %53 : tensor<32x64xbf16> to tensor<32x64xf32>
  %222 = tern.gemm %182, %221 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %223 = tern.mul %220, %222 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %224 = tern.cast %52 : tensor<64x32xbf16> to tensor<64x32xf32>
  %225 = tern.gemm %223, %224 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %226 = tern.slice %187 {ends = array<i64: 4, 3>, starts = array<i64: 0, 2>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %227 = tern.mul %225, %226 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  %228 = tern.add %217, %227 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %229 = tern.cast %51 : tensor<32x64xbf16> to tensor<32x64xf32>
  %230 = tern.gemm %182, %229 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %231 = tern.silu %230 : tensor<4x32xf32>
  %232 = tern.cast %50 : tensor<32x64xbf16> to tensor<32x64xf32>
  %233 = tern.gemm %182, %232 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %234 = tern.mul %231, %233 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %235 = tern.cast %49 : tensor<64x32xbf16> to tensor<64x32xf32>
  %236 = tern.gemm %234, %235 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %237 = tern.slice %187 {ends = array<i64: 4, 4>, starts = array<i64: 0, 3>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %238 = tern.mul %236, %237 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  %239 = tern.add %228, %238 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %240 = tern.cast %48 : tensor<32x64xbf16> to tensor<32x64xf32>
  %241 = tern.gemm %182, %240 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %242 = tern.silu %241 : tensor<4x32xf32>
  %243 = tern.cast %47 : tensor<32x64xbf16> to tensor<32x64xf32>
  %244 = tern.gemm %182, %243 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %245 = tern.mul %242, %244 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %246 = tern.cast %46 : tensor<64x32xbf16> to tensor<64x32xf32>
  %247 = tern.gemm %245, %246 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %248 = tern.slice %187 {ends = array<i64: 4, 5>, starts = array<i64: 0, 4>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %249 = tern.mul %247, %248 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  %250 = tern.add %239, %249 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %251 = tern.cast %45 : tensor<32x64xbf16> to tensor<32x64xf32>
  %252 = tern.gemm %182, %251 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %253 = tern.silu %252 : tensor<4x32xf32>
  %254 = tern.cast %44 : tensor<32x64xbf16> to tensor<32x64xf32>
  %255 = tern.gemm %182, %254 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %256 = tern.mul %253, %255 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %257 = tern.cast %43 : tensor<64x32xbf16> to tensor<64x32xf32>
  %258 = tern.gemm %256, %257 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %259 = tern.slice %187 {ends = array<i64: 4, 6>, starts = array<i64: 0, 5>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %260 = tern.mul %258, %259 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  %261 = tern.add %250, %260 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %262 = tern.cast %42 : tensor<32x64xbf16> to tensor<32x64xf32>
  %263 = tern.gemm %182, %262 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %264 = tern.silu %263 : tensor<4x32xf32>
  %265 = tern.cast %41 : tensor<32x64xbf16> to tensor<32x64xf32>
  %266 = tern.gemm %182, %265 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %267 = tern.mul %264, %266 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %268 = tern.cast %40 : tensor<64x32xbf16> to tensor<64x32xf32>
  %269 = tern.gemm %267, %268 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %270 = tern.slice %187 {ends = array<i64: 4, 7>, starts = array<i64: 0, 6>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %271 = tern.mul %269, %270 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  %272 = tern.add %261, %271 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  %273 = tern.cast %39 : tensor<32x64xbf16> to tensor<32x64xf32>
  %274 = tern.gemm %182, %273 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %275 = tern.silu %274 : tensor<4x32xf32>
  %276 = tern.cast %38 : tensor<32x64xbf16> to tensor<32x64xf32>
  %277 = tern.gemm %182, %276 {trans_b = true} : (tensor<4x64xf32>, tensor<32x64xf32>) -> tensor<4x32xf32>
  %278 = tern.mul %275, %277 : (tensor<4x32xf32>, tensor<4x32xf32>) -> tensor<4x32xf32>
  %279 = tern.cast %37 : tensor<64x32xbf16> to tensor<64x32xf32>
  %280 = tern.gemm %278, %279 {trans_b = true} : (tensor<4x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  %281 = tern.slice %187 {ends = array<i64: 4, 8>, starts = array<i64: 0, 7>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %282 = tern.mul %280, %281 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  %283 = tern.add %272, %282 : (tensor<4x64xf32>, tensor<4x64xf32>) -> tensor<4x64xf32>
  return %283 : tensor<4x64xf32>
}
