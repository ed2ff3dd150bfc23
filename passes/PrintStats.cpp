//===- PrintStats.cpp - FLOPs and weight bytes per call -------------------===//
//
// An estimate from the tern ops, not a measurement: contractions only (the
// elementwise work is small beside them in these models), and every weight
// counted as read once per call, except the rows a gather does not take and
// the experts a token did not choose.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "ir/TernOps.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

namespace mlir::tern {
#define GEN_PASS_DEF_PRINTSTATSPASS
#include "passes/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;
using namespace mlir::tern;

namespace {

double countElements(Type type) {
  std::optional<int64_t> count = getStaticElementCount(cast<ShapedType>(type).getShape());
  return count ? double(*count) : 0.0;
}

/// One per point of the einsum's iteration space: the product of every
/// label's size.
double countEinsumIterations(EinsumOp op) {
  llvm::StringMap<int64_t> sizes;
  StringRef terms = op.getEquation().split("->").first;
  SmallVector<StringRef> inputs;
  terms.split(inputs, ',');
  for (auto [term, value] : llvm::zip(inputs, op.getInputs()))
    for (auto [label, size] : llvm::zip(term, getTensorType(value).getShape()))
      sizes[StringRef(&label, 1)] = size;
  double count = 1.0;
  for (const auto &entry : sizes)
    count *= ShapedType::isDynamic(entry.second) ? 0.0 : double(entry.second);
  return count;
}

/// Latent attention as its kernels compute it, absorbed: the query into the
/// latent space (N x L per head), scores against L + R cached values and
/// the latents weighed per position, the result out of it (L x V per head).
double countAbsorbedFlops(MLAAttentionOp op) {
  RankedTensorType q = op.getQNope().getType(), cache = op.getLatentCache().getType();
  double rows = countElements(op.getType()) / double(op.getValueDim()); // B x H
  double nope = double(q.getDimSize(2)), latent = double(op.getLatentDim());
  // Every position the op may attend to (last_positions may stop earlier).
  double positions = double(op.getPositions()), width = double(cache.getDimSize(2));
  return 2.0 * rows *
         (nope * latent + positions * (width + latent) + latent * double(op.getValueDim()));
}

/// 2 per multiply-add of a contraction; 0 for other ops.
double countFlops(Operation *op) {
  if (auto gemm = dyn_cast<GemmOp>(op)) {
    RankedTensorType a = getTensorType(gemm.getA());
    int64_t k = a.getDimSize(gemm.getTransA() ? 0 : 1);
    return 2.0 * countElements(gemm.getType()) * double(k);
  }
  if (auto matmul = dyn_cast<MatMulOp>(op)) {
    RankedTensorType lhs = getTensorType(matmul.getLhs());
    return 2.0 * countElements(matmul.getType()) * double(lhs.getShape().back());
  }
  if (auto scaled = dyn_cast<BlockScaledMatMulOp>(op)) {
    RankedTensorType lhs = getTensorType(scaled.getLhs());
    return 2.0 * countElements(scaled.getType()) * double(lhs.getShape().back());
  }
  if (auto einsum = dyn_cast<EinsumOp>(op); einsum && einsum.getInputs().size() == 2)
    return 2.0 * countEinsumIterations(einsum);
  if (auto attention = dyn_cast<MLAAttentionOp>(op))
    return countAbsorbedFlops(attention);
  return 0.0;
}

/// The share of the experts' weights one call of `op` reads: the chosen
/// experts, at most tokens x k of them.
double getExpertShare(MoEExpertsOp op) {
  double slots = countElements(op.getIndices().getType());
  return std::min(slots, double(op.getNumExperts())) / double(op.getNumExperts());
}

double countMoEFlops(MoEExpertsOp op) {
  RankedTensorType gate = getTensorType(op.getGate().front());
  double perSlot = 2.0 * 3.0 * countElements(gate);
  return perSlot * countElements(op.getIndices().getType());
}

/// The bytes of `constant` a call reads: all of a weight, the rows a gather
/// takes (an embedding table), or the share of the experts that the
/// moe_experts ops using it choose.
double countWeightBytes(ConstantOp constant) {
  auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
  if (dense && dense.isSplat())
    return 0.0; // a fill, not stored data
  Type element = getElementTypeOrSelf(constant.getType());
  double bytes = countElements(constant.getType()) *
                 std::max<double>(1.0, element.getIntOrFloatBitWidth() / 8.0);
  double share = 0.0;
  for (Operation *user : constant->getUsers()) {
    double used = 1.0;
    if (auto experts = dyn_cast<MoEExpertsOp>(user))
      used = getExpertShare(experts);
    else if (auto gather = dyn_cast<GatherOp>(user); gather && gather.getInput() == constant)
      used = std::min(1.0, countElements(gather.getType()) / countElements(constant.getType()));
    share = std::max(share, used);
  }
  return bytes * share;
}

/// `value` with an SI prefix and three decimals: "1.751 G", "36.864 k".
std::string formatAmount(double value) {
  static const char *const prefixes[] = {"", "k", "M", "G", "T"};
  unsigned prefix = 0;
  while (value >= 1000.0 && prefix + 1 < std::size(prefixes)) {
    value /= 1000.0;
    ++prefix;
  }
  return llvm::formatv("{0:f3} {1}", value, prefixes[prefix]).str();
}

struct PrintStatsPass final : tern::impl::PrintStatsPassBase<PrintStatsPass> {
  using PrintStatsPassBase::PrintStatsPassBase;

  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      double flops = 0, expertFlops = 0, weightBytes = 0;
      func.walk([&](Operation *op) {
        flops += countFlops(op);
        if (auto experts = dyn_cast<MoEExpertsOp>(op))
          expertFlops += countMoEFlops(experts);
        if (auto constant = dyn_cast<ConstantOp>(op))
          weightBytes += countWeightBytes(constant);
      });
      std::string routed =
          expertFlops > 0 ? " (routed experts " + formatAmount(expertFlops) + "FLOP)" : "";
      llvm::errs() << "stats " << label << ": @" << func.getSymName() << ": "
                   << formatAmount(flops + expertFlops) << "FLOP" << routed << ", "
                   << formatAmount(weightBytes) << "B of weights read per call\n";
    }
    markAllAnalysesPreserved();
  }
};

} // namespace
