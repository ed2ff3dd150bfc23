//===- MoEOps.cpp - moe_route and moe_experts shapes ----------------------===//
//
// The semantics are in MoEOps.td; this file checks that the attributes and
// operand shapes describe a router or an expert block one can run.
//
//===----------------------------------------------------------------------===//
#include "ir/TernOps.h"

using namespace mlir;
using namespace mlir::tern;

/// Checks that `type` has rank 2 and reports it as `name` otherwise.
static LogicalResult checkMatrix(RankedTensorType type, StringRef name, EmitErrorFn emitError) {
  if (type.getRank() != 2)
    return emitError() << name << " must have rank 2, got shape " << formatShape(type.getShape());
  return success();
}

/// True when static dimensions `a` and `b` differ.
static bool conflicts(int64_t a, int64_t b) {
  return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
}

LogicalResult MoERouteOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType logits = getTensorType(getLogits());
  if (failed(checkMatrix(logits, "logits ([tokens, experts])", emitError)))
    return failure();
  if (getScoring() != kSoftmax && getScoring() != kSigmoid)
    return emitError() << "scoring must be \"" << kSoftmax << "\" or \"" << kSigmoid << "\", got \""
                       << getScoring() << "\"";
  if (getGroupScore() != kGroupMax && getGroupScore() != kGroupTop2Sum)
    return emitError() << "group_score must be \"" << kGroupMax << "\" or \"" << kGroupTop2Sum
                       << "\", got \"" << getGroupScore() << "\"";

  int64_t experts = logits.getDimSize(1);
  if (Value bias = getCorrectionBias()) {
    RankedTensorType biasType = getTensorType(bias);
    if (biasType.getRank() != 1 || conflicts(biasType.getDimSize(0), experts))
      return emitError() << "correction_bias must have shape [" << experts
                         << "] (one per expert), got " << formatShape(biasType.getShape());
  }

  int64_t groups = getNGroup(), keptGroups = getTopkGroup(), k = getK();
  if (groups < 1)
    return emitError() << "n_group must be positive, got " << groups;
  if (keptGroups < 1 || keptGroups > groups)
    return emitError() << "topk_group (" << keptGroups << ") must be between 1 and n_group ("
                       << groups << ")";
  if (getNormEpsilon().convertToDouble() < 0)
    return emitError() << "norm_epsilon must not be negative";
  if (!ShapedType::isDynamic(experts)) {
    if (experts % groups != 0)
      return emitError() << "n_group (" << groups << ") does not divide the " << experts
                         << " experts";
    int64_t groupSize = experts / groups;
    if (groups > 1 && getGroupScore() == kGroupTop2Sum && groupSize < 2)
      return emitError() << "group_score \"" << kGroupTop2Sum
                         << "\" needs at least 2 experts per group, got " << groupSize;
    if (k > keptGroups * groupSize)
      return emitError() << "k (" << k << ") exceeds the " << keptGroups * groupSize
                         << " experts the kept groups hold";
  }

  SmallVector<int64_t> shape = {logits.getDimSize(0), k};
  types.push_back(RankedTensorType::get(shape, IntegerType::get(getContext(), 64)));
  types.push_back(RankedTensorType::get(shape, logits.getElementType()));
  return success();
}

LogicalResult MoEExpertsOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  RankedTensorType hidden = getTensorType(getHidden());
  RankedTensorType indices = getTensorType(getIndices());
  RankedTensorType weights = getTensorType(getWeights());
  if (failed(checkMatrix(hidden, "hidden ([tokens, hidden])", emitError)) ||
      failed(checkMatrix(indices, "indices ([tokens, k])", emitError)))
    return failure();
  if (weights.getShape() != indices.getShape())
    return emitError() << "weights shape " << formatShape(weights.getShape())
                       << " differs from indices shape " << formatShape(indices.getShape());
  if (weights.getElementType() != hidden.getElementType())
    return emitError() << "weights must have the element type of hidden ("
                       << hidden.getElementType() << "), got " << weights.getElementType();
  if (conflicts(indices.getDimSize(0), hidden.getDimSize(0)))
    return emitError() << "indices has " << indices.getDimSize(0) << " tokens, hidden has "
                       << hidden.getDimSize(0);

  size_t experts = getGate().size();
  if (experts == 0 || getUp().size() != experts || getDown().size() != experts)
    return emitError() << "needs one gate, up and down weight per expert, got " << experts << ", "
                       << getUp().size() << " and " << getDown().size();
  ArrayRef<int64_t> projection = getTensorType(getGate().front()).getShape();
  if (projection.size() != 2 || conflicts(projection[1], hidden.getDimSize(1)))
    return emitError() << "gate weight 0 must have shape [inter, " << hidden.getDimSize(1)
                       << "], got " << formatShape(projection);
  SmallVector<int64_t> downShape = {projection[1], projection[0]};
  auto check = [&](ValueRange group, StringRef name, ArrayRef<int64_t> expected) -> LogicalResult {
    for (auto [expert, weight] : llvm::enumerate(group))
      if (getTensorType(weight).getShape() != expected)
        return emitError() << name << " weight " << expert << " must have shape "
                           << formatShape(expected) << ", got "
                           << formatShape(getTensorType(weight).getShape());
    return success();
  };
  if (failed(check(getGate(), "gate", projection)) || failed(check(getUp(), "up", projection)) ||
      failed(check(getDown(), "down", downShape)) || failed(verifyBlockScales(emitError)))
    return failure();
  types.push_back(hidden);
  return success();
}

LogicalResult MoEExpertsOp::verifyBlockScales(EmitErrorFn emitError) {
  Type weightElement = getElementTypeOrSelf(getGate().front());
  bool quantized = isa<Float8E4M3FNType, Float8E5M2Type, IntegerType>(weightElement);
  size_t experts = getGate().size();
  if (!isBlockScaled()) {
    if (!getGateScales().empty() || !getUpScales().empty() || !getDownScales().empty())
      return emitError() << "scales need block_size";
    if (getActivationBlock())
      return emitError() << "activation_block quantizes the inputs of block-scaled products; "
                            "the weights have no block_size";
    if (quantized)
      return emitError() << "quantized weights (" << weightElement
                         << ") need block scales and block_size";
    return success();
  }
  ArrayRef<int64_t> block = *getBlockSize();
  if (block.size() != 2 || block[0] < 1 || block[1] < 1)
    return emitError() << "block_size must be two positive extents [rows, cols], got "
                       << formatShape(block);
  if (getGateScales().size() != experts || getUpScales().size() != experts ||
      getDownScales().size() != experts)
    return emitError() << "needs one gate, up and down scale per expert (" << experts << "), got "
                       << getGateScales().size() << ", " << getUpScales().size() << " and "
                       << getDownScales().size();
  Type hiddenElement = getElementTypeOrSelf(getHidden());
  auto check = [&](ValueRange weights, ValueRange scales, StringRef name) -> LogicalResult {
    for (auto [expert, weight, scale] : llvm::enumerate(weights, scales)) {
      RankedTensorType weightType = getTensorType(weight), scaleType = getTensorType(scale);
      if (!isa<Float8E4M3FNType, Float8E5M2Type, IntegerType>(weightType.getElementType()))
        return emitError() << name << " weight " << expert << " has block scales but is not "
                           << "quantized (" << weightType.getElementType() << ")";
      if (scaleType.getElementType() != hiddenElement)
        return emitError() << name << " scale " << expert << " must have the element type of "
                           << "hidden (" << hiddenElement << "), got "
                           << scaleType.getElementType();
      SmallVector<int64_t> expected;
      for (auto [size, extent] : llvm::zip(weightType.getShape(), block))
        expected.push_back(ShapedType::isDynamic(size) ? size : llvm::divideCeil(size, extent));
      if (scaleType.getShape() != ArrayRef<int64_t>(expected))
        return emitError() << name << " scale " << expert << " must have shape "
                           << formatShape(expected) << " (a " << formatShape(weightType.getShape())
                           << " weight in " << block[0] << "x" << block[1] << " blocks), got "
                           << formatShape(scaleType.getShape());
    }
    return success();
  };
  if (failed(check(getGate(), getGateScales(), "gate")) ||
      failed(check(getUp(), getUpScales(), "up")) ||
      failed(check(getDown(), getDownScales(), "down")))
    return failure();
  // FP8 activations come in the weights' blocks along the contracted
  // dimension, and the inputs are whole numbers of them.
  if (std::optional<uint64_t> activationBlock = getActivationBlock()) {
    int64_t extent = static_cast<int64_t>(*activationBlock);
    if (extent != block[1])
      return emitError() << "activation_block must be the weights' block extent along the "
                            "contracted dimension ("
                         << block[1] << "), got " << extent;
    ArrayRef<int64_t> gateShape = getTensorType(getGate().front()).getShape();
    for (int64_t size : {gateShape[1], gateShape[0]})
      if (!ShapedType::isDynamic(size) && size % extent != 0)
        return emitError() << "activation_block " << extent << " must divide the hidden ("
                           << gateShape[1] << ") and intermediate (" << gateShape[0] << ") sizes";
  }
  return success();
}
