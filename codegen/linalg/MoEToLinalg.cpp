//===- MoEToLinalg.cpp - moe_route and moe_experts to linalg --------------===//
//
// tern.moe_route becomes one kernel over the tokens, each iteration
// computing its token's reference routing (ir/MoEReference.h).
//
// tern.moe_experts runs only the experts the tokens chose, grouped by
// expert: the dispatch (MoEDispatch.h) gives each choice a row in blocks
// that share an expert; one parallel iteration per block reads its expert's
// weights through views at the expert's offset into stacked weights and
// computes the expert's MLP on the block's rows (unused blocks compute
// nothing); a second kernel adds each token's rows, times their routing
// weights, in choice order (no atomics: the same sum on every run).
//
// The weights are stacked here, at compile time, in the layout these
// kernels read: gate and up side by side and transposed, [E, hidden, 2 *
// inter], and down transposed, [E, inter, hidden], so that a row of a
// weight is contiguous along the outputs: the host streams it row by row
// (tern-stream-contractions), a GPU's threads read it coalesced. The stack
// is a #tern.concat_elements of the checkpoint's constants: nothing is
// copied at compile time, the plan writer streams and transposes them. Each
// expert's products add in the same order as the dense gemms, so an
// expert's output is the same to the bit; only the final sum's order
// differs from the dense form.
//
// Block-quantized experts (FP8 with 128x128 scales) are stacked as stored,
// in FP8, their scales beside them the same way; each product dequantizes
// the weight as it reads it, `q * scale`, as the dense form's
// tern.dequantize does before its gemm: no dequantized copy of a weight
// exists, and the result is again the same to the bit.
//
//===----------------------------------------------------------------------===//
#include "codegen/linalg/LinalgBuilders.h"
#include "codegen/linalg/MoEDispatch.h"
#include "codegen/linalg/TernToLinalg.h"
#include "ir/MoEReference.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

/// The experts' weights stacked into one constant [E, cols, rows] (its data;
/// nothing is built, so a pattern can still fail after it): expert
/// e's matrices of `groups` (each [rows_g, cols]) transposed and side by
/// side, as a #tern.concat_elements of the checkpoint's own constants, so
/// nothing is copied (the plan writer streams and transposes them; weights
/// stored [in, out] go in as they are). Identical stacks are one attribute,
/// so prefill, decode and every specialization share one weight. Fails
/// unless every weight is a constant (or the transpose of one, all alike) of
/// one element type.
FailureOr<ConcatElementsAttr> stackExperts(MLIRContext *context, ArrayRef<ValueRange> groups) {
  int64_t experts = groups.front().size(), rows = 0;
  auto first = cast<RankedTensorType>(groups.front().front().getType());
  for (ValueRange group : groups)
    rows += cast<RankedTensorType>(group.front().getType()).getDimSize(0);
  SmallVector<Attribute> parts;
  std::optional<bool> partsTransposed;
  for (int64_t e = 0; e < experts; ++e)
    for (ValueRange group : groups) {
      bool transposed;
      ElementsAttr data = matchStoredWeight(group[e], transposed);
      if (!data || getElementTypeOrSelf(group[e]) != first.getElementType() ||
          partsTransposed.value_or(transposed) != transposed)
        return failure();
      partsTransposed = transposed;
      parts.push_back(data);
    }
  auto type = RankedTensorType::get({experts, first.getDimSize(1), rows}, first.getElementType());
  return ConcatElementsAttr::get(context, type, ArrayAttr::get(context, parts), groups.size(),
                                 *partsTransposed);
}

/// The experts' weights and shapes one block of rows needs.
struct ExpertBlock {
  Value hidden, gateUp, down;
  int64_t rows, hiddenSize, inter;
  Type element;
  /// Block-quantized weights: their stacked scales ([E, hidden blocks, gate
  /// blocks + up blocks] and [E, inter blocks, hidden blocks]) and block
  /// size [rows, cols] as the checkpoint stores the weights; else null.
  Value gateUpScales = nullptr, downScales = nullptr;
  int64_t blockRows = 0, blockCols = 0;
  /// FP8 activations: each projection's input quantized per row and block
  /// of this many values first (moe_experts' activation_block); else 0.
  int64_t activationBlock = 0;

  /// Expert `e`'s MLP on the `rows` tokens `rowToken[first...]` of the
  /// hidden states: [rows, hidden].
  Value compute(OpBuilder &b, Location loc, Value rowToken, Value first, Value e) const {
    auto rowsType = RankedTensorType::get({rows, hiddenSize}, element);
    AffineMap identity = b.getMultiDimIdentityMap(2);
    // x[rowToken[first + r], h], the token ids in range (written by the
    // dispatch from loop indices).
    Value gathered = elementwise(
        b, loc, rowsType, ValueRange{}, {}, [&](OpBuilder &nb, Location l, ValueRange) -> Value {
          Value r = linalg::IndexOp::create(nb, l, 0), h = linalg::IndexOp::create(nb, l, 1);
          Value token = tensor::ExtractOp::create(
              nb, l, rowToken, ValueRange{arith::AddIOp::create(nb, l, first, r)});
          token = arith::IndexCastOp::create(nb, l, nb.getIndexType(), token);
          return tensor::ExtractOp::create(nb, l, hidden, ValueRange{token, h});
        });
    if (activationBlock)
      gathered = quantizeRowBlocksToFp8(b, loc, gathered, activationBlock);
    Value gated, upped;
    if (gateUpScales) {
      // Gate and up have blocks of their own (inter need not be a multiple
      // of the block): two products.
      gated = project(b, loc, gathered, gateUp, gateUpScales, e, hiddenSize, inter, 0);
      upped = project(b, loc, gathered, gateUp, gateUpScales, e, hiddenSize, inter, 1);
    } else {
      Value projected = project(b, loc, gathered, gateUp, nullptr, e, hiddenSize, 2 * inter, 0);
      OpFoldResult zero = b.getIndexAttr(0);
      gated = sliceOf(b, loc, projected, {zero, zero}, {rows, inter}, {rows, inter});
      upped =
          sliceOf(b, loc, projected, {zero, b.getIndexAttr(inter)}, {rows, inter}, {rows, inter});
    }
    Value activated =
        elementwise(b, loc, RankedTensorType::get({rows, inter}, element), ValueRange{gated, upped},
                    {identity, identity}, [](OpBuilder &nb, Location l, ValueRange args) -> Value {
                      return arith::MulFOp::create(nb, l, buildSilu(nb, l, args[0]), args[1]);
                    });
    if (activationBlock)
      activated = quantizeRowBlocksToFp8(b, loc, activated, activationBlock);
    return project(b, loc, activated, down, downScales, e, inter, hiddenSize, 0);
  }

private:
  /// `input` times part `part` (of `n` columns) of expert `e`'s [k, parts *
  /// n] matrix in `stack`, dequantized with its part of `scales` if given.
  Value project(OpBuilder &b, Location loc, Value input, Value stack, Value scales, Value e,
                int64_t k, int64_t n, int64_t part) const {
    OpFoldResult zero = b.getIndexAttr(0);
    Value matrix = sliceOf(b, loc, stack, {e, zero, b.getIndexAttr(part * n)}, {1, k, n}, {k, n});
    if (!scales)
      return rowsTimesMatrix(b, loc, input, matrix, element);
    // The matrix is a weight [n, k] transposed: k runs along the stored
    // columns, n along the rows.
    int64_t kBlocks = llvm::divideCeil(k, blockCols), nBlocks = llvm::divideCeil(n, blockRows);
    Value partScales = sliceOf(b, loc, scales, {e, zero, b.getIndexAttr(part * nBlocks)},
                               {1, kBlocks, nBlocks}, {kBlocks, nBlocks});
    return rowsTimesMatrix(b, loc, input, matrix, element,
                           MatrixScales{partScales, blockCols, blockRows, /*nMajor=*/false});
  }
};

// moe_experts(x, idx, w, gate, up, down) =>
//   dispatch = the choices grouped by expert in blocks (MoEDispatch.h)
//   out = scf.forall (i) { n = spreadIteration(i);
//                          if blockExpert[n] >= 0: its expert's MLP on the
//                          block's rows }
//   result[t] = sum over j of w[t, j] * out[position[t, j]]
struct LowerMoEExperts final : StaticShapePattern<MoEExpertsOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(MoEExpertsOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type element = type.getElementType();
    int64_t tokens = type.getDimSize(0), hidden = type.getDimSize(1);
    int64_t choices = op.getIndices().getType().getDimSize(1);
    int64_t experts = op.getNumExperts();

    FailureOr<ConcatElementsAttr> gateUpData =
        stackExperts(getContext(), {op.getGate(), op.getUp()});
    FailureOr<ConcatElementsAttr> downData = stackExperts(getContext(), {op.getDown()});
    FailureOr<ConcatElementsAttr> gateUpScaleData, downScaleData;
    if (op.isBlockScaled()) {
      gateUpScaleData = stackExperts(getContext(), {op.getGateScales(), op.getUpScales()});
      downScaleData = stackExperts(getContext(), {op.getDownScales()});
    }
    if (failed(gateUpData) || failed(downData) ||
        (op.isBlockScaled() && (failed(gateUpScaleData) || failed(downScaleData))))
      return rewriter.notifyMatchFailure(
          op, "expert weights and scales must be constants (or transposes of constants, all "
              "alike) of one element type per projection");
    auto constant = [&](ConcatElementsAttr data) -> Value {
      return arith::ConstantOp::create(rewriter, loc, data);
    };

    int64_t inter = getTensorType(op.getGate().front()).getDimSize(0);
    int64_t rowBytes = 2 * inter * op.getType().getElementTypeBitWidth() / 8;
    MoEDispatch dispatch = buildMoEDispatch(rewriter, loc, op.getIndices(), experts,
                                            pickMoEBlockRows(tokens * choices, experts, rowBytes));
    int64_t rows = dispatch.blockRows;
    ExpertBlock block{
        op.getHidden(), constant(*gateUpData), constant(*downData), rows, hidden, inter, element};
    if (op.isBlockScaled()) {
      block.gateUpScales = constant(*gateUpScaleData);
      block.downScales = constant(*downScaleData);
      block.blockRows = (*op.getBlockSize())[0];
      block.blockCols = (*op.getBlockSize())[1];
      block.activationBlock = static_cast<int64_t>(op.getActivationBlock().value_or(0));
    }

    auto outType = RankedTensorType::get({dispatch.blocks * rows, hidden}, element);
    auto forall = scf::ForallOp::create(
        rewriter, loc, ArrayRef<OpFoldResult>{rewriter.getIndexAttr(dispatch.blocks)},
        ValueRange{createEmpty(rewriter, loc, outType)}, getKernelIterationMapping(rewriter));
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(forall.getTerminator());
      Value n = forall.getInductionVar(0);
      // The used blocks are a prefix: spread them over the threads' ranges.
      n = spreadIteration(rewriter, loc, n, dispatch.blocks);
      Value expert = tensor::ExtractOp::create(rewriter, loc, dispatch.blockExpert, ValueRange{n});
      Value used = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge, expert,
                                         arith::ConstantIntOp::create(rewriter, loc, 0, 64));
      Value first = arith::MulIOp::create(rewriter, loc, n,
                                          arith::ConstantIndexOp::create(rewriter, loc, rows));
      auto blockType = RankedTensorType::get({rows, hidden}, element);
      SmallVector<OpFoldResult> offsets = {first, rewriter.getIndexAttr(0)},
                                sizes = {rewriter.getIndexAttr(rows),
                                         rewriter.getIndexAttr(hidden)};
      SmallVector<OpFoldResult> strides(2, rewriter.getIndexAttr(1));
      // Unused blocks (past the experts' last) compute nothing and leave
      // their rows, never read, as they are: the block's own rows of the
      // output, not a new tensor, so that the used branch's result is the
      // only empty tensor eliminate-empty-tensors finds behind the insert
      // (with two it picks by address, and compiles differed run to run).
      auto ifUsed = scf::IfOp::create(
          rewriter, loc, used,
          [&](OpBuilder &b, Location l) {
            Value e = arith::IndexCastOp::create(b, l, b.getIndexType(), expert);
            scf::YieldOp::create(b, l, block.compute(b, l, dispatch.rowToken, first, e));
          },
          [&](OpBuilder &b, Location l) {
            scf::YieldOp::create(b, l,
                                 tensor::ExtractSliceOp::create(b, l, blockType,
                                                                forall.getRegionIterArgs()[0],
                                                                offsets, sizes, strides)
                                     .getResult());
          });

      rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
      tensor::ParallelInsertSliceOp::create(rewriter, loc, ifUsed.getResult(0),
                                            forall.getRegionIterArgs()[0], offsets, sizes, strides);
    }

    // result[t, m] = sum over j of w[t, j] * out[position[t, j], m], j in
    // order, in the accumulator type.
    MLIRContext *context = getContext();
    AffineExpr t = getAffineDimExpr(0, context), m = getAffineDimExpr(1, context),
               j = getAffineDimExpr(2, context);
    Type acc = accumulatorType(element);
    RankedTensorType accType = type.clone(acc);
    Value out = forall.getResult(0);
    auto combine = linalg::GenericOp::create(
        rewriter, loc, accType, ValueRange{op.getWeights(), dispatch.position},
        createFilled(rewriter, loc, accType, cast<TypedAttr>(rewriter.getZeroAttr(acc))),
        {AffineMap::get(3, 0, {t, j}, context), AffineMap::get(3, 0, {t, j}, context),
         AffineMap::get(3, 0, {t, m}, context)},
        {utils::IteratorType::parallel, utils::IteratorType::parallel,
         utils::IteratorType::reduction},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value row = arith::IndexCastOp::create(b, l, b.getIndexType(), args[1]);
          Value value = tensor::ExtractOp::create(
              b, l, out, ValueRange{row, linalg::IndexOp::create(b, l, 1)});
          Value weight = args[0];
          if (value.getType() != acc)
            value = arith::ExtFOp::create(b, l, acc, value);
          if (weight.getType() != acc)
            weight = arith::ExtFOp::create(b, l, acc, weight);
          Value product = arith::MulFOp::create(b, l, value, weight);
          linalg::YieldOp::create(b, l, arith::AddFOp::create(b, l, args[2], product).getResult());
        });
    rewriter.replaceOp(op, roundToResult(rewriter, loc, combine.getResult(0), type));
    return success();
  }
};

// moe_route(logits, bias) => one kernel over the tokens:
//   scf.forall (t) { indices[t], weights[t] = the reference routing
//                    (ir/MoEReference.h) of row t alone, [1, experts] }
// The reference's tern ops (top-k, scatters, masks) are built inside the
// loop, where the other patterns lower them: each token's scores, group
// scores and masks live inside the one kernel, never in buffers passed
// between launches, and the results are those of the decomposed routing
// to the bit, by construction.
struct LowerMoERoute final : StaticShapePattern<MoERouteOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(MoERouteOp op, PatternRewriter &rewriter) const override {
    if (!getElementTypeOrSelf(op.getLogits()).isF32())
      return rewriter.notifyMatchFailure(op, "the reference routing is written in f32");
    MoERouting routing;
    routing.sigmoid = op.getScoring() == MoERouteOp::kSigmoid;
    routing.k = op.getK();
    routing.nGroup = op.getNGroup();
    routing.topkGroup = op.getTopkGroup();
    routing.groupTop2Sum = op.getGroupScore() == MoERouteOp::kGroupTop2Sum;
    routing.droppedFill = float(op.getDroppedFill().convertToDouble());
    routing.maskedWeights = op.getMaskedWeights();
    routing.normalize = op.getNormalize();
    routing.normEpsilon = float(op.getNormEpsilon().convertToDouble());
    routing.scaling = float(op.getScaling().convertToDouble());

    Location loc = op.getLoc();
    RankedTensorType logitsType = getTensorType(op.getLogits());
    int64_t tokens = logitsType.getDimSize(0), experts = logitsType.getDimSize(1);
    RankedTensorType indicesType = op.getIndices().getType(),
                     weightsType = op.getWeights().getType();
    auto forall =
        scf::ForallOp::create(rewriter, loc, ArrayRef<OpFoldResult>{rewriter.getIndexAttr(tokens)},
                              ValueRange{createEmpty(rewriter, loc, indicesType),
                                         createEmpty(rewriter, loc, weightsType)},
                              getKernelIterationMapping(rewriter));
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(forall.getTerminator());
    Value t = forall.getInductionVar(0);
    OpFoldResult zero = rewriter.getIndexAttr(0);
    Value row = sliceOf(rewriter, loc, op.getLogits(), {t, zero}, {1, experts}, {1, experts});
    auto [indices, weights] =
        buildReferenceRouting(rewriter, loc, row, op.getCorrectionBias(), routing);
    SmallVector<Value> results = {indices, weights};

    rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
    SmallVector<OpFoldResult> offsets = {t, zero},
                              sizes = {rewriter.getIndexAttr(1), rewriter.getIndexAttr(routing.k)},
                              strides(2, rewriter.getIndexAttr(1));
    for (auto [result, shared] : llvm::zip(results, forall.getRegionIterArgs()))
      tensor::ParallelInsertSliceOp::create(rewriter, loc, result, shared, offsets, sizes, strides);
    rewriter.replaceOp(op, forall.getResults());
    return success();
  }
};

} // namespace

void mlir::tern::populateMoEToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerMoEExperts, LowerMoERoute>(patterns.getContext());
}
