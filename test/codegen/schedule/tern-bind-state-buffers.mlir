// RUN: tern-opt %s -split-input-file -tern-bind-state-buffers -verify-diagnostics | FileCheck %s

// A state returned as its own argument: the result goes, the argument stays.
// CHECK-LABEL: func.func @in_place(
// CHECK-SAME: %[[K:.*]]: memref<8x4xf32> {tern.state = "k"}) -> memref<2xf32> {
// CHECK: return %{{.*}} : memref<2xf32>
func.func private @write(memref<8x4xf32>)
func.func @in_place(%k: memref<8x4xf32> {tern.state = "k"})
    -> (memref<8x4xf32> {tern.state = "k"}, memref<2xf32>) {
  func.call @write(%k) : (memref<8x4xf32>) -> ()
  %y = memref.alloc() : memref<2xf32>
  return %k, %y : memref<8x4xf32>, memref<2xf32>
}

// -----

// Through a cast, and with two states matched by name, not position.
// CHECK-LABEL: func.func @through_cast(
// CHECK-SAME: {tern.state = "v"}, %{{.*}}: memref<8x4xf32> {tern.state = "k"}) {
// CHECK: return{{$}}
func.func @through_cast(%v: memref<8x2xf32> {tern.state = "v"}, %k: memref<8x4xf32> {tern.state = "k"})
    -> (memref<8x4xf32> {tern.state = "k"}, memref<8x2xf32> {tern.state = "v"}) {
  %c = memref.cast %k : memref<8x4xf32> to memref<8x4xf32, strided<[4, 1]>>
  %back = memref.cast %c : memref<8x4xf32, strided<[4, 1]>> to memref<8x4xf32>
  return %back, %v : memref<8x4xf32>, memref<8x2xf32>
}

// -----

// Near miss: no state attributes, nothing changes.
// CHECK-LABEL: func.func @no_state(
// CHECK-SAME: -> memref<8x4xf32>
// CHECK: return %{{.*}} : memref<8x4xf32>
func.func @no_state(%k: memref<8x4xf32>) -> memref<8x4xf32> {
  return %k : memref<8x4xf32>
}

// -----

// Near miss: a state only read is an argument with no result to drop.
// CHECK-LABEL: func.func @read_only(
// CHECK-SAME: {tern.state = "k"}) -> memref<2xf32>
func.func @read_only(%k: memref<8x4xf32> {tern.state = "k"}) -> memref<2xf32> {
  %y = memref.alloc() : memref<2xf32>
  return %y : memref<2xf32>
}

// -----

// Bufferization copied: the new contents are in another buffer.
// expected-error @+1 {{cannot update state 'k' in place: result #0 is not computed in argument #0's buffer}}
func.func @copied(%k: memref<8x4xf32> {tern.state = "k"}) -> (memref<8x4xf32> {tern.state = "k"}) {
  %copy = memref.alloc() : memref<8x4xf32>
  memref.copy %k, %copy : memref<8x4xf32> to memref<8x4xf32>
  return %copy : memref<8x4xf32>
}

// -----

// Two entry functions agree on a state's type: accepted.
// CHECK-LABEL: func.func @prefill(
// CHECK-LABEL: func.func @decode(
func.func @prefill(%k: memref<8x4xf32> {tern.state = "k"}) {
  return
}
func.func @decode(%k: memref<8x4xf32> {tern.state = "k"}) {
  return
}

// -----

func.func @prefill(%k: memref<8x4xf32> {tern.state = "k"}) {
  return
}
// expected-error @+1 {{has state 'k' of type 'memref<16x4xf32>', but @prefill has it as 'memref<8x4xf32>'}}
func.func @decode(%k: memref<16x4xf32> {tern.state = "k"}) {
  return
}

// -----

// Private functions are not entry points: left alone.
// CHECK-LABEL: func.func private @helper(
// CHECK-SAME: -> (memref<8x4xf32> {tern.state = "k"})
func.func private @helper(%k: memref<8x4xf32> {tern.state = "k"}) -> (memref<8x4xf32> {tern.state = "k"}) {
  %copy = memref.alloc() : memref<8x4xf32>
  return %copy : memref<8x4xf32>
}
