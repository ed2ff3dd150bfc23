//===- ContractionsToLinalg.cpp - tern.matmul to linalg -------------------===//
#include "codegen/LinalgBuilders.h"
#include "codegen/TernToLinalg.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

// matmul(a : [batch..., M, K], b : [K, N]) => reshape(matmul(reshape(a, [batch*M, K]), b))
// matmul(a : [batch..., M, K], b : [batch..., K, N]) => reshape(batch_matmul(...))
// with the output a zero fill.
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
    TypedAttr zero = cast<TypedAttr>(rewriter.getZeroAttr(element));
    Value out;
    if (weight) {
      // Rows of every batch stack into one M dimension.
      int64_t rows = lhs.getNumElements() / k;
      Value a =
          reshapeStatic(rewriter, loc, op.getLhs(), RankedTensorType::get({rows, k}, element));
      auto type = RankedTensorType::get({rows, n}, element);
      out = linalg::MatmulOp::create(rewriter, loc, TypeRange{type}, ValueRange{a, op.getRhs()},
                                     ValueRange{createFilled(rewriter, loc, type, zero)})
                ->getResult(0);
    } else {
      int64_t batch = lhs.getNumElements() / (m * k);
      Value a =
          reshapeStatic(rewriter, loc, op.getLhs(), RankedTensorType::get({batch, m, k}, element));
      Value b =
          reshapeStatic(rewriter, loc, op.getRhs(), RankedTensorType::get({batch, k, n}, element));
      auto type = RankedTensorType::get({batch, m, n}, element);
      out = linalg::BatchMatmulOp::create(rewriter, loc, TypeRange{type}, ValueRange{a, b},
                                          ValueRange{createFilled(rewriter, loc, type, zero)})
                ->getResult(0);
    }
    rewriter.replaceOp(op, reshapeStatic(rewriter, loc, out, result));
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
    RankedTensorType type = op.getType();
    bool isFloat = isa<FloatType>(type.getElementType());
    Value init = createFilled(rewriter, op.getLoc(), type,
                              cast<TypedAttr>(rewriter.getZeroAttr(type.getElementType())));
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), TypeRange{type}, op.getInputs(), ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value term = args[0];
          if (args.size() == 3)
            term = isFloat ? Value(arith::MulFOp::create(b, loc, args[0], args[1]))
                           : Value(arith::MulIOp::create(b, loc, args[0], args[1]));
          Value acc = args.back();
          Value sum = isFloat ? Value(arith::AddFOp::create(b, loc, acc, term))
                              : Value(arith::AddIOp::create(b, loc, acc, term));
          linalg::YieldOp::create(b, loc, sum);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void mlir::tern::populateContractionsToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerMatMul, LowerEinsum>(patterns.getContext());
}
