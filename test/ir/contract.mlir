// RUN: tern-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// The attributes the importers, passes and plan builder exchange
// (ir/Contract.h) round-trip where they follow their rules.
// CHECK: module attributes {tern.target = "sm_90a"}
// CHECK-LABEL: func.func @prefill(
// CHECK-SAME: {tern.name = "input_ids"}
// CHECK-SAME: {tern.name = "cache", tern.state = "cache"}
// CHECK-SAME: -> (tensor<2xf32> {tern.name = "logits"}, tensor<4xf32> {tern.name = "cache", tern.state = "cache"})
module attributes {tern.target = "sm_90a"} {
  func.func @prefill(%ids: tensor<2xi64> {tern.name = "input_ids"},
                     %cache: tensor<4xf32> {tern.name = "cache", tern.state = "cache"})
      -> (tensor<2xf32> {tern.name = "logits"}, tensor<4xf32> {tern.name = "cache", tern.state = "cache"}) {
    %0 = tern.cast %ids : tensor<2xi64> to tensor<2xf32>
    return %0, %cache : tensor<2xf32>, tensor<4xf32>
  }
}

// -----

// The schedule's arena attributes; an output argument (made of a result by
// bufferization) may share an input's name.
// CHECK-LABEL: func.func @scheduled
// CHECK: tern.arena_offset = 64
func.func @scheduled(%x: memref<4xf32> {tern.name = "x"}, %y: memref<4xf32> {bufferize.result, tern.name = "x"})
    attributes {tern.arena_live_peak = 128 : i64, tern.arena_size = 192 : i64} {
  %a = memref.alloc() {tern.arena_offset = 64 : i64} : memref<4xf32>
  return
}

// -----

// expected-error @+1 {{'tern.target' names the unknown target 'sm_75' (expected host, sm_80, sm_89 or sm_90a)}}
module attributes {tern.target = "sm_75"} {
}

// -----

// expected-error @+1 {{'tern.target' belongs on a module}}
func.func @target_on_function() attributes {tern.target = "host"} {
  return
}

// -----

// expected-error @+1 {{unknown attribute 'tern.stat'; the tern attributes are declared in ir/Contract.h}}
func.func @misspelled() attributes {tern.stat = "cache"} {
  return
}

// -----

// expected-error @+1 {{'tern.arena_live_peak' (256) exceeds the arena it is live in ('tern.arena_size' 128)}}
func.func @peak_over_size() attributes {tern.arena_live_peak = 256 : i64, tern.arena_size = 128 : i64} {
  return
}

// -----

func.func @negative_offset() {
  // expected-error @+1 {{'tern.arena_offset' is -64 : i64; expected a non-negative i64 byte count}}
  %a = memref.alloc() {tern.arena_offset = -64 : i64} : memref<4xf32>
  return
}

// -----

// expected-error @+1 {{argument #1 has 'tern.name' "x", as argument #0 does}}
func.func @same_input_name(%a: tensor<2xf32> {tern.name = "x"}, %b: tensor<2xf32> {tern.name = "x"}) {
  return
}

// -----

// expected-error @+1 {{result #1 has 'tern.name' "y", as result #0 does}}
func.func @same_output_name(%a: tensor<2xf32>) -> (tensor<2xf32> {tern.name = "y"}, tensor<2xf32> {tern.name = "y"}) {
  return %a, %a : tensor<2xf32>, tensor<2xf32>
}

// -----

// expected-error @+1 {{argument #0 has 'tern.name' ""; expected a non-empty string}}
func.func @empty_name(%a: tensor<2xf32> {tern.name = ""}) {
  return
}

// -----

// expected-error @+1 {{result #0 returns state "cache", which no argument takes}}
func.func @state_without_argument(%a: tensor<4xf32>) -> (tensor<4xf32> {tern.state = "cache"}) {
  return %a : tensor<4xf32>
}

// -----

// expected-error @+1 {{result #0 returns state "cache" as 'tensor<8xf32>', but argument #0 holds it as 'tensor<4xf32>'}}
func.func @state_retyped(%a: tensor<4xf32> {tern.state = "cache"}) -> (tensor<8xf32> {tern.state = "cache"}) {
  %0 = tern.concat %a, %a {axis = 0 : i64} : (tensor<4xf32>, tensor<4xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// expected-error @+1 {{argument #1 has 'tern.state' "cache", as argument #0 does}}
func.func @state_twice(%a: tensor<4xf32> {tern.state = "cache"}, %b: tensor<4xf32> {tern.state = "cache"}) {
  return
}

// -----

// expected-error @+1 {{'tern.state' belongs on an entry function's arguments and results}}
func.func @state_on_function() attributes {tern.state = "cache"} {
  return
}

// -----

// expected-error @+1 {{'tern.precision' is 'f8'; expected f32 or bf16}}
module attributes {tern.precision = "f8"} {
}

// -----

// expected-error @+1 {{'tern.precision' belongs on a module}}
func.func @precision_on_function() attributes {tern.precision = "bf16"} {
  return
}

// -----

// expected-error @+1 {{'tern.weights' is 'int4'; expected fp8-block or bf16}}
module attributes {tern.weights = "int4"} {
}

// -----

// An input compiled for one value (ternc --input-value) carries it, before
// and after bufferization.
// CHECK-LABEL: func.func @input_value(
// CHECK-SAME: tern.input_value = dense<[0, -1]> : tensor<2xi64>
// CHECK-SAME: tern.input_value = dense<3> : tensor<i32>
func.func @input_value(%axes: tensor<2xi64> {tern.input_value = dense<[0, -1]> : tensor<2xi64>, tern.name = "axes"},
                       %k: memref<i32> {tern.input_value = dense<3> : tensor<i32>, tern.name = "k"}) {
  return
}

// -----

// expected-error @+1 {{argument #0 has 'tern.input_value' dense<1> : tensor<1xi32>, which is not an integer value of the argument's type}}
func.func @input_value_type(%axes: tensor<1xi64> {tern.input_value = dense<1> : tensor<1xi32>}) {
  return
}

// -----

// expected-error @+1 {{argument #0 has 'tern.input_value' dense<1> : tensor<2xi64>, which is not an integer value of the argument's type}}
func.func @input_value_shape(%axes: tensor<1xi64> {tern.input_value = dense<1> : tensor<2xi64>}) {
  return
}

// -----

// tern.unsigned marks signless integers (tern-signless-integers' output).
// CHECK-LABEL: func.func @unsigned(
// CHECK-SAME: {tern.unsigned}
func.func @unsigned(%a: tensor<2xi8> {tern.unsigned}) -> (memref<2xi32> {tern.unsigned}) {
  %0 = memref.alloc() : memref<2xi32>
  return %0 : memref<2xi32>
}

// -----

// expected-error @+1 {{argument #0 has 'tern.unsigned' unit, which marks a unit on signless integers}}
func.func @unsigned_float(%a: tensor<2xf32> {tern.unsigned}) {
  return
}

// -----

// expected-error @+1 {{result #0 has 'tern.unsigned' 1 : i64, which marks a unit on signless integers}}
func.func @unsigned_value(%a: tensor<2xi8>) -> (tensor<2xi8> {tern.unsigned = 1}) {
  return %a : tensor<2xi8>
}
