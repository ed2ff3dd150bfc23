//===- NarrowActivations.cpp - Activations in bf16 between ops ------------===//
//
// One in-order walk retypes each op and brackets it with casts: into bf16
// before a narrowed op and back to f32 after it, or a rounding (f32 -> bf16
// -> f32) after an op that computes in f32. Every op still sees the types it
// had, so the IR verifies at each step. CastOp's folder then cancels the
// pairs that meet (bf16 -> f32 -> bf16 is the bf16 value): the casts left
// are where the precision really changes, into and out of f32 ops.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "ir/Contract.h"
#include "ir/TernOps.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tern {
#define GEN_PASS_DEF_NARROWACTIVATIONSPASS
#include "passes/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;
using namespace mlir::tern;

namespace {

bool isF32Tensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getElementType().isF32();
}

/// Ops that compute in f32 whatever their operands are stored in: the
/// trait's, and products whose f32 block scales make the weight f32.
bool computesInF32(Operation *op) {
  if (op->hasTrait<ComputesInF32>() || isa<BlockScaledMatMulOp>(op))
    return true;
  auto experts = dyn_cast<MoEExpertsOp>(op);
  return experts && experts.isBlockScaled();
}

/// Whether `value` is computed from a top-k's choice (its indices, through
/// reshapes and the like).
bool comesFromTopK(Value value) {
  SmallVector<Value> worklist = {value};
  DenseSet<Operation *> seen;
  while (!worklist.empty()) {
    Operation *def = worklist.pop_back_val().getDefiningOp();
    if (!def || !seen.insert(def).second || isa<ConstantOp>(def))
      continue;
    if (isa<TopKOp>(def))
      return true;
    llvm::append_range(worklist, def->getOperands());
  }
  return false;
}

/// The ops that decide a choice of experts or weight it, up to the
/// contractions that feed them: the backward slices of tern.moe_route's
/// logits (DeepSeek computes the router's product from f32 operands), of
/// each top-k's input and of what is scattered at a top-k's choice (an
/// unfused router's scores, group masks and routing weights). They keep
/// f32, as tern.moe_route computes routing, so that rounding cannot pick
/// other experts than the fused router.
DenseSet<Operation *> findSelectionOps(func::FuncOp func) {
  SmallVector<Value> worklist;
  func.walk([&](Operation *op) {
    if (auto route = dyn_cast<MoERouteOp>(op))
      worklist.push_back(route.getLogits());
    else if (auto topk = dyn_cast<TopKOp>(op))
      worklist.push_back(topk.getInput());
    else if (auto scatter = dyn_cast<ScatterElementsOp>(op);
             scatter && comesFromTopK(scatter.getIndices()))
      worklist.push_back(scatter.getUpdates());
  });
  DenseSet<Operation *> selection;
  while (!worklist.empty()) {
    Operation *def = worklist.pop_back_val().getDefiningOp();
    if (!def || !isa<TernDialect>(def->getDialect()) || isa<ConstantOp>(def) ||
        !selection.insert(def).second)
      continue;
    if (!isa<GemmOp, MatMulOp, EinsumOp>(def))
      llvm::append_range(worklist, def->getOperands());
  }
  return selection;
}

class Narrower {
public:
  Narrower(MLIRContext *context, Type narrow)
      : builder(context), narrow(narrow), wide(Float32Type::get(context)) {}

  /// States (the KV cache) are stored narrow: the argument and the result
  /// that returns it change type together.
  void narrowStates(func::FuncOp func) {
    Block &entry = func.front();
    SmallVector<Type> inputs(func.getArgumentTypes()), results(func.getResultTypes());
    builder.setInsertionPointToStart(&entry);
    for (BlockArgument arg : entry.getArguments()) {
      if (!func.getArgAttr(arg.getArgNumber(), kStateAttr) || !isF32Tensor(arg.getType()))
        continue;
      arg.setType(retyped(arg.getType(), narrow));
      inputs[arg.getArgNumber()] = arg.getType();
      replaceUsesAfterCast(arg, convert(arg, wide, arg.getLoc()));
    }
    func.walk([&](func::ReturnOp ret) {
      builder.setInsertionPoint(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        unsigned index = operand.getOperandNumber();
        if (func.getResultAttr(index, kStateAttr) && isF32Tensor(operand.get().getType())) {
          operand.set(convert(operand.get(), narrow, ret.getLoc()));
          results[index] = operand.get().getType();
        }
      }
    });
    func.setType(FunctionType::get(func.getContext(), inputs, results));
  }

  void narrowOp(Operation *op) {
    if (llvm::none_of(op->getResultTypes(), isF32Tensor))
      return;
    if (computesInF32(op)) {
      // Compute as before; hand the results on rounded.
      builder.setInsertionPointAfter(op);
      for (Value result : op->getResults()) {
        if (!isF32Tensor(result.getType()))
          continue;
        Value rounded = convert(result, narrow, op->getLoc());
        Value widened = convert(rounded, wide, op->getLoc());
        result.replaceAllUsesExcept(widened, rounded.getDefiningOp());
      }
      return;
    }
    builder.setInsertionPoint(op);
    for (OpOperand &operand : op->getOpOperands())
      if (isF32Tensor(operand.get().getType()))
        operand.set(convert(operand.get(), narrow, op->getLoc()));
    builder.setInsertionPointAfter(op);
    for (Value result : op->getResults()) {
      if (!isF32Tensor(result.getType()))
        continue;
      result.setType(retyped(result.getType(), narrow));
      replaceUsesAfterCast(result, convert(result, wide, op->getLoc()));
    }
  }

private:
  static Type retyped(Type tensor, Type element) {
    return cast<RankedTensorType>(tensor).clone(element);
  }

  /// `value` as `element`, one cast per value and type (walk order puts the
  /// first before every later reader).
  Value convert(Value value, Type element, Location loc) {
    Value &converted = conversions[{value, element}];
    if (!converted)
      converted = CastOp::create(builder, loc, retyped(value.getType(), element), value);
    return converted;
  }

  /// Every use of `value` but `cast`'s own now reads `cast`.
  static void replaceUsesAfterCast(Value value, Value cast) {
    value.replaceAllUsesExcept(cast, cast.getDefiningOp());
  }

  OpBuilder builder;
  Type narrow, wide;
  DenseMap<std::pair<Value, Type>, Value> conversions;
};

struct NarrowActivationsPass final : tern::impl::NarrowActivationsPassBase<NarrowActivationsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    Narrower narrower(context, BFloat16Type::get(context));
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      narrower.narrowStates(func);
      // Constants and casts keep their types (their readers convert them);
      // quantization's float side is its scales' type; selections stay f32.
      DenseSet<Operation *> selection = findSelectionOps(func);
      SmallVector<Operation *> ops;
      func.walk([&](Operation *op) {
        if (isa<TernDialect>(op->getDialect()) &&
            !isa<ConstantOp, CastOp, QuantizeOp, DequantizeOp>(op) && !selection.contains(op))
          ops.push_back(op);
      });
      for (Operation *op : ops)
        narrower.narrowOp(op);
    }
    // Folding alone: cancels the cast pairs, rounds inline constants, drops
    // what no longer has readers.
    if (failed(applyPatternsGreedily(module, FrozenRewritePatternSet(RewritePatternSet(context)))))
      return signalPassFailure();
    module->setAttr(kPrecisionAttr, StringAttr::get(context, "bf16"));
  }
};

} // namespace
