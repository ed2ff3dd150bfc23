// RUN: tern-opt %s -split-input-file -tern-plan-memory -verify-diagnostics | FileCheck %s

// %a dies before %c is born: they share offset 0; %b is live with both.
// CHECK-LABEL: func.func @main(
// CHECK-SAME: tern.arena_live_peak = 1536 : i64, tern.arena_size = 1536 : i64
// CHECK: %[[A:.*]] = memref.alloc() {tern.arena_offset = 0 : i64} : memref<256xf32>
// CHECK: %[[B:.*]] = memref.alloc() {tern.arena_offset = 1024 : i64} : memref<128xf32>
// CHECK: %[[C:.*]] = memref.alloc() {tern.arena_offset = 0 : i64} : memref<256xf32>
func.func private @k1(memref<256xf32>)
func.func private @k2(memref<256xf32>, memref<128xf32>)
func.func @main() {
  %a = memref.alloc() : memref<256xf32>
  %b = memref.alloc() : memref<128xf32>
  %c = memref.alloc() : memref<256xf32>
  tern.dispatch @k1(%a) : memref<256xf32>
  tern.dispatch @k2(%a, %b) : memref<256xf32>, memref<128xf32>
  tern.dispatch @k2(%c, %b) : memref<256xf32>, memref<128xf32>
  return
}

// -----

// A use through a view keeps the allocation alive; offsets are 64-aligned.
// CHECK-LABEL: func.func @main(
// CHECK-SAME: tern.arena_size = 128 : i64
// CHECK: memref.alloc() {tern.arena_offset = 0 : i64} : memref<3xf32>
// CHECK: memref.alloc() {tern.arena_offset = 64 : i64} : memref<3xf32>
func.func private @k(memref<3xf32>)
func.func private @k2(memref<1x3xf32>, memref<3xf32>)
func.func @main() {
  %a = memref.alloc() : memref<3xf32>
  %b = memref.alloc() : memref<3xf32>
  tern.dispatch @k(%a) : memref<3xf32>
  %v = memref.expand_shape %a [[0, 1]] output_shape [1, 3] : memref<3xf32> into memref<1x3xf32>
  tern.dispatch @k2(%v, %b) : memref<1x3xf32>, memref<3xf32>
  return
}

// -----

func.func @main(%n: index) {
  // expected-error @+1 {{needs a static shape for the memory plan, got 'memref<?xf32>'}}
  %a = memref.alloc(%n) : memref<?xf32>
  return
}

// -----

// RUN: not tern-opt %s -split-input-file -tern-plan-memory=alignment=48 2>&1 | FileCheck %s --check-prefix=ALIGN
// ALIGN: alignment (48) must be a power of two
