//===- TernAttrs.td - Tern attributes ----------------------*- tablegen -*-===//
#ifndef TERN_ATTRS_TD
#define TERN_ATTRS_TD

include "ir/TernDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

def Tern_ConcatElementsAttr : AttrDef<Tern_Dialect, "ConcatElements",
                                      [ElementsAttrInterface, TypedAttrInterface]> {
  let mnemonic = "concat_elements";
  let summary = "constant data made of other constants' data, one after another";
  let description = [{
    The row-major data of `parts` (dense or `dense_resource` constants of the
    element type), in order, viewed with the shape of `type`. Codegen stacks
    weights with it (a MoE layer's experts into one [E, ...] tensor) without
    copying them: the plan writer streams each part into the plan, and the
    parts stay memory-mapped in the checkpoint until then. Elements cannot be
    read one by one.

    ```mlir
    #tern.concat_elements<[dense_resource<expert0>, dense_resource<expert1>]> : tensor<2x32x64xbf16>
    ```
  }];
  let parameters = (ins AttributeSelfTypeParameter<"", "::mlir::ShapedType">:$type,
                        "::mlir::ArrayAttr":$parts);
  let assemblyFormat = "`<` $parts `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    // No element is iterable: the data exists only in the parts.
    using ContiguousIterableTypesT = std::tuple<>;
    using NonContiguousIterableTypesT = std::tuple<>;
  }];
}

#endif // TERN_ATTRS_TD
