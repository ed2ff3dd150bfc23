// RUN: tern-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// tern.mla_attention round-trips; its verifier names what is wrong.

// DeepSeek-V2-Lite's decode shapes: 16 heads of 128 + 64, values of 128, a
// latent of 512; positions dynamic.
// CHECK-LABEL: func.func @v2_lite
// CHECK: tern.mla_attention %arg0, %arg1, %arg2, %arg3, %arg4 {scale = 1.147000e-01 : f64} : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<2x?x576xf32>, tensor<4096x512xf32>, tensor<2x1x?xf32>) -> tensor<2x16x128xf32>
func.func @v2_lite(%qn: tensor<2x16x128xf32>, %qr: tensor<2x16x64xf32>, %c: tensor<2x?x576xf32>, %w: tensor<4096x512xf32>, %m: tensor<2x1x?xf32>) -> tensor<2x16x128xf32> {
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.1147 : f64}
      : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<2x?x576xf32>, tensor<4096x512xf32>, tensor<2x1x?xf32>) -> tensor<2x16x128xf32>
  return %o : tensor<2x16x128xf32>
}

// bf16 throughout, a full [B, H, S] mask, values narrower than keys. (The
// cache alone may be bf16 beside f32: @bf16_cache.)
// CHECK-LABEL: func.func @bf16
// CHECK: tern.mla_attention {{.*}} -> tensor<1x2x3xbf16>
func.func @bf16(%qn: tensor<1x2x4xbf16>, %qr: tensor<1x2x2xbf16>, %c: tensor<1x5x6xbf16>, %w: tensor<14x4xbf16>, %m: tensor<1x2x5xbf16>) -> tensor<1x2x3xbf16> {
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.5 : f64}
      : (tensor<1x2x4xbf16>, tensor<1x2x2xbf16>, tensor<1x5x6xbf16>, tensor<14x4xbf16>, tensor<1x2x5xbf16>) -> tensor<1x2x3xbf16>
  return %o : tensor<1x2x3xbf16>
}

// -----

func.func @rank(%qn: tensor<2x16x128xf32>, %qr: tensor<2x16x64xf32>, %c: tensor<2x576xf32>, %w: tensor<4096x512xf32>, %m: tensor<2x1x?xf32>) -> tensor<2x16x128xf32> {
  // expected-error @+1 {{q_nope, q_rope and latent_cache must have rank 3 ([B, H, N], [B, H, R], [B, S, L + R]), got shapes [2, 16, 128], [2, 16, 64] and [2, 576]}}
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.1147 : f64}
      : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<2x576xf32>, tensor<4096x512xf32>, tensor<2x1x?xf32>) -> tensor<2x16x128xf32>
  return %o : tensor<2x16x128xf32>
}

// -----

func.func @kvb_rank(%qn: tensor<2x16x128xf32>, %qr: tensor<2x16x64xf32>, %c: tensor<2x?x576xf32>, %w: tensor<16x256x512xf32>, %m: tensor<2x1x?xf32>) -> tensor<2x16x128xf32> {
  // expected-error @+1 {{kv_b must have rank 2 ([H * (N + V), L]), got shape [16, 256, 512]}}
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.1147 : f64}
      : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<2x?x576xf32>, tensor<16x256x512xf32>, tensor<2x1x?xf32>) -> tensor<2x16x128xf32>
  return %o : tensor<2x16x128xf32>
}

// -----

func.func @dynamic_heads(%qn: tensor<2x?x128xf32>, %qr: tensor<2x16x64xf32>, %c: tensor<2x?x576xf32>, %w: tensor<4096x512xf32>, %m: tensor<2x1x?xf32>) -> tensor<2x16x128xf32> {
  // expected-error @+1 {{the head count and widths (q_nope, q_rope, kv_b, latent_cache's last dimension) must be static}}
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.1147 : f64}
      : (tensor<2x?x128xf32>, tensor<2x16x64xf32>, tensor<2x?x576xf32>, tensor<4096x512xf32>, tensor<2x1x?xf32>) -> tensor<2x16x128xf32>
  return %o : tensor<2x16x128xf32>
}

// -----

func.func @rope_heads(%qn: tensor<2x16x128xf32>, %qr: tensor<2x8x64xf32>, %c: tensor<2x?x576xf32>, %w: tensor<4096x512xf32>, %m: tensor<2x1x?xf32>) -> tensor<2x16x128xf32> {
  // expected-error @+1 {{q_rope [2, 8, 64] must have the batch and heads of q_nope [2, 16, 128]}}
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.1147 : f64}
      : (tensor<2x16x128xf32>, tensor<2x8x64xf32>, tensor<2x?x576xf32>, tensor<4096x512xf32>, tensor<2x1x?xf32>) -> tensor<2x16x128xf32>
  return %o : tensor<2x16x128xf32>
}

// -----

func.func @cache_batch(%qn: tensor<2x16x128xf32>, %qr: tensor<2x16x64xf32>, %c: tensor<3x?x576xf32>, %w: tensor<4096x512xf32>, %m: tensor<2x1x?xf32>) -> tensor<2x16x128xf32> {
  // expected-error @+1 {{latent_cache has batch 3 but q_nope has 2}}
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.1147 : f64}
      : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<3x?x576xf32>, tensor<4096x512xf32>, tensor<2x1x?xf32>) -> tensor<2x16x128xf32>
  return %o : tensor<2x16x128xf32>
}

// -----

func.func @cache_width(%qn: tensor<2x16x128xf32>, %qr: tensor<2x16x64xf32>, %c: tensor<2x?x512xf32>, %w: tensor<4096x512xf32>, %m: tensor<2x1x?xf32>) -> tensor<2x16x128xf32> {
  // expected-error @+1 {{latent_cache's last dimension must be L + R = 512 + 64 (kv_b's columns, q_rope's width), got 512}}
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.1147 : f64}
      : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<2x?x512xf32>, tensor<4096x512xf32>, tensor<2x1x?xf32>) -> tensor<2x16x128xf32>
  return %o : tensor<2x16x128xf32>
}

// -----

func.func @kvb_rows(%qn: tensor<2x16x128xf32>, %qr: tensor<2x16x64xf32>, %c: tensor<2x?x576xf32>, %w: tensor<2048x512xf32>, %m: tensor<2x1x?xf32>) -> tensor<2x16x128xf32> {
  // expected-error @+1 {{kv_b's 2048 rows must be 16 heads of N = 128 key rows and at least one value row}}
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.1147 : f64}
      : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<2x?x576xf32>, tensor<2048x512xf32>, tensor<2x1x?xf32>) -> tensor<2x16x128xf32>
  return %o : tensor<2x16x128xf32>
}

// -----

func.func @mask(%qn: tensor<2x16x128xf32>, %qr: tensor<2x16x64xf32>, %c: tensor<2x8x576xf32>, %w: tensor<4096x512xf32>, %m: tensor<2x16x7xf32>) -> tensor<2x16x128xf32> {
  // expected-error @+1 {{mask [2, 16, 7] does not broadcast to [2, 16, 8] ([B, H, S])}}
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.1147 : f64}
      : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<2x8x576xf32>, tensor<4096x512xf32>, tensor<2x16x7xf32>) -> tensor<2x16x128xf32>
  return %o : tensor<2x16x128xf32>
}

// -----

func.func @scale(%qn: tensor<2x16x128xf32>, %qr: tensor<2x16x64xf32>, %c: tensor<2x?x576xf32>, %w: tensor<4096x512xf32>, %m: tensor<2x1x?xf32>) -> tensor<2x16x128xf32> {
  // expected-error @+1 {{scale must be positive and finite}}
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.0 : f64}
      : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<2x?x576xf32>, tensor<4096x512xf32>, tensor<2x1x?xf32>) -> tensor<2x16x128xf32>
  return %o : tensor<2x16x128xf32>
}

// -----

// CHECK-LABEL: func.func @bf16_cache
// CHECK: tern.mla_attention {{.*}} : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<2x?x576xbf16>, tensor<4096x512xf32>, tensor<2x1x?xf32>) -> tensor<2x16x128xf32>
func.func @bf16_cache(%qn: tensor<2x16x128xf32>, %qr: tensor<2x16x64xf32>, %c: tensor<2x?x576xbf16>, %w: tensor<4096x512xf32>, %m: tensor<2x1x?xf32>) -> tensor<2x16x128xf32> {
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.1147 : f64}
      : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<2x?x576xbf16>, tensor<4096x512xf32>, tensor<2x1x?xf32>) -> tensor<2x16x128xf32>
  return %o : tensor<2x16x128xf32>
}

// -----

// Decoding: each query's last visible position instead of a mask, and a
// paged cache: a pool of 256 blocks of 64 positions, 32 blocks per sequence
// (S = 2048), masked too.
// CHECK-LABEL: func.func @paged
// CHECK: tern.mla_attention %arg0, %arg1, %arg2, %arg3 last_positions %arg4 blocks %arg5 {scale = 1.147000e-01 : f64} : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<256x64x576xbf16>, tensor<4096x512xf32>, tensor<2xi64>, tensor<2x32xi32>) -> tensor<2x16x128xf32>
// CHECK: tern.mla_attention %arg0, %arg1, %arg2, %arg3, %arg6 last_positions %arg4 blocks %arg5
func.func @paged(%qn: tensor<2x16x128xf32>, %qr: tensor<2x16x64xf32>, %c: tensor<256x64x576xbf16>, %w: tensor<4096x512xf32>, %p: tensor<2xi64>, %t: tensor<2x32xi32>, %m: tensor<2x1x2048xf32>) -> (tensor<2x16x128xf32>, tensor<2x16x128xf32>) {
  %o = tern.mla_attention %qn, %qr, %c, %w last_positions %p blocks %t {scale = 0.1147 : f64}
      : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<256x64x576xbf16>, tensor<4096x512xf32>, tensor<2xi64>, tensor<2x32xi32>) -> tensor<2x16x128xf32>
  %o2 = tern.mla_attention %qn, %qr, %c, %w, %m last_positions %p blocks %t {scale = 0.1147 : f64}
      : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<256x64x576xbf16>, tensor<4096x512xf32>, tensor<2x1x2048xf32>, tensor<2xi64>, tensor<2x32xi32>) -> tensor<2x16x128xf32>
  return %o, %o2 : tensor<2x16x128xf32>, tensor<2x16x128xf32>
}

// -----

func.func @paged_mask(%qn: tensor<2x16x128xf32>, %qr: tensor<2x16x64xf32>, %c: tensor<256x64x576xf32>, %w: tensor<4096x512xf32>, %t: tensor<2x32xi32>, %m: tensor<2x1x64xf32>) -> tensor<2x16x128xf32> {
  // expected-error @+1 {{mask [2, 1, 64] does not broadcast to [2, 16, 2048] ([B, H, S])}}
  %o = tern.mla_attention %qn, %qr, %c, %w, %m blocks %t {scale = 0.1147 : f64}
      : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<256x64x576xf32>, tensor<4096x512xf32>, tensor<2x1x64xf32>, tensor<2x32xi32>) -> tensor<2x16x128xf32>
  return %o : tensor<2x16x128xf32>
}

// -----

func.func @block_table(%qn: tensor<2x16x128xf32>, %qr: tensor<2x16x64xf32>, %c: tensor<256x64x576xf32>, %w: tensor<4096x512xf32>, %t: tensor<64xi64>) -> tensor<2x16x128xf32> {
  // expected-error @+1 {{block_table [64] must be [B, blocks per sequence] with B = 2}}
  %o = tern.mla_attention %qn, %qr, %c, %w blocks %t {scale = 0.1147 : f64}
      : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<256x64x576xf32>, tensor<4096x512xf32>, tensor<64xi64>) -> tensor<2x16x128xf32>
  return %o : tensor<2x16x128xf32>
}

// -----

func.func @last_positions(%qn: tensor<2x16x128xf32>, %qr: tensor<2x16x64xf32>, %c: tensor<2x8x576xf32>, %w: tensor<4096x512xf32>, %p: tensor<2x1xi64>) -> tensor<2x16x128xf32> {
  // expected-error @+1 {{last_positions [2, 1] must be [B] with B = 2}}
  %o = tern.mla_attention %qn, %qr, %c, %w last_positions %p {scale = 0.1147 : f64}
      : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<2x8x576xf32>, tensor<4096x512xf32>, tensor<2x1xi64>) -> tensor<2x16x128xf32>
  return %o : tensor<2x16x128xf32>
}

// -----

func.func @mask_type(%qn: tensor<2x16x128xf32>, %qr: tensor<2x16x64xf32>, %c: tensor<2x8x576xf32>, %w: tensor<4096x512xf32>, %m: tensor<2x1x8xbf16>) -> tensor<2x16x128xf32> {
  // expected-error @+1 {{mask has element type 'bf16' but the queries have 'f32'}}
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.1147 : f64}
      : (tensor<2x16x128xf32>, tensor<2x16x64xf32>, tensor<2x8x576xf32>, tensor<4096x512xf32>, tensor<2x1x8xbf16>) -> tensor<2x16x128xf32>
  return %o : tensor<2x16x128xf32>
}
