//===- TensorReader.h - ONNX TensorProto to MLIR attributes -----*- C++ -*-===//
//
// Turns initializers and constant tensors into ElementsAttrs, validating
// every size against the bytes actually present. Weights become
// dense_resource blobs; ONNX external data stays memory-mapped.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_FRONTEND_ONNX_TENSORREADER_H
#define TERN_FRONTEND_ONNX_TENSORREADER_H

#include "frontend/onnx/onnx.pb.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <string>

namespace mlir::tern::onnx_import {

using EmitErrorFn = llvm::function_ref<InFlightDiagnostic()>;

/// Tensors with more elements than this become dense_resource blobs.
constexpr int64_t kInlineElementLimit = 16;

/// The name ONNX gives a TensorProto data type, for diagnostics.
llvm::StringRef dataTypeName(int32_t dataType);

/// Maps an ONNX data type to Tern's element type; `what` names the tensor or
/// value in the error.
FailureOr<Type> convertElementType(int32_t dataType, MLIRContext *context, llvm::StringRef what,
                                   EmitErrorFn emitError);

/// Bytes per element as stored in raw_data (bool takes one byte).
int64_t storageBytes(Type elementType);

class TensorReader {
public:
  /// `modelDir` is the folder external data must stay inside.
  TensorReader(MLIRContext *context, llvm::StringRef modelDir)
      : context(context), modelDir(modelDir.str()) {}

  /// Reads `tensor` (releasing its raw_data into the attribute where it can).
  FailureOr<ElementsAttr> read(onnx::TensorProto &tensor, llvm::StringRef what,
                               EmitErrorFn emitError);

private:
  FailureOr<ElementsAttr> readExternal(const onnx::TensorProto &tensor, RankedTensorType type,
                                       int64_t byteSize, llvm::StringRef what,
                                       EmitErrorFn emitError);
  ElementsAttr makeAttr(RankedTensorType type, llvm::StringRef name, llvm::ArrayRef<char> bytes,
                        std::function<void()> release);

  MLIRContext *context;
  std::string modelDir;
};

} // namespace mlir::tern::onnx_import

#endif // TERN_FRONTEND_ONNX_TENSORREADER_H
