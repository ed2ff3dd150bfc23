// RUN: tern-opt %s -split-input-file --convert-tern-to-linalg --tern-schedule | FileCheck %s --check-prefix=SCHED
// RUN: tern-opt %s -split-input-file --convert-tern-to-linalg --tern-schedule | tern-opt -split-input-file --tern-lower-gpu-kernels="chip=sm_90a serialize=0" | FileCheck %s --check-prefix=GPU

// A KV-cache write: rows of a state replaced by a scatter along axis 0.
// Each (head, channel) line is one iteration of a parallel loop that writes
// its slice of the state in place (the slice's copy back onto itself folds
// away, so the state needs no copy), and on a GPU each line is a thread.
// SCHED-LABEL: func.func @cache_write
// SCHED-SAME: (%[[K:.*]]: memref<16x4x8xf32> {tern.state = "k"}, %{{.*}}: memref<2x4x8xi64>, %{{.*}}: memref<2x4x8xf32>)
// SCHED-NEXT: tern.dispatch @kernels::@cache_write_forall_0(%[[K]],
// SCHED-NEXT: return
// SCHED: func.func @cache_write_forall_0(%[[STATE:.*]]: memref<16x4x8xf32>,
// SCHED-NOT: {{(memref|linalg)\.copy}}
// SCHED: scf.forall (%[[H:.*]], %[[C:.*]]) in (4, 8) {
// SCHED-NEXT: %[[LINE:.*]] = memref.subview %[[STATE]][0, %[[H]], %[[C]]] [16, 1, 1] [1, 1, 1]
// SCHED-NEXT: scf.for
// SCHED: memref.store %{{.*}}, %[[LINE]][
// SCHED-NOT: {{(memref|linalg)\.copy}}
// SCHED: return

// GPU-LABEL: func.func @cache_write
// GPU: func.func @cache_write_forall_0(
// GPU: gpu.launch_func @cache_write_forall_0_kernel::@cache_write_forall_0_kernel blocks in (%{{.*}}, %{{.*}}, %{{.*}}) threads in (%[[THREADS:.*]], %{{.*}}, %{{.*}})
// GPU: llvm.func @cache_write_forall_0_kernel({{.*}}) attributes {gpu.kernel, gpu.known_block_size = array<i32: 32, 1, 1>
func.func @cache_write(%cache: tensor<16x4x8xf32> {tern.state = "k"}, %rows: tensor<2x4x8xi64>,
                       %u: tensor<2x4x8xf32>) -> (tensor<16x4x8xf32> {tern.state = "k"}) {
  %0 = tern.scatter_elements %cache, %rows, %u {axis = 0 : i64, reduction = "none"} : (tensor<16x4x8xf32>, tensor<2x4x8xi64>, tensor<2x4x8xf32>) -> tensor<16x4x8xf32>
  return %0 : tensor<16x4x8xf32>
}

// -----

// A scatter into an intermediate value that is read again afterwards:
// bufferization copies it once, before the parallel loop, and the lines
// update the copy. (Inputs are copied whatever comes after: see
// tern-mark-inputs-read-only.mlir.)
// SCHED-LABEL: func.func @scatter_into_reused_value
// SCHED: %[[Y:.*]] = memref.alloc()
// SCHED-NEXT: tern.dispatch @kernels::@scatter_into_reused_value_generic_0(%{{.*}}, %[[Y]])
// SCHED-NEXT: %[[COPY:.*]] = memref.alloc()
// SCHED-NEXT: tern.dispatch @kernels::@scatter_into_reused_value_copy_1(%[[Y]], %[[COPY]])
// SCHED-NEXT: tern.dispatch @kernels::@scatter_into_reused_value_forall_2(%[[COPY]],
// SCHED-NEXT: tern.dispatch @kernels::@scatter_into_reused_value_generic_3(%[[COPY]], %[[Y]])
// SCHED: func.func @scatter_into_reused_value_copy_1(
// SCHED-NEXT: linalg.copy
// SCHED: func.func @scatter_into_reused_value_forall_2(
// SCHED: scf.forall (%{{.*}}) in (4)
// SCHED-NOT: {{(memref|linalg)\.copy}}
// SCHED: return

// GPU-LABEL: func.func @scatter_into_reused_value
// GPU: gpu.launch_func @scatter_into_reused_value_forall_2_kernel::@scatter_into_reused_value_forall_2_kernel
// GPU: llvm.func @scatter_into_reused_value_forall_2_kernel({{.*}}) attributes {gpu.kernel, gpu.known_block_size = array<i32: 4, 1, 1>
func.func @scatter_into_reused_value(%x: tensor<4x8xf32>, %i: tensor<4x2xi64>, %u: tensor<4x2xf32>)
    -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %y = tern.exp %x : tensor<4x8xf32>
  %0 = tern.scatter_elements %y, %i, %u {axis = 1 : i64, reduction = "add"} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  %1 = tern.add %0, %y : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<4x8xf32>
}
