//===- QuantizeActivations.cpp - FP8 activations for FP8 weights ----------===//
//
// DeepSeek-V3's FP8 linear layers quantize their input at run time, per
// token and block of 128 channels (`act_quant`: amax of the block, at least
// 1e-4, over 448, the largest E4M3 value), and multiply FP8 by FP8 with the
// two scales (`fp8_gemm`). This precision policy writes that quantization
// in tern ops in front of every product with a block-quantized weight whose
// contracted dimension the weight's K blocks tile: the scale as plain ops
// (reshape, abs, reduce_max, max, div), then tern.quantize in 1 x block
// blocks. A fused product (tern.block_scaled_matmul) takes the FP8 data and
// the scales as its lhs and lhs_scale; an unfused one (`--no-fusion`) reads
// the activations through the matching tern.dequantize, the form an ONNX
// export writes and tern-fuse-fp8-casts fuses, so both compute the same
// values. Block-scaled routed experts quantize inside tern.moe_experts
// (activation_block), whose inputs exist only in its kernel. Codegen decides
// where the quantization runs.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "ir/BlockQuantization.h"
#include "ir/Contract.h"
#include "ir/TernOps.h"

namespace mlir::tern {
#define GEN_PASS_DEF_QUANTIZEACTIVATIONSPASS
#include "passes/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;
using namespace mlir::tern;

namespace {

/// The block-quantized weight a product reads, [N, K] (`nMajor`) or [K, N],
/// through a cast that narrowed it; null when the product has none.
struct QuantizedWeight {
  DequantizeOp dequantize;
  bool nMajor;
  /// The extent of the weight's blocks along K.
  int64_t blockK() { return (*dequantize.getBlockSize())[nMajor ? 1 : 0]; }
};

DequantizeOp getBlockDequantized(Value weight) {
  if (auto narrowed = weight.getDefiningOp<CastOp>())
    weight = narrowed.getInput();
  auto dequantize = weight.getDefiningOp<DequantizeOp>();
  if (!dequantize || !dequantize.getBlockSize() || dequantize.getZeroPoint() ||
      getTensorType(weight).getRank() != 2)
    return nullptr;
  return dequantize;
}

std::optional<QuantizedWeight> getQuantizedWeight(Operation *op) {
  if (auto gemm = dyn_cast<GemmOp>(op)) {
    DequantizeOp dequantize = gemm.getTransA() ? nullptr : getBlockDequantized(gemm.getB());
    if (dequantize)
      return QuantizedWeight{dequantize, gemm.getTransB()};
  } else if (auto matmul = dyn_cast<MatMulOp>(op)) {
    if (DequantizeOp dequantize = getBlockDequantized(matmul.getRhs()))
      return QuantizedWeight{dequantize, false};
  }
  return std::nullopt;
}

/// The activations `x` (static, K last, a multiple of `block`) quantized
/// to FP8 E4M3 in 1 x `block` blocks: the data and the f32 scales.
std::pair<Value, Value> quantizeActivations(OpBuilder &b, Location loc, Value x, int64_t block) {
  RankedTensorType type = getTensorType(x);
  Type f32 = b.getF32Type();
  if (!type.getElementType().isF32())
    x = CastOp::create(b, loc, type.clone(f32), x);
  SmallVector<int64_t> shape(type.getShape());
  int64_t k = shape.back();
  shape.back() = k / block;
  auto scaleType = RankedTensorType::get(shape, f32);
  shape.push_back(block);
  auto blocksType = RankedTensorType::get(shape, f32);
  auto scalar = [&](double value) -> Value {
    auto scalarType = RankedTensorType::get({}, f32);
    return ConstantOp::create(b, loc, DenseElementsAttr::get(scalarType, b.getF32FloatAttr(value)));
  };
  Value blocks = ReshapeOp::create(b, loc, blocksType, x, Value());
  Value amax = ReduceMaxOp::create(b, loc, scaleType, AbsOp::create(b, loc, blocksType, blocks),
                                   b.getDenseI64ArrayAttr({type.getRank()}), b.getBoolAttr(false));
  amax = MaxOp::create(b, loc, scaleType, amax, scalar(kActivationAmaxFloor));
  auto fp8 = Float8E4M3FNType::get(b.getContext());
  Value scale = DivOp::create(b, loc, scaleType, amax, scalar(kE4M3Max));
  SmallVector<int64_t> blockSize(type.getRank(), 1);
  blockSize.back() = block;
  Value data = QuantizeOp::create(b, loc, type.clone(fp8), x, scale, /*zero_point=*/Value(),
                                  nullptr, b.getDenseI64ArrayAttr(blockSize));
  return {data, scale};
}

/// Whether `x`, the activations of a product whose weight is blocked by
/// `block` along K, can be quantized in 1 x `block` blocks.
bool isQuantizable(Value x, int64_t block) {
  RankedTensorType type = getTensorType(x);
  return type.hasStaticShape() && type.getRank() >= 1 && isa<FloatType>(type.getElementType()) &&
         type.getShape().back() % block == 0;
}

/// A fused product takes the FP8 activations as its lhs.
bool quantize(BlockScaledMatMulOp op) {
  int64_t block = op.getBlockSize()[1];
  if (op.getLhsScale() || !isQuantizable(op.getLhs(), block))
    return false;
  OpBuilder b(op);
  auto [data, scale] = quantizeActivations(b, op.getLoc(), op.getLhs(), block);
  op.getLhsMutable().assign(data);
  op.getLhsScaleMutable().assign(scale);
  return true;
}

/// The experts' products quantize their inputs inside the op
/// (moe_experts' activation_block), where the kernel computes them.
bool quantize(MoEExpertsOp op) {
  if (!op.isBlockScaled() || op.getActivationBlock())
    return false;
  int64_t block = (*op.getBlockSize())[1];
  ArrayRef<int64_t> gate = getTensorType(op.getGate().front()).getShape();
  if (ShapedType::isDynamic(gate[0]) || ShapedType::isDynamic(gate[1]) || gate[0] % block ||
      gate[1] % block)
    return false;
  op.setActivationBlock(block);
  return true;
}

/// An unfused one reads them dequantized, in its operand's type.
bool quantize(Operation *op, OpOperand &activations, QuantizedWeight weight) {
  Value x = activations.get();
  if (x.getDefiningOp<DequantizeOp>() || !isQuantizable(x, weight.blockK()))
    return false;
  OpBuilder b(op);
  Location loc = op->getLoc();
  auto [data, scale] = quantizeActivations(b, loc, x, weight.blockK());
  RankedTensorType type = getTensorType(x);
  Value dequantized =
      DequantizeOp::create(b, loc, type.clone(b.getF32Type()), data, scale, /*zero_point=*/Value(),
                           nullptr, cast<QuantizeOp>(data.getDefiningOp()).getBlockSizeAttr());
  if (!type.getElementType().isF32())
    dequantized = CastOp::create(b, loc, type, dequantized);
  activations.assign(dequantized);
  return true;
}

struct QuantizeActivationsPass final
    : tern::impl::QuantizeActivationsPassBase<QuantizeActivationsPass> {
  void runOnOperation() override {
    bool changed = false;
    getOperation().walk([&](Operation *op) {
      if (auto fused = dyn_cast<BlockScaledMatMulOp>(op)) {
        changed |= quantize(fused);
      } else if (auto experts = dyn_cast<MoEExpertsOp>(op)) {
        changed |= quantize(experts);
      } else if (std::optional<QuantizedWeight> weight = getQuantizedWeight(op)) {
        changed |= quantize(op, op->getOpOperand(0), *weight);
      }
    });
    if (!changed) {
      markAllAnalysesPreserved();
      return;
    }
    getOperation()->setAttr(kActivationsAttr, StringAttr::get(&getContext(), kFp8BlockActivations));
  }
};

} // namespace
