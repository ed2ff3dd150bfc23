//===- FuseFp8Casts.cpp - Block-dequantized weights into their products ---===//
//
// A product with a tern.dequantize by block scales becomes a
// tern.block_scaled_matmul of the quantized data and its scales. The fused
// op is defined as that composition, so the rewrite is exact; what it buys
// is in codegen, which now sees a weight in its stored precision instead of
// a dequantized tensor. The match follows the dataflow from the product's
// weight operand; nothing is matched by name. Two forms:
//   gemm(x, dequantize(q, s), [c], trans_b)   (checkpoints, ONNX Gemm: [N, K])
//   matmul(x, dequantize(q, s))               (ONNX MatMul: [K, N])
// The second takes the weight through tern.transpose, which codegen reads
// through (the constant stays as stored), and rows of any leading
// dimensions through a reshape to [rows, K]. Activations that are
// themselves a dequantize in 1 x (the weight's K block) blocks (an ONNX
// export's QuantizeLinear/DequantizeLinear of them, or
// tern-quantize-activations') join the op as FP8 with their scales, so
// both operands are read as stored.
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

/// `value` if it is a 2-D tern.dequantize with block scales, else null.
DequantizeOp getBlockDequantized(Value value) {
  auto dequantize = value.getDefiningOp<DequantizeOp>();
  if (!dequantize || !dequantize.getBlockSize() || dequantize.getZeroPoint() ||
      getTensorType(value).getRank() != 2)
    return nullptr;
  return dequantize;
}

/// The weight of a gemm by the transpose of a block-dequantized weight, with
/// nothing else but a bias added once (alpha and beta 1); null otherwise.
DequantizeOp getFusableWeight(GemmOp gemm) {
  if (!gemm.getTransB() || gemm.getTransA() || !gemm.getAlpha().isExactlyValue(1.0) ||
      (gemm.getC() && !gemm.getBeta().isExactlyValue(1.0)))
    return nullptr;
  return getBlockDequantized(gemm.getB());
}

/// The weight of a matmul of statically shaped rows (or a dynamic number of
/// rows of a 2-D lhs) by a block-dequantized [K, N] weight; null otherwise.
DequantizeOp getFusableWeight(MatMulOp matmul) {
  RankedTensorType lhs = getTensorType(matmul.getLhs());
  if (lhs.getRank() < 2 || (lhs.getRank() > 2 && !lhs.hasStaticShape()))
    return nullptr;
  return getBlockDequantized(matmul.getRhs());
}

Value reshapeToRows(OpBuilder &b, Location loc, Value value) {
  RankedTensorType type = getTensorType(value);
  if (type.getRank() == 2)
    return value;
  int64_t columns = type.getShape().back();
  return ReshapeOp::create(b, loc, type.clone({type.getNumElements() / columns, columns}), value,
                           Value());
}

/// The FP8 data and 1 x `blockK` scales of activations `x` that are a
/// tern.dequantize in exactly the blocks of the weight's K (an ONNX export's
/// QuantizeLinear/DequantizeLinear pair, DeepSeek's act_quant), into
/// `element`; nulls otherwise, and the product reads `x` as it is.
std::pair<Value, Value> getQuantizedActivations(Value x, int64_t blockK, Type element) {
  auto dequantize = x.getDefiningOp<DequantizeOp>();
  if (!dequantize || !dequantize.getBlockSize() || dequantize.getZeroPoint() ||
      !getTensorType(x).hasStaticShape() || getTensorType(x).getElementType() != element)
    return {};
  ArrayRef<int64_t> block = *dequantize.getBlockSize();
  if (block.back() != blockK ||
      !llvm::all_of(block.drop_back(), [](int64_t extent) { return extent == 1; }))
    return {};
  return {dequantize.getInput(), dequantize.getScale()};
}

/// The block-scaled product of rows `x` (any rank, K last) by the [N, K]
/// weight `q` with `scale`, as a [rows, N] tensor of `element`.
Value createProduct(OpBuilder &b, Location loc, Type element, Value x, Value q, Value scale,
                    ArrayRef<int64_t> blockSize) {
  auto [data, dataScale] = getQuantizedActivations(x, blockSize[1], element);
  Value rows = reshapeToRows(b, loc, data ? data : x);
  if (dataScale)
    dataScale = reshapeToRows(b, loc, dataScale);
  auto type = RankedTensorType::get(
      {getTensorType(rows).getDimSize(0), getTensorType(q).getDimSize(0)}, element);
  return BlockScaledMatMulOp::create(b, loc, type, rows, dataScale, q, scale,
                                     b.getDenseI64ArrayAttr(blockSize));
}

LogicalResult fuseGemm(GemmOp gemm) {
  DequantizeOp dequantize = getFusableWeight(gemm);
  OpBuilder b(gemm);
  Location loc = gemm.getLoc();
  Value fused =
      createProduct(b, loc, gemm.getType().getElementType(), gemm.getA(), dequantize.getInput(),
                    dequantize.getScale(), *dequantize.getBlockSize());
  // The gemm adds its bias to the finished products, as this add does.
  if (Value c = gemm.getC())
    fused = AddOp::create(b, loc, gemm.getType(), fused, c);
  gemm.getResult().replaceAllUsesWith(fused);
  return success();
}

/// The transposes of a [K, N] weight's data and scales that its matmuls
/// share, made once, after the dequantization.
class TransposedWeights {
public:
  std::pair<Value, Value> get(DequantizeOp dequantize) {
    auto [it, inserted] = transposes.try_emplace(dequantize);
    if (inserted) {
      OpBuilder b = OpBuilder::atBlockEnd(dequantize->getBlock());
      b.setInsertionPointAfter(dequantize);
      it->second = {transpose(b, dequantize.getLoc(), dequantize.getInput()),
                    transpose(b, dequantize.getLoc(), dequantize.getScale())};
    }
    return it->second;
  }

private:
  static Value transpose(OpBuilder &b, Location loc, Value value) {
    RankedTensorType type = getTensorType(value);
    return TransposeOp::create(b, loc, type.clone({type.getDimSize(1), type.getDimSize(0)}), value,
                               b.getDenseI64ArrayAttr({1, 0}));
  }

  DenseMap<Operation *, std::pair<Value, Value>> transposes;
};

LogicalResult fuseMatMul(MatMulOp matmul, TransposedWeights &weights) {
  DequantizeOp dequantize = getFusableWeight(matmul);
  auto [data, scale] = weights.get(dequantize);
  OpBuilder b(matmul);
  Location loc = matmul.getLoc();
  ArrayRef<int64_t> block = *dequantize.getBlockSize();
  RankedTensorType type = matmul.getType();
  Value fused = createProduct(b, loc, type.getElementType(), matmul.getLhs(), data, scale,
                              {block[1], block[0]});
  if (type.getRank() > 2)
    fused = ReshapeOp::create(b, loc, type, fused, Value());
  matmul.getResult().replaceAllUsesWith(fused);
  return success();
}

struct FuseFp8CastsPass final : tern::impl::FuseFp8CastsPassBase<FuseFp8CastsPass> {
  void runOnOperation() override {
    auto isFusableGemm = [](GemmOp gemm) { return getFusableWeight(gemm) != nullptr; };
    auto isFusableMatMul = [](MatMulOp matmul) { return getFusableWeight(matmul) != nullptr; };
    bool changed = fuseEach<GemmOp>(getOperation(), isFusableGemm, fuseGemm);
    TransposedWeights weights;
    changed |= fuseEach<MatMulOp>(getOperation(), isFusableMatMul,
                                  [&](MatMulOp matmul) { return fuseMatMul(matmul, weights); });
    if (!changed)
      markAllAnalysesPreserved();
  }
};

} // namespace
