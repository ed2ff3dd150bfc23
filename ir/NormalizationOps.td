//===- NormalizationOps.td - Reductions, norms, softmax ----*- tablegen -*-===//
#ifndef TERN_NORMALIZATION_OPS_TD
#define TERN_NORMALIZATION_OPS_TD

include "ir/TernDialect.td"

class Tern_ReduceOp<string mnemonic, string formula, list<Trait> traits = [],
                    Type tensorType = Tern_NumericTensor>
    : Tern_Op<mnemonic, traits # [AllElementTypesMatch<["input", "result"]>]> {
  let summary = formula # " over `axes`";
  let description = [{
    Reduces `axes` (all dimensions when empty) with }] # formula # [{. With
    `keepdims` the reduced dimensions stay as size 1.

    ```mlir
    %y = tern.}] # mnemonic # [{ %x {axes = array<i64: 1>, keepdims = true} : tensor<4x8xf32> -> tensor<4x1xf32>
    ```
  }];
  let arguments = (ins tensorType:$input, DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &types,
        ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError) {
      return ::mlir::tern::inferReductionTypes(getInput().getType(), getAxes(),
                                               getKeepdims(), types, emitError);
    }
  }];
}

def Tern_ReduceSumOp : Tern_ReduceOp<"reduce_sum", "the sum", [Tern_ComputesInF32]>;
def Tern_ReduceMeanOp : Tern_ReduceOp<"reduce_mean", "the mean", [Tern_ComputesInF32]>;
// Booleans order false < true: their maximum is any, their minimum all.
def Tern_ReduceMaxOp : Tern_ReduceOp<"reduce_max", "the maximum", [], Tern_OrderedTensor>;
def Tern_ReduceMinOp : Tern_ReduceOp<"reduce_min", "the minimum", [], Tern_OrderedTensor>;

def Tern_SoftmaxOp : Tern_Op<"softmax", [SameOperandsAndResultType, Tern_ComputesInF32]> {
  let summary = "softmax along one axis";
  let description = [{
    `exp(x - max(x)) / sum(exp(x - max(x)))` along `axis`.

    ```mlir
    %p = tern.softmax %s {axis = -1 : i64} : tensor<2x4x6xf32>
    ```
  }];
  let arguments = (ins Tern_ArithFloatTensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Tern_ArithFloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Tern_TopKOp : Tern_Op<"topk", [AllElementTypesMatch<["input", "values"]>]> {
  let summary = "the k largest (or smallest) elements along one axis and their indices";
  let description = [{
    The MoE gate's expert choice. With `sorted`, the values come in order
    (descending when `largest`); ties keep the lower index first.

    ```mlir
    %v, %i = tern.topk %scores {k = 8 : i64, axis = -1 : i64} : tensor<7x256xf32> -> tensor<7x8xf32>, tensor<7x8xi64>
    ```
  }];
  let arguments = (ins Tern_NumericTensor:$input, ConfinedAttr<I64Attr, [IntPositive]>:$k,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$largest,
                       DefaultValuedAttr<BoolAttr, "true">:$sorted);
  let results = (outs Tern_NumericTensor:$values, RankedTensorOf<[I64]>:$indices);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($values) `,` type($indices)";
}

def Tern_RMSNormOp : Tern_Op<"rms_norm", [Tern_ComputesInF32, SameOperandsElementType,
                                          AllTypesMatch<["input", "result"]>]> {
  let summary = "root-mean-square normalization with a learned scale";
  let description = [{
    `x / sqrt(mean(x^2) + epsilon) * scale`, the mean taken over dimensions
    `axis` to the last; `scale` broadcasts to those dimensions.

    ```mlir
    %y = tern.rms_norm %x, %w {epsilon = 1.0e-06 : f32} : (tensor<2x7x2048xbf16>, tensor<2048xbf16>) -> tensor<2x7x2048xbf16>
    ```
  }];
  let arguments = (ins Tern_ArithFloatTensor:$input, Tern_ArithFloatTensor:$scale,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Tern_ArithFloatTensor:$result);
  let assemblyFormat = "$input `,` $scale attr-dict `:` functional-type(operands, results)";
}

def Tern_LayerNormOp : Tern_Op<"layer_norm", [Tern_ComputesInF32, SameOperandsElementType,
                                              AllTypesMatch<["input", "result"]>]> {
  let summary = "layer normalization with a learned scale and optional bias";
  let description = [{
    `(x - mean(x)) / sqrt(var(x) + epsilon) * scale + bias` over dimensions
    `axis` to the last.

    ```mlir
    %y = tern.layer_norm %x, %w, %b {epsilon = 1.0e-05 : f32} : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Tern_ArithFloatTensor:$input, Tern_ArithFloatTensor:$scale,
                       Optional<Tern_ArithFloatTensor>:$bias,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Tern_ArithFloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Tern_RotaryOp : Tern_Op<"rotary", [SameOperandsElementType,
                                       AllTypesMatch<["input", "result"]>]> {
  let summary = "rotary position embedding";
  let description = [{
    Rotates pairs of the first `2 * R` values of the last dimension, where `R`
    is the last dimension of `cos` and `sin`; the rest pass through. `cos` and
    `sin` (already gathered for each position) broadcast against the input
    with its last dimension replaced by `R`. Pairs are `(2i, 2i+1)` when
    `interleaved` (GPT-J, DeepSeek's checkpoint layout) and `(i, i+R)`
    otherwise (GPT-NeoX, "rotate half").

    ```mlir
    %y = tern.rotary %q, %cos, %sin : (tensor<1x16x7x64xbf16>, tensor<7x32xbf16>, tensor<7x32xbf16>) -> tensor<1x16x7x64xbf16>
    ```
  }];
  let arguments = (ins Tern_ArithFloatTensor:$input, Tern_ArithFloatTensor:$cos,
                       Tern_ArithFloatTensor:$sin,
                       DefaultValuedAttr<BoolAttr, "false">:$interleaved);
  let results = (outs Tern_ArithFloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $cos `,` $sin attr-dict `:` functional-type(operands, results)
  }];
}

#endif // TERN_NORMALIZATION_OPS_TD
