// RUN: tern-opt %s -split-input-file -tern-outline-kernels -verify-diagnostics | FileCheck %s

// A compute op moves into @kernels with the view it reads; the entry keeps
// the buffers and dispatches on the root buffers.
// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[IN:arg[0-9]+]]: memref<4x16xf32>, %[[OUT:arg[0-9]+]]: memref<2x2x16xf32>)
// CHECK-NOT: linalg.
// CHECK: tern.dispatch @kernels::@main_generic_0(%[[IN]], %[[OUT]]) : memref<4x16xf32>, memref<2x2x16xf32>
// CHECK: module @kernels
// CHECK: func.func @main_generic_0(%[[A:arg[0-9]+]]: memref<4x16xf32>, %[[B:arg[0-9]+]]: memref<2x2x16xf32>)
// CHECK: %[[V:.*]] = memref.expand_shape %[[A]]
// CHECK: linalg.generic {{.*}} ins(%[[V]] : memref<2x2x16xf32>) outs(%[[B]] : memref<2x2x16xf32>)
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @main(%in: memref<4x16xf32>, %out: memref<2x2x16xf32>) {
  %v = memref.expand_shape %in [[0, 1], [2]] output_shape [2, 2, 16] : memref<4x16xf32> into memref<2x2x16xf32>
  linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%v : memref<2x2x16xf32>) outs(%out : memref<2x2x16xf32>) {
  ^bb0(%x: f32, %y: f32):
    %e = math.exp %x : f32
    linalg.yield %e : f32
  }
  return
}

// -----

// Constants a kernel body captures are cloned into it; a weight and an
// allocation are root buffers; a copy becomes a linalg.copy.
// CHECK-LABEL: func.func @main(
// CHECK: %[[W:.*]] = memref.get_global @w
// CHECK: %[[T:.*]] = memref.alloc()
// CHECK: tern.dispatch @kernels::@main_fill_0(%[[T]])
// CHECK: tern.dispatch @kernels::@main_matmul_1(%{{.*}}, %[[W]], %[[T]])
// CHECK: tern.dispatch @kernels::@main_copy_2(%[[T]], %{{.*}})
// CHECK: func.func @main_fill_0(%[[A:arg[0-9]+]]: memref<2x2xf32>)
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0.0
// CHECK-NEXT: linalg.fill ins(%[[Z]] : f32) outs(%[[A]] : memref<2x2xf32>)
// CHECK: func.func @main_copy_2
// CHECK: linalg.copy
memref.global "private" constant @w : memref<3x2xf32> = dense<1.0>
func.func @main(%x: memref<2x3xf32>, %y: memref<2x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %w = memref.get_global @w : memref<3x2xf32>
  %t = memref.alloc() : memref<2x2xf32>
  linalg.fill ins(%zero : f32) outs(%t : memref<2x2xf32>)
  linalg.matmul ins(%x, %w : memref<2x3xf32>, memref<3x2xf32>) outs(%t : memref<2x2xf32>)
  memref.copy %t, %y : memref<2x2xf32> to memref<2x2xf32>
  return
}

// -----

// A copy inside a kernel (bufferization copies a branch's result into its
// destination) becomes a linalg.copy too: a GPU has no memrefCopy to call.
// CHECK-LABEL: func.func @main(
// CHECK: tern.dispatch @kernels::@main_forall_0
// CHECK: func.func @main_forall_0
// CHECK: scf.forall
// CHECK: scf.if
// CHECK: %[[ROW:.*]] = memref.subview
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%{{.*}} : memref<4xf32>) outs(%[[ROW]] : memref<4xf32, strided<[1], offset: ?>>)
// CHECK-NOT: memref.copy
func.func @main(%x: memref<4xf32>, %flags: memref<3xi1>, %y: memref<3x4xf32>) {
  scf.forall (%i) in (3) {
    %flag = memref.load %flags[%i] : memref<3xi1>
    scf.if %flag {
      %row = memref.subview %y[%i, 0] [1, 4] [1, 1] : memref<3x4xf32> to memref<4xf32, strided<[1], offset: ?>>
      memref.copy %x, %row : memref<4xf32> to memref<4xf32, strided<[1], offset: ?>>
    }
  }
  return
}

// -----

// Private functions are not entry points: left alone.
// CHECK-LABEL: func.func private @helper
// CHECK: linalg.fill
// CHECK-NOT: module @kernels
func.func private @helper(%t: memref<2xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%t : memref<2xf32>)
  return
}

// -----

// A kernel cannot capture a scalar the entry function computes.
func.func @main(%x: memref<2xf32>) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{produces a value the schedule would need}}
  %l = memref.load %x[%c0] : memref<2xf32>
  return
}

// -----

// Each dispatch says what part of the model its kernel computes: the names
// of its ops' locations (here a checkpoint's module paths), reduced to their
// common prefix of whole '.'/'/' components; an op inside a body counts, and
// so does a name inside a fused location, but not a constant, an allocation
// or a view (shared and reused between unrelated ops).
// CHECK-LABEL: func.func @sources(
// CHECK: tern.dispatch @kernels::@sources_fill_0(%{{.*}}) {source = "model.layers.0.mlp.up_proj"}
// CHECK: tern.dispatch @kernels::@sources_generic_1(%{{.*}}) {source = "model.layers.0.mlp"}
// CHECK: tern.dispatch @kernels::@sources_generic_2(%{{.*}}) {source = "model.layers"}
// CHECK: tern.dispatch @kernels::@sources_generic_3(%{{.*}}) {source = "/model/layers.1"}
// No common component: the names themselves, at most two and a count.
// CHECK: tern.dispatch @kernels::@sources_generic_4(%{{.*}}) {source = "lm_head + model.norm"}
// CHECK: tern.dispatch @kernels::@sources_generic_5(%{{.*}}) {source = "a + b + 1 more"}
// No names: no source.
// CHECK: tern.dispatch @kernels::@sources_fill_6(%{{.*}}) : memref<4xf32>
#id1 = affine_map<(d0) -> (d0)>
func.func @sources(%out: memref<4xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<4xf32>) loc("model.layers.0.mlp.up_proj")
  linalg.generic {indexing_maps = [#id1], iterator_types = ["parallel"]} outs(%out : memref<4xf32>) {
  ^bb0(%y: f32):
    %one = arith.constant 1.0 : f32 loc("model.layers.7.self_attn")
    %c0 = arith.constant 0 : index
    %scratch = memref.alloca() : memref<2xf32> loc("model.embed_tokens")
    %view = memref.subview %scratch[0] [1] [1] : memref<2xf32> to memref<1xf32, strided<[1]>> loc("model.norm")
    memref.store %y, %view[%c0] : memref<1xf32, strided<[1]>> loc("model.layers.0.mlp.down_proj")
    %e = math.exp %y : f32 loc("model.layers.0.mlp.down_proj")
    %f = arith.addf %e, %one : f32 loc("model.layers.0.mlp.down_proj")
    linalg.yield %f : f32
  } loc(fused["model.layers.0.mlp.gate_proj", "model.layers.0.mlp.up_proj"])
  // "model.layers.0" is common to these only as characters, not components.
  linalg.generic {indexing_maps = [#id1], iterator_types = ["parallel"]} outs(%out : memref<4xf32>) {
  ^bb0(%y: f32):
    %e = math.exp %y : f32 loc("model.layers.0.mlp")
    linalg.yield %e : f32
  } loc("model.layers.01.self_attn")
  linalg.generic {indexing_maps = [#id1], iterator_types = ["parallel"]} outs(%out : memref<4xf32>) {
  ^bb0(%y: f32):
    %e = math.exp %y : f32 loc("/model/layers.1/mlp/Exp")
    linalg.yield %e : f32
  } loc("/model/layers.1/self_attn/Mul")
  linalg.generic {indexing_maps = [#id1], iterator_types = ["parallel"]} outs(%out : memref<4xf32>) {
  ^bb0(%y: f32):
    %e = math.exp %y : f32 loc("model.norm")
    linalg.yield %e : f32
  } loc("lm_head")
  linalg.generic {indexing_maps = [#id1], iterator_types = ["parallel"]} outs(%out : memref<4xf32>) {
  ^bb0(%y: f32):
    %e = math.exp %y : f32 loc("a")
    %f = math.exp %e : f32 loc("b")
    linalg.yield %f : f32 loc("c")
  }
  linalg.fill ins(%zero : f32) outs(%out : memref<4xf32>)
  return
}
