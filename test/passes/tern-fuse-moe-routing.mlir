// RUN: tern-opt %s -split-input-file -tern-fuse-moe-routing | FileCheck %s

// tern-fuse-moe-routing on routers written as the reference code computes
// them (8 experts in 4 groups, 4 tokens), and near-misses it must leave
// alone: each differs from DeepSeek-V3's noaux_tc router in one step.

// DeepSeek-V3's router, as the importer writes it (fixtures: tern-fuse-moe-routing-fixtures.test).
// CHECK-LABEL: func.func @noaux_tc
// CHECK: %[[IDX:.*]], %[[W:.*]] = tern.moe_route %arg0, %arg1 {dropped_fill = 0xFFF0000000000000 : f64, group_score = "top2_sum", k = 2 : i64, n_group = 4 : i64, norm_epsilon = {{.*}} : f64, normalize = true, scaling = 2.500000e+00 : f64, scoring = "sigmoid", topk_group = 2 : i64}
// CHECK-NOT: tern.topk
// CHECK: tern.scatter_elements %{{.*}}, %[[IDX]], %[[W]]
func.func @noaux_tc(%logits: tensor<4x8xf32>, %bias: tensor<8xf32>) -> tensor<4x8xf32> {
  %zeros_e = tern.constant dense<0.0> : tensor<4x8xf32>
  %scale = tern.constant dense<2.5> : tensor<f32>
  %eps = tern.constant dense<1.0e-20> : tensor<f32>
  %half = tern.constant dense<0.5> : tensor<f32>
  %zeros_g = tern.constant dense<0.0> : tensor<4x4xf32>
  %ones = tern.constant dense<1.0> : tensor<4x2xf32>
  %ninf = tern.constant dense<0xFF800000> : tensor<f32>
  %scores = tern.sigmoid %logits : tensor<4x8xf32>
  %choice = tern.add %scores, %bias : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %grouped = tern.reshape %choice : (tensor<4x8xf32>) -> tensor<4x4x2xf32>
  %best, %best_i = tern.topk %grouped {axis = 2 : i64, k = 2 : i64} : tensor<4x4x2xf32> -> tensor<4x4x2xf32>, tensor<4x4x2xi64>
  %gscore = tern.reduce_sum %best {axes = array<i64: 2>, keepdims = false} : tensor<4x4x2xf32> -> tensor<4x4xf32>
  %gv, %gi = tern.topk %gscore {axis = 1 : i64, k = 2 : i64} : tensor<4x4xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %gmask = tern.scatter_elements %zeros_g, %gi, %ones {axis = 1 : i64} : (tensor<4x4xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x4xf32>
  %gmask3 = tern.reshape %gmask : (tensor<4x4xf32>) -> tensor<4x4x1xf32>
  %emask3 = tern.expand %gmask3 : (tensor<4x4x1xf32>) -> tensor<4x4x2xf32>
  %emask = tern.reshape %emask3 : (tensor<4x4x2xf32>) -> tensor<4x8xf32>
  %allowed = tern.gt %emask, %half : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xi1>
  %masked = tern.where %allowed, %choice, %ninf : (tensor<4x8xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v, %idx = tern.topk %masked {axis = 1 : i64, k = 2 : i64} : tensor<4x8xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %w0 = tern.gather_elements %scores, %idx {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
  %sum = tern.reduce_sum %w0 {axes = array<i64: 1>} : tensor<4x2xf32> -> tensor<4x1xf32>
  %sum_eps = tern.add %sum, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %w1 = tern.div %w0, %sum_eps : (tensor<4x2xf32>, tensor<4x1xf32>) -> tensor<4x2xf32>
  %w2 = tern.mul %w1, %scale : (tensor<4x2xf32>, tensor<f32>) -> tensor<4x2xf32>
  %shares = tern.scatter_elements %zeros_e, %idx, %w2 {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  return %shares : tensor<4x8xf32>
}

// -----

// DeepSeek-V2's group_limited_greedy: groups scored by their best, the
// others' scores masked to 0, the weights from the masked scores.
// CHECK-LABEL: func.func @group_limited_greedy
// CHECK: %[[IDX:.*]], %[[W:.*]] = tern.moe_route %arg0 {k = 3 : i64, masked_weights = true, n_group = 4 : i64, scoring = "softmax", topk_group = 2 : i64}
// CHECK: tern.scatter_elements %{{.*}}, %[[IDX]], %[[W]]
func.func @group_limited_greedy(%logits: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %zeros_e = tern.constant dense<0.0> : tensor<4x8xf32>
  %one = tern.constant dense<1.0> : tensor<f32>
  %half = tern.constant dense<0.5> : tensor<f32>
  %zero = tern.constant dense<0.0> : tensor<f32>
  %zeros_g = tern.constant dense<0.0> : tensor<4x4xf32>
  %ones = tern.constant dense<1.0> : tensor<4x2xf32>
  %scores = tern.softmax %logits {axis = 1 : i64} : tensor<4x8xf32>
  %grouped = tern.reshape %scores : (tensor<4x8xf32>) -> tensor<4x4x2xf32>
  %gscore = tern.reduce_max %grouped {axes = array<i64: 2>, keepdims = false} : tensor<4x4x2xf32> -> tensor<4x4xf32>
  %gv, %gi = tern.topk %gscore {axis = 1 : i64, k = 2 : i64} : tensor<4x4xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %gmask = tern.scatter_elements %zeros_g, %gi, %ones {axis = 1 : i64} : (tensor<4x4xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x4xf32>
  %gmask3 = tern.reshape %gmask : (tensor<4x4xf32>) -> tensor<4x4x1xf32>
  %emask3 = tern.expand %gmask3 : (tensor<4x4x1xf32>) -> tensor<4x4x2xf32>
  %emask = tern.reshape %emask3 : (tensor<4x4x2xf32>) -> tensor<4x8xf32>
  %allowed = tern.gt %emask, %half : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xi1>
  %masked = tern.where %allowed, %scores, %zero : (tensor<4x8xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v, %idx = tern.topk %masked {axis = 1 : i64, k = 3 : i64} : tensor<4x8xf32> -> tensor<4x3xf32>, tensor<4x3xi64>
  %w = tern.mul %v, %one : (tensor<4x3xf32>, tensor<f32>) -> tensor<4x3xf32>
  %shares = tern.scatter_elements %zeros_e, %idx, %w {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x3xi64>, tensor<4x3xf32>) -> tensor<4x8xf32>
  return %shares : tensor<4x8xf32>
}

// -----

// The group score sums each group's best one, not its best two.
// CHECK-LABEL: func.func @group_top1_sum
// CHECK-NOT: tern.moe_route
// CHECK: return
func.func @group_top1_sum(%logits: tensor<4x8xf32>, %bias: tensor<8xf32>) -> tensor<4x8xf32> {
  %zeros_e = tern.constant dense<0.0> : tensor<4x8xf32>
  %scale = tern.constant dense<2.5> : tensor<f32>
  %eps = tern.constant dense<1.0e-20> : tensor<f32>
  %half = tern.constant dense<0.5> : tensor<f32>
  %zeros_g = tern.constant dense<0.0> : tensor<4x4xf32>
  %ones = tern.constant dense<1.0> : tensor<4x2xf32>
  %ninf = tern.constant dense<0xFF800000> : tensor<f32>
  %scores = tern.sigmoid %logits : tensor<4x8xf32>
  %choice = tern.add %scores, %bias : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %grouped = tern.reshape %choice : (tensor<4x8xf32>) -> tensor<4x4x2xf32>
  %best, %best_i = tern.topk %grouped {axis = 2 : i64, k = 1 : i64} : tensor<4x4x2xf32> -> tensor<4x4x1xf32>, tensor<4x4x1xi64>
  %gscore = tern.reduce_sum %best {axes = array<i64: 2>, keepdims = false} : tensor<4x4x1xf32> -> tensor<4x4xf32>
  %gv, %gi = tern.topk %gscore {axis = 1 : i64, k = 2 : i64} : tensor<4x4xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %gmask = tern.scatter_elements %zeros_g, %gi, %ones {axis = 1 : i64} : (tensor<4x4xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x4xf32>
  %gmask3 = tern.reshape %gmask : (tensor<4x4xf32>) -> tensor<4x4x1xf32>
  %emask3 = tern.expand %gmask3 : (tensor<4x4x1xf32>) -> tensor<4x4x2xf32>
  %emask = tern.reshape %emask3 : (tensor<4x4x2xf32>) -> tensor<4x8xf32>
  %allowed = tern.gt %emask, %half : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xi1>
  %masked = tern.where %allowed, %choice, %ninf : (tensor<4x8xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v, %idx = tern.topk %masked {axis = 1 : i64, k = 2 : i64} : tensor<4x8xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %w0 = tern.gather_elements %scores, %idx {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
  %sum = tern.reduce_sum %w0 {axes = array<i64: 1>} : tensor<4x2xf32> -> tensor<4x1xf32>
  %sum_eps = tern.add %sum, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %w1 = tern.div %w0, %sum_eps : (tensor<4x2xf32>, tensor<4x1xf32>) -> tensor<4x2xf32>
  %w2 = tern.mul %w1, %scale : (tensor<4x2xf32>, tensor<f32>) -> tensor<4x2xf32>
  %shares = tern.scatter_elements %zeros_e, %idx, %w2 {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  return %shares : tensor<4x8xf32>
}

// -----

// The weights are gathered from the bias-corrected scores.
// CHECK-LABEL: func.func @bias_in_weights
// CHECK-NOT: tern.moe_route
// CHECK: return
func.func @bias_in_weights(%logits: tensor<4x8xf32>, %bias: tensor<8xf32>) -> tensor<4x8xf32> {
  %zeros_e = tern.constant dense<0.0> : tensor<4x8xf32>
  %scale = tern.constant dense<2.5> : tensor<f32>
  %eps = tern.constant dense<1.0e-20> : tensor<f32>
  %half = tern.constant dense<0.5> : tensor<f32>
  %zeros_g = tern.constant dense<0.0> : tensor<4x4xf32>
  %ones = tern.constant dense<1.0> : tensor<4x2xf32>
  %ninf = tern.constant dense<0xFF800000> : tensor<f32>
  %scores = tern.sigmoid %logits : tensor<4x8xf32>
  %choice = tern.add %scores, %bias : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %grouped = tern.reshape %choice : (tensor<4x8xf32>) -> tensor<4x4x2xf32>
  %best, %best_i = tern.topk %grouped {axis = 2 : i64, k = 2 : i64} : tensor<4x4x2xf32> -> tensor<4x4x2xf32>, tensor<4x4x2xi64>
  %gscore = tern.reduce_sum %best {axes = array<i64: 2>, keepdims = false} : tensor<4x4x2xf32> -> tensor<4x4xf32>
  %gv, %gi = tern.topk %gscore {axis = 1 : i64, k = 2 : i64} : tensor<4x4xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %gmask = tern.scatter_elements %zeros_g, %gi, %ones {axis = 1 : i64} : (tensor<4x4xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x4xf32>
  %gmask3 = tern.reshape %gmask : (tensor<4x4xf32>) -> tensor<4x4x1xf32>
  %emask3 = tern.expand %gmask3 : (tensor<4x4x1xf32>) -> tensor<4x4x2xf32>
  %emask = tern.reshape %emask3 : (tensor<4x4x2xf32>) -> tensor<4x8xf32>
  %allowed = tern.gt %emask, %half : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xi1>
  %masked = tern.where %allowed, %choice, %ninf : (tensor<4x8xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v, %idx = tern.topk %masked {axis = 1 : i64, k = 2 : i64} : tensor<4x8xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %w0 = tern.gather_elements %choice, %idx {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
  %sum = tern.reduce_sum %w0 {axes = array<i64: 1>} : tensor<4x2xf32> -> tensor<4x1xf32>
  %sum_eps = tern.add %sum, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %w1 = tern.div %w0, %sum_eps : (tensor<4x2xf32>, tensor<4x1xf32>) -> tensor<4x2xf32>
  %w2 = tern.mul %w1, %scale : (tensor<4x2xf32>, tensor<f32>) -> tensor<4x2xf32>
  %shares = tern.scatter_elements %zeros_e, %idx, %w2 {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  return %shares : tensor<4x8xf32>
}

// -----

// noaux_tc's bias with softmax scores, where sigmoid is expected.
// CHECK-LABEL: func.func @softmax_with_bias
// CHECK-NOT: tern.moe_route
// CHECK: return
func.func @softmax_with_bias(%logits: tensor<4x8xf32>, %bias: tensor<8xf32>) -> tensor<4x8xf32> {
  %zeros_e = tern.constant dense<0.0> : tensor<4x8xf32>
  %scale = tern.constant dense<2.5> : tensor<f32>
  %eps = tern.constant dense<1.0e-20> : tensor<f32>
  %half = tern.constant dense<0.5> : tensor<f32>
  %zeros_g = tern.constant dense<0.0> : tensor<4x4xf32>
  %ones = tern.constant dense<1.0> : tensor<4x2xf32>
  %ninf = tern.constant dense<0xFF800000> : tensor<f32>
  %scores = tern.softmax %logits {axis = 1 : i64} : tensor<4x8xf32>
  %choice = tern.add %scores, %bias : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %grouped = tern.reshape %choice : (tensor<4x8xf32>) -> tensor<4x4x2xf32>
  %best, %best_i = tern.topk %grouped {axis = 2 : i64, k = 2 : i64} : tensor<4x4x2xf32> -> tensor<4x4x2xf32>, tensor<4x4x2xi64>
  %gscore = tern.reduce_sum %best {axes = array<i64: 2>, keepdims = false} : tensor<4x4x2xf32> -> tensor<4x4xf32>
  %gv, %gi = tern.topk %gscore {axis = 1 : i64, k = 2 : i64} : tensor<4x4xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %gmask = tern.scatter_elements %zeros_g, %gi, %ones {axis = 1 : i64} : (tensor<4x4xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x4xf32>
  %gmask3 = tern.reshape %gmask : (tensor<4x4xf32>) -> tensor<4x4x1xf32>
  %emask3 = tern.expand %gmask3 : (tensor<4x4x1xf32>) -> tensor<4x4x2xf32>
  %emask = tern.reshape %emask3 : (tensor<4x4x2xf32>) -> tensor<4x8xf32>
  %allowed = tern.gt %emask, %half : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xi1>
  %masked = tern.where %allowed, %choice, %ninf : (tensor<4x8xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v, %idx = tern.topk %masked {axis = 1 : i64, k = 2 : i64} : tensor<4x8xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %w0 = tern.gather_elements %scores, %idx {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
  %sum = tern.reduce_sum %w0 {axes = array<i64: 1>} : tensor<4x2xf32> -> tensor<4x1xf32>
  %sum_eps = tern.add %sum, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %w1 = tern.div %w0, %sum_eps : (tensor<4x2xf32>, tensor<4x1xf32>) -> tensor<4x2xf32>
  %w2 = tern.mul %w1, %scale : (tensor<4x2xf32>, tensor<f32>) -> tensor<4x2xf32>
  %shares = tern.scatter_elements %zeros_e, %idx, %w2 {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  return %shares : tensor<4x8xf32>
}

// -----

// The weights are scaled before they are renormalised, which undoes the scaling.
// CHECK-LABEL: func.func @scaled_before_renormalising
// CHECK-NOT: tern.moe_route
// CHECK: return
func.func @scaled_before_renormalising(%logits: tensor<4x8xf32>, %bias: tensor<8xf32>) -> tensor<4x8xf32> {
  %zeros_e = tern.constant dense<0.0> : tensor<4x8xf32>
  %scale = tern.constant dense<2.5> : tensor<f32>
  %eps = tern.constant dense<1.0e-20> : tensor<f32>
  %half = tern.constant dense<0.5> : tensor<f32>
  %zeros_g = tern.constant dense<0.0> : tensor<4x4xf32>
  %ones = tern.constant dense<1.0> : tensor<4x2xf32>
  %ninf = tern.constant dense<0xFF800000> : tensor<f32>
  %scores = tern.sigmoid %logits : tensor<4x8xf32>
  %choice = tern.add %scores, %bias : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %grouped = tern.reshape %choice : (tensor<4x8xf32>) -> tensor<4x4x2xf32>
  %best, %best_i = tern.topk %grouped {axis = 2 : i64, k = 2 : i64} : tensor<4x4x2xf32> -> tensor<4x4x2xf32>, tensor<4x4x2xi64>
  %gscore = tern.reduce_sum %best {axes = array<i64: 2>, keepdims = false} : tensor<4x4x2xf32> -> tensor<4x4xf32>
  %gv, %gi = tern.topk %gscore {axis = 1 : i64, k = 2 : i64} : tensor<4x4xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %gmask = tern.scatter_elements %zeros_g, %gi, %ones {axis = 1 : i64} : (tensor<4x4xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x4xf32>
  %gmask3 = tern.reshape %gmask : (tensor<4x4xf32>) -> tensor<4x4x1xf32>
  %emask3 = tern.expand %gmask3 : (tensor<4x4x1xf32>) -> tensor<4x4x2xf32>
  %emask = tern.reshape %emask3 : (tensor<4x4x2xf32>) -> tensor<4x8xf32>
  %allowed = tern.gt %emask, %half : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xi1>
  %masked = tern.where %allowed, %choice, %ninf : (tensor<4x8xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v, %idx = tern.topk %masked {axis = 1 : i64, k = 2 : i64} : tensor<4x8xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %w0 = tern.gather_elements %scores, %idx {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
  %w1 = tern.mul %w0, %scale : (tensor<4x2xf32>, tensor<f32>) -> tensor<4x2xf32>
  %sum = tern.reduce_sum %w1 {axes = array<i64: 1>} : tensor<4x2xf32> -> tensor<4x1xf32>
  %sum_eps = tern.add %sum, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %w2 = tern.div %w1, %sum_eps : (tensor<4x2xf32>, tensor<4x1xf32>) -> tensor<4x2xf32>
  %shares = tern.scatter_elements %zeros_e, %idx, %w2 {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  return %shares : tensor<4x8xf32>
}

// -----

// The experts are picked along the tokens axis.
// CHECK-LABEL: func.func @topk_over_tokens
// CHECK-NOT: tern.moe_route
// CHECK: return
func.func @topk_over_tokens(%logits: tensor<4x8xf32>, %bias: tensor<8xf32>) -> tensor<2x8xf32> {
  %zeros_e = tern.constant dense<0.0> : tensor<4x8xf32>
  %scale = tern.constant dense<2.5> : tensor<f32>
  %eps = tern.constant dense<1.0e-20> : tensor<f32>
  %half = tern.constant dense<0.5> : tensor<f32>
  %zeros_g = tern.constant dense<0.0> : tensor<4x4xf32>
  %ones = tern.constant dense<1.0> : tensor<4x2xf32>
  %ninf = tern.constant dense<0xFF800000> : tensor<f32>
  %scores = tern.sigmoid %logits : tensor<4x8xf32>
  %choice = tern.add %scores, %bias : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %grouped = tern.reshape %choice : (tensor<4x8xf32>) -> tensor<4x4x2xf32>
  %best, %best_i = tern.topk %grouped {axis = 2 : i64, k = 2 : i64} : tensor<4x4x2xf32> -> tensor<4x4x2xf32>, tensor<4x4x2xi64>
  %gscore = tern.reduce_sum %best {axes = array<i64: 2>, keepdims = false} : tensor<4x4x2xf32> -> tensor<4x4xf32>
  %gv, %gi = tern.topk %gscore {axis = 1 : i64, k = 2 : i64} : tensor<4x4xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %gmask = tern.scatter_elements %zeros_g, %gi, %ones {axis = 1 : i64} : (tensor<4x4xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x4xf32>
  %gmask3 = tern.reshape %gmask : (tensor<4x4xf32>) -> tensor<4x4x1xf32>
  %emask3 = tern.expand %gmask3 : (tensor<4x4x1xf32>) -> tensor<4x4x2xf32>
  %emask = tern.reshape %emask3 : (tensor<4x4x2xf32>) -> tensor<4x8xf32>
  %allowed = tern.gt %emask, %half : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xi1>
  %masked = tern.where %allowed, %choice, %ninf : (tensor<4x8xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v, %idx = tern.topk %masked {axis = 0 : i64, k = 2 : i64} : tensor<4x8xf32> -> tensor<2x8xf32>, tensor<2x8xi64>
  %w0 = tern.gather_elements %scores, %idx {axis = 0 : i64} : (tensor<4x8xf32>, tensor<2x8xi64>) -> tensor<2x8xf32>
  return %w0 : tensor<2x8xf32>
}

// -----

// The weights go through another op before they reach the experts.
// CHECK-LABEL: func.func @weights_feed_other_ops
// CHECK-NOT: tern.moe_route
// CHECK: return
func.func @weights_feed_other_ops(%logits: tensor<4x8xf32>, %bias: tensor<8xf32>) -> tensor<4x8xf32> {
  %zeros_e = tern.constant dense<0.0> : tensor<4x8xf32>
  %scale = tern.constant dense<2.5> : tensor<f32>
  %eps = tern.constant dense<1.0e-20> : tensor<f32>
  %half = tern.constant dense<0.5> : tensor<f32>
  %zeros_g = tern.constant dense<0.0> : tensor<4x4xf32>
  %ones = tern.constant dense<1.0> : tensor<4x2xf32>
  %ninf = tern.constant dense<0xFF800000> : tensor<f32>
  %scores = tern.sigmoid %logits : tensor<4x8xf32>
  %choice = tern.add %scores, %bias : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %grouped = tern.reshape %choice : (tensor<4x8xf32>) -> tensor<4x4x2xf32>
  %best, %best_i = tern.topk %grouped {axis = 2 : i64, k = 2 : i64} : tensor<4x4x2xf32> -> tensor<4x4x2xf32>, tensor<4x4x2xi64>
  %gscore = tern.reduce_sum %best {axes = array<i64: 2>, keepdims = false} : tensor<4x4x2xf32> -> tensor<4x4xf32>
  %gv, %gi = tern.topk %gscore {axis = 1 : i64, k = 2 : i64} : tensor<4x4xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %gmask = tern.scatter_elements %zeros_g, %gi, %ones {axis = 1 : i64} : (tensor<4x4xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x4xf32>
  %gmask3 = tern.reshape %gmask : (tensor<4x4xf32>) -> tensor<4x4x1xf32>
  %emask3 = tern.expand %gmask3 : (tensor<4x4x1xf32>) -> tensor<4x4x2xf32>
  %emask = tern.reshape %emask3 : (tensor<4x4x2xf32>) -> tensor<4x8xf32>
  %allowed = tern.gt %emask, %half : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xi1>
  %masked = tern.where %allowed, %choice, %ninf : (tensor<4x8xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v, %idx = tern.topk %masked {axis = 1 : i64, k = 2 : i64} : tensor<4x8xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %w0 = tern.gather_elements %scores, %idx {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
  %sum = tern.reduce_sum %w0 {axes = array<i64: 1>} : tensor<4x2xf32> -> tensor<4x1xf32>
  %sum_eps = tern.add %sum, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %w1 = tern.div %w0, %sum_eps : (tensor<4x2xf32>, tensor<4x1xf32>) -> tensor<4x2xf32>
  %w2 = tern.mul %w1, %scale : (tensor<4x2xf32>, tensor<f32>) -> tensor<4x2xf32>
  %other = tern.add %w2, %w2 : (tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>
  %shares = tern.scatter_elements %zeros_e, %idx, %other {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  return %shares : tensor<4x8xf32>
}

// -----

// DeepSeek-V3's router as torch.onnx.export writes the HF modeling code
// (test/frontend/onnx/Inputs/torch_moe_v3_*.onnx, test/e2e/torch-moe.test):
// axes as -1, top-k with sorted = false, scalars broadcast by tern.expand,
// the group mask unsqueezed, and masked_fill(~mask.bool(), 0) as a cast to
// i1, a not and a where with the fill first.
// CHECK-LABEL: func.func @noaux_tc_torch_export
// CHECK: %[[IDX:.*]], %[[W:.*]] = tern.moe_route %arg0, %arg1 {group_score = "top2_sum", k = 2 : i64, n_group = 4 : i64, norm_epsilon = {{.*}} : f64, normalize = true, scaling = 2.500000e+00 : f64, scoring = "sigmoid", topk_group = 2 : i64}
// CHECK-NOT: tern.topk
// CHECK: tern.scatter_elements %{{.*}}, %[[IDX]], %[[W]]
func.func @noaux_tc_torch_export(%logits: tensor<4x8xf32>, %bias: tensor<8xf32>) -> tensor<4x8xf32> {
  %zero = tern.constant dense<0.0> : tensor<f32>
  %one = tern.constant dense<1.0> : tensor<f32>
  %scale = tern.constant dense<2.5> : tensor<f32>
  %eps = tern.constant dense<1.0e-20> : tensor<f32>
  %scores = tern.sigmoid %logits : tensor<4x8xf32>
  %choice = tern.add %scores, %bias : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %grouped = tern.reshape %choice : (tensor<4x8xf32>) -> tensor<4x4x2xf32>
  %best, %best_i = tern.topk %grouped {k = 2 : i64} : tensor<4x4x2xf32> -> tensor<4x4x2xf32>, tensor<4x4x2xi64>
  %gscore = tern.reduce_sum %best {axes = array<i64: -1>, keepdims = false} : tensor<4x4x2xf32> -> tensor<4x4xf32>
  %gv, %gi = tern.topk %gscore {k = 2 : i64, sorted = false} : tensor<4x4xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %zeros_g = tern.expand %zero : (tensor<f32>) -> tensor<4x4xf32>
  %ones = tern.expand %one : (tensor<f32>) -> tensor<4x2xf32>
  %gmask = tern.scatter_elements %zeros_g, %gi, %ones {axis = 1 : i64} : (tensor<4x4xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x4xf32>
  %gmask3 = tern.unsqueeze %gmask {axes = array<i64: -1>} : tensor<4x4xf32> -> tensor<4x4x1xf32>
  %emask3 = tern.expand %gmask3 : (tensor<4x4x1xf32>) -> tensor<4x4x2xf32>
  %emask = tern.reshape %emask3 : (tensor<4x4x2xf32>) -> tensor<4x8xf32>
  %allowed = tern.cast %emask : tensor<4x8xf32> to tensor<4x8xi1>
  %dropped = tern.not %allowed : tensor<4x8xi1>
  %masked = tern.where %dropped, %zero, %choice : (tensor<4x8xi1>, tensor<f32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %v, %idx = tern.topk %masked {k = 2 : i64, sorted = false} : tensor<4x8xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %w0 = tern.gather_elements %scores, %idx {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
  %sum = tern.reduce_sum %w0 {axes = array<i64: -1>} : tensor<4x2xf32> -> tensor<4x1xf32>
  %sum_eps = tern.add %sum, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %w1 = tern.div %w0, %sum_eps : (tensor<4x2xf32>, tensor<4x1xf32>) -> tensor<4x2xf32>
  %w2 = tern.mul %w1, %scale : (tensor<4x2xf32>, tensor<f32>) -> tensor<4x2xf32>
  %zeros_e = tern.expand %zero : (tensor<f32>) -> tensor<4x8xf32>
  %shares = tern.scatter_elements %zeros_e, %idx, %w2 {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  return %shares : tensor<4x8xf32>
}

// -----

// The same, but the where keeps the choice where the mask is 0: the top-k
// would pick from the dropped groups.
// CHECK-LABEL: func.func @mask_kept_inverted
// CHECK-NOT: tern.moe_route
// CHECK: return
func.func @mask_kept_inverted(%logits: tensor<4x8xf32>, %bias: tensor<8xf32>) -> tensor<4x8xf32> {
  %zero = tern.constant dense<0.0> : tensor<f32>
  %one = tern.constant dense<1.0> : tensor<f32>
  %zeros_e = tern.constant dense<0.0> : tensor<4x8xf32>
  %scores = tern.sigmoid %logits : tensor<4x8xf32>
  %choice = tern.add %scores, %bias : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %grouped = tern.reshape %choice : (tensor<4x8xf32>) -> tensor<4x4x2xf32>
  %best, %best_i = tern.topk %grouped {k = 2 : i64} : tensor<4x4x2xf32> -> tensor<4x4x2xf32>, tensor<4x4x2xi64>
  %gscore = tern.reduce_sum %best {axes = array<i64: -1>, keepdims = false} : tensor<4x4x2xf32> -> tensor<4x4xf32>
  %gv, %gi = tern.topk %gscore {k = 2 : i64, sorted = false} : tensor<4x4xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %zeros_g = tern.expand %zero : (tensor<f32>) -> tensor<4x4xf32>
  %ones = tern.expand %one : (tensor<f32>) -> tensor<4x2xf32>
  %gmask = tern.scatter_elements %zeros_g, %gi, %ones {axis = 1 : i64} : (tensor<4x4xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x4xf32>
  %gmask3 = tern.unsqueeze %gmask {axes = array<i64: -1>} : tensor<4x4xf32> -> tensor<4x4x1xf32>
  %emask3 = tern.expand %gmask3 : (tensor<4x4x1xf32>) -> tensor<4x4x2xf32>
  %emask = tern.reshape %emask3 : (tensor<4x4x2xf32>) -> tensor<4x8xf32>
  %allowed = tern.cast %emask : tensor<4x8xf32> to tensor<4x8xi1>
  %dropped = tern.not %allowed : tensor<4x8xi1>
  %masked = tern.where %dropped, %choice, %zero : (tensor<4x8xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v, %idx = tern.topk %masked {k = 2 : i64, sorted = false} : tensor<4x8xf32> -> tensor<4x2xf32>, tensor<4x2xi64>
  %w0 = tern.gather_elements %scores, %idx {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
  %shares = tern.scatter_elements %zeros_e, %idx, %w0 {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  return %shares : tensor<4x8xf32>
}
