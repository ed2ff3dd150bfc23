// RUN: tern-opt %s -split-input-file -tern-dispatch-host-tasks -verify-diagnostics | FileCheck %s

// The kernel takes the runtime's context last; its call of the task over
// [0, 64) stores the task's parameters in 8-byte slots and calls the
// context's parallelFor (its first field) with the packed task, which loads
// them back and calls the task.
// CHECK-LABEL: llvm.func @kernel
// CHECK-SAME: (%[[X:.*]]: !llvm.ptr, %[[S:.*]]: f32, %[[CTX:.*]]: !llvm.ptr)
// CHECK: %[[SLOTS:.*]] = llvm.alloca %{{.*}} x i64 {alignment = 8 : i64} : (i64) -> !llvm.ptr
// CHECK: %[[C0:.*]] = llvm.mlir.constant(0 : i64)
// CHECK: %[[C64:.*]] = llvm.mlir.constant(64 : i64)
// CHECK: %[[SLOT0:.*]] = llvm.getelementptr %[[SLOTS]][0] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK: llvm.store %[[X]], %[[SLOT0]] : !llvm.ptr, !llvm.ptr
// CHECK: %[[SLOT1:.*]] = llvm.getelementptr %[[SLOTS]][1] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK: llvm.store %[[S]], %[[SLOT1]] : f32, !llvm.ptr
// CHECK: %[[FIELD:.*]] = llvm.getelementptr %[[CTX]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[PARALLEL_FOR:.*]] = llvm.load %[[FIELD]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[TASK:.*]] = llvm.mlir.addressof @kernel_task_packed : !llvm.ptr
// CHECK: llvm.call %[[PARALLEL_FOR]](%[[CTX]], %[[TASK]], %[[SLOTS]], %[[C0]], %[[C64]]) : !llvm.ptr, (!llvm.ptr, !llvm.ptr, !llvm.ptr, i64, i64) -> ()
// CHECK-NOT: llvm.call @kernel_task(
// CHECK: llvm.func internal @kernel_task(%{{.*}}: !llvm.ptr, %{{.*}}: f32, %{{.*}}: i64, %{{.*}}: i64) attributes {tern.host_task}
// CHECK: llvm.func internal @kernel_task_packed(%[[ARGS:.*]]: !llvm.ptr, %[[BEGIN:.*]]: i64, %[[END:.*]]: i64)
// CHECK: %[[A0:.*]] = llvm.getelementptr %[[ARGS]][0] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK: %[[P0:.*]] = llvm.load %[[A0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[A1:.*]] = llvm.getelementptr %[[ARGS]][1] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK: %[[P1:.*]] = llvm.load %[[A1]] : !llvm.ptr -> f32
// CHECK: llvm.call @kernel_task(%[[P0]], %[[P1]], %[[BEGIN]], %[[END]])
llvm.func @kernel(%x: !llvm.ptr, %s: f32) {
  %c0 = llvm.mlir.constant(0 : i64) : i64
  %c64 = llvm.mlir.constant(64 : i64) : i64
  llvm.call @kernel_task(%x, %s, %c0, %c64) : (!llvm.ptr, f32, i64, i64) -> ()
  llvm.return
}
llvm.func @kernel_task(%x: !llvm.ptr, %s: f32, %begin: i64, %end: i64) attributes {tern.host_task} {
  llvm.return
}
// A kernel without tasks still takes the context; declarations do not.
// CHECK-LABEL: llvm.func @plain
// CHECK-SAME: (%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK: llvm.func @expf(f32) -> f32
llvm.func @plain(%x: !llvm.ptr) {
  llvm.return
}
llvm.func @expf(f32) -> f32

// -----

// expected-error @below {{'llvm.func' op is a host task but does not end with its range (i64 begin, end)}}
llvm.func @bad_task(%x: !llvm.ptr) attributes {tern.host_task} {
  llvm.return
}
