//===- MoEDispatch.cpp - Routing choices grouped by expert ----------------===//
//
// Static shapes throughout: the experts' counts and their first blocks (a
// prefix sum over experts) are linalg.generics; then one scan over the
// choices in (token, choice) order, keeping each expert's running count,
// places every choice's row and records the row's token: T k steps in one
// kernel (a forall of one iteration, kept whole by its mapping), where
// ranking every choice against every other took (T k)^2.
//
//===----------------------------------------------------------------------===//
#include "codegen/linalg/MoEDispatch.h"

#include "codegen/linalg/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

using BodyBuilder =
    function_ref<Value(OpBuilder &, Location, ValueRange args, ArrayRef<Value> loops)>;

/// An i64 tensor of `shape` starting at `init`, computed by a generic whose
/// loops are the result's dimensions and then `reduced` (reductions);
/// `body` gets the inputs' elements, the accumulator last, and every loop's
/// index as an i64.
Value buildI64Generic(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                      ArrayRef<int64_t> reduced, int64_t init, ValueRange inputs,
                      ArrayRef<AffineMap> inputMaps, BodyBuilder body) {
  int64_t loops = shape.size() + reduced.size();
  MLIRContext *context = b.getContext();
  SmallVector<AffineMap> maps(inputMaps);
  SmallVector<AffineExpr> resultDims;
  for (int64_t d = 0; d < int64_t(shape.size()); ++d)
    resultDims.push_back(getAffineDimExpr(d, context));
  maps.push_back(AffineMap::get(loops, 0, resultDims, context));
  SmallVector<utils::IteratorType> iterators(shape.size(), utils::IteratorType::parallel);
  iterators.append(reduced.size(), utils::IteratorType::reduction);
  auto type = RankedTensorType::get(shape, b.getI64Type());
  Value initial = createFilled(b, loc, type, b.getI64IntegerAttr(init));
  auto generic = linalg::GenericOp::create(
      b, loc, type, inputs, initial, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        SmallVector<Value> indices;
        for (int64_t d = 0; d < loops; ++d)
          indices.push_back(
              arith::IndexCastOp::create(nested, nestedLoc, nested.getI64Type(),
                                         linalg::IndexOp::create(nested, nestedLoc, d)));
        linalg::YieldOp::create(nested, nestedLoc, body(nested, nestedLoc, args, indices));
      });
  return generic.getResult(0);
}

/// Arithmetic on i64 scalars, briefly.
struct I64 {
  OpBuilder &b;
  Location loc;
  Value c(int64_t v) { return arith::ConstantIntOp::create(b, loc, v, 64); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value div(Value x, int64_t y) { return arith::DivUIOp::create(b, loc, x, c(y)); }
  Value rem(Value x, int64_t y) { return arith::RemUIOp::create(b, loc, x, c(y)); }
  Value ceilDiv(Value x, int64_t y) { return div(add(x, c(y - 1)), y); }
  Value cmp(arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
  Value select(Value cond, Value x, Value y) { return arith::SelectOp::create(b, loc, cond, x, y); }
  Value andI(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  /// x[i] of a 1-D i64 tensor at an i64 position.
  Value at(Value tensor, Value i) {
    return tensor::ExtractOp::create(
        b, loc, tensor, ValueRange{arith::IndexCastOp::create(b, loc, b.getIndexType(), i)});
  }
};

/// position [T, k] and rowToken [rows] by one scan over the choices of
/// `expert` [T, k] in (token, choice) order: the r-th choice of expert x
/// (r its running count) takes row (firstBlock[x] + r / R) * R + r % R, and
/// that row reads the choice's token. Rows no choice takes read token 0.
std::pair<Value, Value> buildScan(OpBuilder &b, Location loc, Value expert, Value firstBlock,
                                  int64_t experts, int64_t blockRows, int64_t rows) {
  auto expertType = cast<RankedTensorType>(expert.getType());
  int64_t tokens = expertType.getDimSize(0), k = expertType.getDimSize(1);
  auto rowsType = RankedTensorType::get({rows}, b.getI64Type());
  auto countsType = RankedTensorType::get({experts}, b.getI64Type());
  auto forall =
      scf::ForallOp::create(b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(1)},
                            ValueRange{createEmpty(b, loc, expertType),
                                       createFilled(b, loc, rowsType, b.getI64IntegerAttr(0))},
                            getKernelIterationMapping(b));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getTerminator());
  ValueRange shared = forall.getRegionIterArgs();
  Value counts = createFilled(b, loc, countsType, b.getI64IntegerAttr(0));
  auto index = [&](int64_t v) { return arith::ConstantIndexOp::create(b, loc, v).getResult(); };
  auto scan = scf::ForOp::create(
      b, loc, index(0), index(tokens * k), index(1), ValueRange{shared[0], shared[1], counts},
      [&](OpBuilder &nb, Location l, Value c, ValueRange carried) {
        I64 i{nb, l};
        Value t = arith::DivUIOp::create(nb, l, c, arith::ConstantIndexOp::create(nb, l, k));
        Value j = arith::RemUIOp::create(nb, l, c, arith::ConstantIndexOp::create(nb, l, k));
        Value x = tensor::ExtractOp::create(nb, l, expert, ValueRange{t, j});
        Value rank = i.at(carried[2], x);
        Value block = i.add(i.at(firstBlock, x), i.div(rank, blockRows));
        Value row = i.add(i.mul(block, i.c(blockRows)), i.rem(rank, blockRows));
        Value position = tensor::InsertOp::create(nb, l, row, carried[0], ValueRange{t, j});
        Value token = arith::IndexCastOp::create(nb, l, nb.getI64Type(), t);
        Value rowIndex = arith::IndexCastOp::create(nb, l, nb.getIndexType(), row);
        Value rowToken = tensor::InsertOp::create(nb, l, token, carried[1], ValueRange{rowIndex});
        Value xIndex = arith::IndexCastOp::create(nb, l, nb.getIndexType(), x);
        Value running =
            tensor::InsertOp::create(nb, l, i.add(rank, i.c(1)), carried[2], ValueRange{xIndex});
        scf::YieldOp::create(nb, l, ValueRange{position, rowToken, running});
      });
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  for (auto [result, out] : llvm::zip(scan.getResults().take_front(2), shared)) {
    auto type = cast<RankedTensorType>(out.getType());
    SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0)), sizes, strides;
    for (int64_t d : type.getShape()) {
      sizes.push_back(b.getIndexAttr(d));
      strides.push_back(b.getIndexAttr(1));
    }
    tensor::ParallelInsertSliceOp::create(b, loc, result, out, offsets, sizes, strides);
  }
  return {forall.getResult(0), forall.getResult(1)};
}

} // namespace

int64_t mlir::tern::pickMoEBlockRows(int64_t choices, int64_t experts, int64_t rowBytes) {
  int64_t average = std::max<int64_t>(choices / std::max<int64_t>(experts, 1), 1);
  int64_t fitting = std::max<int64_t>(kMoEBlockScratchBytes / std::max<int64_t>(rowBytes, 1), 1);
  return std::min<int64_t>(llvm::bit_floor(uint64_t(std::min(average, fitting))), 8);
}

MoEDispatch mlir::tern::buildMoEDispatch(OpBuilder &b, Location loc, Value indices, int64_t experts,
                                         int64_t blockRows) {
  auto indicesType = cast<RankedTensorType>(indices.getType());
  int64_t tokens = indicesType.getDimSize(0), k = indicesType.getDimSize(1);
  int64_t choices = tokens * k;
  MLIRContext *context = b.getContext();
  using P = arith::CmpIPredicate;
  auto dim = [&](unsigned d) { return getAffineDimExpr(d, context); };

  // expert[t, j], clamped into range.
  AffineMap identity2 = b.getMultiDimIdentityMap(2);
  Value expert =
      buildI64Generic(b, loc, {tokens, k}, {}, 0, indices, {identity2},
                      [&](OpBuilder &nb, Location l, ValueRange args, ArrayRef<Value>) -> Value {
                        Value i = normalizeIndex(nb, l, args[0], experts);
                        return arith::IndexCastOp::create(nb, l, nb.getI64Type(), i);
                      });

  // count[x]: the choices of expert x.
  Value count = buildI64Generic(
      b, loc, {experts}, {tokens, k}, 0, expert, {AffineMap::get(3, 0, {dim(1), dim(2)}, context)},
      [&](OpBuilder &nb, Location l, ValueRange args, ArrayRef<Value> loops) -> Value {
        I64 i{nb, l};
        return i.add(args[1], i.select(i.cmp(P::eq, args[0], loops[0]), i.c(1), i.c(0)));
      });

  // firstBlock[x]: the blocks of the experts before x.
  Value firstBlock = buildI64Generic(
      b, loc, {experts}, {experts}, 0, count, {AffineMap::get(2, 0, {dim(1)}, context)},
      [&](OpBuilder &nb, Location l, ValueRange args, ArrayRef<Value> loops) -> Value {
        I64 i{nb, l};
        Value before = i.cmp(P::ult, loops[1], loops[0]);
        return i.add(args[1], i.select(before, i.ceilDiv(args[0], blockRows), i.c(0)));
      });

  MoEDispatch dispatch;
  dispatch.blockRows = blockRows;
  dispatch.blocks = llvm::divideCeil(choices, blockRows) + std::min(experts, choices);

  std::tie(dispatch.position, dispatch.rowToken) =
      buildScan(b, loc, expert, firstBlock, experts, blockRows, dispatch.blocks * blockRows);

  // blockExpert[n]: the expert x whose blocks hold n, or -1.
  dispatch.blockExpert = buildI64Generic(
      b, loc, {dispatch.blocks}, {experts}, -1, {firstBlock, count},
      {AffineMap::get(2, 0, {dim(1)}, context), AffineMap::get(2, 0, {dim(1)}, context)},
      [&](OpBuilder &nb, Location l, ValueRange args, ArrayRef<Value> loops) -> Value {
        I64 i{nb, l};
        Value end = i.add(args[0], i.ceilDiv(args[1], blockRows));
        Value holds = i.andI(i.cmp(P::ule, args[0], loops[0]), i.cmp(P::ult, loops[0], end));
        return i.select(holds, loops[1], args[2]);
      });

  return dispatch;
}
