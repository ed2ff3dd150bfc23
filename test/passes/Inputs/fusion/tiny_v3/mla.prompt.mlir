// Layer 1's attention (MLA) for a prompt, as the HF importer writes it.
// Cut from `ternc test/frontend/hf/fixtures/tiny_v3 --dim seq=4 --emit=tern` by
// scripts/make_fusion_fixtures.py; weights elided. Do not edit: regenerate.
func.func @mla(%161: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %76 = tern.constant dense_resource<hf.model.layers.1.self_attn.o_proj.weight> : tensor<64x64xbf16>
  %77 = tern.constant dense_resource<hf.model.layers.1.self_attn.kv_b_proj.weight> : tensor<128x32xbf16>
  %78 = tern.constant dense_resource<hf.model.layers.1.self_attn.kv_a_layernorm.weight> : tensor<32xbf16>
  %79 = tern.constant dense_resource<hf.model.layers.1.self_attn.kv_a_proj_with_mqa.weight> : tensor<40x64xbf16>
  %80 = tern.constant dense_resource<hf.model.layers.1.self_attn.q_b_proj.weight> : tensor<96x48xbf16>
  %81 = tern.constant dense_resource<hf.model.layers.1.self_attn.q_a_layernorm.weight> : tensor<48xbf16>
  %82 = tern.constant dense_resource<hf.model.layers.1.self_attn.q_a_proj.weight> : tensor<48x64xbf16>
  %89 = tern.constant dense<0.264642268> : tensor<f32>
  %98 = tern.constant dense<0.000000e+00> : tensor<f32>
  %99 = tern.constant dense<0xFF800000> : tensor<f32>
  %100 = tern.constant dense<[[[1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00]], [[0.540302277, 0.99804753, 0.9999969, 0.99999994]], [[-0.416146845, 0.992197692, 0.999987483, 0.99999988]], [[-0.989992499, 0.982473313, 0.999971866, 0.999999701]]]> : tensor<4x1x4xf32>
  %101 = tern.constant dense<[[[0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]], [[0.841470957, 0.0624593161, 0.00249999738, 2.500000e-04]], [[0.909297406, 0.12467473, 0.00499997893, 5.000000e-04]], [[1.411200e-01, 0.186403289, 0.00749992952, 7.49999948E-4]]]> : tensor<4x1x4xf32>
  %102 = tern.constant dense<[0, 1, 2, 3]> : tensor<4xi64>
  %103 = tern.reshape %102 : (tensor<4xi64>) -> tensor<4x1xi64>
  %104 = tern.le %102, %103 : (tensor<4xi64>, tensor<4x1xi64>) -> tensor<4x4xi1>
  %105 = tern.where %104, %98, %99 : (tensor<4x4xi1>, tensor<f32>, tensor<f32>) -> tensor<4x4xf32>
  %162 = tern.cast %82 : tensor<48x64xbf16> to tensor<48x64xf32>
  %163 = tern.gemm %161, %162 {trans_b = true} : (tensor<4x64xf32>, tensor<48x64xf32>) -> tensor<4x48xf32>
  %164 = tern.cast %81 : tensor<48xbf16> to tensor<48xf32>
  %165 = tern.rms_norm %163, %164 {axis = 1 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<4x48xf32>, tensor<48xf32>) -> tensor<4x48xf32>
  %166 = tern.cast %80 : tensor<96x48xbf16> to tensor<96x48xf32>
  %167 = tern.gemm %165, %166 {trans_b = true} : (tensor<4x48xf32>, tensor<96x48xf32>) -> tensor<4x96xf32>
  %168 = tern.reshape %167 : (tensor<4x96xf32>) -> tensor<4x4x24xf32>
  %169 = tern.slice %168 {ends = array<i64: 4, 4, 16>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<4x4x24xf32> -> tensor<4x4x16xf32>
  %170 = tern.slice %168 {ends = array<i64: 4, 4, 24>, starts = array<i64: 0, 0, 16>, steps = array<i64: 1, 1, 1>} : tensor<4x4x24xf32> -> tensor<4x4x8xf32>
  %171 = tern.rotary %170, %100, %101 {interleaved = true} : (tensor<4x4x8xf32>, tensor<4x1x4xf32>, tensor<4x1x4xf32>) -> tensor<4x4x8xf32>
  %172 = tern.cast %79 : tensor<40x64xbf16> to tensor<40x64xf32>
  %173 = tern.gemm %161, %172 {trans_b = true} : (tensor<4x64xf32>, tensor<40x64xf32>) -> tensor<4x40xf32>
  %174 = tern.slice %173 {ends = array<i64: 4, 32>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<4x40xf32> -> tensor<4x32xf32>
  %175 = tern.slice %173 {ends = array<i64: 4, 40>, starts = array<i64: 0, 32>, steps = array<i64: 1, 1>} : tensor<4x40xf32> -> tensor<4x8xf32>
  %176 = tern.reshape %175 : (tensor<4x8xf32>) -> tensor<4x1x8xf32>
  %177 = tern.rotary %176, %100, %101 {interleaved = true} : (tensor<4x1x8xf32>, tensor<4x1x4xf32>, tensor<4x1x4xf32>) -> tensor<4x1x8xf32>
  %178 = tern.cast %78 : tensor<32xbf16> to tensor<32xf32>
  %179 = tern.rms_norm %174, %178 {axis = 1 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<4x32xf32>, tensor<32xf32>) -> tensor<4x32xf32>
  %180 = tern.cast %77 : tensor<128x32xbf16> to tensor<128x32xf32>
  %181 = tern.gemm %179, %180 {trans_b = true} : (tensor<4x32xf32>, tensor<128x32xf32>) -> tensor<4x128xf32>
  %182 = tern.reshape %181 : (tensor<4x128xf32>) -> tensor<4x4x32xf32>
  %183 = tern.slice %182 {ends = array<i64: 4, 4, 16>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<4x4x32xf32> -> tensor<4x4x16xf32>
  %184 = tern.slice %182 {ends = array<i64: 4, 4, 32>, starts = array<i64: 0, 0, 16>, steps = array<i64: 1, 1, 1>} : tensor<4x4x32xf32> -> tensor<4x4x16xf32>
  %185 = tern.expand %177 : (tensor<4x1x8xf32>) -> tensor<4x4x8xf32>
  %186 = tern.concat %169, %171 {axis = 2 : i64} : (tensor<4x4x16xf32>, tensor<4x4x8xf32>) -> tensor<4x4x24xf32>
  %187 = tern.concat %183, %185 {axis = 2 : i64} : (tensor<4x4x16xf32>, tensor<4x4x8xf32>) -> tensor<4x4x24xf32>
  %188 = tern.transpose %186 {permutation = array<i64: 1, 0, 2>} : tensor<4x4x24xf32> -> tensor<4x4x24xf32>
  %189 = tern.transpose %187 {permutation = array<i64: 1, 2, 0>} : tensor<4x4x24xf32> -> tensor<4x24x4xf32>
  %190 = tern.transpose %184 {permutation = array<i64: 1, 0, 2>} : tensor<4x4x16xf32> -> tensor<4x4x16xf32>
  %191 = tern.matmul %188, %189 : (tensor<4x4x24xf32>, tensor<4x24x4xf32>) -> tensor<4x4x4xf32>
  %192 = tern.mul %191, %89 : (tensor<4x4x4xf32>, tensor<f32>) -> tensor<4x4x4xf32>
  %193 = tern.add %192, %105 : (tensor<4x4x4xf32>, tensor<4x4xf32>) -> tensor<4x4x4xf32>
  %194 = tern.softmax %193 {axis = 2 : i64} : tensor<4x4x4xf32>
  %195 = tern.matmul %194, %190 : (tensor<4x4x4xf32>, tensor<4x4x16xf32>) -> tensor<4x4x16xf32>
  %196 = tern.transpose %195 {permutation = array<i64: 1, 0, 2>} : tensor<4x4x16xf32> -> tensor<4x4x16xf32>
  %197 = tern.reshape %196 : (tensor<4x4x16xf32>) -> tensor<4x64xf32>
  %198 = tern.cast %76 : tensor<64x64xbf16> to tensor<64x64xf32>
  %199 = tern.gemm %197, %198 {trans_b = true} : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
  return %199 : tensor<4x64xf32>
}
