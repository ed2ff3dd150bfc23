// RUN: tern-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// Specializations of one entry point: each names the entry point and the
// dimension values it was compiled for; they round-trip.
// CHECK-LABEL: func.func @main_seq2
// CHECK-SAME: attributes {tern.dims = {seq = 2 : i64}, tern.entry_point = "main"}
func.func @main_seq2(%x: tensor<2xf32>) -> tensor<2xf32> attributes {tern.dims = {seq = 2 : i64}, tern.entry_point = "main"} {
  return %x : tensor<2xf32>
}
// CHECK-LABEL: func.func @main_seq4
func.func @main_seq4(%x: tensor<4xf32>) -> tensor<4xf32> attributes {tern.dims = {seq = 4 : i64}, tern.entry_point = "main"} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'tern.dims' needs 'tern.entry_point', the entry point this function specializes}}
func.func @dims_alone() attributes {tern.dims = {seq = 2 : i64}} {
  return
}

// -----

// expected-error @+1 {{'tern.entry_point' needs 'tern.dims', the dimension values this function is specialized for}}
func.func @entry_alone() attributes {tern.entry_point = "main"} {
  return
}

// -----

// expected-error @+1 {{'tern.entry_point' must be a non-empty string}}
func.func @entry_not_string() attributes {tern.dims = {seq = 2 : i64}, tern.entry_point = 3 : i64} {
  return
}

// -----

// expected-error @+1 {{'tern.dims' must be a non-empty dictionary of dimension values}}
func.func @dims_empty() attributes {tern.dims = {}, tern.entry_point = "main"} {
  return
}

// -----

// expected-error @+1 {{'tern.dims' gives dimension 'seq' -2 : i64; expected a non-negative i64}}
func.func @dims_negative() attributes {tern.dims = {seq = -2 : i64}, tern.entry_point = "main"} {
  return
}

// -----

// expected-error @+1 {{'tern.dims' gives dimension 'seq' 2 : i32; expected a non-negative i64}}
func.func @dims_i32() attributes {tern.dims = {seq = 2 : i32}, tern.entry_point = "main"} {
  return
}

// -----

// expected-error @+1 {{'tern.dims' marks a public function (an entry point)}}
func.func private @private_entry() attributes {tern.dims = {seq = 2 : i64}, tern.entry_point = "main"} {
  return
}

// -----

// expected-error @+1 {{'tern.dims' marks a public function (an entry point)}}
module attributes {tern.dims = {seq = 2 : i64}} {
}
