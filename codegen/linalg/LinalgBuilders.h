//===- LinalgBuilders.h - Helpers shared by the tern lowerings --*- C++ -*-===//
#ifndef TERN_CODEGEN_LINALGBUILDERS_H
#define TERN_CODEGEN_LINALGBUILDERS_H

#include "ir/TernDialect.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::tern {

/// What a reduction combines with.
enum class ReductionKind { Sum, Max, Min };

/// An op's axis attribute (I64Attr accessors return uint64_t) as a dimension
/// of a rank-`rank` value: negative counts from the end. Verifiers have
/// checked the range.
int64_t staticAxis(uint64_t axis, int64_t rank);

/// True when every operand and result of `op` has a static shape.
bool hasStaticShapes(Operation *op);

/// True when every op of `op`'s body is a scalar elementwise op (one int or
/// float result, no regions), which the host's vector tiles apply to vectors.
bool hasScalarElementwiseBody(linalg::LinalgOp op);

/// A rewrite of ops whose operands and results all have static shapes;
/// dynamic ones are left for later lowerings.
template <typename OpTy> struct StaticShapePattern : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const final {
    if (!hasStaticShapes(op))
      return rewriter.notifyMatchFailure(op, "dynamic shapes are not lowered yet");
    return rewriteStatic(op, rewriter);
  }

  virtual LogicalResult rewriteStatic(OpTy op, PatternRewriter &rewriter) const = 0;
};

/// tensor.empty of a static type.
Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type);

/// A tensor of `type` filled with `value` (linalg.fill over tensor.empty).
Value createFilled(OpBuilder &b, Location loc, RankedTensorType type, TypedAttr value);

/// A slice of `source` at `offsets` (static or not) with static `sizes`, of
/// `resultShape` (the sizes without the dimensions of size 1 it drops).
Value sliceOf(OpBuilder &b, Location loc, Value source, ArrayRef<OpFoldResult> offsets,
              ArrayRef<int64_t> sizes, ArrayRef<int64_t> resultShape);

/// Reinterprets a static tensor with another static shape of the same size
/// (collapse to 1-D, expand to the target).
Value reshapeStatic(OpBuilder &b, Location loc, Value input, RankedTensorType target);

/// The map from a result's iteration space to an operand that NumPy
/// broadcasting aligns at the trailing dimensions.
AffineMap broadcastMap(RankedTensorType operand, RankedTensorType result, MLIRContext *context);

/// Reduces `axes` (sorted, distinct) of a static tensor; the result drops them.
Value reduce(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes, ReductionKind kind);

/// A parallel linalg.generic producing `resultType` from `inputs` read
/// through `maps`; `body` computes one element from the inputs' elements.
Value elementwise(OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
                  ArrayRef<AffineMap> maps,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// `rows` ([R, N], N a multiple of `block`) as DeepSeek-V3's act_quant makes
/// them and a product reads them back: per row and block of `block` values,
/// scale = max(amax(|x|), 1e-4) / 448, and each value f32(e4m3(x / scale))
/// * scale, as tern.quantize and tern.dequantize compute it.
Value quantizeRowBlocksToFp8(OpBuilder &b, Location loc, Value rows, int64_t block);

/// x + y for floats or integers.
Value createAdd(OpBuilder &b, Location loc, Value x, Value y);

/// The type products of `element` accumulate in: f32 for f16 and bf16, as
/// tensor cores and the reference frameworks sum, rounding once at the end.
Type accumulatorType(Type element);

/// `value` (of the accumulator type) as `type`.
Value roundToResult(OpBuilder &b, Location loc, Value value, RankedTensorType type);

/// A linalg.generic accumulating the product of its two inputs (or the one
/// input) into a zero-filled `type`, in its accumulator type; inputs of a
/// narrower float type are widened first.
Value contract(OpBuilder &b, Location loc, RankedTensorType type, ValueRange inputs,
               ArrayRef<AffineMap> maps, ArrayRef<utils::IteratorType> iterators);

/// The constant `weight` [rows, cols] is, or (`transposed`) the constant
/// [cols, rows] it transposes (a weight stored [in, out] that a fusion
/// transposed into its op's [out, in]; the transpose may be lowered to
/// linalg already). Null if neither.
ElementsAttr matchStoredWeight(Value weight, bool &transposed);

/// The constant `stored` [N, K] as a constant [K, N] that the plan writer
/// transposes (#tern.concat_elements: nothing is copied at compile time);
/// null unless `stored` is a static 2-D constant of whole-byte elements (the
/// plan writer moves elements as bytes) with something to transpose. Every
/// user of one weight gets the same attribute, so the plan stores it once.
ConcatElementsAttr getStoredTransposed(Value stored);

/// The scales of a block-quantized matrix of K rows and N columns, in blocks
/// of [blockK, blockN]: the matrix's element [k, n] is `q * scales[k /
/// blockK, n / blockN]`, or `q * scales[n / blockN, k / blockK]` where
/// `nMajor` (the scales of a weight stored [N, K], as checkpoints store it).
struct MatrixScales {
  Value scales;
  int64_t blockK, blockN;
  bool nMajor;
};

/// The [M, N] product of an [M, K] block of rows and a [K, N] matrix (an
/// [N, K] one where `transposed`), products added in K order as tern.gemm
/// adds them, the matrix dequantized as it is read when it has `scales` (as
/// tern.dequantize computes it: in f32, rounded to `element`). Quantized
/// rows come with `rowScales`, [M, ceil(K / blockK)], and are dequantized
/// the same way as they are read.
Value rowsTimesMatrix(OpBuilder &b, Location loc, Value rows, Value matrix, Type element,
                      std::optional<MatrixScales> scales = std::nullopt, bool transposed = false,
                      Value rowScales = {});

/// A contraction of `lhs` with a block-quantized `matrix` dequantized as it
/// is read: `maps` index lhs, matrix, scales, `lhsScales` when given (lhs
/// quantized too, dequantized as it is read) and the result (of `type`);
/// each term is lhs * (f32(q) * scale), the weight rounded to the result's
/// element type as tern.dequantize rounds it, added in the reduction order.
Value contractScaled(OpBuilder &b, Location loc, RankedTensorType type, Value lhs, Value matrix,
                     Value scales, ArrayRef<AffineMap> maps,
                     ArrayRef<utils::IteratorType> iterators, Value lhsScales = {});

/// An ONNX index (any integer type) into a dimension of `size`: negative
/// counts from the end, then clamped into [0, size), since kernels cannot
/// report errors and a bad index must not read or write out of bounds.
Value normalizeIndex(OpBuilder &b, Location loc, Value index, int64_t size);

/// An integer or index `value` as an index clamped into [0, size) (no
/// counting from the end): block numbers, positions.
Value clampIndex(OpBuilder &b, Location loc, Value value, int64_t size);

/// 1 / (1 + exp(-x)) and x * sigmoid(x) on a float scalar: tern.sigmoid and
/// tern.silu, and every lowering that applies them inside a larger kernel.
Value buildSigmoid(OpBuilder &b, Location loc, Value x);

/// Iteration `i` of a forall over `count` iterations as the iteration it
/// computes: i * s mod count, s coprime to count near count / 1.618. Threads
/// take contiguous ranges of a kernel's iterations; where the work sits in
/// a prefix (the MoE blocks in use, the attention splits a short sequence
/// fills), the stride spreads it over every range. Iterations must be
/// independent; results do not depend on the order.
Value spreadIteration(OpBuilder &b, Location loc, Value i, int64_t count);

/// The mapping of a one-dimensional scf.forall built as one kernel
/// ([#tern.kernel_iteration]), which keeps it whole even with one iteration.
ArrayAttr getKernelIterationMapping(OpBuilder &b);
Value buildSilu(OpBuilder &b, Location loc, Value x);

} // namespace mlir::tern

#endif // TERN_CODEGEN_LINALGBUILDERS_H
