// RUN: tern-opt %s -split-input-file -tern-outline-host-tasks | FileCheck %s
// RUN: tern-opt %s -split-input-file -tern-outline-host-tasks=min-work=1 | FileCheck %s --check-prefix=ANY

// A 128 x 128 elementwise loop: a task over the 128 rows (the first loop
// alone gives at least 64 iterations), each running its row's columns as an
// inner loop; the kernel calls it over the whole range.
// CHECK-LABEL: func.func @rows
// CHECK-SAME: (%[[X:.*]]: memref<128x128xf32>, %[[Y:.*]]: memref<128x128xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C128:.*]] = arith.constant 128 : index
// CHECK: call @rows_task(%[[X]], %[[Y]], %[[C0]], %[[C128]]) : (memref<128x128xf32>, memref<128x128xf32>, index, index) -> ()
// CHECK-NOT: scf.parallel
// CHECK: return
// CHECK: func.func private @rows_task(%[[TX:.*]]: memref<128x128xf32>, %[[TY:.*]]: memref<128x128xf32>, %[[BEGIN:.*]]: index, %[[END:.*]]: index) attributes {tern.host_task}
// CHECK: scf.for %[[ROW:.*]] = %[[BEGIN]] to %[[END]] step
// CHECK: scf.parallel (%[[COL:.*]]) = (%{{.*}}) to (%{{.*}}) step
// CHECK: memref.load %[[TX]][%[[ROW]], %[[COL]]]
// CHECK: memref.store %{{.*}}, %[[TY]][%[[ROW]], %[[COL]]]
func.func @rows(%x: memref<128x128xf32>, %y: memref<128x128xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c128 = arith.constant 128 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c128, %c128) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<128x128xf32>
    %e = math.exp %v : f32
    %s = arith.addf %e, %v : f32
    %t = arith.mulf %s, %s : f32
    memref.store %t, %y[%i, %j] : memref<128x128xf32>
    scf.reduce
  }
  return
}

// -----

// Few rows (4 x 2 x 32, the last loop by steps of 2): the range spans all
// three loops (4, then 8, then 256 iterations), delinearized row-major, the
// last loop's step applied.
// CHECK-LABEL: func.func @heads
// CHECK: %[[C256:.*]] = arith.constant 256 : index
// CHECK: call @heads_task(%{{.*}}, %{{.*}}, %{{.*}}, %[[C256]])
// CHECK: func.func private @heads_task(%[[TX:.*]]: memref<4x2x64xf32>, %[[TY:.*]]: memref<4x2x64xf32>,
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK: scf.for %[[ID:.*]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT: %[[K:.*]] = arith.remui %[[ID]], %[[C32]]
// CHECK-NEXT: %[[REST:.*]] = arith.divui %[[ID]], %[[C32]]
// CHECK-NEXT: %[[KK:.*]] = arith.muli %[[K]], %[[C2]]
// CHECK-NEXT: %[[H:.*]] = arith.remui %[[REST]], %[[C2]]
// CHECK-NEXT: %[[B:.*]] = arith.divui %[[REST]], %[[C2]]
// CHECK-NOT: scf.parallel
// CHECK: memref.load %[[TX]][%[[B]], %[[H]], %[[KK]]]
func.func @heads(%x: memref<4x2x64xf32>, %y: memref<4x2x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%b, %h, %k) = (%c0, %c0, %c0) to (%c4, %c2, %c64) step (%c1, %c1, %c2) {
    scf.for %r = %c0 to %c64 step %c1 {
      %v = memref.load %x[%b, %h, %k] : memref<4x2x64xf32>
      %e = math.exp %v : f32
      memref.store %e, %y[%b, %h, %k] : memref<4x2x64xf32>
    }
    scf.reduce
  }
  return
}

// -----

// Scratch only the loop uses (hoisted for one thread) is cloned into the
// task: each thread gets its own. A buffer the kernel also writes outside
// the loop, and a scalar computed before it, are parameters; a view of a
// parameter and constants are cloned.
// CHECK-LABEL: func.func @captures
// CHECK-NOT: memref<1xf32>
// CHECK: %[[SHARED:.*]] = memref.alloca() : memref<64xf32>
// CHECK: %[[SCALE:.*]] = memref.load
// CHECK: memref.store %[[SCALE]], %[[SHARED]]
// CHECK: call @captures_task(%{{.*}}, %[[SHARED]], %[[SCALE]], %{{.*}}, %{{.*}}) : (memref<256x64xf32>, memref<64xf32>, f32, index, index) -> ()
// CHECK: func.func private @captures_task(%[[TX:.*]]: memref<256x64xf32>, %{{.*}}: memref<64xf32>, %{{.*}}: f32, %{{.*}}: index, %{{.*}}: index)
// CHECK-DAG: memref.alloca() : memref<1xf32>
// CHECK-DAG: memref.subview %[[TX]][0, 0] [128, 64] [1, 1]
// CHECK: scf.for
func.func @captures(%x: memref<256x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c128 = arith.constant 128 : index
  %c64 = arith.constant 64 : index
  %scratch = memref.alloca() : memref<1xf32>
  %shared = memref.alloca() : memref<64xf32>
  %scale = memref.load %x[%c0, %c0] : memref<256x64xf32>
  memref.store %scale, %shared[%c0] : memref<64xf32>
  %top = memref.subview %x[0, 0] [128, 64] [1, 1] : memref<256x64xf32> to memref<128x64xf32, strided<[64, 1]>>
  scf.parallel (%i) = (%c0) to (%c128) step (%c1) {
    scf.for %j = %c0 to %c64 step %c1 {
      %v = memref.load %top[%i, %j] : memref<128x64xf32, strided<[64, 1]>>
      memref.store %v, %scratch[%c0] : memref<1xf32>
      %w = memref.load %scratch[%c0] : memref<1xf32>
      %m = memref.load %shared[%j] : memref<64xf32>
      %s = arith.mulf %w, %scale : f32
      %t = arith.mulf %s, %m : f32
      %e = math.exp %t : f32
      memref.store %e, %top[%i, %j] : memref<128x64xf32, strided<[64, 1]>>
    }
    scf.reduce
  }
  return
}

// -----

// A parallel loop inside a sequential one: the outer induction variable is
// a parameter, the call is made per outer iteration. An inner parallel loop
// of an outlined one stays inside its task.
// CHECK-LABEL: func.func @nested
// CHECK: scf.for %[[STEP:.*]] =
// CHECK: call @nested_task(%{{.*}}, %[[STEP]], %{{.*}}, %{{.*}}) : (memref<8x64x64xf32>, index, index, index) -> ()
// CHECK: func.func private @nested_task
// CHECK: scf.for
// CHECK: scf.parallel
// CHECK-NOT: call
func.func @nested(%x: memref<8x64x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  scf.for %t = %c0 to %c8 step %c1 {
    scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
      scf.parallel (%j) = (%c0) to (%c64) step (%c1) {
        %v = memref.load %x[%t, %i, %j] : memref<8x64x64xf32>
        %e = math.exp %v : f32
        %f = math.exp %e : f32
        %g = math.exp %f : f32
        %h = math.exp %g : f32
        memref.store %h, %x[%t, %i, %j] : memref<8x64x64xf32>
        scf.reduce
      }
      scf.reduce
    }
  }
  return
}

// -----

// Near-misses, left on the calling thread: too little work (an 8-element
// loop; outlined only with min-work=1), a loop with a reduction, dynamic
// bounds, and a strided buffer no parameter can carry.
// CHECK-LABEL: func.func @small
// CHECK: scf.parallel
// CHECK-NOT: call
// ANY-LABEL: func.func @small
// ANY: call @small_task
func.func @small(%x: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %v = memref.load %x[%i] : memref<8xf32>
    %e = math.exp %v : f32
    memref.store %e, %x[%i] : memref<8xf32>
    scf.reduce
  }
  return
}

// CHECK-LABEL: func.func @reduction
// CHECK: scf.parallel
// CHECK-NOT: call
// ANY-LABEL: func.func @reduction
// ANY-NOT: call
func.func @reduction(%x: memref<4096xf32>, %out: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4096 = arith.constant 4096 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.parallel (%i) = (%c0) to (%c4096) step (%c1) init (%zero) -> f32 {
    %v = memref.load %x[%i] : memref<4096xf32>
    scf.reduce(%v : f32) {
    ^bb0(%a: f32, %b: f32):
      %s = arith.addf %a, %b : f32
      scf.reduce.return %s : f32
    }
  }
  memref.store %sum, %out[] : memref<f32>
  return
}

// CHECK-LABEL: func.func @dynamic
// CHECK: scf.parallel
// CHECK-NOT: call
// ANY-LABEL: func.func @dynamic
// ANY-NOT: call
func.func @dynamic(%x: memref<4096xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %v = memref.load %x[%i] : memref<4096xf32>
    %e = math.exp %v : f32
    memref.store %e, %x[%i] : memref<4096xf32>
    scf.reduce
  }
  return
}

// CHECK-LABEL: func.func @strided
// CHECK: scf.parallel
// CHECK-NOT: call
// ANY-LABEL: func.func @strided
// ANY-NOT: call
func.func @strided(%x: memref<4096xf32, strided<[2]>>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4096 = arith.constant 4096 : index
  scf.parallel (%i) = (%c0) to (%c4096) step (%c1) {
    %v = memref.load %x[%i] : memref<4096xf32, strided<[2]>>
    %e = math.exp %v : f32
    memref.store %e, %x[%i] : memref<4096xf32, strided<[2]>>
    scf.reduce
  }
  return
}
