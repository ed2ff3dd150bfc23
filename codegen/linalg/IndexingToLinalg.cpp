//===- IndexingToLinalg.cpp - gathers, scatters, top-k, rotary ------------===//
//
// Ops that read at positions computed from data or from the output index.
// Each is a linalg.generic over its result whose body reads the source with
// tensor.extract at the computed position (the form linalg knows as a
// gather), except scatter_elements, whose writes go to data-dependent
// places: a parallel loop over lines of the result, each a sequential loop
// over the updates that land on it.
//
// Kernels cannot report errors, so indices outside [-n, n) are clamped into
// range: a bad index reads or writes a wrong element, never out of bounds.
//
//===----------------------------------------------------------------------===//
#include "codegen/linalg/LinalgBuilders.h"
#include "codegen/linalg/TernToLinalg.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

/// The generic's loop indices 0..count, as values.
SmallVector<Value> loopIndices(OpBuilder &b, Location loc, int64_t count) {
  SmallVector<Value> indices;
  for (int64_t d = 0; d < count; ++d)
    indices.push_back(linalg::IndexOp::create(b, loc, d));
  return indices;
}

// gather(x, ids, axis) => generic over the result reading ids[j...];
//   result[i..., j..., k...] = extract x[i..., ids[j...], k...]
struct LowerGather final : StaticShapePattern<GatherOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(GatherOp op, PatternRewriter &rewriter) const override {
    auto input = cast<RankedTensorType>(op.getInput().getType());
    auto indices = cast<RankedTensorType>(op.getIndices().getType());
    RankedTensorType type = op.getType();
    int64_t axis = staticAxis(op.getAxis(), input.getRank());
    int64_t indexRank = indices.getRank();
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < indexRank; ++d)
      exprs.push_back(rewriter.getAffineDimExpr(axis + d));
    AffineMap indexMap = AffineMap::get(type.getRank(), 0, exprs, getContext());
    Value result =
        elementwise(rewriter, op.getLoc(), type, ValueRange{op.getIndices()}, {indexMap},
                    [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
                      SmallVector<Value> outer = loopIndices(b, loc, type.getRank());
                      SmallVector<Value> position(outer.begin(), outer.begin() + axis);
                      position.push_back(normalizeIndex(b, loc, args[0], input.getDimSize(axis)));
                      position.append(outer.begin() + axis + indexRank, outer.end());
                      return tensor::ExtractOp::create(b, loc, op.getInput(), position);
                    });
    rewriter.replaceOp(op, result);
    return success();
  }
};

// gather_elements(x, ids, axis) => generic over ids;
//   result[p] = extract x[p with p[axis] = ids[p]]
struct LowerGatherElements final : StaticShapePattern<GatherElementsOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(GatherElementsOp op, PatternRewriter &rewriter) const override {
    auto input = cast<RankedTensorType>(op.getInput().getType());
    RankedTensorType type = op.getType();
    int64_t axis = staticAxis(op.getAxis(), input.getRank());
    Value result = elementwise(rewriter, op.getLoc(), type, ValueRange{op.getIndices()},
                               {rewriter.getMultiDimIdentityMap(type.getRank())},
                               [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
                                 SmallVector<Value> position = loopIndices(b, loc, type.getRank());
                                 position[axis] =
                                     normalizeIndex(b, loc, args[0], input.getDimSize(axis));
                                 return tensor::ExtractOp::create(b, loc, op.getInput(), position);
                               });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// How scatter_elements combines an update with the value it lands on.
Value combineScatter(OpBuilder &b, Location loc, StringRef reduction, Value old, Value update) {
  bool isFloat = isa<FloatType>(update.getType());
  if (reduction == "add")
    return isFloat ? Value(arith::AddFOp::create(b, loc, old, update))
                   : Value(arith::AddIOp::create(b, loc, old, update));
  if (reduction == "mul")
    return isFloat ? Value(arith::MulFOp::create(b, loc, old, update))
                   : Value(arith::MulIOp::create(b, loc, old, update));
  if (reduction == "max")
    return isFloat ? Value(arith::MaximumFOp::create(b, loc, old, update))
                   : Value(arith::MaxSIOp::create(b, loc, old, update));
  if (reduction == "min")
    return isFloat ? Value(arith::MinimumFOp::create(b, loc, old, update))
                   : Value(arith::MinSIOp::create(b, loc, old, update));
  return update;
}

// scatter_elements(x, ids, u, axis): update p goes to p with p[axis] =
// ids[p], so updates that differ outside `axis` never meet. The lowering is
// a parallel loop (scf.forall) over u's other dimensions; each iteration owns
// one line of the result along `axis` and applies its updates to it in
// order, so that later updates to one place win, as ONNX's reference does:
//   r = x; forall q: line = r[.., q, ..]; for k: line[ids[k, q]] =
//   combine(line[...], u[k, q]); r[.., q, ..] = line
// Without other dimensions the whole op is that sequential loop.
struct LowerScatterElements final : StaticShapePattern<ScatterElementsOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(ScatterElementsOp op, PatternRewriter &rewriter) const override {
    StringRef reduction = op.getReduction();
    if (!llvm::is_contained({"none", "add", "mul", "max", "min"}, reduction))
      return rewriter.notifyMatchFailure(op, "unknown reduction");
    if (reduction != "none" && op.getType().getElementType().isInteger(1))
      return rewriter.notifyMatchFailure(op, "reductions over booleans are not lowered");
    Location loc = op.getLoc();
    auto updates = cast<RankedTensorType>(op.getUpdates().getType());
    int64_t rank = updates.getRank();
    int64_t axis = staticAxis(op.getAxis(), rank);
    if (rank == 1) {
      rewriter.replaceOp(op, applyUpdates(rewriter, loc, op, op.getInput(), {}));
      return success();
    }

    SmallVector<OpFoldResult> lineCounts;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        lineCounts.push_back(rewriter.getIndexAttr(updates.getDimSize(d)));
    auto forall = scf::ForallOp::create(rewriter, loc, lineCounts, ValueRange{op.getInput()},
                                        /*mapping=*/std::nullopt);
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(forall.getTerminator());
      // The line: every index of the result along `axis`, the loop's
      // elsewhere.
      int64_t axisSize = op.getType().getDimSize(axis);
      SmallVector<OpFoldResult> offsets, sizes, strides(rank, rewriter.getIndexAttr(1));
      ValueRange lineIvs = forall.getInductionVars();
      for (int64_t d = 0, next = 0; d < rank; ++d) {
        offsets.push_back(d == axis ? OpFoldResult(rewriter.getIndexAttr(0)) : lineIvs[next++]);
        sizes.push_back(rewriter.getIndexAttr(d == axis ? axisSize : 1));
      }
      Value result = forall.getRegionIterArgs()[0];
      Value line = tensor::ExtractSliceOp::create(rewriter, loc, result, offsets, sizes, strides);
      line = applyUpdates(rewriter, loc, op, line, lineIvs);
      rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
      tensor::ParallelInsertSliceOp::create(rewriter, loc, line, result, offsets, sizes, strides);
    }
    rewriter.replaceOp(op, forall.getResults());
    return success();
  }

private:
  /// The loop over `axis` that applies the updates at `lineIvs` (one per
  /// other dimension, in order; none for rank 1) to `line`, which holds the
  /// whole of `axis` and 1 elsewhere.
  static Value applyUpdates(OpBuilder &b, Location loc, ScatterElementsOp op, Value line,
                            ValueRange lineIvs) {
    auto updates = cast<RankedTensorType>(op.getUpdates().getType());
    int64_t rank = updates.getRank();
    int64_t axis = staticAxis(op.getAxis(), rank);
    int64_t axisSize = op.getType().getDimSize(axis);
    StringRef reduction = op.getReduction();
    auto loop = scf::ForOp::create(
        b, loc, indexConstant(b, loc, 0), indexConstant(b, loc, updates.getDimSize(axis)),
        indexConstant(b, loc, 1), ValueRange{line},
        [&](OpBuilder &lb, Location lloc, Value k, ValueRange carried) {
          SmallVector<Value> at(lineIvs);
          at.insert(at.begin() + axis, k);
          Value index = tensor::ExtractOp::create(lb, lloc, op.getIndices(), at);
          Value value = tensor::ExtractOp::create(lb, lloc, op.getUpdates(), at);
          SmallVector<Value> position(rank, indexConstant(lb, lloc, 0));
          position[axis] = normalizeIndex(lb, lloc, index, axisSize);
          if (reduction != "none") {
            Value old = tensor::ExtractOp::create(lb, lloc, carried[0], position);
            value = combineScatter(lb, lloc, reduction, old, value);
          }
          Value updated = tensor::InsertOp::create(lb, lloc, value, carried[0], position);
          scf::YieldOp::create(lb, lloc, updated);
        });
    return loop.getResult(0);
  }
};

// topk(x, k, axis) => generic over the [..., k, ...] results: output j of a
// row is found by j + 1 selection scans, each taking the best element that
// comes after the previous pick in the order (value, then lower index), so
// ties keep the lower index first and no scratch memory is needed.
struct LowerTopK final : StaticShapePattern<TopKOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(TopKOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto input = cast<RankedTensorType>(op.getInput().getType());
    auto valuesType = cast<RankedTensorType>(op.getValues().getType());
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    int64_t rank = input.getRank();
    int64_t axis = staticAxis(op.getAxis(), rank);
    int64_t length = input.getDimSize(axis);
    bool largest = op.getLargest();
    bool isFloat = isa<FloatType>(input.getElementType());
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valuesType, indicesType}, ValueRange{},
        ValueRange{createEmpty(rewriter, loc, valuesType), createEmpty(rewriter, loc, indicesType)},
        {identity, identity}, iterators, [&](OpBuilder &b, Location nloc, ValueRange) {
          SmallVector<Value> position = loopIndices(b, nloc, rank);
          Value j = position[axis];
          // (va, ai) comes before (vb, bi) in the output order.
          auto before = [&](OpBuilder &ob, Location ol, Value va, Value ai, Value vb,
                            Value bi) -> Value {
            Value strictly =
                isFloat
                    ? Value(arith::CmpFOp::create(
                          ob, ol, largest ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
                          va, vb))
                    : Value(arith::CmpIOp::create(
                          ob, ol, largest ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::slt,
                          va, vb));
            Value equal =
                isFloat ? Value(arith::CmpFOp::create(ob, ol, arith::CmpFPredicate::OEQ, va, vb))
                        : Value(arith::CmpIOp::create(ob, ol, arith::CmpIPredicate::eq, va, vb));
            Value lower = arith::CmpIOp::create(ob, ol, arith::CmpIPredicate::ult, ai, bi);
            Value tie = arith::AndIOp::create(ob, ol, equal, lower);
            return arith::OrIOp::create(ob, ol, strictly, tie);
          };
          Value zero = indexConstant(b, nloc, 0), one = indexConstant(b, nloc, 1);
          Value falseValue = arith::ConstantIntOp::create(b, nloc, 0, 1);
          Value trueValue = arith::ConstantIntOp::create(b, nloc, 1, 1);
          Value zeroElement = arith::ConstantOp::create(
              b, nloc, cast<TypedAttr>(b.getZeroAttr(input.getElementType())));
          Value picks = arith::AddIOp::create(b, nloc, j, one);
          auto scans = scf::ForOp::create(
              b, nloc, zero, picks, one, ValueRange{zeroElement, zero},
              [&](OpBuilder &sb, Location sloc, Value pick, ValueRange previous) {
                Value first = arith::CmpIOp::create(sb, sloc, arith::CmpIPredicate::eq, pick, zero);
                auto scan = scf::ForOp::create(
                    sb, sloc, zero, indexConstant(sb, sloc, length), one,
                    ValueRange{zeroElement, zero, falseValue},
                    [&](OpBuilder &ib, Location iloc, Value i, ValueRange best) {
                      SmallVector<Value> at(position);
                      at[axis] = i;
                      Value v = tensor::ExtractOp::create(ib, iloc, op.getInput(), at);
                      Value eligible = arith::OrIOp::create(
                          ib, iloc, first, before(ib, iloc, previous[0], previous[1], v, i));
                      Value none = arith::XOrIOp::create(ib, iloc, best[2], trueValue);
                      Value better = arith::OrIOp::create(ib, iloc, none,
                                                          before(ib, iloc, v, i, best[0], best[1]));
                      Value take = arith::AndIOp::create(ib, iloc, eligible, better);
                      scf::YieldOp::create(
                          ib, iloc,
                          ValueRange{arith::SelectOp::create(ib, iloc, take, v, best[0]),
                                     arith::SelectOp::create(ib, iloc, take, i, best[1]),
                                     arith::OrIOp::create(ib, iloc, best[2], take)});
                    });
                scf::YieldOp::create(sb, sloc, scan.getResults().take_front(2));
              });
          Value index =
              arith::IndexCastOp::create(b, nloc, indicesType.getElementType(), scans.getResult(1));
          linalg::YieldOp::create(b, nloc, ValueRange{scans.getResult(0), index});
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

// rotary(x, cos, sin) => generic over x: for d < 2R, with (d, partner) a pair
// and p its frequency,
//   y[d] = x[d] * cos[p] - x[partner] * sin[p]   (first of the pair)
//   y[d] = x[d] * cos[p] + x[partner] * sin[p]   (second)
// and y[d] = x[d] beyond 2R.
struct LowerRotary final : StaticShapePattern<RotaryOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(RotaryOp op, PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    auto cosType = cast<RankedTensorType>(op.getCos().getType());
    int64_t rank = type.getRank(), half = cosType.getShape().back();
    int64_t width = type.getShape().back();
    bool interleaved = op.getInterleaved();
    auto rotate = [&](OpBuilder &b, Location loc, Value x, ArrayRef<Value> position) -> Value {
      Value d = position.back();
      Value first, frequency, partner;
      if (interleaved) {
        Value one = indexConstant(b, loc, 1);
        first =
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                  arith::AndIOp::create(b, loc, d, one), indexConstant(b, loc, 0));
        frequency = arith::ShRUIOp::create(b, loc, d, one);
        partner = arith::XOrIOp::create(b, loc, d, one);
      } else {
        Value r = indexConstant(b, loc, half);
        first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, d, r);
        Value up = arith::AddIOp::create(b, loc, d, r), down = arith::SubIOp::create(b, loc, d, r);
        frequency = arith::SelectOp::create(b, loc, first, d, down);
        partner = arith::SelectOp::create(b, loc, first, up, down);
      }
      // cos and sin broadcast against x with the last dimension replaced by R.
      SmallVector<Value> table;
      int64_t offset = rank - cosType.getRank();
      for (int64_t i = 0; i + 1 < cosType.getRank(); ++i)
        table.push_back(cosType.getDimSize(i) == 1 && type.getDimSize(i + offset) != 1
                            ? indexConstant(b, loc, 0)
                            : position[i + offset]);
      table.push_back(frequency);
      Value c = tensor::ExtractOp::create(b, loc, op.getCos(), table);
      Value s = tensor::ExtractOp::create(b, loc, op.getSin(), table);
      SmallVector<Value> at(position);
      at.back() = partner;
      Value other =
          arith::MulFOp::create(b, loc, tensor::ExtractOp::create(b, loc, op.getInput(), at), s);
      Value own = arith::MulFOp::create(b, loc, x, c);
      Value difference = arith::SubFOp::create(b, loc, own, other);
      Value sum = arith::AddFOp::create(b, loc, own, other);
      return arith::SelectOp::create(b, loc, first, difference, sum);
    };
    Value result = elementwise(
        rewriter, op.getLoc(), type, ValueRange{op.getInput()},
        {rewriter.getMultiDimIdentityMap(rank)},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          SmallVector<Value> position = loopIndices(b, loc, rank);
          if (2 * half == width)
            return rotate(b, loc, args[0], position);
          Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, position.back(),
                                               indexConstant(b, loc, 2 * half));
          auto branch = scf::IfOp::create(
              b, loc, inside,
              [&](OpBuilder &tb, Location tloc) {
                scf::YieldOp::create(tb, tloc, rotate(tb, tloc, args[0], position));
              },
              [&](OpBuilder &eb, Location eloc) { scf::YieldOp::create(eb, eloc, args[0]); });
          return branch.getResult(0);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::tern::populateIndexingToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerGather, LowerGatherElements, LowerScatterElements, LowerTopK, LowerRotary>(
      patterns.getContext());
}
