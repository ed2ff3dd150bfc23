//===- ShapeOps.td - Data movement and shape ops -----------*- tablegen -*-===//
#ifndef TERN_SHAPE_OPS_TD
#define TERN_SHAPE_OPS_TD

include "ir/TernDialect.td"

def Tern_ShapeOfOp : Tern_Op<"shape_of"> {
  let summary = "the shape of a tensor as a 1-D i64 tensor";
  let description = [{
    Only dynamic dimensions need it: the importer folds the shape arithmetic
    of static models away, and this op folds to a constant once its operand
    is static.

    ```mlir
    %s = tern.shape_of %x : tensor<?x4xf32> -> tensor<2xi64>
    ```
  }];
  let arguments = (ins Tern_Tensor:$input);
  let results = (outs Tern_ShapeTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

def Tern_ReshapeOp : Tern_Op<"reshape", [AllElementTypesMatch<["input", "result"]>]> {
  let summary = "reinterprets a tensor with another shape of the same size";
  let description = [{
    The result type is the new shape. A dynamic result dimension is taken
    from `shape` when given; without `shape`, at most one result dimension
    may be dynamic and it is inferred from the element count.

    ```mlir
    %y = tern.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
    %z = tern.reshape %x, %s : (tensor<?x4xf32>, tensor<3xi64>) -> tensor<?x2x2xf32>
    ```
  }];
  let arguments = (ins Tern_Tensor:$input, Optional<Tern_ShapeTensor>:$shape);
  let results = (outs Tern_Tensor:$result);
  let assemblyFormat = [{
    $input (`,` $shape^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Tern_ExpandOp : Tern_Op<"expand", [AllElementTypesMatch<["input", "result"]>]> {
  let summary = "broadcasts a tensor to a larger shape";
  let description = [{
    The result shape is the input broadcast (NumPy rules) against the result
    type's shape. Dynamic result dimensions come from `shape` when given.

    ```mlir
    %y = tern.expand %x : (tensor<4x1xf32>) -> tensor<2x4x8xf32>
    ```
  }];
  let arguments = (ins Tern_Tensor:$input, Optional<Tern_ShapeTensor>:$shape);
  let results = (outs Tern_Tensor:$result);
  let assemblyFormat = [{
    $input (`,` $shape^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Tern_TransposeOp : Tern_Op<"transpose", [AllElementTypesMatch<["input", "result"]>]> {
  let summary = "permutes dimensions";
  let description = [{
    Result dimension `i` is input dimension `permutation[i]`.

    ```mlir
    %y = tern.transpose %x {permutation = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
    ```
  }];
  let arguments = (ins Tern_Tensor:$input, DenseI64ArrayAttr:$permutation);
  let results = (outs Tern_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

def Tern_ConcatOp : Tern_Op<"concat", [SameOperandsAndResultElementType]> {
  let summary = "joins tensors along one axis";
  let description = [{
    ```mlir
    %y = tern.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Variadic<Tern_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Tern_Tensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type($inputs, results)";
}

def Tern_SliceOp : Tern_Op<"slice", [AllElementTypesMatch<["input", "result"]>]> {
  let summary = "strided slice with ONNX clamping rules";
  let description = [{
    One `start`, `end` and `step` per dimension, with ONNX semantics:
    negative `start`/`end` count from the end, both are clamped to the
    dimension, and a negative `step` walks backwards. Dimensions not sliced
    have `start = 0, end = INT64_MAX, step = 1`.

    ```mlir
    %y = tern.slice %x {starts = array<i64: 0, 1>, ends = array<i64: 9223372036854775807, 3>,
                        steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x2xf32>
    ```
  }];
  let arguments = (ins Tern_Tensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$ends, DenseI64ArrayAttr:$steps);
  let results = (outs Tern_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Tern_SplitOp : Tern_Op<"split"> {
  let summary = "splits a tensor into pieces along one axis";
  let description = [{
    ```mlir
    %a, %b = tern.split %x {axis = 1 : i64, sizes = array<i64: 3, 5>} : tensor<2x8xf32> -> tensor<2x3xf32>, tensor<2x5xf32>
    ```
  }];
  let arguments = (ins Tern_Tensor:$input, I64Attr:$axis, DenseI64ArrayAttr:$sizes);
  let results = (outs Variadic<Tern_Tensor>:$results);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($results)";
}

def Tern_SqueezeOp : Tern_Op<"squeeze", [AllElementTypesMatch<["input", "result"]>]> {
  let summary = "removes dimensions of size 1";
  let description = [{
    ```mlir
    %y = tern.squeeze %x {axes = array<i64: 1>} : tensor<4x1x8xf32> -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Tern_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Tern_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Tern_UnsqueezeOp : Tern_Op<"unsqueeze", [AllElementTypesMatch<["input", "result"]>]> {
  let summary = "inserts dimensions of size 1";
  let description = [{
    `axes` index the result's dimensions.

    ```mlir
    %y = tern.unsqueeze %x {axes = array<i64: 0, 2>} : tensor<4x8xf32> -> tensor<1x4x1x8xf32>
    ```
  }];
  let arguments = (ins Tern_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Tern_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Tern_GatherOp : Tern_Op<"gather", [AllElementTypesMatch<["input", "result"]>]> {
  let summary = "takes slices of `input` at `indices` along one axis";
  let description = [{
    The embedding lookup: `result[i..., j..., k...] = input[i..., indices[j...], k...]`,
    so the result shape is `input[:axis] + indices + input[axis+1:]`. Negative
    indices count from the end.

    ```mlir
    %e = tern.gather %table, %ids {axis = 0 : i64} : (tensor<32000x4096xbf16>, tensor<1x7xi64>) -> tensor<1x7x4096xbf16>
    ```
  }];
  let arguments = (ins Tern_Tensor:$input, Tern_IndexTensor:$indices, I64Attr:$axis);
  let results = (outs Tern_Tensor:$result);
  let assemblyFormat = "$input `,` $indices attr-dict `:` functional-type(operands, results)";
}

def Tern_GatherElementsOp : Tern_Op<"gather_elements",
    [AllElementTypesMatch<["input", "result"]>]> {
  let summary = "element-wise gather along one axis";
  let description = [{
    `result[i][j] = input[indices[i][j]][j]` for `axis = 0` (and likewise for
    other axes); `indices` has the input's rank and gives the result shape.

    ```mlir
    %y = tern.gather_elements %x, %i {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
    ```
  }];
  let arguments = (ins Tern_Tensor:$input, Tern_IndexTensor:$indices, I64Attr:$axis);
  let results = (outs Tern_Tensor:$result);
  let assemblyFormat = "$input `,` $indices attr-dict `:` functional-type(operands, results)";
}

def Tern_ScatterElementsOp : Tern_Op<"scatter_elements",
    [AllElementTypesMatch<["input", "updates", "result"]>]> {
  let summary = "writes `updates` into a copy of `input` at `indices` along one axis";
  let description = [{
    The inverse of `gather_elements`. `reduction` combines an update with the
    value already there: `none` (replace), `add`, `mul`, `max` or `min`.

    ```mlir
    %y = tern.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = "add"}
        : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Tern_Tensor:$input, Tern_IndexTensor:$indices,
                       Tern_Tensor:$updates, I64Attr:$axis,
                       DefaultValuedAttr<StrAttr, "\"none\"">:$reduction);
  let results = (outs Tern_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)
  }];
}

#endif // TERN_SHAPE_OPS_TD
