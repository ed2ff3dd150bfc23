//===- Fp8Emulation.h - 8-bit float conversions in integer arithmetic -*- C++ -*-===//
//
// LLVM IR has no 8-bit float types (MLIR's LLVM lowering stores them as i8),
// so conversions to and from FP8 are built here from integer, f16 and f32
// arithmetic on the bits, the same code for the host and for the GPU.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_CODEGEN_FP8EMULATION_H
#define TERN_CODEGEN_FP8EMULATION_H

#include "mlir/IR/Builders.h"

namespace mlir::tern {

/// True for the 8-bit float element types tern supports (E4M3FN, E5M2, and
/// the FNUZ variants of both).
bool isFp8(Type type);
/// True for E4M3FNUZ and E5M2FNUZ: no infinities, no negative zero, one NaN
/// (0x80); no NVIDIA conversion instruction reads them.
bool isFp8Fnuz(Type type);

/// Widens an 8-bit float scalar to f32 (exact) in integer and f16
/// arithmetic: what tern-expand-fp8-conversions makes of an FP8 arith.extf
/// where the target has no FP8 conversions.
Value extendFp8ToF32(OpBuilder &b, Location loc, Value x);

/// Widens a quantized scalar, FP8 or int8, to f32 (exact): FP8 as
/// arith.extf, which tern-expand-fp8-conversions expands for the target.
Value extendQuantizedToF32(OpBuilder &b, Location loc, Value q);

/// Rounds an f32 scalar to the 8-bit float type `to`, to nearest with ties to
/// even. A value that rounds beyond the largest finite one, infinities
/// included, becomes that largest value when `saturate`, else infinity (E5M2)
/// or NaN (E4M3FN and the FNUZ types, which have no infinity). NaN stays
/// NaN; the sign is kept, zero's too, except in the FNUZ types, which have
/// no negative zero.
Value truncateF32ToFp8(OpBuilder &b, Location loc, Value x, FloatType to, bool saturate);

} // namespace mlir::tern

#endif // TERN_CODEGEN_FP8EMULATION_H
