// Layer 1's router as the HF importer writes it.
// Cut from `ternc test/frontend/hf/fixtures/tiny_v2_lite --dim seq=4 --emit=tern` by
// scripts/make_fusion_fixtures.py; weights elided. Do not edit: regenerate.
func.func @routing(%182: tensor<4x64xf32>) -> tensor<4x8xf32> {
  %64 = tern.constant dense<0.000000e+00> : tensor<4x8xf32>
  %65 = tern.constant dense<1.000000e+00> : tensor<f32>
  %66 = tern.constant dense_resource<hf.model.layers.1.mlp.gate.weight> : tensor<8x64xbf16>
  %183 = tern.cast %66 : tensor<8x64xbf16> to tensor<8x64xf32>
  %184 = tern.gemm %182, %183 {trans_b = true} : (tensor<4x64xf32>, tensor<8x64xf32>) -> tensor<4x8xf32>
  %185 = tern.softmax %184 {axis = 1 : i64} : tensor<4x8xf32>
  %values, %indices = tern.topk %185 {axis = 1 : i64, k = 3 : i64} : tensor<4x8xf32> -> tensor<4x3xf32>, tensor<4x3xi64>
  %186 = tern.mul %values, %65 : (tensor<4x3xf32>, tensor<f32>) -> tensor<4x3xf32>
  %187 = tern.scatter_elements %64, %indices, %186 {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x3xi64>, tensor<4x3xf32>) -> tensor<4x8xf32>
  return %187 : tensor<4x8xf32>
}
