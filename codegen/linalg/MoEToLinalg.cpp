//===- MoEToLinalg.cpp - moe_route and moe_experts to linalg --------------===//
//
// tern.moe_route decomposes into the reference routing (ir/MoEReference.h).
//
// tern.moe_experts runs only the experts each token chose: one parallel
// iteration per (token, choice) reads its expert's weights through a view
// at the expert's offset into stacked weights, computes the expert's MLP on
// the token, and writes one row; a second kernel adds each token's rows,
// times their routing weights, in choice order (no atomics: the same sum on
// every run).
//
// The weights are stacked here, at compile time, in the layout these
// kernels read: gate and up side by side and transposed, [E, hidden, 2 *
// inter], and down transposed, [E, inter, hidden], so that a row of a
// weight is contiguous along the outputs, as tern.matmul's right operand.
// Each expert's products add in the same order as the dense gemms, so an
// expert's output is the same to the bit; only the final sum's order
// differs from the dense form.
//
//===----------------------------------------------------------------------===//
#include "codegen/linalg/LinalgBuilders.h"
#include "codegen/linalg/TernToLinalg.h"
#include "ir/MoEReference.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

#include <cstring>
#include <mutex>

using namespace mlir;
using namespace mlir::tern;

namespace {

/// The bytes of a constant weight, with `splat` set when they hold one
/// element for all; nullopt when the data is not in memory (an elided
/// resource).
std::optional<ArrayRef<char>> getWeightBytes(ElementsAttr data, bool &splat) {
  splat = false;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(data)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    return blob->getData();
  }
  if (auto dense = dyn_cast<DenseElementsAttr>(data)) {
    splat = dense.isSplat();
    return dense.getRawData();
  }
  return std::nullopt;
}

/// Copies 2-D weights `sources` ([rows, cols] each, `elementBytes` per
/// element) transposed into `target` at [expert, col, columnOffset + row] of
/// a [E, cols, stride] array.
struct TransposedCopy {
  char *target;
  int64_t elementBytes, cols, stride;

  void copy(ArrayRef<char> source, bool splat, int64_t expert, int64_t rows, int64_t columnOffset) {
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) {
        const char *from = source.data() + (splat ? 0 : (r * cols + c) * elementBytes);
        char *to = target + ((expert * cols + c) * stride + columnOffset + r) * elementBytes;
        std::memcpy(to, from, elementBytes);
      }
  }
};

/// Stacks per-expert weight groups into one constant: group g of expert e
/// (a [rows_g, cols] matrix) lands transposed at columns [sum of earlier
/// rows, + rows_g) of [E, cols, sum of rows]. Fails unless every weight is a
/// constant in memory of one element type.
///
/// The stacked blob is named after its sources, so that every entry point
/// lowering the same experts (prefill, decode, specializations; possibly on
/// other threads) shares one copy, and the plan holds the weights once.
FailureOr<Value> stackTransposed(OpBuilder &b, Location loc, ArrayRef<ValueRange> groups,
                                 StringRef suffix) {
  int64_t experts = groups.front().size();
  auto first = cast<RankedTensorType>(groups.front().front().getType());
  Type element = first.getElementType();
  int64_t cols = first.getDimSize(1), stride = 0;
  struct Source {
    ArrayRef<char> bytes;
    bool splat;
    int64_t rows, columnOffset;
  };
  SmallVector<Source> sources;
  std::string firstKey = "moe_experts";
  // The sources' identity: resource names, or the data of inline constants.
  std::string identity;
  for (ValueRange group : groups) {
    int64_t rows = cast<RankedTensorType>(group.front().getType()).getDimSize(0);
    for (Value weight : group) {
      ElementsAttr data;
      bool splat;
      std::optional<ArrayRef<char>> bytes;
      if (getElementTypeOrSelf(weight) != element || !matchPattern(weight, m_Constant(&data)) ||
          !(bytes = getWeightBytes(data, splat)))
        return failure();
      if (auto resource = dyn_cast<DenseResourceElementsAttr>(data)) {
        if (sources.empty())
          firstKey = resource.getRawHandle().getKey().str();
        identity += resource.getRawHandle().getKey().str() + ";";
      } else {
        identity += llvm::utohexstr(llvm::xxh3_64bits(llvm::arrayRefFromStringRef(
                        StringRef(bytes->data(), bytes->size())))) + ";";
      }
      sources.push_back({*bytes, splat, rows, stride});
    }
    stride += rows;
  }
  auto type = RankedTensorType::get({experts, cols, stride}, element);
  std::string name = (firstKey + "." + suffix + "." +
                      llvm::utohexstr(llvm::xxh3_64bits(llvm::arrayRefFromStringRef(identity))))
                         .str();

  static std::mutex stacking;
  std::lock_guard<std::mutex> lock(stacking);
  MLIRContext *context = b.getContext();
  auto &manager = DenseResourceElementsHandle::getManagerInterface(context);
  auto getHandle = [&]() -> DenseResourceElementsHandle {
    if (DialectResourceBlobManager::BlobEntry *entry = manager.getBlobManager().lookup(name);
        entry && entry->getBlob())
      return DenseResourceElementsHandle(entry, context->getLoadedDialect<BuiltinDialect>());
    int64_t elementBytes = element.getIntOrFloatBitWidth() / 8;
    AsmResourceBlob blob = HeapAsmResourceBlob::allocate(type.getNumElements() * elementBytes,
                                                         alignof(std::max_align_t));
    TransposedCopy copier{blob.getMutableData().data(), elementBytes, cols, stride};
    for (auto [index, source] : llvm::enumerate(sources))
      copier.copy(source.bytes, source.splat, index % experts, source.rows, source.columnOffset);
    return manager.insert(name, std::move(blob));
  };
  DenseResourceElementsHandle handle = getHandle();
  return arith::ConstantOp::create(b, loc, DenseResourceElementsAttr::get(type, handle))
      .getResult();
}

/// The expert `indices[t, j]` names, clamped into [0, experts): kernels
/// cannot report errors, and a bad index must not read out of bounds.
Value loadExpertIndex(OpBuilder &b, Location loc, Value indices, ValueRange position,
                      int64_t experts) {
  Value index = tensor::ExtractOp::create(b, loc, indices, position);
  index = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
  index = arith::MaxSIOp::create(b, loc, index, arith::ConstantIndexOp::create(b, loc, 0));
  return arith::MinSIOp::create(b, loc, index, arith::ConstantIndexOp::create(b, loc, experts - 1));
}

/// The [1, N] product of a [1, K] row and a [K, N] matrix.
Value rowTimesMatrix(OpBuilder &b, Location loc, Value row, Value matrix, Type element) {
  int64_t n = cast<RankedTensorType>(matrix.getType()).getDimSize(1);
  MLIRContext *context = b.getContext();
  AffineExpr m = getAffineDimExpr(0, context), j = getAffineDimExpr(1, context),
             k = getAffineDimExpr(2, context);
  SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {m, k}, context),
                                 AffineMap::get(3, 0, {k, j}, context),
                                 AffineMap::get(3, 0, {m, j}, context)};
  return contract(b, loc, RankedTensorType::get({1, n}, element), ValueRange{row, matrix}, maps,
                  {utils::IteratorType::parallel, utils::IteratorType::parallel,
                   utils::IteratorType::reduction});
}

/// A static [1, ...] slice of `source` at `offsets` with `sizes`, dropping
/// the dimensions of size 1 before the last two.
Value sliceOf(OpBuilder &b, Location loc, Value source, ArrayRef<OpFoldResult> offsets,
              ArrayRef<int64_t> sizes, ArrayRef<int64_t> resultShape) {
  auto sourceType = cast<RankedTensorType>(source.getType());
  SmallVector<OpFoldResult> sizeAttrs, strides(sizes.size(), b.getIndexAttr(1));
  for (int64_t size : sizes)
    sizeAttrs.push_back(b.getIndexAttr(size));
  auto type = RankedTensorType::get(resultShape, sourceType.getElementType());
  return tensor::ExtractSliceOp::create(b, loc, type, source, offsets, sizeAttrs, strides);
}

// moe_experts(x, idx, w, gate, up, down) =>
//   rows = scf.forall (t, j) { e = idx[t, j]; expert e's MLP on x[t] }
//   result[t] = sum over j of w[t, j] * rows[t, j]
struct LowerMoEExperts final : StaticShapePattern<MoEExpertsOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(MoEExpertsOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type element = type.getElementType();
    int64_t tokens = type.getDimSize(0), hidden = type.getDimSize(1);
    int64_t choices = op.getIndices().getType().getDimSize(1);
    int64_t inter = getTensorType(op.getGate().front()).getDimSize(0);
    int64_t experts = op.getNumExperts();

    FailureOr<Value> gateUp =
        stackTransposed(rewriter, loc, {op.getGate(), op.getUp()}, "stacked_gate_up");
    FailureOr<Value> down = stackTransposed(rewriter, loc, {op.getDown()}, "stacked_down");
    if (failed(gateUp) || failed(down))
      return rewriter.notifyMatchFailure(
          op, "expert weights must be constants in memory of one element type per projection");

    auto rowsType = RankedTensorType::get({tokens, choices, hidden}, element);
    Value rowsInit = createEmpty(rewriter, loc, rowsType);
    auto forall = scf::ForallOp::create(
        rewriter, loc, ArrayRef<OpFoldResult>{rewriter.getIndexAttr(tokens), rewriter.getIndexAttr(choices)},
        ValueRange{rowsInit}, std::nullopt);
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(forall.getTerminator());
      Value t = forall.getInductionVar(0), j = forall.getInductionVar(1);
      OpFoldResult zero = rewriter.getIndexAttr(0);
      Value e = loadExpertIndex(rewriter, loc, op.getIndices(), {t, j}, experts);

      Value row = sliceOf(rewriter, loc, op.getHidden(), {t, zero}, {1, hidden}, {1, hidden});
      Value gateUpRows = sliceOf(rewriter, loc, *gateUp, {e, zero, zero}, {1, hidden, 2 * inter},
                                 {hidden, 2 * inter});
      Value projected = rowTimesMatrix(rewriter, loc, row, gateUpRows, element);
      Value gated = sliceOf(rewriter, loc, projected, {zero, zero}, {1, inter}, {1, inter});
      Value upped = sliceOf(rewriter, loc, projected, {zero, rewriter.getIndexAttr(inter)},
                            {1, inter}, {1, inter});
      auto interType = RankedTensorType::get({1, inter}, element);
      AffineMap identity = rewriter.getMultiDimIdentityMap(2);
      Value activated = elementwise(rewriter, loc, interType, ValueRange{gated, upped},
                                    {identity, identity},
                                    [](OpBuilder &b, Location l, ValueRange args) -> Value {
                                      return arith::MulFOp::create(b, l, buildSilu(b, l, args[0]),
                                                                   args[1]);
                                    });
      Value downRows =
          sliceOf(rewriter, loc, *down, {e, zero, zero}, {1, inter, hidden}, {inter, hidden});
      Value output = rowTimesMatrix(rewriter, loc, activated, downRows, element);

      rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
      SmallVector<OpFoldResult> offsets = {t, j, zero}, sizes = {rewriter.getIndexAttr(1),
                                                                 rewriter.getIndexAttr(1),
                                                                 rewriter.getIndexAttr(hidden)};
      SmallVector<OpFoldResult> strides(3, rewriter.getIndexAttr(1));
      tensor::ParallelInsertSliceOp::create(rewriter, loc, output, forall.getRegionIterArgs()[0],
                                            offsets, sizes, strides);
    }

    // result[t, m] = sum over j of rows[t, j, m] * w[t, j], j in order.
    MLIRContext *context = getContext();
    AffineExpr t = getAffineDimExpr(0, context), m = getAffineDimExpr(1, context),
               j = getAffineDimExpr(2, context);
    Value result = contract(rewriter, loc, type, ValueRange{forall.getResult(0), op.getWeights()},
                            {AffineMap::get(3, 0, {t, j, m}, context),
                             AffineMap::get(3, 0, {t, j}, context),
                             AffineMap::get(3, 0, {t, m}, context)},
                            {utils::IteratorType::parallel, utils::IteratorType::parallel,
                             utils::IteratorType::reduction});
    rewriter.replaceOp(op, result);
    return success();
  }
};

// moe_route(logits, bias) => the reference routing in tern ops (top-k,
// scatters, masks), which the other patterns lower in turn; a routing kernel
// in place of this decomposition is future work.
struct DecomposeMoERoute final : StaticShapePattern<MoERouteOp> {
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
    auto [indices, weights] = buildReferenceRouting(rewriter, op.getLoc(), op.getLogits(),
                                                    op.getCorrectionBias(), routing);
    rewriter.replaceOp(op, {indices, weights});
    return success();
  }
};

} // namespace

void mlir::tern::populateMoEToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerMoEExperts, DecomposeMoERoute>(patterns.getContext());
}
