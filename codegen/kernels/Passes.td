//===- Passes.td - Kernel lowering for the host and GPUs ---*- tablegen -*-===//
#ifndef TERN_CODEGEN_KERNELS_PASSES_TD
#define TERN_CODEGEN_KERNELS_PASSES_TD

include "mlir/Pass/PassBase.td"

def CollapseContractionDimsPass : Pass<"tern-collapse-contraction-dims", "::mlir::func::FuncOp"> {
  let summary = "Merges a contraction's loops that walk its operands as one";
  let description = [{
    Runs on the kernel functions of `@kernels`, first of the contraction
    passes in both kernel pipelines. A linalg contraction on buffers whose
    M, N, K or batch role has several loops, consecutive and in the same
    order in every operand that reads them (a projection whose output was
    reshaped into heads: N = heads x head size over a [K, N] weight), gets
    each such group merged into one loop, its operands viewed through
    `memref.collapse_shape`, so that `tern-stream-contractions` and
    `tern-tile-contractions`, which take one M, N and K, compute it. The
    products and their order do not change. Groups that are not contiguous
    in every operand's memory are left alone.

    ```mlir
    linalg.generic {(m, h, d, k): x[m, k], w[k, h, d] -> y[m, h, d]}
        ins(%x, %w : memref<1x2048xf32>, memref<2048x16x192xbf16>) outs(%y : memref<1x16x192xf32>)
    // becomes
    linalg.generic {(m, n, k): x[m, k], w[k, n] -> y[m, n]}
        ins(%x, %w2 : memref<1x2048xf32>, memref<2048x3072xbf16>) outs(%y2 : memref<1x3072xf32>)
    ```
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def ExpandFp8ConversionsPass : Pass<"tern-expand-fp8-conversions"> {
  let summary = "Expands FP8 widenings (arith.extf) for the target";
  let description = [{
    The lowerings widen FP8 E4M3FN and E5M2 values with `arith.extf`,
    which LLVM cannot lower. With `hardware` (chips with FP8 conversions:
    sm_89, sm_90a) each becomes PTX's `cvt.rn.f16x2.e4m3x2` (or `e5m2x2`;
    `nvvm.convert.f8x2.to.f16x2`) on the byte and an exact f16 widening;
    without (the host, sm_80), the integer emulation of
    `codegen/linalg/Fp8Emulation.h`. Both are exact: the same bits.

    ```mlir
    %w = arith.extf %q : f8E4M3FN to f32
    // becomes, with hardware
    %h = nvvm.convert.f8x2.to.f16x2 %pair : vector<2xi8> (f8E4M3FN) -> vector<2xf16>
    %w = arith.extf %h0 : f16 to f32
    ```
  }];
  let options = [
    Option<"hardware", "hardware", "bool", /*default=*/"false",
           "Use the chip's FP8 conversion instructions (sm_89 and later)">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::LLVM::LLVMDialect",
                           "::mlir::NVVM::NVVMDialect"];
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
    Option<"tileN", "tile-n", "int64_t", "4", "Most columns of the output per tile">,
    Option<"fusedMultiplyAdd", "fused-multiply-add", "bool", "false",
           "Add each product of a float body's `out + x * y` with math.fma (the host; "
           "NVPTX contracts the pair itself)">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect", "::mlir::memref::MemRefDialect"];
}

def FmaReductionsPass : Pass<"tern-fma-reductions", "::mlir::func::FuncOp"> {
  let summary = "Adds the products of reductions with one rounding (math.fma)";
  let description = [{
    Runs on the kernel functions of `@kernels` for the host, after
    `tern-stream-contractions` and `tern-tile-contractions`, whose loops add
    each product with `math.fma` already. A linalg op with a reduction loop
    whose float body ends in `out + x * y` (f32 or f64, the product read by
    nothing else) adds it as `math.fma(x, y, out)` instead, so that every
    product of a plan rounds once, as BLAS libraries and GPUs compute, however
    its loops were formed. Other bodies, integer ones and elementwise ops
    (no reduction loop: an ONNX Mul then Add) are left as they are.

    ```mlir
    ^bb0(%x: f32, %y: f32, %out: f32):
      %p = arith.mulf %x, %y : f32
      %s = arith.addf %out, %p : f32
      linalg.yield %s : f32
    // becomes
    ^bb0(%x: f32, %y: f32, %out: f32):
      %s = math.fma %x, %y, %out : f32
      linalg.yield %s : f32
    ```
  }];
  let dependentDialects = ["::mlir::math::MathDialect"];
}

def StreamContractionsPass : Pass<"tern-stream-contractions", "::mlir::func::FuncOp"> {
  let summary = "Computes contractions K-outer when their right operand is contiguous along N";
  let description = [{
    Runs on the kernel functions of `@kernels` for the host, before
    `tern-tile-contractions`. A contraction that pass would tile (one M, one
    N and one K loop plus batch loops, static sizes, no `linalg.index`)
    whose right operand and output are indexed by N in their last
    dimension, with unit stride (a weight stored [K, N], as ONNX MatMul and
    Tern's stacked MoE experts store it), becomes an `scf.parallel` over the
    batch and over blocks of N, each a loop over K, then the block's
    columns, each column updating every row (up to 8 rows unrolled, so that
    each element of the right operand is loaded and widened once for all):
    every step of K reads one row of the right operand in memory order and
    updates the block of the output in place, a block of at most
    `block-bytes` of output rows, so that it stays in the L1 cache. More
    rows go in tiles, each streaming a slice of K at a time, so that the
    slice of the right operand's block the tiles share (256 KiB) stays in
    the L2 cache: where the body is elementwise and the weight has no
    scales, tiles of 6 rows by two vector registers of columns (`vector-bits`:
    16 f32 columns with AVX2, 32 with AVX-512) held in registers through
    the slice (`vector.load` of the weight's row, each row's left operand
    broadcast, the body applied to vectors; columns past the last whole
    vector one at a time), else tiles of 8 rows updated in the L1 block.
    Float bodies ending in `out + x * y` (f32, f64) add each product with
    `math.fma`: one rounding per step of K, as BLAS libraries and GPUs
    compute, on FMA units where the CPU has them (libm's `fma` otherwise,
    which rounds the same). A product with few rows has at least 8 blocks of at
    least 512 columns where N allows, one with more rows at least 8 of at
    least 64: the session's threads share the blocks
    (`tern-outline-host-tasks`).
    A block-scaled quantized weight (FP8 with a scale per block, which the
    body multiplies into the weight's element as it reads it: `out += x *
    (q * scale)`, the scales a further input read at functions of K and N
    alone) streams the same way, each scale loaded beside its element.
    A weight packed in panels by `tern-pack-weight-panels` (two inputs, the
    second read at `(n floordiv C, k, n mod C)` from a [ceil(N / C), K, C]
    buffer) streams in vector tiles of one panel's C columns whatever the
    number of rows (blocks hold whole panels; one tile of rows reads each
    panel whole, the block's panels one after another), the columns past the
    last whole panel one at a time through the map.
    Contractions whose block would be narrower than 16 columns (and than N)
    are left for the register tiles. The innermost loop runs over contiguous elements, which LLVM's loop
    vectorizer turns into vector code. Every output adds its products in K
    order onto its initial value, as the plain loop nest does (with
    `tern-fma-reductions`' one rounding per product), so results are
    identical.

    ```mlir
    linalg.matmul ins(%a, %b : memref<1x64xf32>, memref<64x32xf32>)
                  outs(%c : memref<1x32xf32>)
    // becomes
    scf.parallel (%block) = (%c0) to (%c1) step (%c1) {
      scf.for %k = %c0 to %c64 step %c1 {
        %a0 = memref.load %a[%c0, %k]
        scf.for %n = %first to %last step %c1 {
          %b0 = memref.load %b[%k, %n]
          %acc = memref.load %c[%c0, %n]
          ...                                  // the body
          memref.store %r, %c[%c0, %n]
        }
      }
    }
    ```
  }];
  let options = [
    Option<"blockBytes", "block-bytes", "int64_t", "16384",
           "Most bytes of the output one block of columns covers (all its rows)">,
    Option<"vectorBits", "vector-bits", "int64_t", "256",
           "Bits of one of the CPU's vector registers (128, 256 or 512): a vector tile's "
           "rows hold two registers' worth of columns">
  ];
  let dependentDialects = ["::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect", "::mlir::vector::VectorDialect"];
}

def OutlineHostTasksPass : Pass<"tern-outline-host-tasks", "::mlir::ModuleOp"> {
  let summary = "Outlines a host kernel's outermost parallel loops into tasks over ranges";
  let description = [{
    Runs on the `@kernels` module of the host pipeline, after the linalg ops
    became loops. Each outermost `scf.parallel` of a kernel function (not
    inside another one) with constant bounds, no reductions, and at least
    `min-work` operations in all (iterations times the operations of its
    body, loops multiplied by their trip counts, 16 where not constant) becomes a private
    function `@KERNEL_task` marked `tern.host_task`, taking the buffers and
    scalars the loop reads and a range `[begin, end)` of its outer
    iterations, and the loop becomes a call of it over the whole range,
    which computes the same as the loop. The range spans as many outer
    loops as make at least 64 iterations (row-major: consecutive iterations
    are neighbours), and the remaining loops stay an `scf.parallel` inside
    each. The task clones the constants and views it reads and the scratch
    only the loop uses (one per task, so threads never share it). Loops
    that read a view no parameter can carry, or that are too small to be
    worth a thread, are left as they are.

    `tern-dispatch-host-tasks` then hands each call to the runtime's thread
    pool, which splits the range among the session's threads: the loop's
    iterations write disjoint outputs, so every split computes the same
    bits.

    ```mlir
    scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c8) step (%c1, %c1) { ... }
    // becomes
    call @k_task(%arg0, %arg1, %c0, %c64) : (memref<64x8xf32>, memref<64x8xf32>, index, index) -> ()
    func.func private @k_task(%a: memref<64x8xf32>, %b: memref<64x8xf32>, %begin: index,
                              %end: index) attributes {tern.host_task} {
      scf.for %i = %begin to %end step %c1 {
        scf.parallel (%j) = (%c0) to (%c8) step (%c1) { ... }
      }
    }
    ```
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", "32768",
           "Fewest operations a loop runs in all to be outlined (smaller loops stay on one thread)">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect"];
}

def DispatchHostTasksPass : Pass<"tern-dispatch-host-tasks", "::mlir::ModuleOp"> {
  let summary = "Hands a host kernel's task calls to the runtime's thread pool";
  let description = [{
    Runs on the `@kernels` module of the host pipeline in the LLVM dialect,
    after `tern-outline-host-tasks` and the conversion to LLVM. Every kernel
    function gets the runtime's context (`TernHostContext *`,
    `target/HostAbi.h`) as a last parameter. Each task (`tern.host_task`)
    gets internal linkage and a packed form, `@TASK_packed(args, begin,
    end)`, that loads its parameters from 8-byte slots and calls it; each
    call of a task over `[begin, end)` becomes: the parameters stored into
    slots in the kernel's frame, then `context->parallelFor(context,
    @TASK_packed, slots, begin, end)`, which returns when every iteration
    has run.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
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
    skipped. The `chip` option names the target (target/Target.h), whose
    tensor-core capabilities decide what is mapped: every Tern GPU target
    has m16n8k16 `mma.sync`.

    Anything else (f32 operands, an f16 accumulator, dynamic shapes, a
    contraction with several M, N or K loops, more than 65535 batches or
    row blocks) is left for `tern-tile-contractions`, and what that does not
    tile for `tern-map-kernels-to-gpu`, one thread per output.
  }];
  let options = [
    Option<"chip", "chip", "std::string", "\"sm_90a\"",
           "The NVIDIA chip kernels are compiled for (sm_80, sm_89, sm_90a)">
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect", "::mlir::memref::MemRefDialect",
                           "::mlir::LLVM::LLVMDialect", "::mlir::NVVM::NVVMDialect"];
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

def KernelScratchToStackPass : Pass<"tern-kernel-scratch-to-stack", "::mlir::func::FuncOp"> {
  let summary = "Puts the per-iteration buffers of a kernel's parallel loop on the stack";
  let description = [{
    Runs on the kernel functions of `@kernels`, first in both kernel
    pipelines. A buffer allocated inside an `scf.forall` body (a row
    kernel's per-row reduction results, from `tern-form-kernels`) is scratch
    of one iteration and becomes a `memref.alloca`: on a GPU each iteration
    is a thread and the scratch lives in its local memory. With `hoist`
    (the host, which runs the iterations one after another) the scratch is
    allocated once at the kernel's entry instead, so that the stack does not
    grow with the number of iterations. Scratch must have a static shape and
    at most `max-bytes` bytes; anything else is an error naming its size.
    (The MoE lowering sizes its blocks of rows to the default:
    `kMoEBlockScratchBytes` in codegen/linalg/MoEDispatch.h.)
  }];
  let options = [
    Option<"hoist", "hoist", "bool", "false",
           "Allocate the scratch once at the kernel's entry (iterations run in order)">,
    Option<"maxBytes", "max-bytes", "int64_t", "65536",
           "The most bytes one scratch buffer of one iteration may take">
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

#endif // TERN_CODEGEN_KERNELS_PASSES_TD
