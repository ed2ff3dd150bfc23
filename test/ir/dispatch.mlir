// RUN: tern-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @main(
// CHECK: tern.dispatch @kernels::@k(%{{.*}}, %{{.*}}) : memref<4xf32>, memref<4xf32>
func.func @main(%a: memref<4xf32>, %b: memref<4xf32>) {
  tern.dispatch @kernels::@k(%a, %b) : memref<4xf32>, memref<4xf32>
  return
}
module @kernels {
  func.func @k(%a: memref<4xf32>, %b: memref<4xf32>) {
    return
  }
}

// -----

// After lowering, only the symbol is checked.
// CHECK-LABEL: func.func @main(
// CHECK: tern.dispatch @kernels::@k(%{{.*}}) : memref<4xf32>
func.func @main(%a: memref<4xf32>) {
  tern.dispatch @kernels::@k(%a) : memref<4xf32>
  return
}
module @kernels {
  llvm.func @k(%a: !llvm.ptr) {
    llvm.return
  }
}

// -----

func.func @main(%a: memref<4xf32>) {
  // expected-error @+1 {{'tern.dispatch' op kernel @kernels::@missing is not a function}}
  tern.dispatch @kernels::@missing(%a) : memref<4xf32>
  return
}
module @kernels {
}

// -----

func.func @main(%a: memref<4xf32>) {
  // expected-error @+1 {{buffer types ('memref<4xf32>') do not match the kernel's signature '(memref<8xf32>) -> ()'}}
  tern.dispatch @kernels::@k(%a) : memref<4xf32>
  return
}
module @kernels {
  func.func @k(%a: memref<8xf32>) {
    return
  }
}

// -----

func.func @main(%a: memref<?xf32>) {
  // expected-error @+1 {{operand #0 must be variadic of statically shaped memref of any type values}}
  tern.dispatch @kernels::@k(%a) : memref<?xf32>
  return
}
