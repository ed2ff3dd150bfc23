// RUN: tern-opt %s -tern-print-stats="label=here" -o /dev/null 2>&1 | FileCheck %s

// A gemm: 2 x 3 outputs of 4 products, 2 FLOP each = 48; its weight, 12 f32
// = 48 B. A gather reads 2 of the table's 5 rows: 2 x 4 bf16 = 16 B. The
// experts: 2 tokens x 1 choice, each 3 projections of 2 x 4, 2 FLOP per
// product = 96; at most 2 of the 4 experts are read, half of their distinct
// weights (4 gate/up constants and one down, 32 B each) = 80 B. A splat fill
// is no stored weight.
// CHECK: stats here: @model: 144.000 FLOP (routed experts 96.000 FLOP), 144.000 B of weights read per call
// An einsum: 2 x 3 x 5 x 3 iterations, 2 FLOP each = 180. Latent attention
// for B x H = 2 x 2 rows, computed absorbed: N x L = 4 x 4 to the latent,
// S x (L + R + L) = 3 x (6 + 4) for the scores and the weighed latents, L x
// V = 4 x 3 out: 2 x 4 x (16 + 30 + 12) = 464; kv_b, 14 x 4 f32 = 224 B.
// CHECK: stats here: @attention: 644.000 FLOP, 224.000 B of weights read per call
// CHECK: stats here: @nothing: 0.000 FLOP, 0.000 B of weights read per call
func.func @model(%x: tensor<2x4xf32>, %ids: tensor<2xi64>, %idx: tensor<2x1xi64>, %w: tensor<2x1xf32>)
    -> (tensor<2x3xf32>, tensor<2x4xbf16>, tensor<2x4xf32>) {
  %b = tern.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]]> : tensor<3x4xf32>
  %y = tern.gemm %x, %b {trans_b = true} : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %table = tern.constant dense_resource<table> : tensor<5x4xbf16>
  %rows = tern.gather %table, %ids {axis = 0 : i64} : (tensor<5x4xbf16>, tensor<2xi64>) -> tensor<2x4xbf16>
  %g0 = tern.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %g1 = tern.constant dense<[[1.5, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %g2 = tern.constant dense<[[2.5, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %g3 = tern.constant dense<[[3.5, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %d = tern.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %fill = tern.constant dense<0.5> : tensor<4x2xf32>
  %e = tern.moe_experts %x, %idx, %w gate(%g0, %g1, %g2, %g3) up(%g0, %g1, %g2, %g3) down(%d, %d, %d, %fill)
      : (tensor<2x4xf32>, tensor<2x1xi64>, tensor<2x1xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>,
         tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>,
         tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<2x4xf32>
  return %y, %rows, %e : tensor<2x3xf32>, tensor<2x4xbf16>, tensor<2x4xf32>
}

func.func @attention(%a: tensor<2x3x5xf32>, %b: tensor<2x5x3xf32>, %qn: tensor<2x2x4xf32>,
                     %qr: tensor<2x2x2xf32>, %c: tensor<2x3x6xf32>, %m: tensor<2x1x3xf32>)
    -> (tensor<2x3x3xf32>, tensor<2x2x3xf32>) {
  %s = tern.einsum %a, %b {equation = "bij,bjk->bik"} : (tensor<2x3x5xf32>, tensor<2x5x3xf32>) -> tensor<2x3x3xf32>
  %w = tern.constant dense_resource<kv_b> : tensor<14x4xf32>
  %o = tern.mla_attention %qn, %qr, %c, %w, %m {scale = 0.5 : f64}
      : (tensor<2x2x4xf32>, tensor<2x2x2xf32>, tensor<2x3x6xf32>, tensor<14x4xf32>, tensor<2x1x3xf32>) -> tensor<2x2x3xf32>
  return %s, %o : tensor<2x3x3xf32>, tensor<2x2x3xf32>
}

func.func @nothing() {
  return
}
