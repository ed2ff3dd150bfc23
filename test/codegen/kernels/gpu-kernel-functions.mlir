// RUN: tern-opt %s -split-input-file -tern-lower-gpu-kernels="chip=sm_90a serialize=0" | FileCheck %s

// After the GPU kernel pipeline a kernel function holds what a plan can
// express: launches whose operands are its own buffer arguments, and the
// constants of their grids. A view the kernel read (the reshape of a matmul
// operand) is rebuilt inside the launch and the original dropped.
// CHECK-LABEL: func.func @expanded_fill(
// CHECK-SAME: %[[BUF:.*]]: memref<8x64xf32>)
// CHECK-NOT: memref.expand_shape
// CHECK: gpu.launch_func @expanded_fill_kernel::@expanded_fill_kernel blocks in ({{.*}}) threads in ({{.*}}) args(%[[BUF]] : memref<8x64xf32>){{$}}
// CHECK-NEXT: return
module {
  module @kernels {
    func.func @expanded_fill(%buf: memref<8x64xf32>) {
      %zero = arith.constant 0.0 : f32
      %view = memref.expand_shape %buf [[0, 1], [2, 3]] output_shape [1, 8, 4, 16]
          : memref<8x64xf32> into memref<1x8x4x16xf32>
      linalg.fill ins(%zero : f32) outs(%view : memref<1x8x4x16xf32>)
      return
    }
  }
}

// -----

// A tensor-core matmul: the loop conversions that run after the launch is
// built hoist its constants out of it; they are sunk back, so that the
// launch passes the three buffers and no scalars.
// CHECK-LABEL: func.func @matmul_f16(
// CHECK-SAME: %[[A:.*]]: memref<5x40xf16>, %[[B:.*]]: memref<40x72xf16>, %[[C:.*]]: memref<5x72xf32>)
// CHECK: gpu.launch_func @matmul_f16_kernel::@matmul_f16_kernel blocks in ({{.*}}) threads in ({{.*}}) args(%[[C]] : memref<5x72xf32>, %[[A]] : memref<5x40xf16>, %[[B]] : memref<40x72xf16>){{$}}
// CHECK-NEXT: return
// CHECK: nvvm.mma.sync
module {
  module @kernels {
    func.func @matmul_f16(%a: memref<5x40xf16>, %b: memref<40x72xf16>, %c: memref<5x72xf32>) {
      linalg.matmul ins(%a, %b : memref<5x40xf16>, memref<40x72xf16>) outs(%c : memref<5x72xf32>)
      return
    }
  }
}
