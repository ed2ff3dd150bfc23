//===- Passes.td - Tern lowering passes --------------------*- tablegen -*-===//
#ifndef TERN_CODEGEN_PASSES_TD
#define TERN_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTernToLinalgPass : Pass<"convert-tern-to-linalg", "::mlir::func::FuncOp"> {
  let summary = "Lowers tern ops with static shapes to linalg, tensor, arith and math";
  let description = [{
    Elementwise ops (with broadcasting) and expand become `linalg.generic`
    ops over a `tensor.empty`; constants `arith.constant`; matmuls
    `linalg.matmul` (a weight on the right: batch rows stack into M) or
    `linalg.batch_matmul` (equal batch dimensions) over a zero fill; einsum
    (one or two inputs) and gemm `linalg.generic` contractions; reductions,
    softmax, rms_norm and layer_norm reduction generics plus elementwise ones;
    reshape, squeeze and unsqueeze `tensor.collapse_shape`/`expand_shape`;
    transpose `linalg.transpose`; slice (positive steps) and split
    `tensor.extract_slice`; concat `tensor.concat`. gather, gather_elements,
    topk and rotary become generics over their results that read the source
    with `tensor.extract` at computed positions (indices out of range are
    clamped: kernels cannot report errors); scatter_elements an
    `scf.forall` over the lines of the result along its axis (updates on
    different lines never meet), each a sequential `scf.for` over the
    updates that land on it, in order. quantize, dequantize and casts from or
    to FP8 compute in f32 and emulate FP8 rounding (to nearest even) with
    integer arithmetic, since LLVM has no 8-bit float types. Ops with dynamic
    shapes stay as they are: `ternc --emit=linalg` reports them.

    ```mlir
    %0 = tern.add %a, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
    // becomes
    %e = tensor.empty() : tensor<4x8xf32>
    %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                          affine_map<(d0, d1) -> (d1)>,
                                          affine_map<(d0, d1) -> (d0, d1)>], ...}
        ins(%a, %b : ...) outs(%e : ...) { arith.addf ... }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

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
    ordered dispatches, which the plan's launch list mirrors.

    ```mlir
    %e = memref.expand_shape %arg1 [[0, 1], [2]] output_shape [2, 2, 16]
        : memref<4x16xf32> into memref<2x2x16xf32>
    linalg.generic ... ins(%e : memref<2x2x16xf32>) outs(%arg2 : ...)
    // becomes, in the entry function
    tern.dispatch @kernels::@main_generic_0(%arg1, %arg2)
        : memref<4x16xf32>, memref<2x2x16xf32>
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

def MapKernelsToGpuPass : Pass<"tern-map-kernels-to-gpu", "::mlir::func::FuncOp"> {
  let summary = "Turns a kernel's loop nests into GPU launches, one thread per iteration";
  let description = [{
    Runs on the kernel functions of `@kernels` after
    `convert-linalg-to-parallel-loops`. Each top-level `scf.parallel`
    becomes a `gpu.launch` over its iteration space flattened to one
    dimension: `block-size` threads per block, enough blocks to cover it,
    each thread computing its indices from its global id and skipping the
    tail. Anything else at the top level (a reduction to a scalar, a store)
    runs in a one-thread launch, so that every computation is on the GPU.
    Views and constants the launches use are cloned into them, and the
    originals left unused are erased, so after `gpu-kernel-outlining` each
    GPU kernel takes whole buffers only and the kernel function holds
    nothing but launches (what a plan's launch list can express). Iteration
    spaces must be static.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", "256", "Threads per block (1 to 1024)">
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect"];
}

def MapContractionsToTensorCoresPass
    : Pass<"tern-map-contractions-to-tensor-cores", "::mlir::func::FuncOp"> {
  let summary = "Turns f16/bf16 matmuls with f32 accumulation into mma.sync launches";
  let description = [{
    Runs on the kernel functions of `@kernels` before
    `convert-linalg-to-parallel-loops`. A linalg contraction on buffers
    (matmul, batch_matmul, or a generic with one M, one N and one K loop
    plus batch loops, operands in any order of dimensions) whose two
    operands are both f16 or both bf16, whose accumulator is f32 and whose
    product is taken in f32 becomes a `gpu.launch` that uses the tensor
    cores: blocks of 4 warps cover 64x64 of the output (grid x over N, y
    over M, z over the batch), each warp a 32x32 tile computed with 2 x 4
    `nvvm.mma.sync` m16n8k16 (row, col) per step of 16 along K, accumulating
    in f32 from the output's initial value. Lanes load their fragment
    elements from global memory and read zero past the ends of M, N and K,
    so shapes need not be multiples of the tile; stores past the ends are
    skipped. Needs sm_80 or newer; every Tern GPU target is.

    Anything else (f32 operands, an f16 accumulator, dynamic shapes, a
    contraction with several M, N or K loops, more than 65535 batches or
    row blocks) is left for `tern-tile-contractions`, and what that does not
    tile for `tern-map-kernels-to-gpu`, one thread per output.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect", "::mlir::memref::MemRefDialect",
                           "::mlir::LLVM::LLVMDialect", "::mlir::NVVM::NVVMDialect"];
}

def TileContractionsPass : Pass<"tern-tile-contractions", "::mlir::func::FuncOp"> {
  let summary = "Computes contractions in tiles of outputs held in registers";
  let description = [{
    Runs on the kernel functions of `@kernels`, for the host before
    `convert-linalg-to-loops` and for a GPU after
    `tern-map-contractions-to-tensor-cores`. A linalg contraction on buffers
    with one M, one N and one K loop plus batch loops (matmul, batch_matmul,
    a matmul-like generic with operands in any order of dimensions; static
    sizes, any element types and body) becomes an `scf.parallel` over the
    batch and over tiles of the output, each an `scf.for` along K that
    carries its tile of accumulators as loop values: per step it loads a
    column of the tile's rows of the left operand and a row of its columns
    of the right one, and applies the contraction's body to every pair. On a
    GPU, `tern-map-kernels-to-gpu` makes each tile a thread. Every output
    adds its products in the same order as the plain loop nest, so results
    are identical.

    A tile has at most `tile-m` rows and `tile-n` columns, fewer where tiles
    would overhang the output by more than a quarter (a single row for a
    matrix-vector product); tiles that overhang read the last row or column
    in bounds and skip the stores outside. Contractions whose tile would be
    one element, with dynamic or empty loops, several M, N or K loops,
    indexing maps that are not projected permutations, or bodies that read
    `linalg.index`, are left as they are.

    ```mlir
    linalg.matmul ins(%a, %b : memref<8x16xf32>, memref<16x8xf32>)
                  outs(%c : memref<8x8xf32>)
    // becomes (tile-m = tile-n = 4)
    scf.parallel (%tm, %tn) = (%c0, %c0) to (%c2, %c2) step (%c1, %c1) {
      %c00 = memref.load %c[%r0, %n0] ...      // 16 accumulators
      %acc:16 = scf.for %k = %c0 to %c16 step %c1 iter_args(...) {
        %a0 = memref.load %a[%r0, %k] ...      // 4 rows of A
        %b0 = memref.load %b[%k, %n0] ...      // 4 columns of B
        ...                                    // 16 multiply-adds
      }
      memref.store %acc#0, %c[%r0, %n0] ...
    }
    ```
  }];
  let options = [
    Option<"tileM", "tile-m", "int64_t", "4", "Most rows of the output per tile">,
    Option<"tileN", "tile-n", "int64_t", "4", "Most columns of the output per tile">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect"];
}

#endif // TERN_CODEGEN_PASSES_TD
