// RUN: tern-opt %s -split-input-file -tern-mark-inputs-read-only | FileCheck %s
// RUN: tern-opt %s -split-input-file --convert-tern-to-linalg --tern-schedule | FileCheck %s --check-prefix=SCHED

// Inputs become read-only for bufferization; a state stays writable.
// CHECK-LABEL: func.func @decode
// CHECK-SAME: (%{{.*}}: tensor<2xi64> {bufferization.writable = false},
// CHECK-SAME: %{{.*}}: tensor<8x4xf32> {tern.state = "k"})
func.func @decode(%ids: tensor<2xi64>, %k: tensor<8x4xf32> {tern.state = "k"})
    -> (tensor<8x4xf32> {tern.state = "k"}) {
  return %k : tensor<8x4xf32>
}

// -----

// Near-misses: a private function is no entry point, and a declaration
// has no body to bufferize.
// CHECK-LABEL: func.func private @helper
// CHECK-SAME: (%{{.*}}: tensor<4xf32>) -> tensor<4xf32>
// CHECK-LABEL: func.func private @external
// CHECK-SAME: (tensor<4xf32>)
// CHECK-NOT: bufferization.writable
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func private @external(tensor<4xf32>)

// -----

// Through tern-schedule, a scatter into an input writes a copy of it; the
// state next to it is still updated in place.
// CHECK-LABEL: func.func @scatter_into_input
// CHECK-SAME: (%{{.*}}: tensor<4x8xf32> {bufferization.writable = false},
// SCHED-LABEL: func.func @scatter_into_input
// SCHED-SAME: (%[[X:[a-z0-9]+]]: memref<4x8xf32>, %{{.*}}: memref<4x2xi64>, %{{.*}}: memref<4x2xf32>, %[[K:[a-z0-9]+]]: memref<8x8xf32> {tern.state = "k"}
// SCHED: %[[COPY:.*]] = memref.alloc()
// SCHED-NEXT: tern.dispatch @kernels::@scatter_into_input_copy_0(%[[X]], %[[COPY]])
// SCHED-NEXT: tern.dispatch @kernels::@scatter_into_input_forall_1(%[[COPY]],
// SCHED-NOT: memref.alloc
// SCHED: tern.dispatch @kernels::@scatter_into_input_forall_{{[0-9]+}}(%[[K]],
func.func @scatter_into_input(%x: tensor<4x8xf32>, %i: tensor<4x2xi64>, %u: tensor<4x2xf32>,
                              %k: tensor<8x8xf32> {tern.state = "k"})
    -> (tensor<4x8xf32>, tensor<8x8xf32> {tern.state = "k"}) {
  %0 = tern.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = "add"} : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
  %1 = tern.scatter_elements %k, %i, %u {axis = 1 : i64, reduction = "none"} : (tensor<8x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<8x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<8x8xf32>
}
