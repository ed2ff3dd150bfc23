//===- ScheduleOps.td - Ops of the scheduled, bufferized form --*- tablegen -*-===//
//
// After bufferization an entry function is a list of kernel calls on whole
// buffers; these ops state that schedule. They work on memrefs, so they do
// not take the tensor ops' base class.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_SCHEDULE_OPS_TD
#define TERN_SCHEDULE_OPS_TD

include "ir/TernDialect.td"
include "mlir/IR/SymbolInterfaces.td"

def Tern_DispatchOp : Op<Tern_Dialect, "dispatch", [
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Runs one kernel of the nested kernels module on whole buffers";
  let description = [{
    Made by `tern-outline-kernels`: each compute op of an entry function
    moves into a kernel function of the nested module `@kernels`, and a
    `tern.dispatch` takes its place. Operands are root buffers (function
    arguments, arena allocations or weights), never views: the kernel
    rebuilds its views itself, so the plan's launch list names buffers only.
    While the callee is still a `func.func` its argument types must match
    the operands; after lowering (to LLVM or GPU launches) only the symbol
    is checked.

    `source`, when present, says which part of the model the kernel computes
    (the common prefix of its ops' location names: a checkpoint's module
    paths, ONNX node names); plans record it per launch for `tern-run
    --inspect` and `--profile`.

    ```mlir
    tern.dispatch @kernels::@main_generic_1(%alloc, %arg1) {source = "model.layers.0.mlp"}
        : memref<4x16xf32>, memref<4x16xf32>
    ```
  }];
  let arguments = (ins SymbolRefAttr:$kernel, Variadic<AnyStaticShapeMemRef>:$buffers,
                       OptionalAttr<StrAttr>:$source);
  let assemblyFormat = [{
    $kernel `(` $buffers `)` attr-dict `:` type($buffers)
  }];
}

#endif // TERN_SCHEDULE_OPS_TD
