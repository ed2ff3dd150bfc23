//===- TernAttrs.td - Tern attributes ----------------------*- tablegen -*-===//
#ifndef TERN_ATTRS_TD
#define TERN_ATTRS_TD

include "ir/TernDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Dialect/SCF/IR/DeviceMappingInterface.td"

def Tern_ConcatElementsAttr : AttrDef<Tern_Dialect, "ConcatElements",
                                      [ElementsAttrInterface, TypedAttrInterface]> {
  let mnemonic = "concat_elements";
  let summary = "constant data made of other constants' data, without a copy";
  let description = [{
    Constant data of `type` built from `parts` (dense or `dense_resource`
    constants of the element type):

    - `transposedGroups = 0`: the parts' row-major data one after another.
    - `transposedGroups = G > 0`: `type` is [E, C, R] and the parts are E x G
      matrices in expert-major order, part (e, g) of shape [r_g, C] with the
      r_g summing to R; block e is those G parts transposed and placed side
      by side: `[e, c, offset_g + r] = part(e, g)[r, c]`. A rank-2 `type`
      [C, R] is one such block (E = 1): a weight stored transposed.
      With `partsTransposed`, each part is given transposed already, [C,
      r_g] (a weight an export stores [in, out]), and is placed side by side
      as it is: `[e, c, offset_g + r] = part(e, g)[c, r]`.

    Codegen stacks weights with it (a MoE layer's experts into one tensor, in
    the layout its kernels read) and transposes them (a projection's [out,
    in] weight stored [in, out]) without copying them: the plan writer
    streams the parts into the plan (one block at a time when transposing),
    and they stay memory-mapped in the checkpoint until then. Elements cannot
    be read one by one.

    ```mlir
    #tern.concat_elements<parts = [dense_resource<g0>, dense_resource<u0>,
        dense_resource<g1>, dense_resource<u1>], transposedGroups = 2> : tensor<2x64x64xbf16>
    ```
  }];
  let parameters = (ins AttributeSelfTypeParameter<"", "::mlir::ShapedType">:$type,
                        "::mlir::ArrayAttr":$parts,
                        DefaultValuedParameter<"int64_t", "0">:$transposedGroups,
                        DefaultValuedParameter<"bool", "false">:$partsTransposed);
  let assemblyFormat = "`<` struct($parts, $transposedGroups, $partsTransposed) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    // No element is iterable: the data exists only in the parts.
    using ContiguousIterableTypesT = std::tuple<>;
    using NonContiguousIterableTypesT = std::tuple<>;
  }];
}

def Tern_BlockQuantizedElementsAttr : AttrDef<Tern_Dialect, "BlockQuantizedElements",
                                              [ElementsAttrInterface, TypedAttrInterface]> {
  let mnemonic = "block_quantized";
  let summary = "a weight quantized to FP8 E4M3 in blocks, computed as the plan is written";
  let description = [{
    The FP8 E4M3 data (`scales = false`) or the f32 scales (`scales = true`)
    of `source`, a 2-D bf16, f16 or f32 constant [R, C], quantized in blocks of
    `blockRows` x `blockCols` as DeepSeek's FP8 checkpoints store weights:
    per block, `scale = max(amax, 1e-12) / 448` in f32, amax the largest
    `|w|` of the block, and `q = e4m3(w / scale)`, the f32 quotient rounded
    to nearest even and saturated at 448. `tern.dequantize(q, scale)` with
    that block size is the weight to within E4M3's precision. The data is
    [R, C] `f8E4M3FN`, the scales [ceil(R / blockRows), ceil(C /
    blockCols)] f32 (ir/BlockQuantization.h computes both).

    `ternc --weights=fp8-block` imports a checkpoint's bf16 projections so,
    with 128x128 blocks; the plan writer quantizes each weight from the
    mapped checkpoint as it writes the plan, and nothing is quantized
    before. Elements cannot be read one by one.

    ```mlir
    #tern.block_quantized<source = dense_resource<hf.w>, blockRows = 128, blockCols = 128,
        scales = true> : tensor<2x3xf32>
    ```
  }];
  let parameters = (ins AttributeSelfTypeParameter<"", "::mlir::ShapedType">:$type,
                        "::mlir::ElementsAttr":$source, "int64_t":$blockRows,
                        "int64_t":$blockCols, DefaultValuedParameter<"bool", "false">:$scales);
  let assemblyFormat = "`<` struct($source, $blockRows, $blockCols, $scales) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    using ContiguousIterableTypesT = std::tuple<>;
    using NonContiguousIterableTypesT = std::tuple<>;
    /// The data's type or the scales' type for `source` in these blocks.
    static ::mlir::RankedTensorType getQuantizedType(::mlir::ElementsAttr source,
                                                     int64_t blockRows, int64_t blockCols,
                                                     bool scales);
  }];
}

def Tern_BlockDequantizedElementsAttr : AttrDef<Tern_Dialect, "BlockDequantizedElements",
                                                [ElementsAttrInterface, TypedAttrInterface]> {
  let mnemonic = "block_dequantized";
  let summary = "FP8 block-quantized data as bf16, computed as the plan is written";
  let description = [{
    The bf16 matrix [R, C] of `data` (FP8 E4M3, [R, C]) times its block
    `scales` (f32, [ceil(R / blockRows), ceil(C / blockCols)]): each element
    `bf16(f32(q) * scale)`, the product rounded to nearest even, as
    DeepSeek's `weight_dequant` writes a bf16 weight. `ternc --weights=bf16`
    imports an FP8 checkpoint's weights so, for GPUs without FP8 tensor
    cores; the plan writer computes the bytes from the mapped checkpoint as
    it writes them (ir/BlockQuantization.h). Elements cannot be read one by
    one.

    ```mlir
    #tern.block_dequantized<data = dense_resource<hf.w> : tensor<200x130xf8E4M3FN>,
        scales = dense_resource<hf.w_scale_inv> : tensor<2x2xf32>, blockRows = 128,
        blockCols = 128> : tensor<200x130xbf16>
    ```
  }];
  let parameters = (ins AttributeSelfTypeParameter<"", "::mlir::ShapedType">:$type,
                        "::mlir::ElementsAttr":$data, "::mlir::ElementsAttr":$scales,
                        "int64_t":$blockRows, "int64_t":$blockCols);
  let assemblyFormat = "`<` struct($data, $scales, $blockRows, $blockCols) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    using ContiguousIterableTypesT = std::tuple<>;
    using NonContiguousIterableTypesT = std::tuple<>;
  }];
}

def Tern_PackedPanelsElementsAttr : AttrDef<Tern_Dialect, "PackedPanelsElements",
                                            [ElementsAttrInterface, TypedAttrInterface]> {
  let mnemonic = "packed_panels";
  let summary = "a weight matrix in panels of columns contiguous along K, packed as the plan is written";
  let description = [{
    The matrix `source`, [K, N] (or [N, K] with `transposed`), laid out in
    ceil(N / `columns`) panels of `columns` columns, each panel's K rows one
    after another: `type` is [ceil(N / columns), K, columns] and element
    `[p, k, c]` is `source[k, p * columns + c]` (`source[p * columns + c,
    k]` with `transposed`), zero past N. A host contraction's vector tile
    reads one panel row per step of K, contiguous, and a thread's range of
    panels is one run of memory (IREE's data tiling, for Tern's tiles). The
    plan writer packs the mapped `source` (dense, dense_resource, or data it
    computes: block-quantized or -dequantized weights) a few panels at a
    time while it writes the plan. Elements cannot be read one by one.

    ```mlir
    #tern.packed_panels<source = dense_resource<onnx.w> : tensor<64x40xf32>, columns = 16>
        : tensor<3x64x16xf32>
    ```
  }];
  let parameters = (ins AttributeSelfTypeParameter<"", "::mlir::ShapedType">:$type,
                        "::mlir::ElementsAttr":$source, "int64_t":$columns,
                        DefaultValuedParameter<"bool", "false">:$transposed);
  let assemblyFormat = "`<` struct($source, $columns, $transposed) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    using ContiguousIterableTypesT = std::tuple<>;
    using NonContiguousIterableTypesT = std::tuple<>;
    /// The packed type of `source` ([K, N], or [N, K] if `transposed`) in
    /// panels of `columns`.
    static ::mlir::RankedTensorType getPackedType(::mlir::ShapedType source, int64_t columns,
                                                  bool transposed);
  }];
}

def Tern_KernelIterationAttr : AttrDef<Tern_Dialect, "KernelIteration",
                                      [DeclareAttrInterfaceMethods<DeviceMappingAttrInterface>]> {
  let mnemonic = "kernel_iteration";
  let summary = "an scf.forall dimension whose iterations are one kernel's";
  let description = [{
    The mapping of an `scf.forall` that codegen builds as one kernel, each
    iteration a parallel iteration of it (a GPU thread, an iteration of a
    host loop), such as the MoE routing kernel's loop over tokens. A mapped
    forall keeps its dimensions of one iteration through canonicalization,
    so a kernel of one iteration (one token's routing in a decode step)
    stays one kernel instead of its body's ops becoming kernels of their own.

    ```mlir
    scf.forall (%t) in (1) shared_outs(...) { ... } {mapping = [#tern.kernel_iteration]}
    ```
  }];
}

#endif // TERN_ATTRS_TD
