// RUN: tern-opt %s --convert-tern-to-linalg --tern-schedule | tern-opt --tern-lower-host-kernels | FileCheck %s --check-prefix=HOST
// RUN: tern-opt %s --convert-tern-to-linalg --tern-schedule | tern-opt --tern-lower-gpu-kernels="chip=sm_90a serialize=0" | FileCheck %s --check-prefix=GPU

// An f32 matmul through both kernel pipelines. Its [K, N] weight is
// contiguous along N, so the host streams it (tern-stream-contractions): K
// outside the contiguous columns, each weight element multiplied into the 8
// rows with one fused multiply-add each in the innermost loop, for LLVM to
// vectorize. On a GPU, tern-tile-contractions gives each thread
// a 4 x 4 tile of the 8 x 32 output, so the kernel's K loop does 16
// multiply-adds per step, and the launch has 2 x 8 = 16 threads, not one
// per output.
// HOST-LABEL: llvm.func @project_matmul_1(
// HOST: %[[SUM:.*]] = llvm.intr.fma(
// HOST: llvm.store %[[SUM]]
// HOST-COUNT-7: llvm.intr.fma
// HOST-NOT: llvm.intr.fma
// HOST-NOT: llvm.fmul
// HOST: llvm.return

// GPU-LABEL: func.func @project(
// GPU: gpu.launch_func @project_matmul_1_kernel::@project_matmul_1_kernel blocks in (%{{.*}}, %{{.*}}, %{{.*}}) threads in (%{{.*}}, %{{.*}}, %{{.*}})
// GPU: llvm.func @project_matmul_1_kernel({{.*}}) attributes {gpu.kernel, gpu.known_block_size = array<i32: 16, 1, 1>
// GPU-COUNT-16: llvm.fmul
// GPU-NOT: llvm.fmul
// GPU: llvm.return
func.func @project(%x: tensor<8x16xf32>, %w: tensor<16x32xf32>) -> tensor<8x32xf32> {
  %0 = tern.matmul %x, %w : (tensor<8x16xf32>, tensor<16x32xf32>) -> tensor<8x32xf32>
  return %0 : tensor<8x32xf32>
}
