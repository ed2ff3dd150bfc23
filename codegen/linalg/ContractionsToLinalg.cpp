//===- ContractionsToLinalg.cpp - matmul, einsum, gemm to linalg ----------===//
#include "codegen/linalg/LinalgBuilders.h"
#include "codegen/linalg/TernToLinalg.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

// matmul(a : [batch..., M, K], b : [K, N]) => reshape(matmul(reshape(a, [batch*M, K]), b))
// matmul(a : [batch..., M, K], b : [batch..., K, N]) => reshape(batch_matmul(...))
// with the output a zero fill, in f32 for f16 and bf16 operands.
struct LowerMatMul final : StaticShapePattern<MatMulOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(MatMulOp op, PatternRewriter &rewriter) const override {
    RankedTensorType lhs = op.getLhs().getType(), rhs = op.getRhs().getType();
    RankedTensorType result = op.getType();
    Type element = result.getElementType();
    int64_t m = lhs.getRank() >= 2 ? lhs.getDimSize(lhs.getRank() - 2) : 0;
    int64_t k = lhs.getShape().back(), n = rhs.getShape().back();
    bool weight = lhs.getRank() >= 2 && rhs.getRank() == 2;
    bool sameBatch = lhs.getRank() >= 3 && lhs.getRank() == rhs.getRank() &&
                     lhs.getShape().drop_back(2) == rhs.getShape().drop_back(2);
    if (k == 0 || (sameBatch && m == 0))
      return rewriter.notifyMatchFailure(op, "empty matmuls are not lowered yet");
    if (!weight && !sameBatch)
      return rewriter.notifyMatchFailure(op,
                                         "1-D operands and broadcast batches are not lowered yet");
    Location loc = op.getLoc();
    Type acc = accumulatorType(element);
    TypedAttr zero = cast<TypedAttr>(rewriter.getZeroAttr(acc));
    Value out;
    if (weight) {
      // Rows of every batch stack into one M dimension.
      int64_t rows = lhs.getNumElements() / k;
      Value a =
          reshapeStatic(rewriter, loc, op.getLhs(), RankedTensorType::get({rows, k}, element));
      auto type = RankedTensorType::get({rows, n}, acc);
      out = linalg::MatmulOp::create(rewriter, loc, TypeRange{type}, ValueRange{a, op.getRhs()},
                                     ValueRange{createFilled(rewriter, loc, type, zero)})
                ->getResult(0);
    } else {
      int64_t batch = lhs.getNumElements() / (m * k);
      Value a =
          reshapeStatic(rewriter, loc, op.getLhs(), RankedTensorType::get({batch, m, k}, element));
      Value b =
          reshapeStatic(rewriter, loc, op.getRhs(), RankedTensorType::get({batch, k, n}, element));
      auto type = RankedTensorType::get({batch, m, n}, acc);
      out = linalg::BatchMatmulOp::create(rewriter, loc, TypeRange{type}, ValueRange{a, b},
                                          ValueRange{createFilled(rewriter, loc, type, zero)})
                ->getResult(0);
    }
    out = reshapeStatic(rewriter, loc, out, result.clone(acc));
    rewriter.replaceOp(op, roundToResult(rewriter, loc, out, result));
    return success();
  }
};

// einsum("ab,bc->ac", x, y) => linalg.generic over the labels: output labels
// parallel, the others reduced, body acc + x * y (acc + x for one input)
struct LowerEinsum final : StaticShapePattern<EinsumOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(EinsumOp op, PatternRewriter &rewriter) const override {
    if (op.getInputs().size() > 2)
      return rewriter.notifyMatchFailure(op, "einsums of more than two inputs are not lowered yet");
    auto [inputs, output] = op.getEquation().split("->");
    SmallVector<StringRef> terms;
    inputs.split(terms, ',');
    // One loop per distinct label: the output's first, in order, then the rest.
    std::string labels = output.str();
    for (StringRef term : terms)
      for (char label : term)
        if (labels.find(label) == std::string::npos)
          labels += label;
    MLIRContext *context = getContext();
    auto mapOf = [&](StringRef term) {
      SmallVector<AffineExpr> exprs;
      for (char label : term)
        exprs.push_back(getAffineDimExpr(labels.find(label), context));
      return AffineMap::get(labels.size(), 0, exprs, context);
    };
    SmallVector<AffineMap> maps;
    for (StringRef term : terms)
      maps.push_back(mapOf(term));
    maps.push_back(mapOf(output));
    SmallVector<utils::IteratorType> iterators;
    for (size_t i = 0; i < labels.size(); ++i)
      iterators.push_back(i < output.size() ? utils::IteratorType::parallel
                                            : utils::IteratorType::reduction);
    rewriter.replaceOp(
        op, contract(rewriter, op.getLoc(), op.getType(), op.getInputs(), maps, iterators));
    return success();
  }
};

// gemm(a, b, c) => contraction over (m, n, k) with op(a), op(b) as maps, then
// alpha * ab + beta * c when those are not just ab
struct LowerGemm final : StaticShapePattern<GemmOp> {
  using StaticShapePattern::StaticShapePattern;

  LogicalResult rewriteStatic(GemmOp op, PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    Type element = type.getElementType();
    double alpha = op.getAlpha().convertToDouble(), beta = op.getBeta().convertToDouble();
    bool scaled = alpha != 1.0 || (op.getC() && beta != 1.0);
    if (scaled && !isa<FloatType>(element))
      return rewriter.notifyMatchFailure(op, "integer gemms with alpha or beta are not lowered");
    Location loc = op.getLoc();
    MLIRContext *context = getContext();
    AffineExpr m = getAffineDimExpr(0, context), n = getAffineDimExpr(1, context),
               k = getAffineDimExpr(2, context);
    auto map = [&](AffineExpr row, AffineExpr column, bool transposed) {
      return transposed ? AffineMap::get(3, 0, {column, row}, context)
                        : AffineMap::get(3, 0, {row, column}, context);
    };
    SmallVector<AffineMap> maps = {map(m, k, op.getTransA()), map(k, n, op.getTransB()),
                                   AffineMap::get(3, 0, {m, n}, context)};
    Value product = contract(rewriter, loc, type, ValueRange{op.getA(), op.getB()}, maps,
                             {utils::IteratorType::parallel, utils::IteratorType::parallel,
                              utils::IteratorType::reduction});
    if (!scaled && !op.getC()) {
      rewriter.replaceOp(op, product);
      return success();
    }
    SmallVector<Value> inputs = {product};
    SmallVector<AffineMap> epilogueMaps = {rewriter.getMultiDimIdentityMap(2)};
    if (Value c = op.getC()) {
      inputs.push_back(c);
      epilogueMaps.push_back(broadcastMap(cast<RankedTensorType>(c.getType()), type, context));
    }
    Value result =
        elementwise(rewriter, loc, type, inputs, epilogueMaps,
                    [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                      if (!scaled)
                        return createAdd(b, l, args[0], args[1]);
                      auto times = [&](double factor, Value x) -> Value {
                        if (factor == 1.0)
                          return x;
                        Value f = arith::ConstantOp::create(b, l, b.getFloatAttr(element, factor));
                        return arith::MulFOp::create(b, l, f, x);
                      };
                      Value ab = times(alpha, args[0]);
                      if (args.size() == 1)
                        return ab;
                      return arith::AddFOp::create(b, l, ab, times(beta, args[1]));
                    });
    rewriter.replaceOp(op, result);
    return success();
  }
};

// gemm(a, W, trans_b) with W a constant [N, K] (or a cast of one, such as
// a bf16 weight widened) => gemm(a, W') with W' = W stored transposed,
// [K, N]. A product's row then reads the weight along N, contiguous, which
// the host streams (tern-stream-contractions) and a GPU's neighbouring
// threads read coalesced; each output still adds its products in K order,
// so results are the same to the bit.
struct StoreGemmWeightTransposed final : OpRewritePattern<GemmOp> {
  StoreGemmWeightTransposed(MLIRContext *context)
      : OpRewritePattern<GemmOp>(context, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(GemmOp op, PatternRewriter &rewriter) const override {
    if (!op.getTransB())
      return failure();
    auto widen = op.getB().getDefiningOp<CastOp>();
    ConcatElementsAttr transposed = getStoredTransposed(widen ? widen.getInput() : op.getB());
    if (!transposed || !isa<FloatType>(transposed.getElementType()))
      return failure();
    Location loc = op.getLoc();
    Value weight = ConstantOp::create(rewriter, loc, transposed);
    if (widen)
      weight = CastOp::create(
          rewriter, loc,
          cast<RankedTensorType>(transposed.getType()).clone(getElementTypeOrSelf(widen.getType())),
          weight, widen.getSaturate());
    rewriter.replaceOpWithNewOp<GemmOp>(op, op.getType(), op.getA(), weight, op.getC(),
                                        op.getTransAAttr(), rewriter.getBoolAttr(false),
                                        op.getAlphaAttr(), op.getBetaAttr());
    return success();
  }
};

// block_scaled_matmul(x, Q, S) => generic { acc + x[m, k] * (f32(Q[n, k]) *
// S[n / rows, k / cols]) }, the dequantization where the product reads the
// weight, as in the dense form's gemm of a dequantized weight (the same
// values to the bit). A constant weight is read [K, N] in its own precision:
// a [K, N] constant under a transpose (ONNX MatMul's weight, transposed by
// tern-fuse-fp8-casts) as it is stored, an [N, K] one stored transposed by
// the plan writer, like a gemm's weight above; scales under a transpose are
// read as stored too. FP8 E4M3 activations by E4M3 weights stay one
// contraction that dequantizes both as it reads them where the target has
// FP8 tensor cores (`fp8Products`), which MapContractionsToTensorCores maps
// to them; elsewhere no kernel multiplies FP8 by FP8, so quantized
// activations become a tern.dequantize of them first (the values the op
// defines) and the weight-only product reads that.
struct LowerBlockScaledMatMul final : StaticShapePattern<BlockScaledMatMulOp> {
  LowerBlockScaledMatMul(MLIRContext *context, bool fp8Products)
      : StaticShapePattern(context), fp8Products(fp8Products) {}

  LogicalResult rewriteStatic(BlockScaledMatMulOp op, PatternRewriter &rewriter) const override {
    if (cast<RankedTensorType>(op.getLhs().getType()).getDimSize(1) == 0)
      return rewriter.notifyMatchFailure(op, "empty products are not lowered yet");
    Location loc = op.getLoc();
    auto constant = [&](Attribute data) -> Value {
      return arith::ConstantOp::create(rewriter, loc, cast<TypedAttr>(data));
    };
    Value matrix = op.getRhs();
    bool matrixIsNK = true, storedKN;
    if (ElementsAttr data = matchStoredWeight(matrix, storedKN); data && storedKN) {
      matrix = constant(data);
      matrixIsNK = false;
    } else if (ConcatElementsAttr transposed = getStoredTransposed(matrix)) {
      matrix = constant(transposed);
      matrixIsNK = false;
    }
    ArrayRef<int64_t> block = op.getBlockSize();
    MatrixScales scales{op.getRhsScale(), /*blockK=*/block[1], /*blockN=*/block[0],
                        /*nMajor=*/true};
    bool scalesStoredKN;
    if (ElementsAttr data = matchStoredWeight(scales.scales, scalesStoredKN);
        data && scalesStoredKN) {
      scales.scales = constant(data);
      scales.nMajor = false;
    }
    Type element = op.getType().getElementType();
    Value lhs = op.getLhs(), lhsScale = op.getLhsScale();
    auto isE4M3 = [](Value value) {
      return isa<Float8E4M3FNType>(getElementTypeOrSelf(value.getType()));
    };
    if (lhsScale && !(fp8Products && isE4M3(lhs) && isE4M3(op.getRhs()))) {
      lhs = DequantizeOp::create(
          rewriter, loc, cast<RankedTensorType>(lhs.getType()).clone(element), lhs, lhsScale,
          /*zero_point=*/Value(), nullptr, rewriter.getDenseI64ArrayAttr({1, block[1]}));
      lhsScale = nullptr;
    }
    rewriter.replaceOp(
        op, rowsTimesMatrix(rewriter, loc, lhs, matrix, element, scales, matrixIsNK, lhsScale));
    return success();
  }

private:
  bool fp8Products;
};

} // namespace

void mlir::tern::populateContractionsToLinalgPatterns(RewritePatternSet &patterns,
                                                      bool fp8Products) {
  patterns.add<LowerMatMul, LowerEinsum, LowerGemm, StoreGemmWeightTransposed>(
      patterns.getContext());
  patterns.add<LowerBlockScaledMatMul>(patterns.getContext(), fp8Products);
}
