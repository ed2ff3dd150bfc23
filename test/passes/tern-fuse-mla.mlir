// RUN: tern-opt %s -split-input-file -tern-fuse-mla | FileCheck %s
// RUN: tern-opt %S/Inputs/fusion/tiny_v3/mla.decode.mlir -tern-fuse-mla | FileCheck %s --check-prefix=FIXTURE
// RUN: tern-opt %S/Inputs/fusion/tiny_v2_lite/mla.decode.mlir -tern-fuse-mla | FileCheck %s --check-prefix=FIXTURE
// RUN: tern-opt %S/Inputs/fusion/tiny_v3_fp8/mla.decode.mlir -tern-fuse-mla | FileCheck %s --check-prefixes=FIXTURE,FP8
// RUN: tern-opt %S/Inputs/fusion/tiny_v2_lite/mla.decode.mlir -tern-fuse-mla=cache-type=bf16 | FileCheck %s --check-prefix=BF16
// RUN: not tern-opt %S/Inputs/fusion/tiny_v2_lite/mla.decode.mlir -tern-fuse-mla=cache-type=f16 2>&1 | FileCheck %s --check-prefix=BAD-TYPE

// cache-type=bf16: the entry is rounded to bf16 where it is written.
// BF16-LABEL: func.func @mla_decode(
// BF16-SAME: tensor<32x40xbf16> {tern.name = "layers.1.latent_cache", tern.state = "layers.1.latent_cache"}
// BF16: %[[ROUNDED:.*]] = tern.cast %{{.*}} : tensor<2x40xf32> to tensor<2x40xbf16>
// BF16: %[[WRITTEN:.*]] = tern.scatter_elements %{{.*}}, %{{.*}}, %[[ROUNDED]] {axis = 0 : i64}
// BF16: %[[VIEW:.*]] = tern.reshape %[[WRITTEN]] : (tensor<32x40xbf16>) -> tensor<2x16x40xbf16>
// BF16: tern.mla_attention %{{.*}}, %{{.*}}, %[[VIEW]], {{.*}} : (tensor<2x4x16xf32>, tensor<2x4x8xf32>, tensor<2x16x40xbf16>, tensor<128x32xf32>, tensor<2xi64>) -> tensor<2x4x16xf32>
// BAD-TYPE: error: tern-fuse-mla: cache-type must be f32 or bf16, got 'f16'

// tern-fuse-mla: per-head key and value caches computed from one latent
// become one latent cache, and the decode step's attention over them
// tern.mla_attention; near-misses keep both caches. Shapes here: T = B = 2
// tokens, H = 2 heads, N = 4 key and R = 2 RoPE values, V = 3 values, a
// latent of L = 4, S = 4 positions per sequence (8 cache rows).

// The fixtures (the importer's decode step of layer 1): the state is
// [rows, L + R], written with the normalised latent and the rotated RoPE
// key, and read by tern.mla_attention with kv_b_proj's weight as it is
// (widened from bf16, or dequantized from FP8 with its block scales), the
// decode mask's positions as the op's last_positions (the mask goes).
// FIXTURE-LABEL: func.func @mla_decode(
// FIXTURE-SAME: %[[POS:[a-z0-9]+]]: tensor<2xi64>, %[[CACHE:[a-z0-9]+]]: tensor<32x[[W:[0-9]+]]xf32> {tern.name = "layers.1.latent_cache", tern.state = "layers.1.latent_cache"})
// FIXTURE-SAME: -> (tensor<2x{{[0-9]+}}xf32>, tensor<32x[[W]]xf32> {tern.name = "layers.1.latent_cache", tern.state = "layers.1.latent_cache"})
// FP8: %[[KVB:.*]] = tern.dequantize {{.*}} -> tensor<128x136xf32>
// FIXTURE: %[[ROPE:.*]] = tern.reshape %{{.*}} : (tensor<2x1x8xf32>) -> tensor<2x8xf32>
// FIXTURE: %[[ENTRY:.*]] = tern.concat %{{[0-9]+}}, %[[ROPE]] {axis = 1 : i64}
// FIXTURE: %[[WRITTEN:.*]] = tern.scatter_elements %[[CACHE]], %{{.*}}, %[[ENTRY]] {axis = 0 : i64} : (tensor<32x[[W]]xf32>, tensor<2x[[W]]xi64>, tensor<2x[[W]]xf32>)
// FIXTURE: %[[VIEW:.*]] = tern.reshape %[[WRITTEN]] : (tensor<32x[[W]]xf32>) -> tensor<2x16x[[W]]xf32>
// FIXTURE: tern.mla_attention %{{.*}}, %{{.*}}, %[[VIEW]],
// FP8-SAME: %[[KVB]]
// FIXTURE-SAME: last_positions %[[POS]] {scale = {{.*}} : f64} : (tensor<2x4x16xf32>, tensor<2x4x8xf32>, tensor<2x16x[[W]]xf32>, tensor<128x{{[0-9]+}}xf32>, tensor<2xi64>) -> tensor<2x4x16xf32>
// FIXTURE-NOT: tern.einsum
// FIXTURE-NOT: tern.where
// FIXTURE: return %{{.*}}, %[[WRITTEN]] : tensor<2x{{[0-9]+}}xf32>, tensor<32x[[W]]xf32>

// A prefill that only writes the caches and a decode step that also reads
// them: both take the latent cache in the keys' place; the values' argument
// and result go.
// CHECK-LABEL: func.func @prefill(
// CHECK-SAME: %[[LATENT:[^:]*]]: tensor<2x4xf32>, %[[KROPE:[^:]*]]: tensor<2x1x2xf32>, %[[ROWS:[^:]*]]: tensor<2x1x1xi64>, %{{[^:]*}}: tensor<14x4xf32>, %[[CACHE:[^:]*]]: tensor<8x6xf32> {tern.name = "layers.0.latent_cache", tern.state = "layers.0.latent_cache"})
// CHECK-SAME: -> (tensor<8x6xf32> {tern.name = "layers.0.latent_cache", tern.state = "layers.0.latent_cache"})
// CHECK-NEXT: %[[R:.*]] = tern.reshape %[[KROPE]] : (tensor<2x1x2xf32>) -> tensor<2x2xf32>
// CHECK-NEXT: %[[ENTRY:.*]] = tern.concat %[[LATENT]], %[[R]] {axis = 1 : i64} : (tensor<2x4xf32>, tensor<2x2xf32>) -> tensor<2x6xf32>
// CHECK-NEXT: %[[AT:.*]] = tern.reshape %[[ROWS]] : (tensor<2x1x1xi64>) -> tensor<2x1xi64>
// CHECK-NEXT: %[[AT6:.*]] = tern.expand %[[AT]] : (tensor<2x1xi64>) -> tensor<2x6xi64>
// CHECK-NEXT: %[[W:.*]] = tern.scatter_elements %[[CACHE]], %[[AT6]], %[[ENTRY]] {axis = 0 : i64}
// CHECK-NEXT: return %[[W]] : tensor<8x6xf32>
// CHECK-LABEL: func.func @decode(
// CHECK-SAME: %[[KVB:[^:]*]]: tensor<14x4xf32>, %[[QN:[^:]*]]: tensor<2x2x4xf32>, %[[QR:[^:]*]]: tensor<2x2x2xf32>, %[[MASK:[^:]*]]: tensor<2x1x4xf32>, %[[CACHE:[^:]*]]: tensor<8x6xf32> {tern.name = "layers.0.latent_cache", tern.state = "layers.0.latent_cache"})
// CHECK-SAME: -> (tensor<2x2x3xf32>, tensor<8x6xf32> {tern.name = "layers.0.latent_cache", tern.state = "layers.0.latent_cache"})
// CHECK: %[[W:.*]] = tern.scatter_elements %[[CACHE]]
// CHECK-NEXT: %[[VIEW:.*]] = tern.reshape %[[W]] : (tensor<8x6xf32>) -> tensor<2x4x6xf32>
// CHECK-NEXT: %[[OUT:.*]] = tern.mla_attention %[[QN]], %[[QR]], %[[VIEW]], %[[KVB]], %[[MASK]] {scale = 5.000000e-01 : f64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>, tensor<2x4x6xf32>, tensor<14x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x3xf32>
// CHECK-NEXT: return %[[OUT]], %[[W]] : tensor<2x2x3xf32>, tensor<8x6xf32>

func.func @prefill(%latent: tensor<2x4xf32>, %k_rope: tensor<2x1x2xf32>, %rows: tensor<2x1x1xi64>, %kv_b: tensor<14x4xf32>, %keys: tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values: tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) -> (tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) {
  %g = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv = tern.reshape %g : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope = tern.slice %kv {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v = tern.slice %kv {ends = array<i64: 2, 2, 7>, starts = array<i64: 0, 0, 4>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key = tern.concat %k_nope, %k_rope_h {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %keys2 = tern.scatter_elements %keys, %key_at, %key {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %value_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %values2 = tern.scatter_elements %values, %value_at, %v {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  return %keys2, %values2 : tensor<8x2x6xf32>, tensor<8x2x3xf32>
}

func.func @decode(%latent: tensor<2x4xf32>, %k_rope: tensor<2x1x2xf32>, %rows: tensor<2x1x1xi64>, %kv_b: tensor<14x4xf32>, %q_nope: tensor<2x2x4xf32>, %q_rope: tensor<2x2x2xf32>, %mask: tensor<2x1x4xf32>, %keys: tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values: tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) -> (tensor<2x2x3xf32>, tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) {
  %g = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv = tern.reshape %g : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope = tern.slice %kv {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v = tern.slice %kv {ends = array<i64: 2, 2, 7>, starts = array<i64: 0, 0, 4>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key = tern.concat %k_nope, %k_rope_h {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %keys2 = tern.scatter_elements %keys, %key_at, %key {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %value_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %values2 = tern.scatter_elements %values, %value_at, %v {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  %query = tern.concat %q_nope, %q_rope {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %keys_view = tern.reshape %keys2 : (tensor<8x2x6xf32>) -> tensor<2x4x2x6xf32>
  %values_view = tern.reshape %values2 : (tensor<8x2x3xf32>) -> tensor<2x4x2x3xf32>
  %scores = tern.einsum %query, %keys_view {equation = "bhd,bshd->bhs"} : (tensor<2x2x6xf32>, tensor<2x4x2x6xf32>) -> tensor<2x2x4xf32>
  %scale = tern.constant dense<0.5> : tensor<f32>
  %scaled = tern.mul %scores, %scale : (tensor<2x2x4xf32>, tensor<f32>) -> tensor<2x2x4xf32>
  %masked = tern.add %scaled, %mask : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x4xf32>
  %probs = tern.softmax %masked {axis = 2 : i64} : tensor<2x2x4xf32>
  %out = tern.einsum %probs, %values_view {equation = "bhs,bshe->bhe"} : (tensor<2x2x4xf32>, tensor<2x4x2x3xf32>) -> tensor<2x2x3xf32>
  return %out, %keys2, %values2 : tensor<2x2x3xf32>, tensor<8x2x6xf32>, tensor<8x2x3xf32>
}

// -----

// Decoding's mask, 0 at key positions up to each query's position and -inf
// after (as the importer writes it), becomes the op's last_positions, which
// lets kernels skip the hidden positions; the mask goes.
// CHECK-LABEL: func.func @decode_positions(
// CHECK-SAME: %[[POS:[^:]*]]: tensor<2xi64>
// CHECK: tern.mla_attention %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} last_positions %[[POS]] {scale = 5.000000e-01 : f64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>, tensor<2x4x6xf32>, tensor<14x4xf32>, tensor<2xi64>) -> tensor<2x2x3xf32>
// CHECK-NOT: tern.where
func.func @decode_positions(%latent: tensor<2x4xf32>, %k_rope: tensor<2x1x2xf32>, %rows: tensor<2x1x1xi64>, %kv_b: tensor<14x4xf32>, %q_nope: tensor<2x2x4xf32>, %q_rope: tensor<2x2x2xf32>, %positions: tensor<2xi64>, %keys: tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values: tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) -> (tensor<2x2x3xf32>, tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) {
  %iota = tern.constant dense<[0, 1, 2, 3]> : tensor<4xi64>
  %g = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv = tern.reshape %g : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope = tern.slice %kv {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v = tern.slice %kv {ends = array<i64: 2, 2, 7>, starts = array<i64: 0, 0, 4>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key = tern.concat %k_nope, %k_rope_h {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %keys2 = tern.scatter_elements %keys, %key_at, %key {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %value_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %values2 = tern.scatter_elements %values, %value_at, %v {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  %query = tern.concat %q_nope, %q_rope {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %keys_view = tern.reshape %keys2 : (tensor<8x2x6xf32>) -> tensor<2x4x2x6xf32>
  %values_view = tern.reshape %values2 : (tensor<8x2x3xf32>) -> tensor<2x4x2x3xf32>
  %scores = tern.einsum %query, %keys_view {equation = "bhd,bshd->bhs"} : (tensor<2x2x6xf32>, tensor<2x4x2x6xf32>) -> tensor<2x2x4xf32>
  %scale = tern.constant dense<0.5> : tensor<f32>
  %scaled = tern.mul %scores, %scale : (tensor<2x2x4xf32>, tensor<f32>) -> tensor<2x2x4xf32>
  %column = tern.reshape %positions : (tensor<2xi64>) -> tensor<2x1xi64>
  %visible = tern.le %iota, %column : (tensor<4xi64>, tensor<2x1xi64>) -> tensor<2x4xi1>
  %zero = tern.constant dense<0.0> : tensor<f32>
  %hidden = tern.constant dense<0xFF800000> : tensor<f32>
  %mask2 = tern.where %visible, %zero, %hidden : (tensor<2x4xi1>, tensor<f32>, tensor<f32>) -> tensor<2x4xf32>
  %mask = tern.reshape %mask2 : (tensor<2x4xf32>) -> tensor<2x1x4xf32>
  %masked = tern.add %scaled, %mask : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x4xf32>
  %probs = tern.softmax %masked {axis = 2 : i64} : tensor<2x2x4xf32>
  %out = tern.einsum %probs, %values_view {equation = "bhs,bshe->bhe"} : (tensor<2x2x4xf32>, tensor<2x4x2x3xf32>) -> tensor<2x2x3xf32>
  return %out, %keys2, %values2 : tensor<2x2x3xf32>, tensor<8x2x6xf32>, tensor<8x2x3xf32>
}

// -----

// Near-miss: the positions compared with 1, 2, 3, 4 (each query would see
// one position fewer): fused, but the mask stays the op's mask.
// CHECK-LABEL: func.func @decode_shifted_positions(
// CHECK: %[[MASK:.*]] = tern.reshape %{{.*}} : (tensor<2x4xf32>) -> tensor<2x1x4xf32>
// CHECK: tern.mla_attention %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[MASK]] {scale = 5.000000e-01 : f64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>, tensor<2x4x6xf32>, tensor<14x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x3xf32>
func.func @decode_shifted_positions(%latent: tensor<2x4xf32>, %k_rope: tensor<2x1x2xf32>, %rows: tensor<2x1x1xi64>, %kv_b: tensor<14x4xf32>, %q_nope: tensor<2x2x4xf32>, %q_rope: tensor<2x2x2xf32>, %positions: tensor<2xi64>, %keys: tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values: tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) -> (tensor<2x2x3xf32>, tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) {
  %iota = tern.constant dense<[1, 2, 3, 4]> : tensor<4xi64>
  %g = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv = tern.reshape %g : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope = tern.slice %kv {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v = tern.slice %kv {ends = array<i64: 2, 2, 7>, starts = array<i64: 0, 0, 4>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key = tern.concat %k_nope, %k_rope_h {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %keys2 = tern.scatter_elements %keys, %key_at, %key {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %value_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %values2 = tern.scatter_elements %values, %value_at, %v {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  %query = tern.concat %q_nope, %q_rope {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %keys_view = tern.reshape %keys2 : (tensor<8x2x6xf32>) -> tensor<2x4x2x6xf32>
  %values_view = tern.reshape %values2 : (tensor<8x2x3xf32>) -> tensor<2x4x2x3xf32>
  %scores = tern.einsum %query, %keys_view {equation = "bhd,bshd->bhs"} : (tensor<2x2x6xf32>, tensor<2x4x2x6xf32>) -> tensor<2x2x4xf32>
  %scale = tern.constant dense<0.5> : tensor<f32>
  %scaled = tern.mul %scores, %scale : (tensor<2x2x4xf32>, tensor<f32>) -> tensor<2x2x4xf32>
  %column = tern.reshape %positions : (tensor<2xi64>) -> tensor<2x1xi64>
  %visible = tern.le %iota, %column : (tensor<4xi64>, tensor<2x1xi64>) -> tensor<2x4xi1>
  %zero = tern.constant dense<0.0> : tensor<f32>
  %hidden = tern.constant dense<0xFF800000> : tensor<f32>
  %mask2 = tern.where %visible, %zero, %hidden : (tensor<2x4xi1>, tensor<f32>, tensor<f32>) -> tensor<2x4xf32>
  %mask = tern.reshape %mask2 : (tensor<2x4xf32>) -> tensor<2x1x4xf32>
  %masked = tern.add %scaled, %mask : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x4xf32>
  %probs = tern.softmax %masked {axis = 2 : i64} : tensor<2x2x4xf32>
  %out = tern.einsum %probs, %values_view {equation = "bhs,bshe->bhe"} : (tensor<2x2x4xf32>, tensor<2x4x2x3xf32>) -> tensor<2x2x3xf32>
  return %out, %keys2, %values2 : tensor<2x2x3xf32>, tensor<8x2x6xf32>, tensor<8x2x3xf32>
}

// -----

// Near-miss: positions of i16, which the op does not take: fused, the mask
// kept as the op's mask.
// CHECK-LABEL: func.func @decode_i16_positions(
// CHECK: %[[MASK:.*]] = tern.reshape %{{.*}} : (tensor<2x4xf32>) -> tensor<2x1x4xf32>
// CHECK: tern.mla_attention %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[MASK]] {scale
func.func @decode_i16_positions(%latent: tensor<2x4xf32>, %k_rope: tensor<2x1x2xf32>, %rows: tensor<2x1x1xi64>, %kv_b: tensor<14x4xf32>, %q_nope: tensor<2x2x4xf32>, %q_rope: tensor<2x2x2xf32>, %positions: tensor<2xi16>, %keys: tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values: tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) -> (tensor<2x2x3xf32>, tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) {
  %iota = tern.constant dense<[0, 1, 2, 3]> : tensor<4xi16>
  %g = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv = tern.reshape %g : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope = tern.slice %kv {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v = tern.slice %kv {ends = array<i64: 2, 2, 7>, starts = array<i64: 0, 0, 4>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key = tern.concat %k_nope, %k_rope_h {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %keys2 = tern.scatter_elements %keys, %key_at, %key {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %value_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %values2 = tern.scatter_elements %values, %value_at, %v {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  %query = tern.concat %q_nope, %q_rope {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %keys_view = tern.reshape %keys2 : (tensor<8x2x6xf32>) -> tensor<2x4x2x6xf32>
  %values_view = tern.reshape %values2 : (tensor<8x2x3xf32>) -> tensor<2x4x2x3xf32>
  %scores = tern.einsum %query, %keys_view {equation = "bhd,bshd->bhs"} : (tensor<2x2x6xf32>, tensor<2x4x2x6xf32>) -> tensor<2x2x4xf32>
  %scale = tern.constant dense<0.5> : tensor<f32>
  %scaled = tern.mul %scores, %scale : (tensor<2x2x4xf32>, tensor<f32>) -> tensor<2x2x4xf32>
  %column = tern.reshape %positions : (tensor<2xi16>) -> tensor<2x1xi16>
  %visible = tern.le %iota, %column : (tensor<4xi16>, tensor<2x1xi16>) -> tensor<2x4xi1>
  %zero = tern.constant dense<0.0> : tensor<f32>
  %hidden = tern.constant dense<0xFF800000> : tensor<f32>
  %mask2 = tern.where %visible, %zero, %hidden : (tensor<2x4xi1>, tensor<f32>, tensor<f32>) -> tensor<2x4xf32>
  %mask = tern.reshape %mask2 : (tensor<2x4xf32>) -> tensor<2x1x4xf32>
  %masked = tern.add %scaled, %mask : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x4xf32>
  %probs = tern.softmax %masked {axis = 2 : i64} : tensor<2x2x4xf32>
  %out = tern.einsum %probs, %values_view {equation = "bhs,bshe->bhe"} : (tensor<2x2x4xf32>, tensor<2x4x2x3xf32>) -> tensor<2x2x3xf32>
  return %out, %keys2, %values2 : tensor<2x2x3xf32>, tensor<8x2x6xf32>, tensor<8x2x3xf32>
}

// -----

// A paged cache: pools of 4 blocks of 2 positions, written through their
// rows and read through a block table (2 blocks per sequence). The latent
// cache is a pool too, [4, 2, L + R], and the op reads it through the table.
// CHECK-LABEL: func.func @decode_paged(
// CHECK-SAME: %[[TABLE:[^:]*]]: tensor<2x2xi64>, %{{[^:]*}}: tensor<2x2xi64>, %[[CACHE:[^:]*]]: tensor<4x2x6xf32> {tern.name = "layers.0.latent_cache", tern.state = "layers.0.latent_cache"})
// CHECK-SAME: -> (tensor<2x2x3xf32>, tensor<4x2x6xf32> {tern.name = "layers.0.latent_cache", tern.state = "layers.0.latent_cache"})
// CHECK: %[[ROWS:.*]] = tern.reshape %[[CACHE]] : (tensor<4x2x6xf32>) -> tensor<8x6xf32>
// CHECK: %[[W:.*]] = tern.scatter_elements %[[ROWS]], %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<8x6xf32>, tensor<2x6xi64>, tensor<2x6xf32>) -> tensor<8x6xf32>
// CHECK: %[[POOL:.*]] = tern.reshape %[[W]] : (tensor<8x6xf32>) -> tensor<4x2x6xf32>
// CHECK: %[[OUT:.*]] = tern.mla_attention %{{.*}}, %{{.*}}, %[[POOL]], %{{.*}}, %{{.*}} blocks %[[TABLE]] {scale = 5.000000e-01 : f64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>, tensor<4x2x6xf32>, tensor<14x4xf32>, tensor<2x1x4xf32>, tensor<2x2xi64>) -> tensor<2x2x3xf32>
// CHECK-NOT: tern.gather
// CHECK: return %[[OUT]], %[[POOL]]
func.func @decode_paged(%latent: tensor<2x4xf32>, %k_rope: tensor<2x1x2xf32>, %rows: tensor<2x1x1xi64>, %kv_b: tensor<14x4xf32>, %q_nope: tensor<2x2x4xf32>, %q_rope: tensor<2x2x2xf32>, %mask: tensor<2x1x4xf32>, %table: tensor<2x2xi64>, %table2: tensor<2x2xi64>, %keys: tensor<4x2x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values: tensor<4x2x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) -> (tensor<2x2x3xf32>, tensor<4x2x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<4x2x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) {
  %g = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv = tern.reshape %g : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope = tern.slice %kv {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v = tern.slice %kv {ends = array<i64: 2, 2, 7>, starts = array<i64: 0, 0, 4>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key = tern.concat %k_nope, %k_rope_h {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %key_rows = tern.reshape %keys : (tensor<4x2x2x6xf32>) -> tensor<8x2x6xf32>
  %key_rows2 = tern.scatter_elements %key_rows, %key_at, %key {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %keys2 = tern.reshape %key_rows2 : (tensor<8x2x6xf32>) -> tensor<4x2x2x6xf32>
  %value_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %value_rows = tern.reshape %values : (tensor<4x2x2x3xf32>) -> tensor<8x2x3xf32>
  %value_rows2 = tern.scatter_elements %value_rows, %value_at, %v {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  %values2 = tern.reshape %value_rows2 : (tensor<8x2x3xf32>) -> tensor<4x2x2x3xf32>
  %query = tern.concat %q_nope, %q_rope {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %keys_blocks = tern.gather %keys2, %table {axis = 0 : i64} : (tensor<4x2x2x6xf32>, tensor<2x2xi64>) -> tensor<2x2x2x2x6xf32>
  %keys_view = tern.reshape %keys_blocks : (tensor<2x2x2x2x6xf32>) -> tensor<2x4x2x6xf32>
  %values_blocks = tern.gather %values2, %table {axis = 0 : i64} : (tensor<4x2x2x3xf32>, tensor<2x2xi64>) -> tensor<2x2x2x2x3xf32>
  %values_view = tern.reshape %values_blocks : (tensor<2x2x2x2x3xf32>) -> tensor<2x4x2x3xf32>
  %scores = tern.einsum %query, %keys_view {equation = "bhd,bshd->bhs"} : (tensor<2x2x6xf32>, tensor<2x4x2x6xf32>) -> tensor<2x2x4xf32>
  %scale = tern.constant dense<0.5> : tensor<f32>
  %scaled = tern.mul %scores, %scale : (tensor<2x2x4xf32>, tensor<f32>) -> tensor<2x2x4xf32>
  %masked = tern.add %scaled, %mask : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x4xf32>
  %probs = tern.softmax %masked {axis = 2 : i64} : tensor<2x2x4xf32>
  %out = tern.einsum %probs, %values_view {equation = "bhs,bshe->bhe"} : (tensor<2x2x4xf32>, tensor<2x4x2x3xf32>) -> tensor<2x2x3xf32>
  return %out, %keys2, %values2 : tensor<2x2x3xf32>, tensor<4x2x2x6xf32>, tensor<4x2x2x3xf32>
}

// -----

// Near-miss: the values read through another block table than the keys.
// CHECK-LABEL: func.func @decode_paged_two_tables(
// CHECK-NOT: tern.mla_attention
// CHECK: return
func.func @decode_paged_two_tables(%latent: tensor<2x4xf32>, %k_rope: tensor<2x1x2xf32>, %rows: tensor<2x1x1xi64>, %kv_b: tensor<14x4xf32>, %q_nope: tensor<2x2x4xf32>, %q_rope: tensor<2x2x2xf32>, %mask: tensor<2x1x4xf32>, %table: tensor<2x2xi64>, %table2: tensor<2x2xi64>, %keys: tensor<4x2x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values: tensor<4x2x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) -> (tensor<2x2x3xf32>, tensor<4x2x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<4x2x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) {
  %g = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv = tern.reshape %g : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope = tern.slice %kv {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v = tern.slice %kv {ends = array<i64: 2, 2, 7>, starts = array<i64: 0, 0, 4>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key = tern.concat %k_nope, %k_rope_h {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %key_rows = tern.reshape %keys : (tensor<4x2x2x6xf32>) -> tensor<8x2x6xf32>
  %key_rows2 = tern.scatter_elements %key_rows, %key_at, %key {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %keys2 = tern.reshape %key_rows2 : (tensor<8x2x6xf32>) -> tensor<4x2x2x6xf32>
  %value_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %value_rows = tern.reshape %values : (tensor<4x2x2x3xf32>) -> tensor<8x2x3xf32>
  %value_rows2 = tern.scatter_elements %value_rows, %value_at, %v {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  %values2 = tern.reshape %value_rows2 : (tensor<8x2x3xf32>) -> tensor<4x2x2x3xf32>
  %query = tern.concat %q_nope, %q_rope {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %keys_blocks = tern.gather %keys2, %table {axis = 0 : i64} : (tensor<4x2x2x6xf32>, tensor<2x2xi64>) -> tensor<2x2x2x2x6xf32>
  %keys_view = tern.reshape %keys_blocks : (tensor<2x2x2x2x6xf32>) -> tensor<2x4x2x6xf32>
  %values_blocks = tern.gather %values2, %table2 {axis = 0 : i64} : (tensor<4x2x2x3xf32>, tensor<2x2xi64>) -> tensor<2x2x2x2x3xf32>
  %values_view = tern.reshape %values_blocks : (tensor<2x2x2x2x3xf32>) -> tensor<2x4x2x3xf32>
  %scores = tern.einsum %query, %keys_view {equation = "bhd,bshd->bhs"} : (tensor<2x2x6xf32>, tensor<2x4x2x6xf32>) -> tensor<2x2x4xf32>
  %scale = tern.constant dense<0.5> : tensor<f32>
  %scaled = tern.mul %scores, %scale : (tensor<2x2x4xf32>, tensor<f32>) -> tensor<2x2x4xf32>
  %masked = tern.add %scaled, %mask : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x4xf32>
  %probs = tern.softmax %masked {axis = 2 : i64} : tensor<2x2x4xf32>
  %out = tern.einsum %probs, %values_view {equation = "bhs,bshe->bhe"} : (tensor<2x2x4xf32>, tensor<2x4x2x3xf32>) -> tensor<2x2x3xf32>
  return %out, %keys2, %values2 : tensor<2x2x3xf32>, tensor<4x2x2x6xf32>, tensor<4x2x2x3xf32>
}

// -----

// Values taken from the keys' part of kv_b's output: not latent attention.
// CHECK-LABEL: func.func @values_from_keys(
// CHECK-SAME: tern.state = "layers.0.key_cache"
// CHECK-SAME: tern.state = "layers.0.value_cache"
// CHECK-NOT: tern.mla_attention
// CHECK: return
func.func @values_from_keys(%latent: tensor<2x4xf32>, %k_rope: tensor<2x1x2xf32>, %rows: tensor<2x1x1xi64>, %kv_b: tensor<14x4xf32>, %q_nope: tensor<2x2x4xf32>, %q_rope: tensor<2x2x2xf32>, %mask: tensor<2x1x4xf32>, %keys: tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values: tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) -> (tensor<2x2x3xf32>, tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) {
  %g = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv = tern.reshape %g : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope = tern.slice %kv {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v = tern.slice %kv {ends = array<i64: 2, 2, 3>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key = tern.concat %k_nope, %k_rope_h {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %keys2 = tern.scatter_elements %keys, %key_at, %key {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %value_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %values2 = tern.scatter_elements %values, %value_at, %v {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  %query = tern.concat %q_nope, %q_rope {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %keys_view = tern.reshape %keys2 : (tensor<8x2x6xf32>) -> tensor<2x4x2x6xf32>
  %values_view = tern.reshape %values2 : (tensor<8x2x3xf32>) -> tensor<2x4x2x3xf32>
  %scores = tern.einsum %query, %keys_view {equation = "bhd,bshd->bhs"} : (tensor<2x2x6xf32>, tensor<2x4x2x6xf32>) -> tensor<2x2x4xf32>
  %scale = tern.constant dense<0.5> : tensor<f32>
  %scaled = tern.mul %scores, %scale : (tensor<2x2x4xf32>, tensor<f32>) -> tensor<2x2x4xf32>
  %masked = tern.add %scaled, %mask : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x4xf32>
  %probs = tern.softmax %masked {axis = 2 : i64} : tensor<2x2x4xf32>
  %out = tern.einsum %probs, %values_view {equation = "bhs,bshe->bhe"} : (tensor<2x2x4xf32>, tensor<2x4x2x3xf32>) -> tensor<2x2x3xf32>
  return %out, %keys2, %values2 : tensor<2x2x3xf32>, tensor<8x2x6xf32>, tensor<8x2x3xf32>
}

// -----

// A RoPE key per head (not one broadcast to all heads): the latent cannot hold it.
// CHECK-LABEL: func.func @rope_key_per_head(
// CHECK-SAME: tern.state = "layers.0.key_cache"
// CHECK-SAME: tern.state = "layers.0.value_cache"
// CHECK-NOT: tern.mla_attention
// CHECK: return
func.func @rope_key_per_head(%latent: tensor<2x4xf32>, %k_rope: tensor<2x1x2xf32>, %rows: tensor<2x1x1xi64>, %kv_b: tensor<14x4xf32>, %q_nope: tensor<2x2x4xf32>, %q_rope: tensor<2x2x2xf32>, %mask: tensor<2x1x4xf32>, %keys: tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values: tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) -> (tensor<2x2x3xf32>, tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) {
  %g = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv = tern.reshape %g : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope = tern.slice %kv {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v = tern.slice %kv {ends = array<i64: 2, 2, 7>, starts = array<i64: 0, 0, 4>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h = tern.concat %k_rope, %k_rope {axis = 1 : i64} : (tensor<2x1x2xf32>, tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key = tern.concat %k_nope, %k_rope_h {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %keys2 = tern.scatter_elements %keys, %key_at, %key {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %value_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %values2 = tern.scatter_elements %values, %value_at, %v {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  %query = tern.concat %q_nope, %q_rope {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %keys_view = tern.reshape %keys2 : (tensor<8x2x6xf32>) -> tensor<2x4x2x6xf32>
  %values_view = tern.reshape %values2 : (tensor<8x2x3xf32>) -> tensor<2x4x2x3xf32>
  %scores = tern.einsum %query, %keys_view {equation = "bhd,bshd->bhs"} : (tensor<2x2x6xf32>, tensor<2x4x2x6xf32>) -> tensor<2x2x4xf32>
  %scale = tern.constant dense<0.5> : tensor<f32>
  %scaled = tern.mul %scores, %scale : (tensor<2x2x4xf32>, tensor<f32>) -> tensor<2x2x4xf32>
  %masked = tern.add %scaled, %mask : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x4xf32>
  %probs = tern.softmax %masked {axis = 2 : i64} : tensor<2x2x4xf32>
  %out = tern.einsum %probs, %values_view {equation = "bhs,bshe->bhe"} : (tensor<2x2x4xf32>, tensor<2x4x2x3xf32>) -> tensor<2x2x3xf32>
  return %out, %keys2, %values2 : tensor<2x2x3xf32>, tensor<8x2x6xf32>, tensor<8x2x3xf32>
}

// -----

// The written keys also leave the function as an ordinary output.
// CHECK-LABEL: func.func @keys_read_elsewhere(
// CHECK-SAME: tern.state = "layers.0.key_cache"
// CHECK-SAME: tern.state = "layers.0.value_cache"
// CHECK-NOT: tern.mla_attention
// CHECK: return
func.func @keys_read_elsewhere(%latent: tensor<2x4xf32>, %k_rope: tensor<2x1x2xf32>, %rows: tensor<2x1x1xi64>, %kv_b: tensor<14x4xf32>, %q_nope: tensor<2x2x4xf32>, %q_rope: tensor<2x2x2xf32>, %mask: tensor<2x1x4xf32>, %keys: tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values: tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) -> (tensor<2x2x3xf32>, tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}, tensor<8x2x6xf32>) {
  %g = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv = tern.reshape %g : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope = tern.slice %kv {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v = tern.slice %kv {ends = array<i64: 2, 2, 7>, starts = array<i64: 0, 0, 4>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key = tern.concat %k_nope, %k_rope_h {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %keys2 = tern.scatter_elements %keys, %key_at, %key {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %value_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %values2 = tern.scatter_elements %values, %value_at, %v {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  %query = tern.concat %q_nope, %q_rope {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %keys_view = tern.reshape %keys2 : (tensor<8x2x6xf32>) -> tensor<2x4x2x6xf32>
  %values_view = tern.reshape %values2 : (tensor<8x2x3xf32>) -> tensor<2x4x2x3xf32>
  %scores = tern.einsum %query, %keys_view {equation = "bhd,bshd->bhs"} : (tensor<2x2x6xf32>, tensor<2x4x2x6xf32>) -> tensor<2x2x4xf32>
  %scale = tern.constant dense<0.5> : tensor<f32>
  %scaled = tern.mul %scores, %scale : (tensor<2x2x4xf32>, tensor<f32>) -> tensor<2x2x4xf32>
  %masked = tern.add %scaled, %mask : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x4xf32>
  %probs = tern.softmax %masked {axis = 2 : i64} : tensor<2x2x4xf32>
  %out = tern.einsum %probs, %values_view {equation = "bhs,bshe->bhe"} : (tensor<2x2x4xf32>, tensor<2x4x2x3xf32>) -> tensor<2x2x3xf32>
  return %out, %keys2, %values2, %keys2 : tensor<2x2x3xf32>, tensor<8x2x6xf32>, tensor<8x2x3xf32>, tensor<8x2x6xf32>
}

// -----

// A softmax over the heads, not the positions.
// CHECK-LABEL: func.func @softmax_over_heads(
// CHECK-SAME: tern.state = "layers.0.key_cache"
// CHECK-SAME: tern.state = "layers.0.value_cache"
// CHECK-NOT: tern.mla_attention
// CHECK: return
func.func @softmax_over_heads(%latent: tensor<2x4xf32>, %k_rope: tensor<2x1x2xf32>, %rows: tensor<2x1x1xi64>, %kv_b: tensor<14x4xf32>, %q_nope: tensor<2x2x4xf32>, %q_rope: tensor<2x2x2xf32>, %mask: tensor<2x1x4xf32>, %keys: tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values: tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) -> (tensor<2x2x3xf32>, tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) {
  %g = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv = tern.reshape %g : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope = tern.slice %kv {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v = tern.slice %kv {ends = array<i64: 2, 2, 7>, starts = array<i64: 0, 0, 4>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key = tern.concat %k_nope, %k_rope_h {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %keys2 = tern.scatter_elements %keys, %key_at, %key {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %value_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %values2 = tern.scatter_elements %values, %value_at, %v {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  %query = tern.concat %q_nope, %q_rope {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %keys_view = tern.reshape %keys2 : (tensor<8x2x6xf32>) -> tensor<2x4x2x6xf32>
  %values_view = tern.reshape %values2 : (tensor<8x2x3xf32>) -> tensor<2x4x2x3xf32>
  %scores = tern.einsum %query, %keys_view {equation = "bhd,bshd->bhs"} : (tensor<2x2x6xf32>, tensor<2x4x2x6xf32>) -> tensor<2x2x4xf32>
  %scale = tern.constant dense<0.5> : tensor<f32>
  %scaled = tern.mul %scores, %scale : (tensor<2x2x4xf32>, tensor<f32>) -> tensor<2x2x4xf32>
  %masked = tern.add %scaled, %mask : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x4xf32>
  %probs = tern.softmax %masked {axis = 1 : i64} : tensor<2x2x4xf32>
  %out = tern.einsum %probs, %values_view {equation = "bhs,bshe->bhe"} : (tensor<2x2x4xf32>, tensor<2x4x2x3xf32>) -> tensor<2x2x3xf32>
  return %out, %keys2, %values2 : tensor<2x2x3xf32>, tensor<8x2x6xf32>, tensor<8x2x3xf32>
}

// -----

// The decode step matches, but the prefill writes values from the keys' part: the
// states are shared, so neither function changes.
// CHECK-LABEL: func.func @prefill_other_values(
// CHECK-SAME: tern.state = "layers.0.key_cache"
// CHECK-SAME: tern.state = "layers.0.value_cache"
// CHECK-NOT: tern.mla_attention
// CHECK: return
// CHECK-LABEL: func.func @decode_of_other_prefill(
// CHECK-SAME: tern.state = "layers.0.key_cache"
// CHECK-SAME: tern.state = "layers.0.value_cache"
// CHECK-NOT: tern.mla_attention
// CHECK: return
func.func @prefill_other_values(%latent: tensor<2x4xf32>, %k_rope: tensor<2x1x2xf32>, %rows: tensor<2x1x1xi64>, %kv_b: tensor<14x4xf32>, %keys: tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values: tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) -> (tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) {
  %g = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv = tern.reshape %g : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope = tern.slice %kv {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v = tern.slice %kv {ends = array<i64: 2, 2, 3>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key = tern.concat %k_nope, %k_rope_h {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %keys2 = tern.scatter_elements %keys, %key_at, %key {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %value_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %values2 = tern.scatter_elements %values, %value_at, %v {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  return %keys2, %values2 : tensor<8x2x6xf32>, tensor<8x2x3xf32>
}

func.func @decode_of_other_prefill(%latent: tensor<2x4xf32>, %k_rope: tensor<2x1x2xf32>, %rows: tensor<2x1x1xi64>, %kv_b: tensor<14x4xf32>, %q_nope: tensor<2x2x4xf32>, %q_rope: tensor<2x2x2xf32>, %mask: tensor<2x1x4xf32>, %keys: tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values: tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) -> (tensor<2x2x3xf32>, tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) {
  %g = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv = tern.reshape %g : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope = tern.slice %kv {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v = tern.slice %kv {ends = array<i64: 2, 2, 7>, starts = array<i64: 0, 0, 4>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key = tern.concat %k_nope, %k_rope_h {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %keys2 = tern.scatter_elements %keys, %key_at, %key {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %value_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %values2 = tern.scatter_elements %values, %value_at, %v {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  %query = tern.concat %q_nope, %q_rope {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %keys_view = tern.reshape %keys2 : (tensor<8x2x6xf32>) -> tensor<2x4x2x6xf32>
  %values_view = tern.reshape %values2 : (tensor<8x2x3xf32>) -> tensor<2x4x2x3xf32>
  %scores = tern.einsum %query, %keys_view {equation = "bhd,bshd->bhs"} : (tensor<2x2x6xf32>, tensor<2x4x2x6xf32>) -> tensor<2x2x4xf32>
  %scale = tern.constant dense<0.5> : tensor<f32>
  %scaled = tern.mul %scores, %scale : (tensor<2x2x4xf32>, tensor<f32>) -> tensor<2x2x4xf32>
  %masked = tern.add %scaled, %mask : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x4xf32>
  %probs = tern.softmax %masked {axis = 2 : i64} : tensor<2x2x4xf32>
  %out = tern.einsum %probs, %values_view {equation = "bhs,bshe->bhe"} : (tensor<2x2x4xf32>, tensor<2x4x2x3xf32>) -> tensor<2x2x3xf32>
  return %out, %keys2, %values2 : tensor<2x2x3xf32>, tensor<8x2x6xf32>, tensor<8x2x3xf32>
}

// -----

// RoPE applied to the keys' nope part: not a slice of kv_b's output.
// CHECK-LABEL: func.func @rope_on_nope(
// CHECK-SAME: tern.state = "layers.0.key_cache"
// CHECK-NOT: tern.mla_attention
// CHECK: return
func.func @rope_on_nope(%latent: tensor<2x4xf32>, %k_rope: tensor<2x1x2xf32>, %rows: tensor<2x1x1xi64>, %cos: tensor<2x1x2xf32>, %sin: tensor<2x1x2xf32>, %kv_b: tensor<14x4xf32>, %q_nope: tensor<2x2x4xf32>, %q_rope: tensor<2x2x2xf32>, %mask: tensor<2x1x4xf32>, %keys: tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values: tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) -> (tensor<2x2x3xf32>, tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) {
  %g = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv = tern.reshape %g : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope = tern.slice %kv {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v = tern.slice %kv {ends = array<i64: 2, 2, 7>, starts = array<i64: 0, 0, 4>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %k_nope_rot = tern.rotary %k_nope, %cos, %sin {interleaved = true} : (tensor<2x2x4xf32>, tensor<2x1x2xf32>, tensor<2x1x2xf32>) -> tensor<2x2x4xf32>
  %key = tern.concat %k_nope_rot, %k_rope_h {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %keys2 = tern.scatter_elements %keys, %key_at, %key {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %value_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %values2 = tern.scatter_elements %values, %value_at, %v {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  %query = tern.concat %q_nope, %q_rope {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %keys_view = tern.reshape %keys2 : (tensor<8x2x6xf32>) -> tensor<2x4x2x6xf32>
  %values_view = tern.reshape %values2 : (tensor<8x2x3xf32>) -> tensor<2x4x2x3xf32>
  %scores = tern.einsum %query, %keys_view {equation = "bhd,bshd->bhs"} : (tensor<2x2x6xf32>, tensor<2x4x2x6xf32>) -> tensor<2x2x4xf32>
  %scale = tern.constant dense<0.5> : tensor<f32>
  %scaled = tern.mul %scores, %scale : (tensor<2x2x4xf32>, tensor<f32>) -> tensor<2x2x4xf32>
  %masked = tern.add %scaled, %mask : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x4xf32>
  %probs = tern.softmax %masked {axis = 2 : i64} : tensor<2x2x4xf32>
  %out = tern.einsum %probs, %values_view {equation = "bhs,bshe->bhe"} : (tensor<2x2x4xf32>, tensor<2x4x2x3xf32>) -> tensor<2x2x3xf32>
  return %out, %keys2, %values2 : tensor<2x2x3xf32>, tensor<8x2x6xf32>, tensor<8x2x3xf32>
}

// -----

// The keys' state returned unchanged and the written keys as an ordinary
// output: the cache is not updated in place.
// CHECK-LABEL: func.func @keys_state_returned_unchanged(
// CHECK-NOT: tern.mla_attention
// CHECK: return
func.func @keys_state_returned_unchanged(%latent: tensor<2x4xf32>, %k_rope: tensor<2x1x2xf32>, %rows: tensor<2x1x1xi64>, %kv_b: tensor<14x4xf32>, %q_nope: tensor<2x2x4xf32>, %q_rope: tensor<2x2x2xf32>, %mask: tensor<2x1x4xf32>, %keys: tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values: tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) -> (tensor<2x2x3xf32>, tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}, tensor<8x2x6xf32>) {
  %g = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv = tern.reshape %g : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope = tern.slice %kv {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v = tern.slice %kv {ends = array<i64: 2, 2, 7>, starts = array<i64: 0, 0, 4>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key = tern.concat %k_nope, %k_rope_h {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %keys2 = tern.scatter_elements %keys, %key_at, %key {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %value_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %values2 = tern.scatter_elements %values, %value_at, %v {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  %query = tern.concat %q_nope, %q_rope {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %keys_view = tern.reshape %keys2 : (tensor<8x2x6xf32>) -> tensor<2x4x2x6xf32>
  %values_view = tern.reshape %values2 : (tensor<8x2x3xf32>) -> tensor<2x4x2x3xf32>
  %scores = tern.einsum %query, %keys_view {equation = "bhd,bshd->bhs"} : (tensor<2x2x6xf32>, tensor<2x4x2x6xf32>) -> tensor<2x2x4xf32>
  %scale = tern.constant dense<0.5> : tensor<f32>
  %scaled = tern.mul %scores, %scale : (tensor<2x2x4xf32>, tensor<f32>) -> tensor<2x2x4xf32>
  %masked = tern.add %scaled, %mask : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x4xf32>
  %probs = tern.softmax %masked {axis = 2 : i64} : tensor<2x2x4xf32>
  %out = tern.einsum %probs, %values_view {equation = "bhs,bshe->bhe"} : (tensor<2x2x4xf32>, tensor<2x4x2x3xf32>) -> tensor<2x2x3xf32>
  return %out, %keys, %values2, %keys2 : tensor<2x2x3xf32>, tensor<8x2x6xf32>, tensor<8x2x3xf32>, tensor<8x2x6xf32>
}

// -----

// RoPE in the half-split layout (DeepSeek-V2's checkpoints without
// rope_interleave), rotated in the function: the RoPE key goes into the
// cache and the rotated query into the op as they are computed, whatever
// the layout.
// CHECK-LABEL: func.func @half_split_rope(
// CHECK: %[[KROT:.*]] = tern.rotary %{{.*}} : (tensor<2x1x2xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>) -> tensor<2x1x2xf32>
// CHECK: %[[QROT:.*]] = tern.rotary %{{.*}} : (tensor<2x2x2xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>) -> tensor<2x2x2xf32>
// CHECK: %[[K:.*]] = tern.reshape %[[KROT]] : (tensor<2x1x2xf32>) -> tensor<2x2xf32>
// CHECK: tern.concat %{{.*}}, %[[K]] {axis = 1 : i64}
// CHECK: tern.mla_attention %{{.*}}, %[[QROT]], %{{.*}}, %{{.*}}, %{{.*}} {scale = 5.000000e-01 : f64}
func.func @half_split_rope(%latent: tensor<2x4xf32>, %k_pe: tensor<2x1x2xf32>, %cos: tensor<2x1x1xf32>, %sin: tensor<2x1x1xf32>, %rows: tensor<2x1x1xi64>, %kv_b: tensor<14x4xf32>, %q_nope: tensor<2x2x4xf32>, %q_pe: tensor<2x2x2xf32>, %mask: tensor<2x1x4xf32>, %keys: tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values: tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) -> (tensor<2x2x3xf32>, tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}) {
  %k_rope = tern.rotary %k_pe, %cos, %sin {interleaved = false} : (tensor<2x1x2xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>) -> tensor<2x1x2xf32>
  %q_rope = tern.rotary %q_pe, %cos, %sin {interleaved = false} : (tensor<2x2x2xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>) -> tensor<2x2x2xf32>
  %g = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv = tern.reshape %g : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope = tern.slice %kv {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v = tern.slice %kv {ends = array<i64: 2, 2, 7>, starts = array<i64: 0, 0, 4>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key = tern.concat %k_nope, %k_rope_h {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %keys2 = tern.scatter_elements %keys, %key_at, %key {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %value_at = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %values2 = tern.scatter_elements %values, %value_at, %v {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  %query = tern.concat %q_nope, %q_rope {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %keys_view = tern.reshape %keys2 : (tensor<8x2x6xf32>) -> tensor<2x4x2x6xf32>
  %values_view = tern.reshape %values2 : (tensor<8x2x3xf32>) -> tensor<2x4x2x3xf32>
  %scores = tern.einsum %query, %keys_view {equation = "bhd,bshd->bhs"} : (tensor<2x2x6xf32>, tensor<2x4x2x6xf32>) -> tensor<2x2x4xf32>
  %scale = tern.constant dense<0.5> : tensor<f32>
  %scaled = tern.mul %scores, %scale : (tensor<2x2x4xf32>, tensor<f32>) -> tensor<2x2x4xf32>
  %masked = tern.add %scaled, %mask : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x4xf32>
  %probs = tern.softmax %masked {axis = 2 : i64} : tensor<2x2x4xf32>
  %out = tern.einsum %probs, %values_view {equation = "bhs,bshe->bhe"} : (tensor<2x2x4xf32>, tensor<2x4x2x3xf32>) -> tensor<2x2x3xf32>
  return %out, %keys2, %values2 : tensor<2x2x3xf32>, tensor<8x2x6xf32>, tensor<8x2x3xf32>
}

// -----

// Two layers in one function: each pair becomes its own latent state, the
// results in the keys' places (the second pair's results are found again
// after the first pair's values result goes).
// CHECK-LABEL: func.func @two_layers(
// CHECK-SAME: %[[C0:[^:]*]]: tensor<8x6xf32> {tern.name = "layers.0.latent_cache", tern.state = "layers.0.latent_cache"}, %[[C1:[^:]*]]: tensor<8x6xf32> {tern.name = "layers.1.latent_cache", tern.state = "layers.1.latent_cache"})
// CHECK-SAME: -> (tensor<2x2x3xf32>, tensor<2x2x3xf32>, tensor<8x6xf32> {tern.name = "layers.0.latent_cache", tern.state = "layers.0.latent_cache"}, tensor<8x6xf32> {tern.name = "layers.1.latent_cache", tern.state = "layers.1.latent_cache"})
// CHECK: %[[W0:.*]] = tern.scatter_elements %[[C0]]
// CHECK: %[[O0:.*]] = tern.mla_attention
// CHECK: %[[W1:.*]] = tern.scatter_elements %[[C1]]
// CHECK: %[[O1:.*]] = tern.mla_attention
// CHECK: return %[[O0]], %[[O1]], %[[W0]], %[[W1]]
func.func @two_layers(%latent: tensor<2x4xf32>, %k_rope: tensor<2x1x2xf32>, %rows: tensor<2x1x1xi64>, %kv_b: tensor<14x4xf32>, %q_nope: tensor<2x2x4xf32>, %q_rope: tensor<2x2x2xf32>, %mask: tensor<2x1x4xf32>, %keys0: tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, %values0: tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}, %keys1: tensor<8x2x6xf32> {tern.name = "layers.1.key_cache", tern.state = "layers.1.key_cache"}, %values1: tensor<8x2x3xf32> {tern.name = "layers.1.value_cache", tern.state = "layers.1.value_cache"}) -> (tensor<2x2x3xf32>, tensor<2x2x3xf32>, tensor<8x2x6xf32> {tern.name = "layers.0.key_cache", tern.state = "layers.0.key_cache"}, tensor<8x2x3xf32> {tern.name = "layers.0.value_cache", tern.state = "layers.0.value_cache"}, tensor<8x2x6xf32> {tern.name = "layers.1.key_cache", tern.state = "layers.1.key_cache"}, tensor<8x2x3xf32> {tern.name = "layers.1.value_cache", tern.state = "layers.1.value_cache"}) {
  %g0 = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv0 = tern.reshape %g0 : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope0 = tern.slice %kv0 {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v0 = tern.slice %kv0 {ends = array<i64: 2, 2, 7>, starts = array<i64: 0, 0, 4>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h0 = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key0 = tern.concat %k_nope0, %k_rope_h0 {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at0 = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %keys20 = tern.scatter_elements %keys0, %key_at0, %key0 {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %value_at0 = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %values20 = tern.scatter_elements %values0, %value_at0, %v0 {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  %query0 = tern.concat %q_nope, %q_rope {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %keys_view0 = tern.reshape %keys20 : (tensor<8x2x6xf32>) -> tensor<2x4x2x6xf32>
  %values_view0 = tern.reshape %values20 : (tensor<8x2x3xf32>) -> tensor<2x4x2x3xf32>
  %scores0 = tern.einsum %query0, %keys_view0 {equation = "bhd,bshd->bhs"} : (tensor<2x2x6xf32>, tensor<2x4x2x6xf32>) -> tensor<2x2x4xf32>
  %scale0 = tern.constant dense<0.5> : tensor<f32>
  %scaled0 = tern.mul %scores0, %scale0 : (tensor<2x2x4xf32>, tensor<f32>) -> tensor<2x2x4xf32>
  %masked0 = tern.add %scaled0, %mask : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x4xf32>
  %probs0 = tern.softmax %masked0 {axis = 2 : i64} : tensor<2x2x4xf32>
  %out0 = tern.einsum %probs0, %values_view0 {equation = "bhs,bshe->bhe"} : (tensor<2x2x4xf32>, tensor<2x4x2x3xf32>) -> tensor<2x2x3xf32>
  %g1 = tern.gemm %latent, %kv_b {trans_b = true} : (tensor<2x4xf32>, tensor<14x4xf32>) -> tensor<2x14xf32>
  %kv1 = tern.reshape %g1 : (tensor<2x14xf32>) -> tensor<2x2x7xf32>
  %k_nope1 = tern.slice %kv1 {ends = array<i64: 2, 2, 4>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x4xf32>
  %v1 = tern.slice %kv1 {ends = array<i64: 2, 2, 7>, starts = array<i64: 0, 0, 4>, steps = array<i64: 1, 1, 1>} : tensor<2x2x7xf32> -> tensor<2x2x3xf32>
  %k_rope_h1 = tern.expand %k_rope : (tensor<2x1x2xf32>) -> tensor<2x2x2xf32>
  %key1 = tern.concat %k_nope1, %k_rope_h1 {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %key_at1 = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x6xi64>
  %keys21 = tern.scatter_elements %keys1, %key_at1, %key1 {axis = 0 : i64} : (tensor<8x2x6xf32>, tensor<2x2x6xi64>, tensor<2x2x6xf32>) -> tensor<8x2x6xf32>
  %value_at1 = tern.expand %rows : (tensor<2x1x1xi64>) -> tensor<2x2x3xi64>
  %values21 = tern.scatter_elements %values1, %value_at1, %v1 {axis = 0 : i64} : (tensor<8x2x3xf32>, tensor<2x2x3xi64>, tensor<2x2x3xf32>) -> tensor<8x2x3xf32>
  %query1 = tern.concat %q_nope, %q_rope {axis = 2 : i64} : (tensor<2x2x4xf32>, tensor<2x2x2xf32>) -> tensor<2x2x6xf32>
  %keys_view1 = tern.reshape %keys21 : (tensor<8x2x6xf32>) -> tensor<2x4x2x6xf32>
  %values_view1 = tern.reshape %values21 : (tensor<8x2x3xf32>) -> tensor<2x4x2x3xf32>
  %scores1 = tern.einsum %query1, %keys_view1 {equation = "bhd,bshd->bhs"} : (tensor<2x2x6xf32>, tensor<2x4x2x6xf32>) -> tensor<2x2x4xf32>
  %scale1 = tern.constant dense<0.5> : tensor<f32>
  %scaled1 = tern.mul %scores1, %scale1 : (tensor<2x2x4xf32>, tensor<f32>) -> tensor<2x2x4xf32>
  %masked1 = tern.add %scaled1, %mask : (tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x2x4xf32>
  %probs1 = tern.softmax %masked1 {axis = 2 : i64} : tensor<2x2x4xf32>
  %out1 = tern.einsum %probs1, %values_view1 {equation = "bhs,bshe->bhe"} : (tensor<2x2x4xf32>, tensor<2x4x2x3xf32>) -> tensor<2x2x3xf32>
  return %out0, %out1, %keys20, %values20, %keys21, %values21 : tensor<2x2x3xf32>, tensor<2x2x3xf32>, tensor<8x2x6xf32>, tensor<8x2x3xf32>, tensor<8x2x6xf32>, tensor<8x2x3xf32>
}
