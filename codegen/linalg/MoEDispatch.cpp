//===- MoEDispatch.cpp - Routing choices grouped by expert ----------------===//
//
// Every step is a linalg.generic over a static shape: a choice's rank among
// the earlier choices of its expert, the experts' counts, their first
// blocks (a prefix sum over experts), then the positions and their
// inverses. The rank and the inverse compare every pair of choices: (T k)^2
// steps, small next to the experts' matrix products for the prompt lengths
// Tern compiles (a scan would need a loop the kernels cannot express yet).
//
//===----------------------------------------------------------------------===//
#include "codegen/linalg/MoEDispatch.h"

#include "codegen/linalg/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
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

} // namespace

int64_t mlir::tern::pickMoEBlockRows(int64_t choices, int64_t experts) {
  int64_t average = std::max<int64_t>(choices / std::max<int64_t>(experts, 1), 1);
  return std::min<int64_t>(llvm::bit_floor(uint64_t(average)), 8);
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

  // rank[t, j]: the choices of the same expert before (t, j), in (token,
  // choice) order.
  Value rank = buildI64Generic(
      b, loc, {tokens, k}, {tokens, k}, 0, {expert, expert},
      {AffineMap::get(4, 0, {dim(0), dim(1)}, context),
       AffineMap::get(4, 0, {dim(2), dim(3)}, context)},
      [&](OpBuilder &nb, Location l, ValueRange args, ArrayRef<Value> loops) -> Value {
        I64 i{nb, l};
        Value here = i.add(i.mul(loops[0], i.c(k)), loops[1]);
        Value there = i.add(i.mul(loops[2], i.c(k)), loops[3]);
        Value counts = i.andI(i.cmp(P::ult, there, here), i.cmp(P::eq, args[0], args[1]));
        return i.add(args[2], i.select(counts, i.c(1), i.c(0)));
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

  // position[t, j] = (firstBlock[expert] + rank / rows) * rows + rank % rows.
  dispatch.position =
      buildI64Generic(b, loc, {tokens, k}, {}, 0, {expert, rank}, {identity2, identity2},
                      [&](OpBuilder &nb, Location l, ValueRange args, ArrayRef<Value>) -> Value {
                        I64 i{nb, l};
                        Value block = i.add(i.at(firstBlock, args[0]), i.div(args[1], blockRows));
                        return i.add(i.mul(block, i.c(blockRows)), i.rem(args[1], blockRows));
                      });

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

  // rowToken[r]: the token of the choice at row r, 0 where none is.
  dispatch.rowToken = buildI64Generic(
      b, loc, {dispatch.blocks * blockRows}, {tokens, k}, 0, dispatch.position,
      {AffineMap::get(3, 0, {dim(1), dim(2)}, context)},
      [&](OpBuilder &nb, Location l, ValueRange args, ArrayRef<Value> loops) -> Value {
        I64 i{nb, l};
        return i.select(i.cmp(P::eq, args[0], loops[0]), loops[1], args[1]);
      });
  return dispatch;
}
