// RUN: tern-opt %s -split-input-file -tern-map-contractions-to-tensor-cores -verify-diagnostics | FileCheck %s

// An f16 matmul into f32: one block of 4 warps covers the 40x20 output;
// each step of 16 along K loads fragments and issues 2 x 4 mma.sync, with
// loads past the ends of M, N and K reading zero and stores past them skipped.
// CHECK-LABEL: func.func @matmul_f16
// CHECK-NOT: linalg.matmul
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}) threads({{.*}}) in (%{{.*}} = %c128
// CHECK-COUNT-32: memref.load %arg2
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c24{{.*}} step %c16{{.*}} iter_args
// CHECK: arith.minui
// CHECK: memref.load %arg0
// CHECK: arith.select
// CHECK: llvm.insertelement {{.*}} : vector<2xf16>
// CHECK-COUNT-8: nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (vector<2xf16>, vector<2xf16>, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK: scf.yield
// CHECK-COUNT-32: memref.store
// CHECK: gpu.terminator
func.func @matmul_f16(%a: memref<40x24xf16>, %b: memref<24x20xf16>, %c: memref<40x20xf32>) {
  linalg.matmul ins(%a, %b : memref<40x24xf16>, memref<24x20xf16>) outs(%c : memref<40x20xf32>)
  return
}

// -----

// bf16 fragments travel as i32 pairs; the batch is grid z (3 blocks), N and
// M grids x (2) and y (2).
// CHECK-LABEL: func.func @batch_matmul_bf16
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c2{{.*}}, %{{.*}} = %c2{{.*}}, %{{.*}} = %c3{{.*}}) threads({{.*}}) in (%{{.*}} = %c128
// CHECK: llvm.bitcast %{{.*}} : vector<2xbf16> to i32
// CHECK: nvvm.mma.sync {{.*}}multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>{{.*}} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
func.func @batch_matmul_bf16(%a: memref<3x100x32xbf16>, %b: memref<3x32x70xbf16>, %c: memref<3x100x70xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<3x100x32xbf16>, memref<3x32x70xbf16>) outs(%c : memref<3x100x70xf32>)
  return
}

// -----

// A generic contraction whose operands both store K innermost: each is read
// through its indexing map, K in the last index. The mma's M is the output
// dimension of the first input (here the output's columns), as
// inferContractionDims names them; stores go through the output's map.
// CHECK-LABEL: func.func @transposed_generic
// CHECK: gpu.launch
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c32{{.*}} step %c16
// CHECK: %[[AK:.*]] = arith.minui %{{.*}}, %c31
// CHECK-NEXT: memref.load %arg0[%{{.*}}, %[[AK]]] : memref<8x32xf16>
// CHECK-COUNT-15: memref.load %arg0
// CHECK: %[[BK:.*]] = arith.minui %{{.*}}, %c31
// CHECK-NEXT: memref.load %arg1[%{{.*}}, %[[BK]]] : memref<16x32xf16>
// CHECK: nvvm.mma.sync
// CHECK: %[[M:.*]] = arith.minui %{{.*}}, %c7
// CHECK: %[[N:.*]] = arith.minui %{{.*}}, %c15
// CHECK: memref.store %{{.*}}, %arg2[%[[N]], %[[M]]] : memref<16x8xf32>
#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @transposed_generic(%bt: memref<8x32xf16>, %a: memref<16x32xf16>, %c: memref<16x8xf32>) {
  linalg.generic {indexing_maps = [#nk, #mk, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%bt, %a : memref<8x32xf16>, memref<16x32xf16>) outs(%c : memref<16x8xf32>) {
  ^bb0(%x: f16, %y: f16, %acc: f32):
    %xe = arith.extf %x : f16 to f32
    %ye = arith.extf %y : f16 to f32
    %p = arith.mulf %xe, %ye : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Views of the kernel's buffers are cloned into the launch, which captures
// only the buffers.
// CHECK-LABEL: func.func @through_views
// CHECK: gpu.launch
// CHECK: memref.collapse_shape %arg0
// CHECK: nvvm.mma.sync
func.func @through_views(%a: memref<2x8x16xf16>, %b: memref<16x8xf16>, %c: memref<16x8xf32>) {
  %flat = memref.collapse_shape %a [[0, 1], [2]] : memref<2x8x16xf16> into memref<16x16xf16>
  linalg.matmul ins(%flat, %b : memref<16x16xf16>, memref<16x8xf16>) outs(%c : memref<16x8xf32>)
  return
}

// -----

// Near miss: f32 operands would need TF32, which rounds them; left alone.
// CHECK-LABEL: func.func @matmul_f32
// CHECK-NOT: gpu.launch
// CHECK: linalg.matmul
func.func @matmul_f32(%a: memref<16x16xf32>, %b: memref<16x8xf32>, %c: memref<16x8xf32>) {
  linalg.matmul ins(%a, %b : memref<16x16xf32>, memref<16x8xf32>) outs(%c : memref<16x8xf32>)
  return
}

// -----

// Near miss: an f16 accumulator rounds every partial sum; left alone.
// CHECK-LABEL: func.func @accumulate_f16
// CHECK-NOT: gpu.launch
// CHECK: linalg.matmul
func.func @accumulate_f16(%a: memref<16x16xf16>, %b: memref<16x8xf16>, %c: memref<16x8xf16>) {
  linalg.matmul ins(%a, %b : memref<16x16xf16>, memref<16x8xf16>) outs(%c : memref<16x8xf16>)
  return
}

// -----

// Near miss: the product is rounded to f16 before it is accumulated.
// CHECK-LABEL: func.func @product_in_f16
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @product_in_f16(%a: memref<16x16xf16>, %b: memref<16x8xf16>, %c: memref<16x8xf32>) {
  linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<16x16xf16>, memref<16x8xf16>) outs(%c : memref<16x8xf32>) {
  ^bb0(%x: f16, %y: f16, %acc: f32):
    %p = arith.mulf %x, %y : f16
    %pe = arith.extf %p : f16 to f32
    %s = arith.addf %acc, %pe : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Near miss: mixed operand types.
// CHECK-LABEL: func.func @mixed_operands
// CHECK-NOT: gpu.launch
// CHECK: linalg.matmul
func.func @mixed_operands(%a: memref<16x16xf16>, %b: memref<16x8xbf16>, %c: memref<16x8xf32>) {
  linalg.matmul ins(%a, %b : memref<16x16xf16>, memref<16x8xbf16>) outs(%c : memref<16x8xf32>)
  return
}

// -----

// Near miss: a product inside a loop whose iterations are threads (a MoE
// block's expert MLP on per-iteration scratch): a launch could not capture
// the scratch, so it stays for the loop's own thread.
// CHECK-LABEL: func.func @inside_forall
// CHECK-NOT: gpu.launch
// CHECK: scf.forall
// CHECK: linalg.matmul
func.func @inside_forall(%a: memref<4x16x16xbf16>, %b: memref<16x8xbf16>, %c: memref<4x16x8xf32>) {
  scf.forall (%i) in (4) {
    %scratch = memref.alloc() : memref<16x16xbf16>
    %rows = memref.subview %a[%i, 0, 0] [1, 16, 16] [1, 1, 1] : memref<4x16x16xbf16> to memref<16x16xbf16, strided<[16, 1], offset: ?>>
    memref.copy %rows, %scratch : memref<16x16xbf16, strided<[16, 1], offset: ?>> to memref<16x16xbf16>
    %out = memref.subview %c[%i, 0, 0] [1, 16, 8] [1, 1, 1] : memref<4x16x8xf32> to memref<16x8xf32, strided<[8, 1], offset: ?>>
    linalg.matmul ins(%scratch, %b : memref<16x16xbf16>, memref<16x8xbf16>) outs(%out : memref<16x8xf32, strided<[8, 1], offset: ?>>)
  }
  return
}

// -----

// Near miss: dynamic shapes.
// CHECK-LABEL: func.func @dynamic
// CHECK-NOT: gpu.launch
// CHECK: linalg.matmul
func.func @dynamic(%a: memref<?x16xf16>, %b: memref<16x8xf16>, %c: memref<?x8xf32>) {
  linalg.matmul ins(%a, %b : memref<?x16xf16>, memref<16x8xf16>) outs(%c : memref<?x8xf32>)
  return
}

// -----

// Near miss: an empty output.
// CHECK-LABEL: func.func @empty
// CHECK-NOT: gpu.launch
// CHECK: linalg.matmul
func.func @empty(%a: memref<0x16xf16>, %b: memref<16x8xf16>, %c: memref<0x8xf32>) {
  linalg.matmul ins(%a, %b : memref<0x16xf16>, memref<16x8xf16>) outs(%c : memref<0x8xf32>)
  return
}

// -----

// Near miss: tensors, before bufferization.
// CHECK-LABEL: func.func @tensors
// CHECK-NOT: gpu.launch
// CHECK: linalg.matmul
func.func @tensors(%a: tensor<16x16xf16>, %b: tensor<16x8xf16>, %c: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<16x16xf16>, tensor<16x8xf16>) outs(%c : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}

// -----

// A buffer allocated inside the kernel cannot be captured by the launch.
func.func @local_buffer(%a: memref<16x16xf16>, %c: memref<16x8xf32>) {
  // expected-error @+1 {{a kernel can only capture buffers, views and constants}}
  %b = memref.alloc() : memref<16x8xf16>
  linalg.matmul ins(%a, %b : memref<16x16xf16>, memref<16x8xf16>) outs(%c : memref<16x8xf32>)
  return
}
