// Layer 1's attention (MLA) for a decode step of 2 sequences with a 16-position KV cache, as the
// HF importer writes it; the caches come in as state arguments and go out updated.
// Cut from `ternc test/frontend/hf/fixtures/tiny_v3 --max-seq-len 16 --max-batch 2 --dim seq=4 --emit=tern` by
// scripts/make_fusion_fixtures.py; weights elided. Do not edit: regenerate.
func.func @mla_decode(%169: tensor<2x64xf32>, %arg1: tensor<2xi64>, %arg4: tensor<32x4x24xf32> {tern.name = "layers.1.key_cache", tern.state = "layers.1.key_cache"}, %arg5: tensor<32x4x16xf32> {tern.name = "layers.1.value_cache", tern.state = "layers.1.value_cache"}) -> (tensor<2x64xf32>, tensor<32x4x24xf32> {tern.name = "layers.1.key_cache", tern.state = "layers.1.key_cache"}, tensor<32x4x16xf32> {tern.name = "layers.1.value_cache", tern.state = "layers.1.value_cache"}) {
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
  %100 = tern.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi64>
  %101 = tern.constant dense<[[[0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]], [[0.841470957, 0.0624593161, 0.00249999738, 2.500000e-04]], [[0.909297406, 0.12467473, 0.00499997893, 5.000000e-04]], [[1.411200e-01, 0.186403289, 0.00749992952, 7.49999948E-4]], [[-0.756802499, 0.247403964, 0.00999983306, 9.99999931E-4]], [[-0.958924293, 0.307438523, 0.0124996733, 0.00124999974]], [[-0.279415488, 0.366272539, 0.0149994371, 0.00149999943]], [[0.656986594, 0.423676252, 0.017499106, 0.00174999912]], [[0.989358246, 0.47942555, 0.0199986659, 0.0019999987]], [[0.412118495, 0.533302665, 0.022498101, 0.00224999827]], [[-0.54402113, 0.585097253, 0.0249973945, 0.00249999762]], [[-0.999990224, 0.634607077, 0.0274965335, 0.00274999673]], [[-0.536572933, 0.681638777, 2.999550e-02, 0.0029999956]], [[0.420167029, 0.726008654, 0.0324942768, 0.00324999425]], [[0.99060738, 0.767543494, 0.034992855, 0.00349999289]], [[0.650287867, 0.806081116, 0.0374912098, 0.0037499913]]]> : tensor<16x1x4xf32>
  %102 = tern.constant dense<[[[1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00]], [[0.540302277, 0.99804753, 0.9999969, 0.99999994]], [[-0.416146845, 0.992197692, 0.999987483, 0.99999988]], [[-0.989992499, 0.982473313, 0.999971866, 0.999999701]], [[-0.653643608, 0.968912422, 0.999949991, 0.999999523]], [[0.2836622, 0.951567947, 0.999921858, 0.999999225]], [[0.960170269, 0.9305076, 0.999887526, 0.999998867]], [[0.753902256, 0.905813694, 0.999846875, 0.99999845]], [[-0.145500034, 0.87758255, 9.998000e-01, 0.999997973]], [[-0.911130249, 0.845924496, 0.999746859, 0.999997496]], [[-0.839071512, 0.810963094, 0.999687492, 0.9999969]], [[0.00442569796, 0.772834956, 0.999621927, 0.999996244]], [[0.84385395, 0.731688857, 0.999550044, 0.999995529]], [[0.907446801, 0.687685549, 0.999471902, 0.999994695]], [[0.136737213, 0.640996873, 0.999387562, 0.99999386]], [[-0.7596879, 0.5918051, 0.999296963, 0.999992966]]]> : tensor<16x1x4xf32>
  %103 = tern.constant dense<[0, 16]> : tensor<2xi64>
  %104 = tern.add %103, %arg1 : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %105 = tern.gather %102, %arg1 {axis = 0 : i64} : (tensor<16x1x4xf32>, tensor<2xi64>) -> tensor<2x1x4xf32>
  %106 = tern.gather %101, %arg1 {axis = 0 : i64} : (tensor<16x1x4xf32>, tensor<2xi64>) -> tensor<2x1x4xf32>
  %107 = tern.reshape %arg1 : (tensor<2xi64>) -> tensor<2x1xi64>
  %108 = tern.le %100, %107 : (tensor<16xi64>, tensor<2x1xi64>) -> tensor<2x16xi1>
  %109 = tern.where %108, %98, %99 : (tensor<2x16xi1>, tensor<f32>, tensor<f32>) -> tensor<2x16xf32>
  %110 = tern.reshape %109 : (tensor<2x16xf32>) -> tensor<2x1x16xf32>
  %141 = tern.reshape %104 : (tensor<2xi64>) -> tensor<2x1x1xi64>
  %142 = tern.expand %141 : (tensor<2x1x1xi64>) -> tensor<2x4x24xi64>
  %144 = tern.expand %141 : (tensor<2x1x1xi64>) -> tensor<2x4x16xi64>
  %170 = tern.cast %82 : tensor<48x64xbf16> to tensor<48x64xf32>
  %171 = tern.gemm %169, %170 {trans_b = true} : (tensor<2x64xf32>, tensor<48x64xf32>) -> tensor<2x48xf32>
  %172 = tern.cast %81 : tensor<48xbf16> to tensor<48xf32>
  %173 = tern.rms_norm %171, %172 {axis = 1 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<2x48xf32>, tensor<48xf32>) -> tensor<2x48xf32>
  %174 = tern.cast %80 : tensor<96x48xbf16> to tensor<96x48xf32>
  %175 = tern.gemm %173, %174 {trans_b = true} : (tensor<2x48xf32>, tensor<96x48xf32>) -> tensor<2x96xf32>
  %176 = tern.reshape %175 : (tensor<2x96xf32>) -> tensor<2x4x24xf32>
  %177 = tern.slice %176 {ends = array<i64: 2, 4, 16>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x4x24xf32> -> tensor<2x4x16xf32>
  %178 = tern.slice %176 {ends = array<i64: 2, 4, 24>, starts = array<i64: 0, 0, 16>, steps = array<i64: 1, 1, 1>} : tensor<2x4x24xf32> -> tensor<2x4x8xf32>
  %179 = tern.rotary %178, %105, %106 {interleaved = true} : (tensor<2x4x8xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32>) -> tensor<2x4x8xf32>
  %180 = tern.cast %79 : tensor<40x64xbf16> to tensor<40x64xf32>
  %181 = tern.gemm %169, %180 {trans_b = true} : (tensor<2x64xf32>, tensor<40x64xf32>) -> tensor<2x40xf32>
  %182 = tern.slice %181 {ends = array<i64: 2, 32>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<2x40xf32> -> tensor<2x32xf32>
  %183 = tern.slice %181 {ends = array<i64: 2, 40>, starts = array<i64: 0, 32>, steps = array<i64: 1, 1>} : tensor<2x40xf32> -> tensor<2x8xf32>
  %184 = tern.reshape %183 : (tensor<2x8xf32>) -> tensor<2x1x8xf32>
  %185 = tern.rotary %184, %105, %106 {interleaved = true} : (tensor<2x1x8xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32>) -> tensor<2x1x8xf32>
  %186 = tern.cast %78 : tensor<32xbf16> to tensor<32xf32>
  %187 = tern.rms_norm %182, %186 {axis = 1 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<2x32xf32>, tensor<32xf32>) -> tensor<2x32xf32>
  %188 = tern.cast %77 : tensor<128x32xbf16> to tensor<128x32xf32>
  %189 = tern.gemm %187, %188 {trans_b = true} : (tensor<2x32xf32>, tensor<128x32xf32>) -> tensor<2x128xf32>
  %190 = tern.reshape %189 : (tensor<2x128xf32>) -> tensor<2x4x32xf32>
  %191 = tern.slice %190 {ends = array<i64: 2, 4, 16>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x4x32xf32> -> tensor<2x4x16xf32>
  %192 = tern.slice %190 {ends = array<i64: 2, 4, 32>, starts = array<i64: 0, 0, 16>, steps = array<i64: 1, 1, 1>} : tensor<2x4x32xf32> -> tensor<2x4x16xf32>
  %193 = tern.expand %185 : (tensor<2x1x8xf32>) -> tensor<2x4x8xf32>
  %194 = tern.concat %177, %179 {axis = 2 : i64} : (tensor<2x4x16xf32>, tensor<2x4x8xf32>) -> tensor<2x4x24xf32>
  %195 = tern.concat %191, %193 {axis = 2 : i64} : (tensor<2x4x16xf32>, tensor<2x4x8xf32>) -> tensor<2x4x24xf32>
  %196 = tern.scatter_elements %arg4, %142, %195 {axis = 0 : i64} : (tensor<32x4x24xf32>, tensor<2x4x24xi64>, tensor<2x4x24xf32>) -> tensor<32x4x24xf32>
  %197 = tern.scatter_elements %arg5, %144, %192 {axis = 0 : i64} : (tensor<32x4x16xf32>, tensor<2x4x16xi64>, tensor<2x4x16xf32>) -> tensor<32x4x16xf32>
  %198 = tern.reshape %196 : (tensor<32x4x24xf32>) -> tensor<2x16x4x24xf32>
  %199 = tern.reshape %197 : (tensor<32x4x16xf32>) -> tensor<2x16x4x16xf32>
  %200 = tern.einsum %194, %198 {equation = "bhd,bshd->bhs"} : (tensor<2x4x24xf32>, tensor<2x16x4x24xf32>) -> tensor<2x4x16xf32>
  %201 = tern.mul %200, %89 : (tensor<2x4x16xf32>, tensor<f32>) -> tensor<2x4x16xf32>
  %202 = tern.add %201, %110 : (tensor<2x4x16xf32>, tensor<2x1x16xf32>) -> tensor<2x4x16xf32>
  %203 = tern.softmax %202 {axis = 2 : i64} : tensor<2x4x16xf32>
  %204 = tern.einsum %203, %199 {equation = "bhs,bshe->bhe"} : (tensor<2x4x16xf32>, tensor<2x16x4x16xf32>) -> tensor<2x4x16xf32>
  %205 = tern.reshape %204 : (tensor<2x4x16xf32>) -> tensor<2x64xf32>
  %206 = tern.cast %76 : tensor<64x64xbf16> to tensor<64x64xf32>
  %207 = tern.gemm %205, %206 {trans_b = true} : (tensor<2x64xf32>, tensor<64x64xf32>) -> tensor<2x64xf32>
  return %207, %196, %197 : tensor<2x64xf32>, tensor<32x4x24xf32>, tensor<32x4x16xf32>
}
