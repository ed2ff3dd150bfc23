//===- QuantOps.td - FP8 and int8 quantization -------------*- tablegen -*-===//
#ifndef TERN_QUANT_OPS_TD
#define TERN_QUANT_OPS_TD

include "ir/TernDialect.td"

class Tern_QuantOpBase<string mnemonic, string formula, Type inputType, Type resultType,
                       string example>
    : Tern_Op<mnemonic> {
  let description = [{
    `}] # formula # [{`, with one of three scale layouts:
    - per tensor: `scale` has rank 0;
    - per axis: `scale` is 1-D with the size of dimension `axis`;
    - blocked: `scale` has the input's rank and `block_size` one block extent
      per dimension, so `scale` dimension `i` is `ceil(dim_i / block_size[i])`
      (DeepSeek-V3's FP8 weights: `block_size = [128, 128]`; its activations:
      `[1, 128]`).

    An integer `zero_point` (ONNX's asymmetric quantization) has the
    scale's layout and the quantized element type; without it the zero
    point is 0. FP8 takes none.

    ```mlir
    }] # example # [{
    ```
  }];
  let arguments = (ins inputType:$input, Tern_QuantFloatTensor:$scale,
                       Optional<Tern_QuantizedIntTensor>:$zero_point,
                       OptionalAttr<I64Attr>:$axis,
                       OptionalAttr<DenseI64ArrayAttr>:$block_size);
  let results = (outs resultType:$result);
  let assemblyFormat = [{
    $input `,` $scale (`zero_point` $zero_point^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Tern_QuantizeOp : Tern_QuantOpBase<"quantize",
    "result = saturate(round(input / scale) + zero_point)", Tern_QuantFloatTensor,
    Tern_QuantDataTensor,
    "%q = tern.quantize %x, %s {block_size = array<i64: 1, 128>} : (tensor<7x2048xf32>, tensor<7x16xf32>) -> tensor<7x2048xf8E4M3FN>"> {
  let summary = "quantizes to FP8 E4M3/E5M2 or integers with per-tensor, per-axis or blocked "
                "scales";
}

// The result has the scale's element type.
def Tern_DequantizeOp : Tern_QuantOpBase<"dequantize",
    "result = (input - zero_point) * scale", Tern_QuantDataTensor, Tern_QuantFloatTensor,
    "%w = tern.dequantize %q, %s {block_size = array<i64: 128, 128>} : (tensor<512x2048xf8E4M3FN>, tensor<4x16xf32>) -> tensor<512x2048xf32>"> {
  let summary = "dequantizes FP8 E4M3/E5M2 or integers with per-tensor, per-axis or blocked "
                "scales";
}

#endif // TERN_QUANT_OPS_TD
