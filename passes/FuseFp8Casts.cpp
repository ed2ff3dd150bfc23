//===- FuseFp8Casts.cpp - Block-dequantized weights into their products ---===//
//
// A gemm by the transpose of a tern.dequantize with block scales becomes a
// tern.block_scaled_matmul of the quantized data and its scales. The fused
// op is defined as that composition, so the rewrite is exact; what it buys
// is in codegen, which now sees a weight in its stored precision instead of
// a dequantized tensor. The match follows the dataflow from the gemm's
// weight operand; nothing is matched by name.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "ir/TernOps.h"
#include "passes/FusionUtils.h"

namespace mlir::tern {
#define GEN_PASS_DEF_FUSEFP8CASTSPASS
#include "passes/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;
using namespace mlir::tern;

namespace {

/// The block-scaled dequantization that `gemm` multiplies by, transposed,
/// and nothing else: no c, no alpha, lhs as it is. Null otherwise.
DequantizeOp getFusableWeight(GemmOp gemm) {
  if (!gemm.getTransB() || gemm.getTransA() || gemm.getC() || !gemm.getAlpha().isExactlyValue(1.0))
    return nullptr;
  auto dequantize = gemm.getB().getDefiningOp<DequantizeOp>();
  if (!dequantize || !dequantize.getBlockSize())
    return nullptr;
  return dequantize;
}

LogicalResult fuse(GemmOp gemm) {
  DequantizeOp dequantize = getFusableWeight(gemm);
  OpBuilder b(gemm);
  Value fused = BlockScaledMatMulOp::create(b, gemm.getLoc(), gemm.getType(), gemm.getA(),
                                            dequantize.getInput(), dequantize.getScale(),
                                            b.getDenseI64ArrayAttr(*dequantize.getBlockSize()));
  gemm.getResult().replaceAllUsesWith(fused);
  return success();
}

struct FuseFp8CastsPass final : tern::impl::FuseFp8CastsPassBase<FuseFp8CastsPass> {
  void runOnOperation() override {
    auto isCandidate = [](GemmOp gemm) { return getFusableWeight(gemm) != nullptr; };
    if (!fuseEach<GemmOp>(getOperation(), isCandidate, fuse))
      markAllAnalysesPreserved();
  }
};

} // namespace
