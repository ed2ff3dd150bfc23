// Layer 1's attention (MLA) for a prompt, as the HF importer writes it.
// Cut from `ternc test/frontend/hf/fixtures/tiny_v2_lite --dim seq=4 --emit=tern` by
// scripts/make_fusion_fixtures.py; weights elided. Do not edit: regenerate.
func.func @mla(%145: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %68 = tern.constant dense_resource<hf.model.layers.1.self_attn.o_proj.weight> : tensor<64x64xbf16>
  %69 = tern.constant dense_resource<hf.model.layers.1.self_attn.kv_b_proj.weight> : tensor<128x32xbf16>
  %70 = tern.constant dense_resource<hf.model.layers.1.self_attn.kv_a_layernorm.weight> : tensor<32xbf16>
  %71 = tern.constant dense_resource<hf.model.layers.1.self_attn.kv_a_proj_with_mqa.weight> : tensor<40x64xbf16>
  %72 = tern.constant dense_resource<hf.model.layers.1.self_attn.q_proj.weight> : tensor<96x64xbf16>
  %79 = tern.constant dense<0.246097818> : tensor<f32>
  %86 = tern.constant dense<0.000000e+00> : tensor<f32>
  %87 = tern.constant dense<0xFF800000> : tensor<f32>
  %88 = tern.constant dense<[[[1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00]], [[0.540302277, 0.99804753, 0.9999969, 0.99999994]], [[-0.416146845, 0.992197692, 0.999987483, 0.99999988]], [[-0.989992499, 0.982473313, 0.999971866, 0.999999701]]]> : tensor<4x1x4xf32>
  %89 = tern.constant dense<[[[0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]], [[0.841470957, 0.0624593161, 0.00249999738, 2.500000e-04]], [[0.909297406, 0.12467473, 0.00499997893, 5.000000e-04]], [[1.411200e-01, 0.186403289, 0.00749992952, 7.49999948E-4]]]> : tensor<4x1x4xf32>
  %90 = tern.constant dense<[0, 1, 2, 3]> : tensor<4xi64>
  %91 = tern.reshape %90 : (tensor<4xi64>) -> tensor<4x1xi64>
  %92 = tern.le %90, %91 : (tensor<4xi64>, tensor<4x1xi64>) -> tensor<4x4xi1>
  %93 = tern.where %92, %86, %87 : (tensor<4x4xi1>, tensor<f32>, tensor<f32>) -> tensor<4x4xf32>
  %146 = tern.cast %72 : tensor<96x64xbf16> to tensor<96x64xf32>
  %147 = tern.gemm %145, %146 {trans_b = true} : (tensor<4x64xf32>, tensor<96x64xf32>) -> tensor<4x96xf32>
  %148 = tern.reshape %147 : (tensor<4x96xf32>) -> tensor<4x4x24xf32>
  %149 = tern.slice %148 {ends = array<i64: 4, 4, 16>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<4x4x24xf32> -> tensor<4x4x16xf32>
  %150 = tern.slice %148 {ends = array<i64: 4, 4, 24>, starts = array<i64: 0, 0, 16>, steps = array<i64: 1, 1, 1>} : tensor<4x4x24xf32> -> tensor<4x4x8xf32>
  %151 = tern.rotary %150, %88, %89 {interleaved = true} : (tensor<4x4x8xf32>, tensor<4x1x4xf32>, tensor<4x1x4xf32>) -> tensor<4x4x8xf32>
  %152 = tern.cast %71 : tensor<40x64xbf16> to tensor<40x64xf32>
  %153 = tern.gemm %145, %152 {trans_b = true} : (tensor<4x64xf32>, tensor<40x64xf32>) -> tensor<4x40xf32>
  %154 = tern.slice %153 {ends = array<i64: 4, 32>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<4x40xf32> -> tensor<4x32xf32>
  %155 = tern.slice %153 {ends = array<i64: 4, 40>, starts = array<i64: 0, 32>, steps = array<i64: 1, 1>} : tensor<4x40xf32> -> tensor<4x8xf32>
  %156 = tern.reshape %155 : (tensor<4x8xf32>) -> tensor<4x1x8xf32>
  %157 = tern.rotary %156, %88, %89 {interleaved = true} : (tensor<4x1x8xf32>, tensor<4x1x4xf32>, tensor<4x1x4xf32>) -> tensor<4x1x8xf32>
  %158 = tern.cast %70 : tensor<32xbf16> to tensor<32xf32>
  %159 = tern.rms_norm %154, %158 {axis = 1 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<4x32xf32>, tensor<32xf32>) -> tensor<4x32xf32>
  %160 = tern.cast %69 : tensor<128x32xbf16> to tensor<128x32xf32>
  %161 = tern.gemm %159, %160 {trans_b = true} : (tensor<4x32xf32>, tensor<128x32xf32>) -> tensor<4x128xf32>
  %162 = tern.reshape %161 : (tensor<4x128xf32>) -> tensor<4x4x32xf32>
  %163 = tern.slice %162 {ends = array<i64: 4, 4, 16>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<4x4x32xf32> -> tensor<4x4x16xf32>
  %164 = tern.slice %162 {ends = array<i64: 4, 4, 32>, starts = array<i64: 0, 0, 16>, steps = array<i64: 1, 1, 1>} : tensor<4x4x32xf32> -> tensor<4x4x16xf32>
  %165 = tern.expand %157 : (tensor<4x1x8xf32>) -> tensor<4x4x8xf32>
  %166 = tern.concat %149, %151 {axis = 2 : i64} : (tensor<4x4x16xf32>, tensor<4x4x8xf32>) -> tensor<4x4x24xf32>
  %167 = tern.concat %163, %165 {axis = 2 : i64} : (tensor<4x4x16xf32>, tensor<4x4x8xf32>) -> tensor<4x4x24xf32>
  %168 = tern.transpose %166 {permutation = array<i64: 1, 0, 2>} : tensor<4x4x24xf32> -> tensor<4x4x24xf32>
  %169 = tern.transpose %167 {permutation = array<i64: 1, 2, 0>} : tensor<4x4x24xf32> -> tensor<4x24x4xf32>
  %170 = tern.transpose %164 {permutation = array<i64: 1, 0, 2>} : tensor<4x4x16xf32> -> tensor<4x4x16xf32>
  %171 = tern.matmul %168, %169 : (tensor<4x4x24xf32>, tensor<4x24x4xf32>) -> tensor<4x4x4xf32>
  %172 = tern.mul %171, %79 : (tensor<4x4x4xf32>, tensor<f32>) -> tensor<4x4x4xf32>
  %173 = tern.add %172, %93 : (tensor<4x4x4xf32>, tensor<4x4xf32>) -> tensor<4x4x4xf32>
  %174 = tern.softmax %173 {axis = 2 : i64} : tensor<4x4x4xf32>
  %175 = tern.matmul %174, %170 : (tensor<4x4x4xf32>, tensor<4x4x16xf32>) -> tensor<4x4x16xf32>
  %176 = tern.transpose %175 {permutation = array<i64: 1, 0, 2>} : tensor<4x4x16xf32> -> tensor<4x4x16xf32>
  %177 = tern.reshape %176 : (tensor<4x4x16xf32>) -> tensor<4x64xf32>
  %178 = tern.cast %68 : tensor<64x64xbf16> to tensor<64x64xf32>
  %179 = tern.gemm %177, %178 {trans_b = true} : (tensor<4x64xf32>, tensor<64x64xf32>) -> tensor<4x64xf32>
  return %179 : tensor<4x64xf32>
}
