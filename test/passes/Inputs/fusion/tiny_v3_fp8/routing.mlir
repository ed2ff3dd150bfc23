// Layer 1's router as the HF importer writes it.
// Cut from `ternc test/frontend/hf/fixtures/tiny_v3_fp8 --dim seq=4 --emit=tern` by
// scripts/make_fusion_fixtures.py; weights elided. Do not edit: regenerate.
func.func @routing(%274: tensor<4x160xf32>) -> tensor<4x8xf32> {
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
  return %292 : tensor<4x8xf32>
}
