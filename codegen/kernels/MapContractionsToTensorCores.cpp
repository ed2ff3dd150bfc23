//===- MapContractionsToTensorCores.cpp - f16/bf16/FP8 matmuls -> mma.sync ===//
//
// A contraction of f16 (or bf16) operands into an f32 accumulator becomes a
// launch whose warps each compute a 32x32 tile of the output with m16n8k16
// mma.sync instructions (2 x 4 per step of 16 along K). Each lane loads its
// own fragment elements straight from global memory, zero past the edges,
// so any M, N and K work; the fragment layouts are those of the PTX ISA
// (and of upstream's nvgpu MMAUtils). Staging through shared memory with
// ldmatrix, and wgmma on sm_90a, are the next steps.
//
// On chips with FP8 tensor cores (sm_89, sm_90a), a block-scaled product of
// FP8 E4M3 activations by FP8 E4M3 weights (both dequantized as the body
// reads them, per block of K) takes m16n8k32 E4M3 mma.sync: each block of
// K sums into fresh accumulators, which are then scaled by the two blocks'
// scales and added to the running ones, in f32 (DeepGEMM's promotion). The
// value is the op's up to f32 rounding: the scales multiply each block's sum
// rather than each product.
//
//===----------------------------------------------------------------------===//
#include "codegen/kernels/ContractionMatch.h"
#include "codegen/kernels/GpuLaunchBuilder.h"
#include "codegen/kernels/Passes.h"
#include "target/Target.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::tern {
#define GEN_PASS_DEF_MAPCONTRACTIONSTOTENSORCORESPASS
#include "codegen/kernels/Passes.h.inc"

namespace {

// One instruction computes a 16x8 tile over 16 values of K; a warp holds
// kTilesM x kTilesN of them, and a block kWarpsM x kWarpsN warps.
constexpr int64_t kMmaM = 16, kMmaN = 8, kMmaK = 16;
constexpr int64_t kTilesM = 2, kTilesN = 4;
constexpr int64_t kWarpsM = 2, kWarpsN = 2;
constexpr int64_t kWarpSize = 32;
constexpr int64_t kBlockM = kMmaM * kTilesM * kWarpsM, kBlockN = kMmaN * kTilesN * kWarpsN;
constexpr int64_t kMaxGridDim = 65535; // grid y and z limits
// FP8 multiplicands: one instruction takes 32 values of K.
constexpr int64_t kMmaKFp8 = 32;
constexpr llvm::StringLiteral kMmaFp8Intrinsic = "llvm.nvvm.mma.m16n8k32.row.col.f32.e4m3.e4m3.f32";

/// A matmul-like contraction and the tensor-core type of its operands.
struct TensorCoreContraction : MatmulLikeContraction {
  NVVM::MMATypes multiplicand;
  /// FP8 operands: the extent of their scales' blocks along K (a multiple of
  /// kMmaKFp8); 0 for f16 and bf16.
  int64_t fp8BlockK = 0;
};

/// The multiplication in a contraction's body: it must happen in f32, as
/// the tensor cores compute, not in the operands' type.
bool multipliesInF32(linalg::LinalgOp op) {
  auto products = op.getBlock()->getOps<arith::MulFOp>();
  return llvm::hasSingleElement(products) && (*products.begin()).getType().isF32();
}

/// `d_k floordiv B` among a scale's indices: B; 0 if there is none.
int64_t getScaleBlockK(linalg::LinalgOp op, OpOperand *scale, unsigned k) {
  for (AffineExpr expr : op.getMatchingIndexingMap(scale).getResults()) {
    auto floorDiv = dyn_cast<AffineBinaryOpExpr>(expr);
    if (!floorDiv || floorDiv.getKind() != AffineExprKind::FloorDiv ||
        floorDiv.getLHS() != getAffineDimExpr(k, op.getContext()))
      continue;
    if (auto divisor = dyn_cast<AffineConstantExpr>(floorDiv.getRHS()))
      return divisor.getValue();
  }
  return 0;
}

/// Whether `value` in the body is `x * scale` (either order) with `scale`
/// the block argument of `scaleOperand`: an operand dequantized as read.
bool isScaledBy(linalg::LinalgOp op, Value value, OpOperand *scaleOperand) {
  auto mul = value.getDefiningOp<arith::MulFOp>();
  BlockArgument scale = op.getMatchingBlockArgument(scaleOperand);
  return mul && (mul.getLhs() == scale || mul.getRhs() == scale);
}

/// A product of E4M3 activations by E4M3 weights, each with one scale per
/// block of the same extent along K: `out + (x * xs) * (w * ws)`.
LogicalResult matchFp8Blocks(TensorCoreContraction &match) {
  linalg::LinalgOp op = match.op;
  if (match.lhsScales.size() != 1 || match.rhsScales.size() != 1)
    return failure();
  auto isE4M3 = [](OpOperand *operand) {
    return isa<Float8E4M3FNType>(getElementTypeOrSelf(operand->get().getType()));
  };
  // Every scale index is a loop index or one floordiv a constant.
  for (OpOperand *scale : {match.lhsScales[0], match.rhsScales[0]})
    for (AffineExpr expr : op.getMatchingIndexingMap(scale).getResults()) {
      auto floorDiv = dyn_cast<AffineBinaryOpExpr>(expr);
      if (!isa<AffineDimExpr>(expr) &&
          (!floorDiv || floorDiv.getKind() != AffineExprKind::FloorDiv ||
           !isa<AffineDimExpr>(floorDiv.getLHS()) || !isa<AffineConstantExpr>(floorDiv.getRHS())))
        return failure();
    }
  int64_t blockK = getScaleBlockK(op, match.lhsScales[0], match.k);
  if (!isE4M3(match.lhs) || !isE4M3(match.rhs) || blockK == 0 || blockK % kMmaKFp8 != 0 ||
      getScaleBlockK(op, match.rhsScales[0], match.k) != blockK)
    return failure();
  // The product of the two dequantized operands (isScaledProductSum checked
  // what each side reads).
  auto add = op.getBlock()->getTerminator()->getOperand(0).getDefiningOp<arith::AddFOp>();
  auto mul = add ? add.getLhs().getDefiningOp<arith::MulFOp>() : nullptr;
  if (add && !mul)
    mul = add.getRhs().getDefiningOp<arith::MulFOp>();
  if (!mul)
    return failure();
  Value activations = mul.getLhs(), weights = mul.getRhs();
  if (!isScaledBy(op, activations, match.lhsScales[0]))
    std::swap(activations, weights);
  if (!isScaledBy(op, activations, match.lhsScales[0]) ||
      !isScaledBy(op, weights, match.rhsScales[0]))
    return failure();
  match.multiplicand = NVVM::MMATypes::e4m3;
  match.fp8BlockK = blockK;
  return success();
}

FailureOr<TensorCoreContraction> matchContraction(linalg::LinalgOp op, bool fp8) {
  // A launch of its own: only a contraction the kernel runs once, not one
  // inside a loop whose iterations are threads (a MoE block's expert MLP,
  // on per-iteration scratch).
  if (!isa<func::FuncOp>(op->getParentOp()))
    return failure();
  FailureOr<MatmulLikeContraction> matmul =
      matchMatmulLikeContraction(op, /*allowRhsScales=*/fp8, /*allowLhsScales=*/fp8);
  if (failed(matmul))
    return failure();
  TensorCoreContraction match{*matmul, NVVM::MMATypes::f16};
  Type lhsType = getElementTypeOrSelf(match.lhs->get().getType());
  Type rhsType = getElementTypeOrSelf(match.rhs->get().getType());
  Type accType = getElementTypeOrSelf(op.getDpsInitOperand(0)->get().getType());
  if (!accType.isF32())
    return failure();
  if (!match.rhsScales.empty() || !match.lhsScales.empty()) {
    if (failed(matchFp8Blocks(match)))
      return failure();
  } else if (lhsType != rhsType || !multipliesInF32(op)) {
    return failure();
  } else if (lhsType.isF16())
    match.multiplicand = NVVM::MMATypes::f16;
  else if (lhsType.isBF16())
    match.multiplicand = NVVM::MMATypes::bf16;
  else
    return failure();

  // Grid y covers M and grid z the batch; larger shapes keep the SIMT path.
  int64_t batch = 1;
  for (unsigned dim : match.batch)
    batch *= match.ranges[dim];
  if (batch > kMaxGridDim || llvm::divideCeil(match.ranges[match.m], kBlockM) > kMaxGridDim)
    return failure();
  return match;
}

/// Emits the body of one warp's tile inside the launch.
class WarpTileEmitter {
public:
  WarpTileEmitter(const TensorCoreContraction &match, GpuLaunchBuilder &launch)
      : match(match), op(match.op), b(launch.builder), constants(launch.builder),
        loc(match.op->getLoc()) {
    lhs = launch.mapping.lookup(match.lhs->get());
    rhs = launch.mapping.lookup(match.rhs->get());
    acc = launch.mapping.lookup(op.getDpsInitOperand(0)->get());
    // Every later constant goes before the first, ahead of all computation.
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    constantCache[b.getIndexAttr(0)] = zero;
    constants.setInsertionPoint(zero.getDefiningOp());
  }

  void emit(gpu::KernelDim3 blockId, gpu::KernelDim3 threadId) {
    Value lane = rem(threadId.x, kWarpSize);
    Value warp = div(threadId.x, kWarpSize);
    group = div(lane, 4);
    inGroup = rem(lane, 4);
    // Sequenced: the order the operands are made in is the order in the IR.
    Value blockRow = mul(blockId.y, kBlockM);
    rowBase = add(blockRow, mul(div(warp, kWarpsN), kMmaM * kTilesM));
    Value blockCol = mul(blockId.x, kBlockN);
    colBase = add(blockCol, mul(rem(warp, kWarpsN), kMmaN * kTilesN));
    // Batch indices: blockIdx.z delinearized, last batch dimension fastest.
    batchIndex.assign(match.ranges.size(), nullptr);
    Value remaining = blockId.z;
    for (unsigned dim : llvm::reverse(match.batch)) {
      batchIndex[dim] = rem(remaining, match.ranges[dim]);
      remaining = div(remaining, match.ranges[dim]);
    }

    SmallVector<Value> initial;
    forEachAccumulator([&](Value row, Value col) {
      initial.push_back(load(op.getDpsInitOperand(0), acc, row, col, /*k=*/nullptr));
    });
    int64_t kStepSize = match.fp8BlockK ? match.fp8BlockK : kMmaK;
    Value kBegin = index(0);
    Value kEnd = index(match.ranges[match.k]);
    Value kStep = index(kStepSize);
    auto loop = scf::ForOp::create(b, loc, kBegin, kEnd, kStep, initial);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      Value k0 = loop.getInductionVar();
      ValueRange accumulators = loop.getRegionIterArgs();
      scf::YieldOp::create(b, loc,
                           match.fp8BlockK ? fp8Block(k0, accumulators) : step(k0, accumulators));
    }
    size_t next = 0;
    forEachAccumulator([&](Value row, Value col) { store(loop.getResult(next++), row, col); });
  }

private:
  /// Calls `fn(row, col)` for every accumulator element of this lane, in the
  /// order of the mma.sync C operands: tile (tm, tn), then c0..c3.
  void forEachAccumulator(llvm::function_ref<void(Value, Value)> fn) {
    for (int64_t tm = 0; tm < kTilesM; ++tm)
      for (int64_t tn = 0; tn < kTilesN; ++tn)
        for (int64_t c = 0; c < 4; ++c) {
          Value row = add(rowBase, tm * kMmaM + (c / 2) * 8, group);
          Value col = add(colBase, tn * kMmaN, mul(inGroup, 2), c % 2);
          fn(row, col);
        }
  }

  /// One step of 16 along K: load fragments, then 2 x 4 mma.sync.
  SmallVector<Value> step(Value k0, ValueRange accumulators) {
    // A (16x16, row): register r holds rows g + 8 (r % 2), columns
    // 2 t + 8 (r / 2) and the next.
    SmallVector<SmallVector<Value, 4>> aFragments(kTilesM);
    for (int64_t tm = 0; tm < kTilesM; ++tm)
      for (int64_t r = 0; r < 4; ++r) {
        Value row = add(rowBase, tm * kMmaM + (r % 2) * 8, group);
        Value col = add(k0, (r / 2) * 8, mul(inGroup, 2));
        Value low = load(match.lhs, lhs, row, nullptr, col);
        Value high = load(match.lhs, lhs, row, nullptr, add(col, 1));
        aFragments[tm].push_back(pack(low, high));
      }
    // B (16x8, col): register r holds column g, rows 2 t + 8 r and the next.
    SmallVector<SmallVector<Value, 2>> bFragments(kTilesN);
    for (int64_t tn = 0; tn < kTilesN; ++tn)
      for (int64_t r = 0; r < 2; ++r) {
        Value col = add(colBase, tn * kMmaN, group);
        Value row = add(k0, r * 8, mul(inGroup, 2));
        Value low = load(match.rhs, rhs, nullptr, col, row);
        Value high = load(match.rhs, rhs, nullptr, col, add(row, 1));
        bFragments[tn].push_back(pack(low, high));
      }

    SmallVector<Value> results;
    Type f32 = b.getF32Type();
    auto resultType = LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
    for (int64_t tm = 0; tm < kTilesM; ++tm)
      for (int64_t tn = 0; tn < kTilesN; ++tn) {
        ValueRange c = accumulators.slice((tm * kTilesN + tn) * 4, 4);
        auto mma = NVVM::MmaOp::create(
            b, loc, resultType, aFragments[tm], bFragments[tn], c, {kMmaM, kMmaN, kMmaK},
            std::nullopt, std::nullopt,
            std::array<NVVM::MMATypes, 2>{match.multiplicand, match.multiplicand},
            std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row, NVVM::MMALayout::col});
        for (int64_t i = 0; i < 4; ++i)
          results.push_back(LLVM::ExtractValueOp::create(b, loc, mma, i));
      }
    return results;
  }

  /// One block of K of FP8 operands: its partial sums on fresh accumulators
  /// (fp8BlockK / 32 instructions per tile), then `acc + partial *
  /// lhsScale[row, block] * rhsScale[col's block, block]` per element.
  SmallVector<Value> fp8Block(Value kBlock, ValueRange accumulators) {
    Value zero = constant(b.getF32FloatAttr(0.0f));
    SmallVector<Value> partial(accumulators.size(), zero);
    for (int64_t s = 0; s < match.fp8BlockK / kMmaKFp8; ++s)
      partial = fp8Step(add(kBlock, s * kMmaKFp8), partial);
    SmallVector<Value> results;
    size_t next = 0;
    forEachAccumulator([&](Value row, Value col) {
      Value scaled = arith::MulFOp::create(b, loc, partial[next],
                                           loadScale(match.lhsScales[0], row, col, kBlock));
      scaled =
          arith::MulFOp::create(b, loc, scaled, loadScale(match.rhsScales[0], row, col, kBlock));
      results.push_back(arith::AddFOp::create(b, loc, accumulators[next++], scaled));
    });
    return results;
  }

  /// One step of 32 along K of FP8 operands, as step() for 16-bit ones.
  SmallVector<Value> fp8Step(Value k0, ArrayRef<Value> accumulators) {
    // A (16x32, row): register r holds row g + 8 (r % 2), columns
    // 4 t + 16 (r / 2) and the next three.
    SmallVector<SmallVector<Value, 4>> aFragments(kTilesM);
    for (int64_t tm = 0; tm < kTilesM; ++tm)
      for (int64_t r = 0; r < 4; ++r) {
        Value row = add(rowBase, tm * kMmaM + (r % 2) * 8, group);
        Value col = add(k0, (r / 2) * 16, mul(inGroup, 4));
        aFragments[tm].push_back(packBytes(match.lhs, lhs, row, nullptr, col));
      }
    // B (32x8, col): register r holds column g, rows 4 t + 16 r and the
    // next three.
    SmallVector<SmallVector<Value, 2>> bFragments(kTilesN);
    for (int64_t tn = 0; tn < kTilesN; ++tn)
      for (int64_t r = 0; r < 2; ++r) {
        Value col = add(colBase, tn * kMmaN, group);
        Value row = add(k0, r * 16, mul(inGroup, 4));
        bFragments[tn].push_back(packBytes(match.rhs, rhs, nullptr, col, row));
      }

    SmallVector<Value> results;
    Type f32 = b.getF32Type();
    auto resultType = LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
    StringAttr intrinsic = b.getStringAttr(kMmaFp8Intrinsic);
    for (int64_t tm = 0; tm < kTilesM; ++tm)
      for (int64_t tn = 0; tn < kTilesN; ++tn) {
        SmallVector<Value> args(aFragments[tm].begin(), aFragments[tm].end());
        llvm::append_range(args, bFragments[tn]);
        llvm::append_range(args, accumulators.slice((tm * kTilesN + tn) * 4, 4));
        auto mma = LLVM::CallIntrinsicOp::create(b, loc, resultType, intrinsic, args);
        for (int64_t i = 0; i < 4; ++i)
          results.push_back(LLVM::ExtractValueOp::create(b, loc, mma.getResult(0), i));
      }
    return results;
  }

  /// Four FP8 elements of `operand` along K from (row, col, k) in one i32,
  /// the first in the low byte, zero past the edges.
  Value packBytes(OpOperand *operand, Value memref, Value row, Value col, Value k) {
    auto type = VectorType::get({4}, b.getI8Type());
    Value vector = LLVM::PoisonOp::create(b, loc, type);
    for (int64_t j = 0; j < 4; ++j) {
      Value element = load(operand, memref, row, col, add(k, j));
      Value bits = arith::BitcastOp::create(b, loc, b.getI8Type(), element);
      vector = LLVM::InsertElementOp::create(b, loc, type, vector, bits,
                                             constant(b.getI32IntegerAttr(j)));
    }
    return LLVM::BitcastOp::create(b, loc, b.getI32Type(), vector);
  }

  /// A scale at the loop indices (row, col, k), which its map reads through
  /// floordivs; indices past their loop's end are clamped (the products
  /// there are never stored).
  Value loadScale(OpOperand *scale, Value row, Value col, Value k) {
    Value inRange;
    SmallVector<Value> loops = loopIndices(row, col, k, inRange);
    SmallVector<Value> indices;
    for (AffineExpr expr : op.getMatchingIndexingMap(scale).getResults())
      indices.push_back(evaluate(expr, loops));
    return memref::LoadOp::create(b, loc, scale->get(), indices);
  }

  /// A scale index: a loop index, or a loop index floordiv a constant.
  Value evaluate(AffineExpr expr, ArrayRef<Value> loops) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr))
      return loops[dim.getPosition()];
    auto floorDiv = cast<AffineBinaryOpExpr>(expr);
    return div(evaluate(floorDiv.getLHS(), loops),
               cast<AffineConstantExpr>(floorDiv.getRHS()).getValue());
  }

  /// Two multiplicands in one 32-bit register: vector<2xf16> for f16, i32
  /// for bf16, as nvvm.mma.sync takes them.
  Value pack(Value low, Value high) {
    auto type = VectorType::get({2}, low.getType());
    Value vector = LLVM::PoisonOp::create(b, loc, type);
    vector =
        LLVM::InsertElementOp::create(b, loc, type, vector, low, constant(b.getI32IntegerAttr(0)));
    vector =
        LLVM::InsertElementOp::create(b, loc, type, vector, high, constant(b.getI32IntegerAttr(1)));
    if (match.multiplicand == NVVM::MMATypes::f16)
      return vector;
    return LLVM::BitcastOp::create(b, loc, b.getI32Type(), vector);
  }

  /// The loop indices at (m = row, n = col, k) and the batch of this block;
  /// an index past its loop's end is clamped to it, with `inRange` false.
  SmallVector<Value> loopIndices(Value row, Value col, Value k, Value &inRange) {
    SmallVector<Value> indices(match.ranges.size());
    inRange = nullptr;
    std::pair<unsigned, Value> given[] = {{match.m, row}, {match.n, col}, {match.k, k}};
    for (auto [dim, value] : given) {
      if (!value)
        continue;
      Value last = index(match.ranges[dim] - 1);
      Value within = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, value, last);
      inRange = inRange ? arith::AndIOp::create(b, loc, inRange, within).getResult() : within;
      indices[dim] = arith::MinUIOp::create(b, loc, value, last);
    }
    for (unsigned dim : match.batch)
      indices[dim] = batchIndex[dim];
    return indices;
  }

  /// The operand's element at (row, col, k), or zero outside the loops.
  Value load(OpOperand *operand, Value memref, Value row, Value col, Value k) {
    Value inRange;
    SmallVector<Value> indices = loopIndices(row, col, k, inRange);
    Value value = memref::LoadOp::create(b, loc, memref, match.operandIndices(operand, indices));
    Value zero = constant(cast<TypedAttr>(b.getZeroAttr(value.getType())));
    return arith::SelectOp::create(b, loc, inRange, value, zero);
  }

  void store(Value value, Value row, Value col) {
    Value inRange;
    SmallVector<Value> indices = loopIndices(row, col, nullptr, inRange);
    auto guard = scf::IfOp::create(b, loc, inRange, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard insertion(b);
    b.setInsertionPointToStart(&guard.getThenRegion().front());
    memref::StoreOp::create(b, loc, value, acc,
                            match.operandIndices(op.getDpsInitOperand(0), indices));
  }

  /// Constants are made once, at the start of the launch, where they
  /// dominate every use.
  Value constant(TypedAttr value) {
    Value &cached = constantCache[value];
    if (!cached)
      cached = arith::ConstantOp::create(constants, loc, value);
    return cached;
  }
  Value index(int64_t value) { return constant(b.getIndexAttr(value)); }
  Value mul(Value x, int64_t y) { return arith::MulIOp::create(b, loc, x, index(y)); }
  Value div(Value x, int64_t y) { return arith::DivUIOp::create(b, loc, x, index(y)); }
  Value rem(Value x, int64_t y) { return arith::RemUIOp::create(b, loc, x, index(y)); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value add(Value x, int64_t y) { return y == 0 ? x : add(x, index(y)); }
  Value add(Value x, int64_t y, Value z) { return add(add(x, y), z); }
  Value add(Value x, int64_t y, Value z, int64_t w) { return add(add(x, y, z), w); }

  const TensorCoreContraction &match;
  linalg::LinalgOp op;
  OpBuilder &b;
  OpBuilder constants;
  DenseMap<Attribute, Value> constantCache;
  Location loc;
  Value lhs, rhs, acc;
  Value group, inGroup, rowBase, colBase;
  /// This block's index along each batch loop (null for the other loops).
  SmallVector<Value> batchIndex;
};

LogicalResult mapToTensorCores(func::FuncOp kernel, const TensorCoreContraction &match) {
  const SmallVector<int64_t> &ranges = match.ranges;
  int64_t batch = 1;
  for (unsigned dim : match.batch)
    batch *= ranges[dim];
  GpuLaunchBuilder launch(kernel, match.op,
                          {int64_t(llvm::divideCeil(ranges[match.n], kBlockN)),
                           int64_t(llvm::divideCeil(ranges[match.m], kBlockM)), batch},
                          kWarpSize * kWarpsM * kWarpsN);
  SmallVector<Value> operands = match.op->getOperands();
  if (failed(launch.cloneDefinitions(operands)))
    return failure();
  WarpTileEmitter(match, launch).emit(launch.launch.getBlockIds(), launch.launch.getThreadIds());
  match.op->erase();
  return success();
}

struct MapContractionsToTensorCoresPass final
    : impl::MapContractionsToTensorCoresPassBase<MapContractionsToTensorCoresPass> {
  using Base::Base;

  void runOnOperation() override {
    std::optional<::tern::Target> target = ::tern::Target::get(chip);
    if (!target || !target->isCuda()) {
      getOperation().emitError() << "chip '" << chip << "' is not an NVIDIA target Tern knows "
                                 << "(sm_80, sm_89 or sm_90a)";
      return signalPassFailure();
    }
    if (!target->getTensorCores().mmaSync16Bit)
      return;
    bool fp8 = target->getTensorCores().mmaSyncFp8;
    SmallVector<TensorCoreContraction, 2> matches;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (FailureOr<TensorCoreContraction> match = matchContraction(op, fp8); succeeded(match))
        matches.push_back(*match);
    });
    for (const TensorCoreContraction &match : matches)
      if (failed(mapToTensorCores(getOperation(), match)))
        return signalPassFailure();
  }
};

} // namespace
} // namespace mlir::tern
