//===- Passes.td - Tern dialect passes ---------------------*- tablegen -*-===//
#ifndef TERN_PASSES_TD
#define TERN_PASSES_TD

include "mlir/Pass/PassBase.td"

def InferShapesPass : Pass<"tern-infer-shapes", "::mlir::func::FuncOp"> {
  let summary = "Makes dynamic result dimensions static where operands determine them";
  let description = [{
    Walks the function in order and makes each tern op's result dimensions
    static wherever the declared or the inferred type has them static, then
    updates the
    function's result types to what it returns. Models imported with named
    dynamic dimensions that the caller pins (or that constants pin) end up
    fully static, which codegen needs for its memory plan.

    ```mlir
    %0 = tern.add %a, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
    // becomes
    %0 = tern.add %a, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
    ```
  }];
}

#endif // TERN_PASSES_TD
