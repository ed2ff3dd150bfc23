// RUN: tern-opt %s -split-input-file -tern-map-kernels-to-gpu -verify-diagnostics | FileCheck %s
// RUN: tern-opt %s -split-input-file -tern-map-kernels-to-gpu=block-size=4 -verify-diagnostics | FileCheck %s --check-prefix=SMALL

// A 3x5 nest becomes one launch of 15 threads (block-size 4: 4 blocks),
// indices delinearized with the last dimension fastest, the tail guarded.
// CHECK-LABEL: func.func @nest
// CHECK: gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c15
// CHECK: %[[ID:.*]] = arith.addi
// CHECK: arith.cmpi ult, %[[ID]], %c15
// CHECK: scf.if
// CHECK: arith.remui %[[ID]], %c5
// CHECK: memref.store
// SMALL-LABEL: func.func @nest
// SMALL: gpu.launch blocks({{.*}}) in (%{{.*}} = %c4{{.*}}, {{.*}} threads({{.*}}) in (%{{.*}} = %c4
func.func @nest(%out: memref<3x5xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c3, %c5) step (%c1, %c1) {
    memref.store %zero, %out[%i, %j] : memref<3x5xf32>
    scf.reduce
  }
  return
}

// -----

// Work outside a parallel loop (a reduction to a scalar) runs on one thread.
// CHECK-LABEL: func.func @scalar
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c1{{.*}}, {{.*}} threads({{.*}}) in (%{{.*}} = %c1
// CHECK: scf.for
// CHECK: gpu.terminator
// CHECK-NOT: scf.for
func.func @scalar(%in: memref<8xf32>, %out: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.for %i = %c0 to %c8 step %c1 {
    %a = memref.load %in[%i] : memref<8xf32>
    %b = memref.load %out[] : memref<f32>
    %s = arith.addf %a, %b : f32
    memref.store %s, %out[] : memref<f32>
  }
  return
}

// -----

func.func @dynamic(%out: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  // expected-error @+1 {{needs constant bounds and positive steps to map to a GPU launch}}
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    memref.store %zero, %out[%i] : memref<?xf32>
    scf.reduce
  }
  return
}

// RUN: not tern-opt %s -split-input-file -tern-map-kernels-to-gpu=block-size=2048 2>&1 | FileCheck %s --check-prefix=BLOCK
// BLOCK: block-size (2048) must be in [1, 1024]
