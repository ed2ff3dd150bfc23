//===- FuseMoEExperts.cpp - Dense expert sums into tern.moe_experts -------===//
//
// The dense form computes every expert on every token and weights it by its
// column of the routing matrix, zero where the token did not choose it. The
// match starts from that matrix (a scatter of zeros at top-k indices), finds
// each expert's term through its column, and follows the terms up to the sum
// that adds them; nothing is matched by name.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "ir/TernOps.h"
#include "passes/FusionUtils.h"

#include "mlir/IR/Matchers.h"

#include "llvm/ADT/SetVector.h"

namespace mlir::tern {
#define GEN_PASS_DEF_FUSEMOEEXPERTSPASS
#include "passes/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;
using namespace mlir::tern;

namespace {

/// A weight as the checkpoint stores it: `data` (widened by the op, or
/// quantized with block `scale`s that the op applies), or the value itself.
struct StoredWeight {
  Value data, scale = nullptr;
  DenseI64ArrayAttr blockSize = nullptr;

  bool isConstant() const {
    return matchPattern(data, m_Constant()) && (!scale || matchPattern(scale, m_Constant()));
  }
};

/// The stored form of a projection's weight: the operand of a widening
/// float cast (bf16 -> f32), or the data and scales of a block-scaled
/// tern.dequantize (FP8 checkpoints), or the value.
StoredWeight storedWeight(Value weight) {
  if (auto dequantize = weight.getDefiningOp<DequantizeOp>()) {
    if (!dequantize.getBlockSizeAttr() || dequantize.getZeroPoint() ||
        getTensorType(weight).getRank() != 2)
      return {weight}; // per-tensor, per-axis or asymmetric: not what the op takes
    return {dequantize.getInput(), dequantize.getScale(), dequantize.getBlockSizeAttr()};
  }
  auto cast = weight.getDefiningOp<CastOp>();
  if (!cast)
    return {weight};
  auto from = dyn_cast<FloatType>(getElementTypeOrSelf(cast.getInput()));
  auto to = dyn_cast<FloatType>(getElementTypeOrSelf(cast.getType()));
  if (from && to && from.getWidth() < to.getWidth() &&
      from.getFPMantissaWidth() <= to.getFPMantissaWidth())
    return {cast.getInput()};
  return {weight};
}

/// A projection of `input` by `weight` with nothing else (no bias, no
/// scaling): `x @ w^T` as a gemm, the weight [out, in] (transformers'
/// nn.Linear), or `x @ w` as a matmul of matrices, the weight [in, out]
/// (nn.Linear as torch.onnx.export's TorchScript exporter writes it).
struct Projection {
  Value input;
  StoredWeight weight;
  bool inOut;
};

std::optional<Projection> matchProjection(Value value) {
  if (auto gemm = value.getDefiningOp<GemmOp>()) {
    if (gemm.getC() || gemm.getTransA() || !gemm.getTransB() ||
        gemm.getAlpha().convertToDouble() != 1.0)
      return std::nullopt;
    return Projection{gemm.getA(), storedWeight(gemm.getB()), false};
  }
  auto matmul = value.getDefiningOp<MatMulOp>();
  if (!matmul || getTensorType(matmul.getLhs()).getRank() != 2 ||
      getTensorType(matmul.getRhs()).getRank() != 2)
    return std::nullopt;
  return Projection{matmul.getLhs(), storedWeight(matmul.getRhs()), true};
}

/// One expert's SiLU-gated MLP: down(silu(gate(x)) * up(x)), its weights
/// [out, in], or [in, out] when `inOut`.
struct ExpertMlp {
  Value hidden;
  StoredWeight gate, up, down;
  bool inOut = false;
};

std::optional<ExpertMlp> matchExpertMlp(Value output) {
  std::optional<Projection> down = matchProjection(output);
  if (!down)
    return std::nullopt;
  auto product = down->input.getDefiningOp<MulOp>();
  if (!product || product.getLhs().getType() != product.getRhs().getType())
    return std::nullopt;
  for (auto [gated, other] : {std::pair(product.getLhs(), product.getRhs()),
                              std::pair(product.getRhs(), product.getLhs())}) {
    auto silu = gated.getDefiningOp<SiluOp>();
    if (!silu)
      continue;
    std::optional<Projection> gate = matchProjection(silu.getInput()), up = matchProjection(other);
    if (!gate || !up || gate->input != up->input || gate->inOut != down->inOut ||
        up->inOut != down->inOut)
      continue;
    ExpertMlp mlp{gate->input, gate->weight, up->weight, down->weight, down->inOut};
    // Codegen stacks the experts' weights (and scales) at compile time, so
    // they must be constants. Block scales of [in, out] weights would have
    // to be transposed with them: not done yet.
    if (!mlp.gate.isConstant() || !mlp.up.isConstant() || !mlp.down.isConstant() ||
        (mlp.inOut && (mlp.gate.scale || mlp.up.scale || mlp.down.scale)))
      return std::nullopt;
    return mlp;
  }
  return std::nullopt;
}

/// The routing matrix: a scatter of `weights` into zeros at `indices` along
/// the experts, where the indices cannot repeat within a row, so that each
/// column holds one chosen expert's weight or zero.
bool isRoutingMatrix(ScatterElementsOp scatter) {
  RankedTensorType type = scatter.getType();
  if (type.getRank() != 2 || !type.hasStaticShape() || scatter.getReduction() != "none" ||
      !isLastAxis(scatter.getAxis(), 2) ||
      !getElementTypeOrSelf(scatter.getIndices()).isInteger(64) ||
      getSplatFloat(scatter.getInput()) != 0.0)
    return false;
  Value indices = scatter.getIndices();
  if (auto route = indices.getDefiningOp<MoERouteOp>())
    return route.getIndices() == indices;
  auto topk = indices.getDefiningOp<TopKOp>();
  if (!topk || topk.getIndices() != indices)
    return false;
  return getTensorType(topk.getInput()).getShape() == type.getShape() &&
         isLastAxis(topk.getAxis(), 2);
}

/// The expert whose column `slice` takes (all rows, one column), or nullopt.
std::optional<int64_t> matchColumn(SliceOp slice) {
  RankedTensorType input = getTensorType(slice.getInput());
  ArrayRef<int64_t> starts = slice.getStarts(), ends = slice.getEnds(), steps = slice.getSteps();
  if (starts.size() != 2 || steps[0] != 1 || steps[1] != 1 || starts[0] != 0 ||
      ends[0] < input.getDimSize(0) || starts[1] < 0 || ends[1] != starts[1] + 1)
    return std::nullopt;
  return starts[1];
}

/// The add that `value` feeds, if it is that add's only use and the add
/// keeps the type (no broadcasting, so its terms may be reordered).
AddOp getSumUser(Value value) {
  if (!value.hasOneUse())
    return nullptr;
  auto add = dyn_cast<AddOp>(*value.getUsers().begin());
  if (!add || add.getType() != value.getType() || add.getLhs().getType() != add.getRhs().getType())
    return nullptr;
  return add;
}

class ExpertSumFuser {
public:
  explicit ExpertSumFuser(ScatterElementsOp routing) : routing(routing) {}

  /// Rewrites the sum over all experts of `routing`, if there is one.
  LogicalResult fuse() {
    int64_t experts = routing.getType().getDimSize(1);
    SmallVector<MulOp> terms(experts);
    SmallVector<ExpertMlp> mlps(experts);
    for (Operation *user : routing->getUsers()) {
      auto slice = dyn_cast<SliceOp>(user);
      std::optional<int64_t> expert = slice ? matchColumn(slice) : std::nullopt;
      if (!expert || *expert >= experts || terms[*expert] || !slice->hasOneUse())
        continue;
      auto term = dyn_cast<MulOp>(*slice->getUsers().begin());
      if (!term)
        continue;
      Value output = term.getLhs() == slice.getResult() ? term.getRhs() : term.getLhs();
      std::optional<ExpertMlp> mlp = matchExpertMlp(output);
      if (!mlp || output.getType() != term.getType())
        continue;
      terms[*expert] = term;
      mlps[*expert] = *mlp;
    }
    if (llvm::any_of(terms, [](MulOp term) { return !term; }))
      return failure();
    const ExpertMlp &first = mlps.front();
    Value hidden = first.hidden;
    Type element = getElementTypeOrSelf(hidden);
    // One layout, element type and block size for all: codegen stacks the
    // weights as they are stored, gate and up together; scales are in the
    // hidden states' type, as the op computes.
    Type gateUpElement = getElementTypeOrSelf(first.gate.data);
    Type downElement = getElementTypeOrSelf(first.down.data);
    DenseI64ArrayAttr blockSize = first.down.blockSize;
    auto alike = [&](const StoredWeight &weight, Type dataElement) {
      return getElementTypeOrSelf(weight.data) == dataElement && weight.blockSize == blockSize &&
             (!weight.scale || getElementTypeOrSelf(weight.scale) == element);
    };
    if (llvm::any_of(mlps,
                     [&](const ExpertMlp &mlp) {
                       return mlp.hidden != hidden || mlp.inOut != first.inOut ||
                              !alike(mlp.gate, gateUpElement) || !alike(mlp.up, gateUpElement) ||
                              !alike(mlp.down, downElement);
                     }) ||
        hidden.getType() != terms.front().getType() ||
        getElementTypeOrSelf(routing.getUpdates()) != element)
      return failure();

    AddOp root = findSum(terms);
    if (!root)
      return failure();
    SmallVector<Value> others;
    collectOtherTerms(root.getResult(), terms, others);

    OpBuilder b(root);
    Location loc = root.getLoc();
    // The fused op computes every expert's term: it comes from all of them.
    Location expertsLoc =
        b.getFusedLoc(llvm::map_to_vector(terms, [](MulOp term) { return term.getLoc(); }));
    // The op takes [out, in] weights; [in, out] ones go in transposed (the
    // lowering stacks the constants under the transposes as they are).
    auto asOutIn = [&](Value weight, bool inOut) -> Value {
      if (!inOut)
        return weight;
      RankedTensorType type = getTensorType(weight);
      return TransposeOp::create(b, weight.getLoc(),
                                 type.clone({type.getDimSize(1), type.getDimSize(0)}), weight,
                                 ArrayRef<int64_t>{1, 0});
    };
    SmallVector<Value> gates, ups, downs, gateScales, upScales, downScales;
    for (const ExpertMlp &mlp : mlps) {
      gates.push_back(asOutIn(mlp.gate.data, mlp.inOut));
      ups.push_back(asOutIn(mlp.up.data, mlp.inOut));
      downs.push_back(asOutIn(mlp.down.data, mlp.inOut));
      if (blockSize) {
        gateScales.push_back(mlp.gate.scale);
        upScales.push_back(mlp.up.scale);
        downScales.push_back(mlp.down.scale);
      }
    }
    Value sum = MoEExpertsOp::create(b, expertsLoc, hidden.getType(), hidden, routing.getIndices(),
                                     routing.getUpdates(), gates, ups, downs, gateScales, upScales,
                                     downScales, blockSize, /*activation_block=*/nullptr);
    if (!others.empty()) {
      Value rest = others.front();
      for (Value other : llvm::drop_begin(others))
        rest = AddOp::create(b, loc, root.getType(), rest, other);
      sum = AddOp::create(b, loc, root.getType(), rest, sum);
    }
    root.getResult().replaceAllUsesWith(sum);
    return success();
  }

private:
  /// The add at the top of the sum all terms feed, through adds that nothing
  /// else reads; null if the terms do not meet in one sum.
  AddOp findSum(ArrayRef<MulOp> terms) {
    AddOp root;
    for (MulOp term : terms) {
      AddOp top = getSumUser(term.getResult());
      if (!top)
        return nullptr;
      sumOps.insert(top);
      while (AddOp next = getSumUser(top.getResult())) {
        sumOps.insert(next);
        top = next;
      }
      if (root && top != root)
        return nullptr;
      root = top;
    }
    return root;
  }

  /// The operands of the sum that are not expert terms, left to right.
  void collectOtherTerms(Value value, ArrayRef<MulOp> terms, SmallVectorImpl<Value> &others) {
    auto add = value.getDefiningOp<AddOp>();
    if (add && sumOps.contains(add)) {
      collectOtherTerms(add.getLhs(), terms, others);
      collectOtherTerms(add.getRhs(), terms, others);
      return;
    }
    if (!llvm::is_contained(terms, value.getDefiningOp<MulOp>()))
      others.push_back(value);
  }

  ScatterElementsOp routing;
  llvm::SetVector<AddOp> sumOps;
};

struct FuseMoEExpertsPass final : tern::impl::FuseMoEExpertsPassBase<FuseMoEExpertsPass> {
  void runOnOperation() override {
    auto fuse = [](ScatterElementsOp routing) { return ExpertSumFuser(routing).fuse(); };
    if (!fuseEach<ScatterElementsOp>(getOperation(), isRoutingMatrix, fuse))
      markAllAnalysesPreserved();
  }
};

} // namespace
