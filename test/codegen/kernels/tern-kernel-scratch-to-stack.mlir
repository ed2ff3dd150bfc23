// RUN: tern-opt %s -split-input-file -tern-kernel-scratch-to-stack -verify-diagnostics | FileCheck %s --check-prefix=THREAD
// RUN: tern-opt %s -split-input-file -tern-kernel-scratch-to-stack=hoist -verify-diagnostics | FileCheck %s --check-prefix=HOIST
// RUN: not tern-opt %s -split-input-file -tern-kernel-scratch-to-stack=max-bytes=2 2>&1 | FileCheck %s --check-prefix=LIMIT

// A row's sum, allocated in each iteration: on the stack of the iteration
// (a GPU thread), or once at the kernel's entry (the host, in order).
// THREAD-LABEL: func.func @row_sums
// THREAD: scf.forall
// THREAD-NEXT: memref.alloca() {alignment = 64 : i64} : memref<1xf32>
// THREAD-NOT: memref.alloc()
// HOIST-LABEL: func.func @row_sums
// HOIST-NEXT: memref.alloca() {alignment = 64 : i64} : memref<1xf32>
// HOIST-NEXT: scf.forall
// HOIST-NOT: memref.alloc
// LIMIT: error: 'memref.alloc' op allocates 'memref<1xf32>' in each iteration of a parallel loop; such scratch must have a static shape and at most 2 bytes
func.func @row_sums(%x: memref<4x8xf32>, %y: memref<4xf32>) {
  scf.forall (%row) in (4) {
    %sum = memref.alloc() {alignment = 64 : i64} : memref<1xf32>
    %line = memref.subview %x[%row, 0] [1, 8] [1, 1] : memref<4x8xf32> to memref<1x8xf32, strided<[8, 1], offset: ?>>
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                    iterator_types = ["parallel", "reduction"]}
        ins(%line : memref<1x8xf32, strided<[8, 1], offset: ?>>) outs(%sum : memref<1xf32>) {
    ^bb0(%a: f32, %acc: f32):
      %s = arith.addf %a, %acc : f32
      linalg.yield %s : f32
    }
    %out = memref.subview %y[%row] [1] [1] : memref<4xf32> to memref<1xf32, strided<[1], offset: ?>>
    memref.copy %sum, %out : memref<1xf32> to memref<1xf32, strided<[1], offset: ?>>
  }
  return
}

// -----

// Near-miss: an allocation outside any parallel loop is the schedule's, and
// stays.
// THREAD-LABEL: func.func @outside
// THREAD: memref.alloc()
// HOIST-LABEL: func.func @outside
// HOIST: memref.alloc()
func.func @outside() -> memref<4xf32> {
  %a = memref.alloc() : memref<4xf32>
  return %a : memref<4xf32>
}

// -----

func.func @dynamic(%n: index) {
  scf.forall (%row) in (4) {
    // expected-error @+1 {{'memref.alloc' op allocates 'memref<?xf32>' in each iteration of a parallel loop; such scratch must have a static shape and at most}}
    %a = memref.alloc(%n) : memref<?xf32>
  }
  return
}
