//===- ElementwiseOps.td - Elementwise and constant ops ----*- tablegen -*-===//
#ifndef TERN_ELEMENTWISE_OPS_TD
#define TERN_ELEMENTWISE_OPS_TD

include "ir/TernDialect.td"

//===----------------------------------------------------------------------===//
// Constant
//===----------------------------------------------------------------------===//

def Tern_ConstantOp : Tern_Op<"constant", [ConstantLike, AllTypesMatch<["value", "result"]>]> {
  let summary = "A tensor constant: inline for small values, a resource blob for weights";
  let description = [{
    Holds a tensor value. Small constants are dense literals; weights are
    `dense_resource` blobs so that their bytes are referenced, not copied into
    IR text (ONNX external data stays memory-mapped).

    ```mlir
    %c = tern.constant dense<[1, 2]> : tensor<2xi64>
    %w = tern.constant dense_resource<model.w0> : tensor<4096x2048xbf16>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Tern_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let builders = [
    OpBuilder<(ins "::mlir::ElementsAttr":$value), [{
      build($_builder, $_state, value.getType(), value);
    }]>,
  ];
}

//===----------------------------------------------------------------------===//
// Unary
//===----------------------------------------------------------------------===//

class Tern_UnaryOp<string mnemonic, Type tensorType, string formula>
    : Tern_Op<mnemonic, [SameOperandsAndResultType]> {
  let summary = "elementwise " # formula;
  let description = [{
    Applies `}] # formula # [{` to every element.

    ```mlir
    %y = tern.}] # mnemonic # [{ %x : tensor<4x?xf32>
    ```
  }];
  let arguments = (ins tensorType:$input);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &types,
        ::llvm::function_ref<::mlir::InFlightDiagnostic()>) {
      types.push_back(getInput().getType());
      return ::mlir::success();
    }
  }];
}

def Tern_SqrtOp : Tern_UnaryOp<"sqrt", Tern_ArithFloatTensor, "sqrt(x)">;
def Tern_RsqrtOp : Tern_UnaryOp<"rsqrt", Tern_ArithFloatTensor, "1 / sqrt(x)">;
def Tern_ReciprocalOp : Tern_UnaryOp<"reciprocal", Tern_ArithFloatTensor, "1 / x">;
def Tern_ExpOp : Tern_UnaryOp<"exp", Tern_ArithFloatTensor, "exp(x)">;
def Tern_LogOp : Tern_UnaryOp<"log", Tern_ArithFloatTensor, "log(x)">;
def Tern_SigmoidOp : Tern_UnaryOp<"sigmoid", Tern_ArithFloatTensor, "1 / (1 + exp(-x))">;
def Tern_SiluOp : Tern_UnaryOp<"silu", Tern_ArithFloatTensor, "x * sigmoid(x)">;
def Tern_TanhOp : Tern_UnaryOp<"tanh", Tern_ArithFloatTensor, "tanh(x)">;
def Tern_ErfOp : Tern_UnaryOp<"erf", Tern_ArithFloatTensor, "erf(x)">;
def Tern_CosOp : Tern_UnaryOp<"cos", Tern_ArithFloatTensor, "cos(x)">;
def Tern_SinOp : Tern_UnaryOp<"sin", Tern_ArithFloatTensor, "sin(x)">;
def Tern_ReluOp : Tern_UnaryOp<"relu", Tern_SignedTensor, "max(x, 0)">;
def Tern_NegOp : Tern_UnaryOp<"neg", Tern_SignedTensor, "-x">;
def Tern_AbsOp : Tern_UnaryOp<"abs", Tern_SignedTensor, "|x|">;
def Tern_NotOp : Tern_UnaryOp<"not", Tern_BoolTensor, "logical not x">;

//===----------------------------------------------------------------------===//
// Binary, with NumPy broadcasting
//===----------------------------------------------------------------------===//

// `resultElement` is empty when the result has the operands' element type.
class Tern_BinaryOp<string mnemonic, Type operandType, Type resultType,
                    string formula, string resultElement = "">
    : Tern_Op<mnemonic, [SameOperandsElementType]> {
  let summary = "elementwise " # formula # " with broadcasting";
  let description = [{
    Computes `}] # formula # [{` elementwise after broadcasting both operands
    to a common shape with NumPy rules (trailing dimensions aligned; a
    dimension of 1 stretches).

    ```mlir
    %z = tern.}] # mnemonic # [{ %x, %y : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8x}] #
    !if(!empty(resultElement), "f32", "i1") # [{>
    ```
  }];
  let arguments = (ins operandType:$lhs, operandType:$rhs);
  let results = (outs resultType:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &types,
        ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError) {
      ::mlir::Builder b(getContext());
      ::mlir::Type element = }] #
        !if(!empty(resultElement), "::mlir::Type()", resultElement) # [{;
      return ::mlir::tern::inferBroadcastTypes(getOperands(), element, types,
                                               emitError);
    }
  }];
}

def Tern_AddOp : Tern_BinaryOp<"add", Tern_NumericTensor, Tern_NumericTensor, "x + y">;
def Tern_SubOp : Tern_BinaryOp<"sub", Tern_NumericTensor, Tern_NumericTensor, "x - y">;
def Tern_MulOp : Tern_BinaryOp<"mul", Tern_NumericTensor, Tern_NumericTensor, "x * y"> {
  // x * sigmoid(x) => silu(x): exporters spell SiLU out, fusion matches silu.
  let hasCanonicalizeMethod = 1;
}
def Tern_DivOp : Tern_BinaryOp<"div", Tern_NumericTensor, Tern_NumericTensor,
                               "x / y (integers truncate toward zero)">;
// Integers: by repeated multiplication, wrapping as it does; a negative
// exponent gives 0 unless the base is 1 or -1 (math.ipowi's rule).
def Tern_PowOp : Tern_BinaryOp<"pow", Tern_SignedTensor, Tern_SignedTensor, "x ^ y">;
def Tern_MaxOp : Tern_BinaryOp<"max", Tern_NumericTensor, Tern_NumericTensor, "max(x, y)">;
def Tern_MinOp : Tern_BinaryOp<"min", Tern_NumericTensor, Tern_NumericTensor, "min(x, y)">;
def Tern_AndOp : Tern_BinaryOp<"and", Tern_BoolTensor, Tern_BoolTensor, "x and y">;
def Tern_OrOp : Tern_BinaryOp<"or", Tern_BoolTensor, Tern_BoolTensor, "x or y">;

def Tern_EqOp : Tern_BinaryOp<"eq", Tern_Tensor, Tern_BoolTensor, "x == y", "b.getI1Type()">;
def Tern_LtOp : Tern_BinaryOp<"lt", Tern_NumericTensor, Tern_BoolTensor, "x < y", "b.getI1Type()">;
def Tern_LeOp : Tern_BinaryOp<"le", Tern_NumericTensor, Tern_BoolTensor, "x <= y", "b.getI1Type()">;
def Tern_GtOp : Tern_BinaryOp<"gt", Tern_NumericTensor, Tern_BoolTensor, "x > y", "b.getI1Type()">;
def Tern_GeOp : Tern_BinaryOp<"ge", Tern_NumericTensor, Tern_BoolTensor, "x >= y", "b.getI1Type()">;

def Tern_WhereOp : Tern_Op<"where",
    [AllElementTypesMatch<["true_value", "false_value", "result"]>]> {
  let summary = "elementwise select with broadcasting";
  let description = [{
    `result = condition ? true_value : false_value`, all three broadcast to a
    common shape.

    ```mlir
    %r = tern.where %c, %a, %b : (tensor<4x1xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Tern_BoolTensor:$condition, Tern_Tensor:$true_value,
                       Tern_Tensor:$false_value);
  let results = (outs Tern_Tensor:$result);
  let assemblyFormat = [{
    $condition `,` $true_value `,` $false_value attr-dict `:`
    functional-type(operands, results)
  }];
}

def Tern_CastOp : Tern_Op<"cast"> {
  let summary = "elementwise conversion to another element type";
  let description = [{
    Converts each element. Float to integer rounds toward zero; float to FP8
    saturates to the largest finite value when `saturate` is set (the ONNX
    default), else overflows to NaN/Inf as the format allows.

    ```mlir
    %y = tern.cast %x : tensor<4xf32> to tensor<4xbf16>
    ```
  }];
  let arguments = (ins Tern_Tensor:$input, DefaultValuedAttr<BoolAttr, "true">:$saturate);
  let results = (outs Tern_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($result)";
  let hasFolder = 1;
}

#endif // TERN_ELEMENTWISE_OPS_TD
