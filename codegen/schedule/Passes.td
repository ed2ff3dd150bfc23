//===- Passes.td - Scheduling passes -----------------------*- tablegen -*-===//
#ifndef TERN_CODEGEN_SCHEDULE_PASSES_TD
#define TERN_CODEGEN_SCHEDULE_PASSES_TD

include "mlir/Pass/PassBase.td"

def MarkInputsReadOnlyPass : Pass<"tern-mark-inputs-read-only", "::mlir::ModuleOp"> {
  let summary = "Marks entry-function inputs read-only for bufferization";
  let description = [{
    Runs right before one-shot bufferization. The runtime binds an entry
    function's tensor arguments to the caller's input buffers, which kernels
    must never write: a plan may be run again on the same inputs, and the C++
    API takes them as `const`. Every tensor argument of a public function
    that is not a state (`tern.state`) gets `bufferization.writable = false`,
    so that an op that would update an input in place (a scatter into it)
    works on a copy instead. States stay writable, since their update in
    place is what `tern-bind-state-buffers` checks.

    ```mlir
    func.func @main(%x: tensor<4xf32>, %k: tensor<8xf32> {tern.state = "k"})
    // becomes
    func.func @main(%x: tensor<4xf32> {bufferization.writable = false},
                    %k: tensor<8xf32> {tern.state = "k"})
    ```
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect"];
}

def BufferizeFunctionsInOrderPass : Pass<"tern-bufferize-functions-in-order",
                                         "::mlir::ModuleOp"> {
  let summary = "One-shot bufferization of each function alone, in module order";
  let description = [{
    Upstream one-shot module bufferization orders the functions that call
    no other function by the hash of their addresses, and both the names of
    the constant globals it creates and its in-place decisions follow that
    order: a module with several entry points (prefill and decode) compiled
    twice gave two different plans. This pass bufferizes one function at a
    time, in the order the module lists them, each with the others moved
    aside (the globals stay, so a constant two functions share becomes one
    global); the result is the same on every run. A module in which a
    function calls another is bufferized as a whole, as upstream does.

    The options are those of Tern's pipeline: function boundaries
    bufferized, with identity-layout memrefs.
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect",
                           "::mlir::memref::MemRefDialect"];
}

def BindStateBuffersPass : Pass<"tern-bind-state-buffers", "::mlir::ModuleOp"> {
  let summary = "Checks that state is updated in its own buffer and drops its results";
  let description = [{
    Runs right after one-shot bufferization. State (a KV cache) is a tensor
    the runtime keeps between calls: an entry function takes it as an
    argument with `tern.state = "NAME"` and returns its new contents as a
    result with the same attribute. After bufferization the returned buffer
    must be the argument's own (possibly through `memref.cast`), which means
    every write went into the state in place; the result is then dropped, and
    the plan binds the argument to the runtime's state buffer. A state result
    computed anywhere else (bufferization had to copy, or the function
    returns something unrelated) is an error naming the state, and so is a
    state that two entry functions give different types.

    ```mlir
    func.func @decode(%x: memref<2x4xf32>, %k: memref<8x4xf32> {tern.state = "k"})
        -> (memref<8x4xf32> {tern.state = "k"}) {
      ... writes into %k ...
      return %k : memref<8x4xf32>
    }
    // becomes
    func.func @decode(%x: memref<2x4xf32>, %k: memref<8x4xf32> {tern.state = "k"}) {
      ... writes into %k ...
      return
    }
    ```
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def OutlineKernelsPass : Pass<"tern-outline-kernels", "::mlir::ModuleOp"> {
  let summary = "Moves each compute op of a bufferized entry function into a kernel";
  let description = [{
    Runs after bufferization. In every public function, each op that
    computes (a linalg op, a copy: anything but an allocation, a weight
    reference, a view or a constant) moves into a private function of the
    nested module `@kernels`, together with the views and constants it
    uses, and a `tern.dispatch` on the root buffers takes its place. The
    entry function is left as the schedule: allocations, weights and the
    ordered dispatches, which the plan's launch list mirrors. Copies, the
    op itself or inside it (bufferization copies a branch's result into
    its destination), become `linalg.copy`, so that every kernel is a loop
    nest both kernel pipelines lower (a GPU has no `memrefCopy` to call).
    Each dispatch records its kernel's `source`: the names of its ops'
    locations (module paths, ONNX node names) cut to their common prefix of
    whole `.`/`/` components, or up to two of them and a count when they
    share none.

    ```mlir
    %e = memref.expand_shape %arg1 [[0, 1], [2]] output_shape [2, 2, 16]
        : memref<4x16xf32> into memref<2x2x16xf32>
    linalg.generic ... ins(%e : memref<2x2x16xf32>) outs(%arg2 : ...)
    // becomes, in the entry function
    tern.dispatch @kernels::@main_generic_0(%arg1, %arg2)
        : memref<4x16xf32>, memref<2x2x16xf32>
    ```
  }];
  let dependentDialects = ["::mlir::tern::TernDialect", "::mlir::func::FuncDialect",
                           "::mlir::linalg::LinalgDialect"];
}

def DeduplicateKernelsPass : Pass<"tern-deduplicate-kernels", "::mlir::ModuleOp"> {
  let summary = "Keeps one kernel of each distinct body and points every dispatch at it";
  let description = [{
    Runs after `tern-outline-kernels`. A model's repeated layers outline
    into kernels that differ only in their names (weights and activations
    are buffer arguments); each distinct kernel of `@kernels` (the same
    signature, attributes and body, locations aside) is kept once, the
    others are erased and their `tern.dispatch`es call the one kept. The
    kernel pipelines then compile each body once: on the full
    DeepSeek-V2-Lite-shaped checkpoint 27 layers need the kernels of about
    two. Dispatches keep their `source`, so profiles name the layer that ran.

    ```mlir
    tern.dispatch @kernels::@main_generic_7(%a, %w1) {source = "model.layers.1.mlp"}
    tern.dispatch @kernels::@main_generic_19(%b, %w2) {source = "model.layers.2.mlp"}
    // with @main_generic_19 the same as @main_generic_7 but for its name:
    tern.dispatch @kernels::@main_generic_7(%a, %w1) {source = "model.layers.1.mlp"}
    tern.dispatch @kernels::@main_generic_7(%b, %w2) {source = "model.layers.2.mlp"}
    ```
  }];
  let dependentDialects = ["::mlir::tern::TernDialect", "::mlir::func::FuncDialect"];
}

def PlanMemoryPass : Pass<"tern-plan-memory", "::mlir::ModuleOp"> {
  let summary = "Assigns every allocation an offset in one arena from liveness";
  let description = [{
    In every entry function (scheduled by `tern-outline-kernels`), each
    `memref.alloc` lives from its first dispatch to its last (views
    included). Allocations are placed largest first at the lowest
    `alignment`-aligned offset that no allocation live at the same time
    overlaps. Each alloc gets `tern.arena_offset`, the function
    `tern.arena_size` (bytes, a multiple of `alignment`) and
    `tern.arena_live_peak`, the most bytes live at once (the lower bound
    the packing is measured against). Dynamic shapes are refused.
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", "64",
           "Byte alignment of every arena offset (a power of two)">
  ];
}

def FormKernelsPass : Pass<"tern-form-kernels"> {
  let summary = "Fuses producers into their consumer's kernel by Tern's rules";
  let description = [{
    Runs on linalg on tensors, before bufferization: what one linalg op
    computes becomes one kernel, so fusing a producer's body into its
    consumer's puts both in one kernel and keeps the intermediate out of
    memory. A single-use elementwise `linalg.generic` joins its consumer
    when one of the rules of `KernelFormationRules.h` allows it:

    - elementwise-chain: the consumer is elementwise too;
    - reduction-input: the consumer reduces and reads each element of the
      producer once (its map for it is a permutation of all its loops), as
      a sum of squares does;
    - weight-conversion: the producer reads constants only (a weight widened
      from bf16, an FP8 weight dequantized with its block scales), so the
      contraction converts the weight in registers and no widened copy is
      written.

    Anything else stays a kernel of its own: in particular an activation
    feeding a matmul (the SiLU-gated product into the down projection, an
    RMSNorm's output into a projection), which fusing would recompute once
    per output column. Reshapes fold into generics and constants fold as in
    upstream's `linalg-fuse-elementwise-ops`, which this replaces.
    `report-fusions` emits a remark on each consumer a producer joins,
    naming the rule.
  }];
  let options = [
    Option<"reportFusions", "report-fusions", "bool", "false",
           "Emit a remark naming the rule for each fusion">
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect"];
}

#endif // TERN_CODEGEN_SCHEDULE_PASSES_TD
