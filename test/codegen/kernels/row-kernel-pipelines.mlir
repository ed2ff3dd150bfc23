// RUN: tern-opt %s --convert-tern-to-linalg --tern-schedule | tern-opt --tern-lower-host-kernels | FileCheck %s --check-prefix=HOST
// RUN: tern-opt %s --convert-tern-to-linalg --tern-schedule | tern-opt --tern-lower-gpu-kernels="chip=sm_90a serialize=0" | FileCheck %s --check-prefix=GPU

// A softmax is one row kernel (tern-form-kernels) through both kernel
// pipelines: on the host one function whose per-row max and sum are
// allocated once at its entry; on a GPU one launch of one thread per row
// (3 x 5 = 15), the row's max and sum in the thread's stack.
// HOST-LABEL: func.func @softmax(
// HOST: tern.dispatch @kernels::@softmax_forall_0
// HOST-NOT: tern.dispatch @kernels::@softmax_{{generic|fill}}
// HOST: llvm.func @softmax_forall_0(
// HOST: llvm.alloca
// HOST: llvm.alloca
// HOST: llvm.br
// HOST-NOT: llvm.alloca
// HOST: llvm.intr.exp
// HOST-NOT: llvm.alloca
// HOST: llvm.return
// GPU-LABEL: func.func @softmax_forall_0(
// GPU: gpu.launch_func @softmax_forall_0_kernel::@softmax_forall_0_kernel
// GPU-NOT: gpu.launch_func @softmax_{{generic|fill}}
// GPU: llvm.func @softmax_forall_0_kernel({{.*}}) attributes {gpu.kernel, gpu.known_block_size = array<i32: 15, 1, 1>
// GPU-COUNT-2: llvm.alloca {{.*}} x f32
// GPU-NOT: llvm.alloca
func.func @softmax(%x: tensor<3x5x8xf32>) -> tensor<3x5x8xf32> {
  %0 = tern.softmax %x {axis = 2 : i64} : tensor<3x5x8xf32>
  return %0 : tensor<3x5x8xf32>
}
