// RUN: tern-opt %s -tern-lower-host-kernels | FileCheck %s --check-prefix=HOST
// RUN: tern-opt %s -tern-lower-gpu-kernels="chip=sm_90a serialize=0" | FileCheck %s --check-prefix=GPU

// Only @kernels is lowered; the schedule stays as it is.
// HOST-LABEL: func.func @main(
// HOST: tern.dispatch @kernels::@main_generic_0
// HOST: module @kernels
// HOST: llvm.func @main_generic_0(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// LLVM intrinsics where LLVM has them (rsqrt as 1 / sqrt: libm has no
// rsqrtf), libm calls for the rest (erf).
// HOST: llvm.intr.exp
// HOST: llvm.call @erff
// HOST: llvm.intr.sqrt
// HOST: llvm.fdiv
// HOST-NOT: rsqrtf

// GPU-LABEL: func.func @main(
// GPU: tern.dispatch @kernels::@main_generic_0
// GPU: module @kernels attributes {gpu.container_module}
// GPU: func.func @main_generic_0(%[[A:.*]]: memref<8xf32>, %[[B:.*]]: memref<8xf32>)
// GPU: gpu.launch_func @main_generic_0_kernel::@main_generic_0_kernel blocks in (%{{.*}}, %{{.*}}, %{{.*}}) threads in (%{{.*}}, %{{.*}}, %{{.*}}) args(%[[A]] : memref<8xf32>, %[[B]] : memref<8xf32>)
// GPU: gpu.module @main_generic_0_kernel [#nvvm.target<chip = "sm_90a", features = "+ptx84">]
// GPU: llvm.func @main_generic_0_kernel(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) attributes {gpu.kernel
#id = affine_map<(d0) -> (d0)>
func.func @main(%a: memref<8xf32>, %b: memref<8xf32>) {
  tern.dispatch @kernels::@main_generic_0(%a, %b) : memref<8xf32>, memref<8xf32>
  return
}
module @kernels {
  func.func @main_generic_0(%a: memref<8xf32>, %b: memref<8xf32>) {
    linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
        ins(%a : memref<8xf32>) outs(%b : memref<8xf32>) {
    ^bb0(%x: f32, %y: f32):
      %e = math.exp %x : f32
      %t = math.erf %e : f32
      %r = math.rsqrt %t : f32
      linalg.yield %r : f32
    }
    return
  }
}
