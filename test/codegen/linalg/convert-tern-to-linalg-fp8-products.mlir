// RUN: tern-opt %s -split-input-file -convert-tern-to-linalg | FileCheck %s
// RUN: tern-opt %s -split-input-file -convert-tern-to-linalg=fp8-products=1 | FileCheck %s --check-prefix=FP8

// A block-scaled product of FP8 activations (lhs_scale) by FP8 weights.
// Without fp8-products (the host, sm_80) the activations are dequantized
// first and the weight-only product reads them in f32. With it (chips with
// FP8 tensor cores) the product stays one contraction reading both operands
// in FP8 and their scales, each dequantized as the body reads it:
// MapContractionsToTensorCores's input.
// CHECK-LABEL: func.func @e4m3_activations
// CHECK: %[[X:.*]] = linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<3x256xf8E4M3FN>, tensor<3x2xf32>) outs(%{{.*}} : tensor<3x256xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[X]], %arg2, %arg3 : tensor<3x256xf32>, tensor<24x256xf8E4M3FN>, tensor<1x2xf32>)
// FP8-DAG: #[[$XS:.*]] = affine_map<(d0, d1, d2) -> (d0, d2 floordiv 128)>
// FP8-LABEL: func.func @e4m3_activations
// FP8: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}, #[[$XS]], #{{.*}}], {{.*}} ins(%arg0, %arg2, %arg3, %arg1 : tensor<3x256xf8E4M3FN>, tensor<24x256xf8E4M3FN>, tensor<1x2xf32>, tensor<3x2xf32>)
// FP8: ^bb0(%[[A:.*]]: f8E4M3FN, %[[B:.*]]: f8E4M3FN, %[[BS:.*]]: f32, %[[AS:.*]]: f32, %[[ACC:.*]]: f32):
// FP8-DAG: %[[A32:.*]] = arith.extf %[[A]] : f8E4M3FN to f32
// FP8-DAG: %[[B32:.*]] = arith.extf %[[B]] : f8E4M3FN to f32
// FP8-DAG: %[[W:.*]] = arith.mulf %[[B32]], %[[BS]] : f32
// FP8-DAG: %[[XV:.*]] = arith.mulf %[[A32]], %[[AS]] : f32
// FP8: %[[T:.*]] = arith.mulf %[[XV]], %[[W]] : f32
// FP8: arith.addf %[[ACC]], %[[T]] : f32
func.func @e4m3_activations(%x: tensor<3x256xf8E4M3FN>, %xs: tensor<3x2xf32>, %q: tensor<24x256xf8E4M3FN>, %s: tensor<1x2xf32>) -> tensor<3x24xf32> {
  %y = tern.block_scaled_matmul %x scaled %xs, %q, %s {block_size = array<i64: 128, 128>} : (tensor<3x256xf8E4M3FN>, tensor<3x2xf32>, tensor<24x256xf8E4M3FN>, tensor<1x2xf32>) -> tensor<3x24xf32>
  return %y : tensor<3x24xf32>
}

// -----

// Near miss: E5M2 weights, which the E4M3 tensor-core path does not take,
// dequantize the activations first with fp8-products too.
// FP8-LABEL: func.func @e5m2_weights
// FP8: %[[X:.*]] = linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<3x256xf8E4M3FN>, tensor<3x2xf32>) outs(%{{.*}} : tensor<3x256xf32>)
// FP8: linalg.generic {{.*}} ins(%[[X]], %arg2, %arg3 : tensor<3x256xf32>, tensor<24x256xf8E5M2>, tensor<1x2xf32>)
func.func @e5m2_weights(%x: tensor<3x256xf8E4M3FN>, %xs: tensor<3x2xf32>, %q: tensor<24x256xf8E5M2>, %s: tensor<1x2xf32>) -> tensor<3x24xf32> {
  %y = tern.block_scaled_matmul %x scaled %xs, %q, %s {block_size = array<i64: 128, 128>} : (tensor<3x256xf8E4M3FN>, tensor<3x2xf32>, tensor<24x256xf8E5M2>, tensor<1x2xf32>) -> tensor<3x24xf32>
  return %y : tensor<3x24xf32>
}
