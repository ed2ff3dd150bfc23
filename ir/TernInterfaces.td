//===- TernInterfaces.td - Tern op interfaces --------------*- tablegen -*-===//
#ifndef TERN_INTERFACES_TD
#define TERN_INTERFACES_TD

include "mlir/IR/OpBase.td"

// Upstream's InferTypeOpInterface reports a second, generic error whenever
// inference fails and aborts in builders; Tern ops report one precise error
// and let the importer validate before it commits to an op.
def Tern_InferTypesOpInterface : OpInterface<"InferTypesOpInterface"> {
  let description = [{
    Computes an op's result types from its operands and attributes. The op's
    verifier checks that the declared result types are compatible with them
    (same element type and rank, equal where both dimensions are static), and
    the `tern-infer-shapes` pass uses them to make dynamic dimensions static.
  }];
  let cppNamespace = "::mlir::tern";
  let methods = [
    InterfaceMethod<[{
        Appends the inferred result types to `types`, or reports why the
        operands and attributes are inconsistent through `emitError`.
      }],
      "::llvm::LogicalResult", "inferResultTypes",
      (ins "::llvm::SmallVectorImpl<::mlir::Type> &":$types,
           "::llvm::function_ref<::mlir::InFlightDiagnostic()>":$emitError)>,
  ];
  let verify = [{ return ::mlir::tern::verifyInferredResultTypes($_op); }];
}

#endif // TERN_INTERFACES_TD
