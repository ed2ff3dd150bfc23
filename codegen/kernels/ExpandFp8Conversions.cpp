//===- ExpandFp8Conversions.cpp - FP8 widening for the target -------------===//
//
// The lowerings widen FP8 (E4M3FN, E5M2, their FNUZ variants) with
// arith.extf, which LLVM cannot lower (it has no 8-bit floats). This pass
// expands each one for the target: on chips with FP8 conversions (sm_89,
// sm_90a) E4M3FN and E5M2 into PTX's `cvt.rn.f16x2.{e4m3,e5m2}x2`
// (nvvm.convert.f8x2.to.f16x2, the byte in the low lane) and an exact
// widening of the f16, everything else into the integer emulation of
// Fp8Emulation.h. Both are exact, so they give the same bits.
//
//===----------------------------------------------------------------------===//
#include "codegen/kernels/Passes.h"
#include "codegen/linalg/Fp8Emulation.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

namespace mlir::tern {
#define GEN_PASS_DEF_EXPANDFP8CONVERSIONSPASS
#include "codegen/kernels/Passes.h.inc"

namespace {

/// `x` (FP8) as f32 through the chip's conversion instruction.
Value widenInHardware(OpBuilder &b, Location loc, Value x) {
  auto pair = VectorType::get({2}, b.getI8Type());
  Value zero = arith::ConstantIntOp::create(b, loc, 0, 8);
  Value bytes = LLVM::PoisonOp::create(b, loc, pair);
  Value byte = arith::BitcastOp::create(b, loc, b.getI8Type(), x);
  SmallVector<Value, 2> lanes = {byte, zero};
  for (auto [lane, value] : llvm::enumerate(lanes))
    bytes = LLVM::InsertElementOp::create(
        b, loc, pair, bytes, value,
        arith::ConstantIntOp::create(b, loc, static_cast<int64_t>(lane), 32));
  Value halves =
      NVVM::ConvertF8x2ToF16x2Op::create(b, loc, VectorType::get({2}, b.getF16Type()), bytes,
                                         /*relu=*/b.getBoolAttr(false), TypeAttr::get(x.getType()));
  Value half =
      LLVM::ExtractElementOp::create(b, loc, halves, arith::ConstantIntOp::create(b, loc, 0, 32));
  return arith::ExtFOp::create(b, loc, b.getF32Type(), half);
}

struct ExpandFp8ConversionsPass final
    : impl::ExpandFp8ConversionsPassBase<ExpandFp8ConversionsPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<arith::ExtFOp> widenings;
    getOperation()->walk([&](arith::ExtFOp op) {
      if (isFp8(op.getIn().getType()))
        widenings.push_back(op);
    });
    for (arith::ExtFOp op : widenings) {
      OpBuilder b(op);
      Location loc = op.getLoc();
      // PTX converts E4M3 and E5M2, not their FNUZ variants.
      Value wide = hardware && !isFp8Fnuz(op.getIn().getType())
                       ? widenInHardware(b, loc, op.getIn())
                       : extendFp8ToF32(b, loc, op.getIn());
      // Every FP8 value is exact in f16, bf16, f32 and f64.
      auto type = cast<FloatType>(op.getType());
      if (type.getWidth() > 32)
        wide = arith::ExtFOp::create(b, loc, type, wide);
      else if (!type.isF32())
        wide = arith::TruncFOp::create(b, loc, type, wide);
      op.replaceAllUsesWith(wide);
      op.erase();
    }
  }
};

} // namespace
} // namespace mlir::tern
