//===- TernDialect.td - The tern dialect -------------------*- tablegen -*-===//
#ifndef TERN_DIALECT_TD
#define TERN_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "ir/TernInterfaces.td"

def Tern_Dialect : Dialect {
  let name = "tern";
  let summary = "Tensor-level ops of DeepSeek-class decoder models";
  let description = [{
    Value-semantics ops on ranked tensors, at the level at which ONNX and
    HuggingFace checkpoints describe a model. Every op infers its result types
    (`InferTypesOpInterface`); fusion passes rewrite these ops and the codegen
    pipeline lowers them to upstream dialects.
  }];
  let cppNamespace = "::mlir::tern";
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    /// Adds the attributes of TernAttrs.td (TernAttrs.cpp holds their storage).
    void registerAttributes();
  }];
  let hasConstantMaterializer = 1;
  // The attributes of ir/Contract.h and ir/EntryPoints.h.
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

// FP8 FNUZ (AMD's formats: no infinities, no negative zero, NaN at 0x80) is
// stored and cast, never computed on.
def Tern_FloatElement : AnyTypeOf<[F32, F16, BF16, F64, F8E4M3FN, F8E5M2, F8E4M3FNUZ,
                                   F8E5M2FNUZ]>;
def Tern_IntElement : AnyTypeOf<[I64, I32, I16, I8]>;
def Tern_Element : AnyTypeOf<[F32, F16, BF16, F64, F8E4M3FN, F8E5M2, F8E4M3FNUZ, F8E5M2FNUZ, I64,
                              I32, I16, I8, I1]>;

// Unsigned integers (ONNX's UINT types) compute as signless ones after
// tern-signless-integers, which makes their ops' unsigned meaning explicit.
def Tern_Tensor : RankedTensorOf<[F32, F16, BF16, F64, F8E4M3FN, F8E5M2, F8E4M3FNUZ, F8E5M2FNUZ,
                                  I64, I32, I16, I8, UI64, UI32, UI16, UI8, I1]>;
def Tern_FloatTensor : RankedTensorOf<[F32, F16, BF16, F64, F8E4M3FN, F8E5M2, F8E4M3FNUZ,
                                       F8E5M2FNUZ]>;
// Arithmetic is done in the wide float types; FP8 only crosses quantize ops.
def Tern_ArithFloatTensor : RankedTensorOf<[F32, F16, BF16, F64]>;
// The float side of quantization, which kernels compute in f32 (FP8 and int8
// products dequantize in f32 and round to it): no f64.
def Tern_QuantFloatTensor : RankedTensorOf<[F32, F16, BF16]>;
def Tern_NumericTensor : RankedTensorOf<[F32, F16, BF16, F64, I64, I32, I16, I8, UI64, UI32, UI16,
                                         UI8]>;
def Tern_SignedTensor : RankedTensorOf<[F32, F16, BF16, F64, I64, I32, I16, I8]>;
def Tern_BoolTensor : RankedTensorOf<[I1]>;
// What has a maximum and a minimum: numbers and booleans (false < true).
def Tern_OrderedTensor : RankedTensorOf<[F32, F16, BF16, F64, I64, I32, I16, I8, UI64, UI32, UI16,
                                         UI8, I1]>;
def Tern_IndexTensor : RankedTensorOf<[I64, I32]>;
def Tern_ShapeTensor : 1DTensorOf<[I64]>;
// What block-scaled products read: FP8 and int8.
def Tern_QuantizedTensor : RankedTensorOf<[F8E4M3FN, F8E5M2, I8]>;
// What (de)quantize stores: FP8, and integers up to 16 bits as ONNX's
// (De)QuantizeLinear writes them (and i32, to which tern-signless-integers
// widens unsigned ones); zero points are the integers.
def Tern_QuantizedIntTensor : RankedTensorOf<[I8, UI8, I16, UI16, I32]>;
def Tern_QuantDataTensor : RankedTensorOf<[F8E4M3FN, F8E5M2, I8, UI8, I16, UI16, I32]>;

//===----------------------------------------------------------------------===//
// Traits
//===----------------------------------------------------------------------===//

// The op computes in f32 whatever type its operands are stored in: norms,
// softmax, sums and routing, which lose too much if each step rounds to a
// 16-bit float. tern-narrow-activations keeps its operands and results f32
// and rounds only what it hands on.
def Tern_ComputesInF32 : NativeOpTrait<"ComputesInF32"> {
  let cppNamespace = "::mlir::tern";
}

//===----------------------------------------------------------------------===//
// Base op class
//===----------------------------------------------------------------------===//

class Tern_Op<string mnemonic, list<Trait> traits = []>
    : Op<Tern_Dialect, mnemonic,
         traits # [Pure, DeclareOpInterfaceMethods<Tern_InferTypesOpInterface>]>;

#endif // TERN_DIALECT_TD
