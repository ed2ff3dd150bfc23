//===- FuseMoERouting.cpp - Router dataflow into tern.moe_route -----------===//
//
// Starts from the top-k that picks the experts and walks the routing math
// backwards (the group mask, the correction bias, the scoring function) and
// the weights forwards (gathered scores, renormalisation, scaling), as the
// reference code computes them; every step checks operands, shapes and
// constants, not names. What it reads is exactly what
// buildReferenceRouting (ir/MoEReference.h) writes back where no routing
// kernel exists.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "ir/MoEReference.h"
#include "ir/TernOps.h"
#include "passes/FusionUtils.h"

namespace mlir::tern {
#define GEN_PASS_DEF_FUSEMOEROUTINGPASS
#include "passes/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;
using namespace mlir::tern;

namespace {

/// A descending top-k along the last axis of `input`'s rank. Whether it is
/// sorted does not matter (torch.onnx.export writes sorted=0): every
/// consumer of a match is order-free (a scatter, a sum over the choices).
TopKOp getTopK(Value value, int64_t rank) {
  auto topk = value.getDefiningOp<TopKOp>();
  if (!topk || !topk.getLargest() || getTensorType(topk.getInput()).getRank() != rank ||
      !isLastAxis(topk.getAxis(), rank))
    return nullptr;
  return topk;
}

/// The source of `value` when `value` is it reshaped to `shape` (a reshape
/// or an unsqueeze: the same elements in the same order), or null.
Value getReshapeSource(Value value, ArrayRef<int64_t> shape) {
  Operation *op = value.getDefiningOp();
  if (!isa_and_nonnull<ReshapeOp, UnsqueezeOp>(op) || getTensorType(value).getShape() != shape)
    return nullptr;
  return op->getOperand(0);
}

/// One reduction over axis 2 of [tokens, groups, perGroup] without keepdims.
template <typename ReduceOp> ReduceOp getGroupReduction(Value value) {
  auto reduce = value.getDefiningOp<ReduceOp>();
  if (!reduce || reduce.getKeepdims() || !isLastAxisOnly(reduce.getAxes(), 3))
    return nullptr;
  return reduce;
}

/// The 0/1 mask that `condition` tests, with `negated` set when the
/// condition holds where the mask is 0: `mask > c` for 0 <= c < 1 (as the
/// HF importer writes it) or `cast<i1>(mask)` (mask != 0, as torch.onnx.export
/// writes `.bool()`), under any number of logical nots.
Value getTestedMask(Value condition, bool &negated) {
  negated = false;
  while (auto notOp = condition.getDefiningOp<NotOp>()) {
    negated = !negated;
    condition = notOp.getInput();
  }
  if (auto gt = condition.getDefiningOp<GtOp>()) {
    std::optional<double> threshold = getSplatFloat(gt.getRhs());
    return threshold && *threshold >= 0.0 && *threshold < 1.0 ? gt.getLhs() : nullptr;
  }
  if (auto cast = condition.getDefiningOp<CastOp>())
    return isa<FloatType>(getElementTypeOrSelf(cast.getInput())) ? cast.getInput() : nullptr;
  return nullptr;
}

class RouterMatcher {
public:
  explicit RouterMatcher(TopKOp select) : select(select) {
    auto type = getTensorType(select.getInput());
    tokens = type.getDimSize(0);
    experts = type.getDimSize(1);
    routing.k = select.getK();
  }

  /// Rewrites the router that ends in `select`, if it is one.
  LogicalResult fuse() {
    if (failed(matchChoice(select.getInput())) || failed(matchScores()) || failed(matchWeights()) ||
        failed(checkConsumers()))
      return failure();
    if (routing.nGroup > 1 && routing.k > routing.topkGroup * (experts / routing.nGroup))
      return failure(); // the dense form would choose dropped experts
    OpBuilder b(weightsEnd.getContext());
    b.setInsertionPointAfterValue(weightsEnd);
    auto route = MoERouteOp::create(
        b, b.getFusedLoc({select.getLoc(), weightsEnd.getLoc()}), select.getIndices().getType(),
        weightsEnd.getType(), logits, bias,
        routing.sigmoid ? MoERouteOp::kSigmoid : MoERouteOp::kSoftmax, routing.k, routing.nGroup,
        routing.topkGroup, routing.groupTop2Sum ? MoERouteOp::kGroupTop2Sum : MoERouteOp::kGroupMax,
        llvm::APFloat(double(routing.droppedFill)), routing.maskedWeights, routing.normalize,
        llvm::APFloat(double(routing.normEpsilon)), llvm::APFloat(double(routing.scaling)));
    select.getIndices().replaceAllUsesExcept(route.getIndices(), internalUsers);
    weightsEnd.replaceAllUsesWith(route.getWeights());
    return success();
  }

private:
  /// The top-k's input: the (possibly group-masked) choice values.
  LogicalResult matchChoice(Value input) {
    choice = input;
    auto where = input.getDefiningOp<WhereOp>();
    if (!where)
      return success();
    bool negated;
    Value tested = getTestedMask(where.getCondition(), negated);
    Value kept = negated ? where.getFalseValue() : where.getTrueValue();
    std::optional<double> fill =
        getSplatFloat(negated ? where.getTrueValue() : where.getFalseValue());
    if (!tested || !fill)
      return failure();
    // [tokens, experts] <- [tokens, groups, perGroup] <- [tokens, groups, 1]
    // <- the group mask: ones scattered into zeros at the best groups.
    Value expertMask = getReshapeSource(tested, {tokens, experts});
    auto expand = expertMask ? expertMask.getDefiningOp<ExpandOp>() : nullptr;
    if (!expand || expand.getShape())
      return failure();
    ArrayRef<int64_t> grouped = getTensorType(expand.getResult()).getShape();
    if (grouped.size() != 3 || grouped[0] != tokens || grouped[1] * grouped[2] != experts)
      return failure();
    int64_t groups = grouped[1];
    Value groupMask = getReshapeSource(expand.getInput(), {tokens, groups, 1});
    auto scatter = groupMask ? groupMask.getDefiningOp<ScatterElementsOp>() : nullptr;
    if (!scatter || !isLastAxis(scatter.getAxis(), 2) || scatter.getReduction() != "none" ||
        getSplatFloat(scatter.getInput()) != 0.0 || getSplatFloat(scatter.getUpdates()) != 1.0)
      return failure();
    TopKOp bestGroups = getTopK(scatter.getIndices(), 2);
    if (!bestGroups || bestGroups.getIndices() != scatter.getIndices())
      return failure();

    // The group scores read the choice before the mask.
    Value groupScores = bestGroups.getInput();
    Value regrouped;
    if (auto sum = getGroupReduction<ReduceSumOp>(groupScores)) {
      TopKOp best2 = getTopK(sum.getInput(), 3);
      if (!best2 || best2.getValues() != sum.getInput() || best2.getK() != 2)
        return failure();
      regrouped = best2.getInput();
      routing.groupTop2Sum = true;
    } else if (auto max = getGroupReduction<ReduceMaxOp>(groupScores)) {
      regrouped = max.getInput();
    } else {
      return failure();
    }
    choice = getReshapeSource(regrouped, {tokens, groups, experts / groups});
    if (!choice || choice != kept)
      return failure();
    masked = where.getResult();
    routing.nGroup = groups;
    routing.topkGroup = bestGroups.getK();
    routing.droppedFill = *fill;
    return success();
  }

  /// The choice: sigmoid or softmax scores, plus the correction bias (only
  /// with sigmoid scores, as noaux_tc).
  LogicalResult matchScores() {
    scores = choice;
    if (auto add = choice.getDefiningOp<AddOp>()) {
      bool biasFirst = getTensorType(add.getLhs()).getRank() == 1;
      scores = biasFirst ? add.getRhs() : add.getLhs();
      bias = biasFirst ? add.getLhs() : add.getRhs();
      if (getTensorType(bias).getShape() != ArrayRef<int64_t>{experts} ||
          !scores.getDefiningOp<SigmoidOp>())
        return failure();
    }
    if (auto sigmoid = scores.getDefiningOp<SigmoidOp>()) {
      routing.sigmoid = true;
      logits = sigmoid.getInput();
    } else if (auto softmax = scores.getDefiningOp<SoftmaxOp>()) {
      if (!isLastAxis(softmax.getAxis(), 2))
        return failure();
      logits = softmax.getInput();
    } else {
      return failure();
    }
    return success();
  }

  /// The weights: the chosen experts' scores (the top-k's values where the
  /// choice is the scores, or a gather), renormalised, scaled.
  LogicalResult matchWeights() {
    // Gathered from the scores, or from the masked choice (without a bias,
    // where the choice is the scores); the top-k's own values are the latter.
    Value maskedChoice = masked ? masked : choice;
    Value weights, source;
    for (Operation *user : select.getIndices().getUsers()) {
      auto gather = dyn_cast<GatherElementsOp>(user);
      if (!gather || !isLastAxis(gather.getAxis(), 2))
        continue;
      if (gather.getInput() == scores || (!bias && gather.getInput() == maskedChoice)) {
        weights = gather.getResult();
        source = gather.getInput();
        internalUsers.insert(gather);
        break;
      }
    }
    if (!weights) {
      if (bias || select.getValues().use_empty())
        return failure(); // the corrected scores would be the weights
      weights = select.getValues();
      source = maskedChoice;
    }
    routing.maskedWeights = masked && source == masked;

    if (auto div = getOnlyUser<DivOp>(weights, /*allowedOthers=*/1)) {
      Value denominator = div.getRhs();
      if (auto add = denominator.getDefiningOp<AddOp>()) {
        std::optional<double> epsilon = getSplatFloat(add.getRhs());
        if (!epsilon || getTensorType(add.getRhs()).getRank() != 0)
          return failure();
        routing.normEpsilon = *epsilon;
        denominator = add.getLhs();
      }
      auto sum = denominator.getDefiningOp<ReduceSumOp>();
      if (div.getLhs() != weights || !sum || sum.getInput() != weights || !sum.getKeepdims() ||
          !isLastAxisOnly(sum.getAxes(), 2))
        return failure();
      routing.normalize = true;
      weights = div.getResult();
    }
    if (auto mul = getOnlyUser<MulOp>(weights)) {
      std::optional<double> factor = getSplatFloat(mul.getRhs());
      if (!factor || mul.getLhs() != weights || getTensorType(mul.getRhs()).getRank() != 0)
        return failure();
      routing.scaling = *factor;
      weights = mul.getResult();
    }
    weightsEnd = weights;
    return success();
  }

  /// The results feed the experts only: a scatter into the routing matrix
  /// (with the same indices) or tern.moe_experts.
  LogicalResult checkConsumers() {
    Operation *end = weightsEnd.getDefiningOp();
    auto feedsExperts = [&](Operation *user) {
      return end->getBlock() == user->getBlock() && end->isBeforeInBlock(user) &&
             (isa<MoEExpertsOp>(user) ||
              (isa<ScatterElementsOp>(user) &&
               cast<ScatterElementsOp>(user).getIndices() == select.getIndices()));
    };
    if (weightsEnd.use_empty() || !llvm::all_of(weightsEnd.getUsers(), feedsExperts))
      return failure();
    for (Operation *user : select.getIndices().getUsers())
      if (!internalUsers.contains(user) && !feedsExperts(user))
        return failure();
    return success();
  }

  /// The op of type OpTy that uses `value`, when `value` has one such user
  /// and at most `allowedOthers` other users (a normalisation's sum).
  template <typename OpTy> OpTy getOnlyUser(Value value, unsigned allowedOthers = 0) {
    OpTy found;
    unsigned others = 0;
    for (Operation *user : value.getUsers()) {
      if (auto op = dyn_cast<OpTy>(user); op && !found)
        found = op;
      else
        ++others;
    }
    return others <= allowedOthers ? found : OpTy();
  }

  TopKOp select;
  int64_t tokens, experts;
  MoERouting routing;
  Value choice, scores, masked, logits, bias, weightsEnd;
  SmallPtrSet<Operation *, 2> internalUsers;
};

struct FuseMoERoutingPass final : tern::impl::FuseMoERoutingPassBase<FuseMoERoutingPass> {
  void runOnOperation() override {
    auto isExpertSelection = [](TopKOp topk) {
      auto type = getTensorType(topk.getInput());
      return type.getRank() == 2 && type.hasStaticShape() && type.getElementType().isF32() &&
             getTopK(topk.getValues(), 2);
    };
    auto fuse = [](TopKOp select) { return RouterMatcher(select).fuse(); };
    if (!fuseEach<TopKOp>(getOperation(), isExpertSelection, fuse))
      markAllAnalysesPreserved();
  }
};

} // namespace
