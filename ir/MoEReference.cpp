//===- MoEReference.cpp - MoE routing as plain tern ops -------------------===//
#include "ir/MoEReference.h"

#include "ir/TernOps.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

class RoutingBuilder {
public:
  RoutingBuilder(OpBuilder &b, Location loc, Value logits)
      : b(b), loc(loc), tokens(getTensorType(logits).getDimSize(0)),
        experts(getTensorType(logits).getDimSize(1)) {}

  std::pair<Value, Value> build(Value logits, Value bias, const MoERouting &r) {
    Value scores = r.sigmoid
                       ? Value(SigmoidOp::create(b, loc, logits.getType(), logits))
                       : Value(SoftmaxOp::create(b, loc, logits.getType(), logits, uint64_t(1)));
    Value choice = bias ? add(scores, bias) : scores;
    Value allowed, masked = choice;
    if (r.nGroup > 1) {
      int64_t perGroup = experts / r.nGroup;
      Value grouped = reshape(choice, {tokens, r.nGroup, perGroup});
      Value groupScores =
          r.groupTop2Sum
              ? Value(ReduceSumOp::create(b, loc, tensor({tokens, r.nGroup}),
                                          topk(grouped, 2).getValues(), b.getDenseI64ArrayAttr({2}),
                                          b.getBoolAttr(false)))
              : Value(ReduceMaxOp::create(b, loc, tensor({tokens, r.nGroup}), grouped,
                                          b.getDenseI64ArrayAttr({2}), b.getBoolAttr(false)));
      allowed = keptExperts(groupScores, r.nGroup, r.topkGroup);
      masked = where(allowed, choice, r.droppedFill);
    }
    TopKOp chosen = topk(masked, r.k);

    // The weights are the scores of the chosen experts: the top-k's own
    // values where the choice is those scores, else gathered.
    Value source = scores;
    if (allowed && r.maskedWeights)
      source = bias ? where(allowed, scores, r.droppedFill) : masked;
    RankedTensorType weightsType = tensor({tokens, r.k});
    Value weights =
        source == masked
            ? chosen.getValues()
            : Value(GatherElementsOp::create(b, loc, weightsType, source, chosen.getIndices(),
                                             b.getI64IntegerAttr(1)));
    if (r.normalize) {
      Value sum = ReduceSumOp::create(b, loc, tensor({tokens, 1}), weights,
                                      b.getDenseI64ArrayAttr({1}), b.getBoolAttr(true));
      if (r.normEpsilon != 0.0f)
        sum = add(sum, splat({}, r.normEpsilon));
      weights = DivOp::create(b, loc, weightsType, weights, sum);
    }
    weights = MulOp::create(b, loc, weightsType, weights, splat({}, r.scaling));
    return {chosen.getIndices(), weights};
  }

private:
  /// [tokens, experts] i1: whether each expert's group is among the
  /// `kept` best of `groups` by `groupScores` [tokens, groups].
  Value keptExperts(Value groupScores, int64_t groups, int64_t kept) {
    int64_t perGroup = experts / groups;
    TopKOp bestGroups = topk(groupScores, kept);
    Value groupMask = ScatterElementsOp::create(
        b, loc, tensor({tokens, groups}), splat({tokens, groups}, 0.0f), bestGroups.getIndices(),
        splat({tokens, kept}, 1.0f), b.getI64IntegerAttr(1));
    Value expertMask = ExpandOp::create(b, loc, tensor({tokens, groups, perGroup}),
                                        reshape(groupMask, {tokens, groups, 1}), Value());
    expertMask = reshape(expertMask, {tokens, experts});
    return GtOp::create(b, loc, RankedTensorType::get({tokens, experts}, b.getI1Type()), expertMask,
                        splat({}, 0.5f));
  }

  /// The k largest along the last axis; ties keep the lower index first.
  TopKOp topk(Value x, int64_t k) {
    SmallVector<int64_t> shape(getTensorType(x).getShape());
    shape.back() = k;
    return TopKOp::create(b, loc, tensor(shape), RankedTensorType::get(shape, b.getI64Type()), x,
                          b.getI64IntegerAttr(k), b.getI64IntegerAttr(shape.size() - 1), nullptr,
                          nullptr);
  }

  Value where(Value condition, Value x, float fill) {
    return WhereOp::create(b, loc, x.getType(), condition, x, splat({}, fill));
  }
  Value add(Value x, Value y) { return AddOp::create(b, loc, x.getType(), x, y); }
  Value reshape(Value x, ArrayRef<int64_t> shape) {
    return ReshapeOp::create(b, loc, getTensorType(x).clone(shape), x, Value());
  }
  Value splat(ArrayRef<int64_t> shape, float value) {
    RankedTensorType type = tensor(shape);
    return ConstantOp::create(b, loc, type, DenseElementsAttr::get(type, value));
  }
  RankedTensorType tensor(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, b.getF32Type());
  }

  OpBuilder &b;
  Location loc;
  int64_t tokens, experts;
};

} // namespace

std::pair<Value, Value> mlir::tern::buildReferenceRouting(OpBuilder &b, Location loc, Value logits,
                                                          Value bias, const MoERouting &routing) {
  return RoutingBuilder(b, loc, logits).build(logits, bias, routing);
}
