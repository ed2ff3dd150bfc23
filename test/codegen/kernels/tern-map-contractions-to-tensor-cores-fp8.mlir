// RUN: tern-opt %s -split-input-file -tern-map-contractions-to-tensor-cores=chip=sm_89 | FileCheck %s
// RUN: tern-opt %s -split-input-file -tern-map-contractions-to-tensor-cores=chip=sm_80 | FileCheck %s --check-prefix=SM80

// A block-scaled product of FP8 E4M3 activations by FP8 E4M3 weights, each
// dequantized as the body reads it (convert-tern-to-linalg{fp8-products}):
// on sm_89 a launch whose K loop takes one block of 128 per iteration, 4
// m16n8k32 E4M3 mma.sync per tile from fresh accumulators, then each sum
// times the activation's and the weight's scale added to the running one.
// sm_80 has no FP8 tensor cores: the generic stays.
// CHECK-LABEL: func.func @fp8_blocks
// CHECK: gpu.launch
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c256{{.*}} step %c128{{.*}} iter_args
// CHECK: arith.bitcast %{{.*}} : f8E4M3FN to i8
// CHECK: llvm.bitcast %{{.*}} : vector<4xi8> to i32
// CHECK-COUNT-32: llvm.call_intrinsic "llvm.nvvm.mma.m16n8k32.row.col.f32.e4m3.e4m3.f32"
// CHECK: %[[XS:.*]] = memref.load %arg3
// CHECK: %[[PARTIAL:.*]] = arith.mulf %{{.*}}, %[[XS]] : f32
// CHECK: %[[WS:.*]] = memref.load %arg2
// CHECK: %[[SCALED:.*]] = arith.mulf %[[PARTIAL]], %[[WS]] : f32
// CHECK: arith.addf %{{.*}}, %[[SCALED]] : f32
// CHECK: scf.yield
// SM80-LABEL: func.func @fp8_blocks
// SM80-NOT: gpu.launch
// SM80: linalg.generic
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#ws = affine_map<(m, n, k) -> (k floordiv 128, n)>
#xs = affine_map<(m, n, k) -> (m, k floordiv 128)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @fp8_blocks(%x: memref<3x256xf8E4M3FN>, %w: memref<256x24xf8E4M3FN>, %s: memref<2x24xf32>,
                      %xs: memref<3x2xf32>, %y: memref<3x24xf32>) {
  linalg.generic {indexing_maps = [#mk, #kn, #ws, #xs, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w, %s, %xs : memref<3x256xf8E4M3FN>, memref<256x24xf8E4M3FN>, memref<2x24xf32>, memref<3x2xf32>)
      outs(%y : memref<3x24xf32>) {
  ^bb0(%a: f8E4M3FN, %b: f8E4M3FN, %bs: f32, %as: f32, %acc: f32):
    %a32 = arith.extf %a : f8E4M3FN to f32
    %x32 = arith.mulf %a32, %as : f32
    %b32 = arith.extf %b : f8E4M3FN to f32
    %w32 = arith.mulf %b32, %bs : f32
    %p = arith.mulf %x32, %w32 : f32
    %sum = arith.addf %acc, %p : f32
    linalg.yield %sum : f32
  }
  return
}

// -----

// Near misses that keep the generic: blocks of 48 along K (not a whole
// number of instructions), f32 activations by FP8 weights (weight-only
// quantization: nothing for FP8 tensor cores), E5M2 weights.
// CHECK-LABEL: func.func @fp8_near_misses
// CHECK-NOT: gpu.launch
// CHECK-COUNT-3: linalg.generic
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#ws48 = affine_map<(m, n, k) -> (k floordiv 48, n)>
#xs48 = affine_map<(m, n, k) -> (m, k floordiv 48)>
#ws = affine_map<(m, n, k) -> (k floordiv 128, n)>
#xs = affine_map<(m, n, k) -> (m, k floordiv 128)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @fp8_near_misses(%x: memref<3x96xf8E4M3FN>, %w: memref<96x24xf8E4M3FN>, %s: memref<2x24xf32>,
                           %xs: memref<3x2xf32>, %y: memref<3x24xf32>, %xf: memref<3x256xf32>,
                           %w2: memref<256x24xf8E4M3FN>, %s2: memref<2x24xf32>, %x2: memref<3x256xf8E4M3FN>,
                           %w5: memref<256x24xf8E5M2>, %xs2: memref<3x2xf32>) {
  linalg.generic {indexing_maps = [#mk, #kn, #ws48, #xs48, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w, %s, %xs : memref<3x96xf8E4M3FN>, memref<96x24xf8E4M3FN>, memref<2x24xf32>, memref<3x2xf32>)
      outs(%y : memref<3x24xf32>) {
  ^bb0(%a: f8E4M3FN, %b: f8E4M3FN, %bs: f32, %as: f32, %acc: f32):
    %a32 = arith.extf %a : f8E4M3FN to f32
    %x32 = arith.mulf %a32, %as : f32
    %b32 = arith.extf %b : f8E4M3FN to f32
    %w32 = arith.mulf %b32, %bs : f32
    %p = arith.mulf %x32, %w32 : f32
    %sum = arith.addf %acc, %p : f32
    linalg.yield %sum : f32
  }
  linalg.generic {indexing_maps = [#mk, #kn, #ws, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%xf, %w2, %s2 : memref<3x256xf32>, memref<256x24xf8E4M3FN>, memref<2x24xf32>)
      outs(%y : memref<3x24xf32>) {
  ^bb0(%a: f32, %b: f8E4M3FN, %bs: f32, %acc: f32):
    %b32 = arith.extf %b : f8E4M3FN to f32
    %w32 = arith.mulf %b32, %bs : f32
    %p = arith.mulf %a, %w32 : f32
    %sum = arith.addf %acc, %p : f32
    linalg.yield %sum : f32
  }
  linalg.generic {indexing_maps = [#mk, #kn, #ws, #xs, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x2, %w5, %s2, %xs2 : memref<3x256xf8E4M3FN>, memref<256x24xf8E5M2>, memref<2x24xf32>, memref<3x2xf32>)
      outs(%y : memref<3x24xf32>) {
  ^bb0(%a: f8E4M3FN, %b: f8E5M2, %bs: f32, %as: f32, %acc: f32):
    %a32 = arith.extf %a : f8E4M3FN to f32
    %x32 = arith.mulf %a32, %as : f32
    %b32 = arith.extf %b : f8E5M2 to f32
    %w32 = arith.mulf %b32, %bs : f32
    %p = arith.mulf %x32, %w32 : f32
    %sum = arith.addf %acc, %p : f32
    linalg.yield %sum : f32
  }
  return
}
