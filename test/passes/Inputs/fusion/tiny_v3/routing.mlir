// Layer 1's router as the HF importer writes it.
// Cut from `ternc test/frontend/hf/fixtures/tiny_v3 --dim seq=4 --emit=tern` by
// scripts/make_fusion_fixtures.py; weights elided. Do not edit: regenerate.
func.func @routing(%202: tensor<4x64xf32>) -> tensor<4x8xf32> {
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
  return %220 : tensor<4x8xf32>
}
