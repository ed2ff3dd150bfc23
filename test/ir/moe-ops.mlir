// RUN: tern-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// tern.moe_route and tern.moe_experts round-trip with every attribute, and
// their verifiers name what is wrong.

// CHECK-LABEL: func.func @route_v3
// CHECK: tern.moe_route %arg0, %arg1 {group_score = "top2_sum", k = 2 : i64, n_group = 4 : i64, norm_epsilon = 9.9999999999999995E-21 : f64, normalize = true, scaling = 2.500000e+00 : f64, scoring = "sigmoid", topk_group = 2 : i64} : (tensor<4x8xf32>, tensor<8xf32>) -> (tensor<4x2xi64>, tensor<4x2xf32>)
func.func @route_v3(%logits: tensor<4x8xf32>, %bias: tensor<8xf32>) -> (tensor<4x2xi64>, tensor<4x2xf32>) {
  %idx, %w = tern.moe_route %logits, %bias {scoring = "sigmoid", k = 2 : i64, n_group = 4 : i64,
      topk_group = 2 : i64, group_score = "top2_sum", normalize = true,
      norm_epsilon = 1.0e-20 : f64, scaling = 2.5 : f64}
      : (tensor<4x8xf32>, tensor<8xf32>) -> (tensor<4x2xi64>, tensor<4x2xf32>)
  return %idx, %w : tensor<4x2xi64>, tensor<4x2xf32>
}

// CHECK-LABEL: func.func @route_v2
// CHECK: tern.moe_route %arg0 {k = 3 : i64, scoring = "softmax"} : (tensor<4x8xf32>) -> (tensor<4x3xi64>, tensor<4x3xf32>)
func.func @route_v2(%logits: tensor<4x8xf32>) -> (tensor<4x3xi64>, tensor<4x3xf32>) {
  %idx, %w = tern.moe_route %logits {scoring = "softmax", k = 3 : i64}
      : (tensor<4x8xf32>) -> (tensor<4x3xi64>, tensor<4x3xf32>)
  return %idx, %w : tensor<4x3xi64>, tensor<4x3xf32>
}

// CHECK-LABEL: func.func @experts
// CHECK: tern.moe_experts %arg0, %arg1, %arg2 gate(%arg3, %arg3) up(%arg4, %arg4) down(%arg5, %arg5) : (tensor<4x64xf32>, tensor<4x1xi64>, tensor<4x1xf32>, tensor<32x64xbf16>, tensor<32x64xbf16>, tensor<32x64xbf16>, tensor<32x64xbf16>, tensor<64x32xbf16>, tensor<64x32xbf16>) -> tensor<4x64xf32>
func.func @experts(%x: tensor<4x64xf32>, %idx: tensor<4x1xi64>, %w: tensor<4x1xf32>,
                   %g: tensor<32x64xbf16>, %u: tensor<32x64xbf16>, %d: tensor<64x32xbf16>) -> tensor<4x64xf32> {
  %y = tern.moe_experts %x, %idx, %w gate(%g, %g) up(%u, %u) down(%d, %d)
      : (tensor<4x64xf32>, tensor<4x1xi64>, tensor<4x1xf32>, tensor<32x64xbf16>, tensor<32x64xbf16>,
         tensor<32x64xbf16>, tensor<32x64xbf16>, tensor<64x32xbf16>, tensor<64x32xbf16>) -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// Block-quantized experts: FP8 weights with one scale per 128x128 block (a
// partial block at the edge of 136 and 160).
// CHECK-LABEL: func.func @experts_fp8
// CHECK: tern.moe_experts %arg0, %arg1, %arg2 gate(%arg3) up(%arg3) down(%arg4) scales gate(%arg5) up(%arg5) down(%arg5) {block_size = array<i64: 128, 128>} : (tensor<4x160xf32>, tensor<4x2xi64>, tensor<4x2xf32>, tensor<136x160xf8E4M3FN>, tensor<136x160xf8E4M3FN>, tensor<160x136xf8E4M3FN>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<4x160xf32>
func.func @experts_fp8(%x: tensor<4x160xf32>, %idx: tensor<4x2xi64>, %w: tensor<4x2xf32>,
                       %q: tensor<136x160xf8E4M3FN>, %p: tensor<160x136xf8E4M3FN>,
                       %s: tensor<2x2xf32>) -> tensor<4x160xf32> {
  %y = tern.moe_experts %x, %idx, %w gate(%q) up(%q) down(%p) scales gate(%s) up(%s) down(%s)
      {block_size = array<i64: 128, 128>}
      : (tensor<4x160xf32>, tensor<4x2xi64>, tensor<4x2xf32>, tensor<136x160xf8E4M3FN>,
         tensor<136x160xf8E4M3FN>, tensor<160x136xf8E4M3FN>, tensor<2x2xf32>, tensor<2x2xf32>,
         tensor<2x2xf32>) -> tensor<4x160xf32>
  return %y : tensor<4x160xf32>
}

// FP8 activations: each projection's input quantized in 1x128 blocks.
// CHECK-LABEL: func.func @experts_fp8_activations
// CHECK: {activation_block = 128 : i64, block_size = array<i64: 128, 128>}
func.func @experts_fp8_activations(%x: tensor<4x256xf32>, %idx: tensor<4x2xi64>, %w: tensor<4x2xf32>,
                                   %q: tensor<128x256xf8E4M3FN>, %p: tensor<256x128xf8E4M3FN>,
                                   %s: tensor<1x2xf32>, %t: tensor<2x1xf32>) -> tensor<4x256xf32> {
  %y = tern.moe_experts %x, %idx, %w gate(%q) up(%q) down(%p) scales gate(%s) up(%s) down(%t)
      {activation_block = 128 : i64, block_size = array<i64: 128, 128>}
      : (tensor<4x256xf32>, tensor<4x2xi64>, tensor<4x2xf32>, tensor<128x256xf8E4M3FN>,
         tensor<128x256xf8E4M3FN>, tensor<256x128xf8E4M3FN>, tensor<1x2xf32>, tensor<1x2xf32>,
         tensor<2x1xf32>) -> tensor<4x256xf32>
  return %y : tensor<4x256xf32>
}

// -----

func.func @route_bad_scoring(%logits: tensor<4x8xf32>) {
  // expected-error @+1 {{scoring must be "softmax" or "sigmoid", got "relu"}}
  %idx, %w = tern.moe_route %logits {scoring = "relu", k = 2 : i64}
      : (tensor<4x8xf32>) -> (tensor<4x2xi64>, tensor<4x2xf32>)
  return
}

// -----

func.func @route_k_over_experts(%logits: tensor<4x8xf32>) {
  // expected-error @+1 {{k (9) exceeds the 8 experts the kept groups hold}}
  %idx, %w = tern.moe_route %logits {scoring = "softmax", k = 9 : i64}
      : (tensor<4x8xf32>) -> (tensor<4x9xi64>, tensor<4x9xf32>)
  return
}

// -----

func.func @route_k_over_kept_groups(%logits: tensor<4x8xf32>) {
  // expected-error @+1 {{k (5) exceeds the 4 experts the kept groups hold}}
  %idx, %w = tern.moe_route %logits {scoring = "softmax", k = 5 : i64, n_group = 4 : i64, topk_group = 2 : i64}
      : (tensor<4x8xf32>) -> (tensor<4x5xi64>, tensor<4x5xf32>)
  return
}

// -----

func.func @route_groups_not_dividing(%logits: tensor<4x8xf32>) {
  // expected-error @+1 {{n_group (3) does not divide the 8 experts}}
  %idx, %w = tern.moe_route %logits {scoring = "softmax", k = 2 : i64, n_group = 3 : i64}
      : (tensor<4x8xf32>) -> (tensor<4x2xi64>, tensor<4x2xf32>)
  return
}

// -----

func.func @route_topk_group_over_groups(%logits: tensor<4x8xf32>) {
  // expected-error @+1 {{topk_group (5) must be between 1 and n_group (4)}}
  %idx, %w = tern.moe_route %logits {scoring = "softmax", k = 2 : i64, n_group = 4 : i64, topk_group = 5 : i64}
      : (tensor<4x8xf32>) -> (tensor<4x2xi64>, tensor<4x2xf32>)
  return
}

// -----

func.func @route_bias_shape(%logits: tensor<4x8xf32>, %bias: tensor<4xf32>) {
  // expected-error @+1 {{correction_bias must have shape [8] (one per expert), got [4]}}
  %idx, %w = tern.moe_route %logits, %bias {scoring = "sigmoid", k = 2 : i64}
      : (tensor<4x8xf32>, tensor<4xf32>) -> (tensor<4x2xi64>, tensor<4x2xf32>)
  return
}

// -----

func.func @route_top2_sum_single_expert_groups(%logits: tensor<4x8xf32>) {
  // expected-error @+1 {{group_score "top2_sum" needs at least 2 experts per group, got 1}}
  %idx, %w = tern.moe_route %logits {scoring = "sigmoid", k = 2 : i64, n_group = 8 : i64, topk_group = 4 : i64, group_score = "top2_sum"}
      : (tensor<4x8xf32>) -> (tensor<4x2xi64>, tensor<4x2xf32>)
  return
}

// -----

func.func @route_result_shape(%logits: tensor<4x8xf32>) {
  // expected-error @+1 {{result #0 type 'tensor<4x3xi64>' is incompatible with the inferred type 'tensor<4x2xi64>'}}
  %idx, %w = tern.moe_route %logits {scoring = "softmax", k = 2 : i64}
      : (tensor<4x8xf32>) -> (tensor<4x3xi64>, tensor<4x2xf32>)
  return
}

// -----

func.func @experts_count_mismatch(%x: tensor<4x64xf32>, %idx: tensor<4x1xi64>, %w: tensor<4x1xf32>,
                                  %g: tensor<32x64xbf16>, %d: tensor<64x32xbf16>) {
  // expected-error @+1 {{needs one gate, up and down weight per expert, got 2, 1 and 2}}
  %y = tern.moe_experts %x, %idx, %w gate(%g, %g) up(%g) down(%d, %d)
      : (tensor<4x64xf32>, tensor<4x1xi64>, tensor<4x1xf32>, tensor<32x64xbf16>, tensor<32x64xbf16>,
         tensor<32x64xbf16>, tensor<64x32xbf16>, tensor<64x32xbf16>) -> tensor<4x64xf32>
  return
}

// -----

func.func @experts_down_shape(%x: tensor<4x64xf32>, %idx: tensor<4x1xi64>, %w: tensor<4x1xf32>,
                              %g: tensor<32x64xbf16>, %d: tensor<32x64xbf16>) {
  // expected-error @+1 {{down weight 0 must have shape [64, 32], got [32, 64]}}
  %y = tern.moe_experts %x, %idx, %w gate(%g) up(%g) down(%d)
      : (tensor<4x64xf32>, tensor<4x1xi64>, tensor<4x1xf32>, tensor<32x64xbf16>, tensor<32x64xbf16>,
         tensor<32x64xbf16>) -> tensor<4x64xf32>
  return
}

// -----

func.func @experts_weights_shape(%x: tensor<4x64xf32>, %idx: tensor<4x2xi64>, %w: tensor<4x1xf32>,
                                 %g: tensor<32x64xbf16>, %d: tensor<64x32xbf16>) {
  // expected-error @+1 {{weights shape [4, 1] differs from indices shape [4, 2]}}
  %y = tern.moe_experts %x, %idx, %w gate(%g) up(%g) down(%d)
      : (tensor<4x64xf32>, tensor<4x2xi64>, tensor<4x1xf32>, tensor<32x64xbf16>, tensor<32x64xbf16>,
         tensor<64x32xbf16>) -> tensor<4x64xf32>
  return
}

// -----

func.func @experts_gate_hidden(%x: tensor<4x64xf32>, %idx: tensor<4x1xi64>, %w: tensor<4x1xf32>,
                               %g: tensor<32x48xbf16>, %d: tensor<48x32xbf16>) {
  // expected-error @+1 {{gate weight 0 must have shape [inter, 64], got [32, 48]}}
  %y = tern.moe_experts %x, %idx, %w gate(%g) up(%g) down(%d)
      : (tensor<4x64xf32>, tensor<4x1xi64>, tensor<4x1xf32>, tensor<32x48xbf16>, tensor<32x48xbf16>,
         tensor<48x32xbf16>) -> tensor<4x64xf32>
  return
}

// -----

func.func @experts_quantized_without_scales(%x: tensor<4x64xf32>, %idx: tensor<4x1xi64>, %w: tensor<4x1xf32>,
                                            %g: tensor<32x64xf8E4M3FN>, %d: tensor<64x32xf8E4M3FN>) {
  // expected-error @+1 {{quantized weights ('f8E4M3FN') need block scales and block_size}}
  %y = tern.moe_experts %x, %idx, %w gate(%g) up(%g) down(%d)
      : (tensor<4x64xf32>, tensor<4x1xi64>, tensor<4x1xf32>, tensor<32x64xf8E4M3FN>, tensor<32x64xf8E4M3FN>,
         tensor<64x32xf8E4M3FN>) -> tensor<4x64xf32>
  return
}

// -----

func.func @experts_activation_block_without_scales(%x: tensor<4x128xf32>, %idx: tensor<4x1xi64>, %w: tensor<4x1xf32>,
                                                   %g: tensor<128x128xbf16>) {
  // expected-error @+1 {{activation_block quantizes the inputs of block-scaled products; the weights have no block_size}}
  %y = tern.moe_experts %x, %idx, %w gate(%g) up(%g) down(%g) {activation_block = 128 : i64}
      : (tensor<4x128xf32>, tensor<4x1xi64>, tensor<4x1xf32>, tensor<128x128xbf16>, tensor<128x128xbf16>,
         tensor<128x128xbf16>) -> tensor<4x128xf32>
  return
}

// -----

func.func @experts_activation_block_extent(%x: tensor<4x256xf32>, %idx: tensor<4x2xi64>, %w: tensor<4x2xf32>,
                                           %q: tensor<128x256xf8E4M3FN>, %p: tensor<256x128xf8E4M3FN>,
                                           %s: tensor<1x2xf32>, %t: tensor<2x1xf32>) {
  // expected-error @+1 {{activation_block must be the weights' block extent along the contracted dimension (128), got 64}}
  %y = tern.moe_experts %x, %idx, %w gate(%q) up(%q) down(%p) scales gate(%s) up(%s) down(%t)
      {activation_block = 64 : i64, block_size = array<i64: 128, 128>}
      : (tensor<4x256xf32>, tensor<4x2xi64>, tensor<4x2xf32>, tensor<128x256xf8E4M3FN>,
         tensor<128x256xf8E4M3FN>, tensor<256x128xf8E4M3FN>, tensor<1x2xf32>, tensor<1x2xf32>,
         tensor<2x1xf32>) -> tensor<4x256xf32>
  return
}

// -----

func.func @experts_activation_block_divides(%x: tensor<4x160xf32>, %idx: tensor<4x2xi64>, %w: tensor<4x2xf32>,
                                            %q: tensor<136x160xf8E4M3FN>, %p: tensor<160x136xf8E4M3FN>,
                                            %s: tensor<2x2xf32>) {
  // expected-error @+1 {{activation_block 128 must divide the hidden (160) and intermediate (136) sizes}}
  %y = tern.moe_experts %x, %idx, %w gate(%q) up(%q) down(%p) scales gate(%s) up(%s) down(%s)
      {activation_block = 128 : i64, block_size = array<i64: 128, 128>}
      : (tensor<4x160xf32>, tensor<4x2xi64>, tensor<4x2xf32>, tensor<136x160xf8E4M3FN>,
         tensor<136x160xf8E4M3FN>, tensor<160x136xf8E4M3FN>, tensor<2x2xf32>, tensor<2x2xf32>,
         tensor<2x2xf32>) -> tensor<4x160xf32>
  return
}

// -----

func.func @experts_scales_without_block_size(%x: tensor<4x64xf32>, %idx: tensor<4x1xi64>, %w: tensor<4x1xf32>,
                                             %g: tensor<32x64xf8E4M3FN>, %d: tensor<64x32xf8E4M3FN>,
                                             %s: tensor<1x1xf32>) {
  // expected-error @+1 {{scales need block_size}}
  %y = tern.moe_experts %x, %idx, %w gate(%g) up(%g) down(%d) scales gate(%s) up(%s) down(%s)
      : (tensor<4x64xf32>, tensor<4x1xi64>, tensor<4x1xf32>, tensor<32x64xf8E4M3FN>, tensor<32x64xf8E4M3FN>,
         tensor<64x32xf8E4M3FN>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>) -> tensor<4x64xf32>
  return
}

// -----

func.func @experts_bad_block_size(%x: tensor<4x64xf32>, %idx: tensor<4x1xi64>, %w: tensor<4x1xf32>,
                                  %g: tensor<32x64xf8E4M3FN>, %d: tensor<64x32xf8E4M3FN>,
                                  %s: tensor<1x1xf32>) {
  // expected-error @+1 {{block_size must be two positive extents [rows, cols], got [128, 0]}}
  %y = tern.moe_experts %x, %idx, %w gate(%g) up(%g) down(%d) scales gate(%s) up(%s) down(%s)
      {block_size = array<i64: 128, 0>}
      : (tensor<4x64xf32>, tensor<4x1xi64>, tensor<4x1xf32>, tensor<32x64xf8E4M3FN>, tensor<32x64xf8E4M3FN>,
         tensor<64x32xf8E4M3FN>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>) -> tensor<4x64xf32>
  return
}

// -----

func.func @experts_scale_count(%x: tensor<4x64xf32>, %idx: tensor<4x1xi64>, %w: tensor<4x1xf32>,
                               %g: tensor<32x64xf8E4M3FN>, %d: tensor<64x32xf8E4M3FN>,
                               %s: tensor<1x1xf32>) {
  // expected-error @+1 {{needs one gate, up and down scale per expert (1), got 1, 2 and 1}}
  %y = tern.moe_experts %x, %idx, %w gate(%g) up(%g) down(%d) scales gate(%s) up(%s, %s) down(%s)
      {block_size = array<i64: 128, 128>}
      : (tensor<4x64xf32>, tensor<4x1xi64>, tensor<4x1xf32>, tensor<32x64xf8E4M3FN>, tensor<32x64xf8E4M3FN>,
         tensor<64x32xf8E4M3FN>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>,
         tensor<1x1xf32>) -> tensor<4x64xf32>
  return
}

// -----

func.func @experts_scales_on_wide_weights(%x: tensor<4x64xf32>, %idx: tensor<4x1xi64>, %w: tensor<4x1xf32>,
                                          %g: tensor<32x64xbf16>, %d: tensor<64x32xbf16>,
                                          %s: tensor<1x1xf32>) {
  // expected-error @+1 {{gate weight 0 has block scales but is not quantized ('bf16')}}
  %y = tern.moe_experts %x, %idx, %w gate(%g) up(%g) down(%d) scales gate(%s) up(%s) down(%s)
      {block_size = array<i64: 128, 128>}
      : (tensor<4x64xf32>, tensor<4x1xi64>, tensor<4x1xf32>, tensor<32x64xbf16>, tensor<32x64xbf16>,
         tensor<64x32xbf16>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>) -> tensor<4x64xf32>
  return
}

// -----

func.func @experts_scale_element(%x: tensor<4x64xf32>, %idx: tensor<4x1xi64>, %w: tensor<4x1xf32>,
                                 %g: tensor<32x64xf8E4M3FN>, %d: tensor<64x32xf8E4M3FN>,
                                 %s: tensor<1x1xf32>, %t: tensor<1x1xbf16>) {
  // expected-error @+1 {{down scale 0 must have the element type of hidden ('f32'), got 'bf16'}}
  %y = tern.moe_experts %x, %idx, %w gate(%g) up(%g) down(%d) scales gate(%s) up(%s) down(%t)
      {block_size = array<i64: 128, 128>}
      : (tensor<4x64xf32>, tensor<4x1xi64>, tensor<4x1xf32>, tensor<32x64xf8E4M3FN>, tensor<32x64xf8E4M3FN>,
         tensor<64x32xf8E4M3FN>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xbf16>) -> tensor<4x64xf32>
  return
}

// -----

func.func @experts_scale_shape(%x: tensor<4x160xf32>, %idx: tensor<4x1xi64>, %w: tensor<4x1xf32>,
                               %g: tensor<136x160xf8E4M3FN>, %d: tensor<160x136xf8E4M3FN>,
                               %s: tensor<2x2xf32>, %t: tensor<1x2xf32>) {
  // expected-error @+1 {{up scale 0 must have shape [2, 2] (a [136, 160] weight in 128x128 blocks), got [1, 2]}}
  %y = tern.moe_experts %x, %idx, %w gate(%g) up(%g) down(%d) scales gate(%s) up(%t) down(%s)
      {block_size = array<i64: 128, 128>}
      : (tensor<4x160xf32>, tensor<4x1xi64>, tensor<4x1xf32>, tensor<136x160xf8E4M3FN>,
         tensor<136x160xf8E4M3FN>, tensor<160x136xf8E4M3FN>, tensor<2x2xf32>, tensor<1x2xf32>,
         tensor<2x2xf32>) -> tensor<4x160xf32>
  return
}
