//===- OutlineHostTasks.cpp - A kernel's parallel loops as thread tasks ---===//
//
// A host kernel's outermost scf.parallel loops become task functions over a
// range of iterations, called for the whole range:
//
//   scf.parallel (%i, %j) = (0, 0) to (64, 8) step (1, 1) { body(%i, %j) }
//   // becomes
//   func.call @kernel_task0(%buffers..., %c0, %c64)
//   func.func private @kernel_task0(%buffers..., %begin, %end) attributes {tern.host_task} {
//     scf.for %i = %begin to %end { scf.parallel (%j) = (0) to (8) { body(%i, %j) } }
//   }
//
// The call runs every iteration in order, as the loop did; on the host,
// tern-dispatch-host-tasks makes it a call to the runtime, which splits the
// range among its threads. The loop's iterations write disjoint outputs (a
// parallel loop's contract), so any split computes the same bits.
//
//===----------------------------------------------------------------------===//
#include "codegen/kernels/ParallelLoopSpace.h"
#include "codegen/kernels/Passes.h"
#include "ir/Contract.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::tern {
#define GEN_PASS_DEF_OUTLINEHOSTTASKSPASS
#include "codegen/kernels/Passes.h.inc"

namespace {

/// The fewest iterations a task's range is made of, when the loop has them:
/// enough to split among a machine's threads evenly.
constexpr int64_t kMinTaskIterations = 64;

/// The trip count assumed for a loop whose bounds are not constants (the
/// columns of a block, a slice of K): most such loops in kernels run longer.
constexpr uint64_t kUnknownTrips = 16;

/// A rough count of the operations `block` runs: loops multiply their
/// bodies by their trip counts, kUnknownTrips where not constant.
uint64_t estimateWork(Block &block) {
  uint64_t work = 0;
  for (Operation &op : block) {
    uint64_t opWork = 1;
    for (Region &region : op.getRegions())
      for (Block &inner : region)
        opWork = llvm::SaturatingAdd(opWork, estimateWork(inner));
    uint64_t trips = 1;
    if (auto loop = dyn_cast<LoopLikeOpInterface>(op))
      if (std::optional<SmallVector<OpFoldResult>> lbs = loop.getLoopLowerBounds())
        if (std::optional<SmallVector<OpFoldResult>> ubs = loop.getLoopUpperBounds())
          if (std::optional<SmallVector<OpFoldResult>> steps = loop.getLoopSteps())
            for (auto [lb, ub, step] : llvm::zip_equal(*lbs, *ubs, *steps)) {
              std::optional<int64_t> l = getConstantIntValue(lb), u = getConstantIntValue(ub),
                                     s = getConstantIntValue(step);
              if (!l || !u || !s || *s <= 0)
                trips = llvm::SaturatingMultiply(trips, kUnknownTrips);
              else if (*u > *l)
                trips = llvm::SaturatingMultiply(trips, uint64_t(llvm::divideCeil(*u - *l, *s)));
            }
    work = llvm::SaturatingAdd(work, llvm::SaturatingMultiply(trips, opWork));
  }
  return work;
}

/// Whether a value of `type` can be a task parameter: a scalar, or a buffer
/// the bare-pointer calling convention passes as one address.
bool isPassable(Type type) {
  if (type.isIntOrIndexOrFloat())
    return true;
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.hasStaticShape() && memref.getLayout().isIdentity();
}

/// One loop's task: the values it takes as parameters and the definitions
/// it clones (views, constants, per-iteration scratch), operands first.
struct TaskCaptures {
  llvm::SetVector<Value> parameters;
  llvm::SetVector<Operation *> clones;
};

/// Decides how `value`, used inside `loop` and defined outside it, reaches
/// the task; fails where it cannot (a view a parameter cannot carry).
LogicalResult capture(Value value, scf::ParallelOp loop, TaskCaptures &captures) {
  if (captures.parameters.contains(value))
    return success();
  Operation *def = value.getDefiningOp();
  if (def && captures.clones.contains(def))
    return success();
  if (def && (def->hasTrait<OpTrait::ConstantLike>() || isa<ViewLikeOpInterface>(def))) {
    for (Value operand : def->getOperands())
      if (failed(capture(operand, loop, captures)))
        return failure();
    captures.clones.insert(def);
    return success();
  }
  // Scratch each iteration overwrites (hoisted out of the loop for one
  // thread): one per task.
  if (auto alloca = dyn_cast_or_null<memref::AllocaOp>(def)) {
    bool onlyInLoop = llvm::all_of(alloca->getUsers(),
                                   [&](Operation *user) { return loop->isProperAncestor(user); });
    if (onlyInLoop && alloca->getNumOperands() == 0) {
      captures.clones.insert(def);
      return success();
    }
  }
  if (!isPassable(value.getType()))
    return failure();
  captures.parameters.insert(value);
  return success();
}

class TaskOutliner {
public:
  TaskOutliner(func::FuncOp kernel, SymbolTable &symbols) : kernel(kernel), symbols(symbols) {}

  /// Outlines `loop` if it has constant bounds, no reductions, values a task
  /// can take, and at least `minWork` operations to share.
  void outline(scf::ParallelOp loop, int64_t minWork) {
    if (loop.getNumResults() != 0)
      return;
    std::optional<ParallelLoopSpace> space = getParallelLoopSpace(loop);
    if (!space)
      return;
    ArrayRef<int64_t> lower = space->lower, extent = space->extent, step = space->step;
    if (space->iterations < 2 ||
        llvm::SaturatingMultiply(space->iterations, estimateWork(*loop.getBody())) <
            uint64_t(minWork))
      return;

    llvm::SetVector<Value> used;
    getUsedValuesDefinedAbove(loop.getRegion(), used);
    TaskCaptures captures;
    for (Value value : used)
      if (failed(capture(value, loop, captures)))
        return;

    // The outer loops a task's range spans; the rest run inside each of its
    // iterations.
    unsigned split = 0;
    int64_t rangeSize = 1;
    while (split < extent.size() && rangeSize < kMinTaskIterations)
      rangeSize *= extent[split++];

    func::FuncOp task = createTask(loop, captures, lower, extent, step, split);
    OpBuilder b(loop);
    Location loc = loop.getLoc();
    SmallVector<Value> operands(captures.parameters.begin(), captures.parameters.end());
    operands.push_back(arith::ConstantIndexOp::create(b, loc, 0));
    operands.push_back(arith::ConstantIndexOp::create(b, loc, rangeSize));
    func::CallOp::create(b, loc, task, operands);
    loop.erase();
  }

private:
  func::FuncOp createTask(scf::ParallelOp loop, const TaskCaptures &captures,
                          ArrayRef<int64_t> lower, ArrayRef<int64_t> extent, ArrayRef<int64_t> step,
                          unsigned split) {
    Location loc = loop.getLoc();
    MLIRContext *context = loop.getContext();
    SmallVector<Type> types;
    for (Value parameter : captures.parameters)
      types.push_back(parameter.getType());
    types.append(2, IndexType::get(context));
    OpBuilder b(context);
    b.setInsertionPointAfter(kernel);
    auto task = func::FuncOp::create(b, loc, (kernel.getSymName() + "_task").str(),
                                     b.getFunctionType(types, {}));
    task.setPrivate();
    task->setAttr(kHostTaskAttr, b.getUnitAttr());
    symbols.insert(task); // renames on a clash: _task_0, _task_1, ...

    Block *entry = task.addEntryBlock();
    b.setInsertionPointToStart(entry);
    IRMapping mapping;
    for (auto [parameter, argument] : llvm::zip(captures.parameters, entry->getArguments()))
      mapping.map(parameter, argument);
    for (Operation *def : captures.clones)
      b.clone(*def, mapping);
    // One constant per value, at the task's entry.
    llvm::DenseMap<int64_t, Value> constants;
    auto index = [&](int64_t value) -> Value {
      Value &constant = constants[value];
      if (!constant) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(entry);
        constant = arith::ConstantIndexOp::create(b, loc, value);
      }
      return constant;
    };
    Value begin = entry->getArgument(types.size() - 2), end = entry->getArgument(types.size() - 1);
    auto range = scf::ForOp::create(b, loc, begin, end, index(1));
    func::ReturnOp::create(b, loc);

    // Row-major: consecutive iterations of the range are neighbours in the
    // last of the outer loops, so a thread's share is contiguous.
    b.setInsertionPointToStart(range.getBody());
    Value remaining = range.getInductionVar();
    for (int64_t d = split - 1; d >= 0; --d) {
      Value local = remaining;
      if (d > 0) {
        local = arith::RemUIOp::create(b, loc, remaining, index(extent[d]));
        remaining = arith::DivUIOp::create(b, loc, remaining, index(extent[d]));
      }
      Value iv = step[d] == 1 ? local : arith::MulIOp::create(b, loc, local, index(step[d]));
      if (lower[d] != 0)
        iv = arith::AddIOp::create(b, loc, index(lower[d]), iv);
      mapping.map(loop.getInductionVars()[d], iv);
    }
    if (split < extent.size()) {
      SmallVector<Value> lbs, ubs, steps;
      for (unsigned d = split; d < extent.size(); ++d) {
        lbs.push_back(index(lower[d]));
        ubs.push_back(index(lower[d] + extent[d] * step[d]));
        steps.push_back(index(step[d]));
      }
      auto inner = scf::ParallelOp::create(b, loc, lbs, ubs, steps);
      for (unsigned d = split; d < extent.size(); ++d)
        mapping.map(loop.getInductionVars()[d], inner.getInductionVars()[d - split]);
      b.setInsertionPointToStart(inner.getBody());
    }
    for (Operation &op : loop.getBody()->without_terminator())
      b.clone(op, mapping);
    return task;
  }

  func::FuncOp kernel;
  SymbolTable &symbols;
};

struct OutlineHostTasksPass final : impl::OutlineHostTasksPassBase<OutlineHostTasksPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    for (auto kernel : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (kernel.isExternal() || kernel->hasAttr(kHostTaskAttr))
        continue;
      // The outermost parallel loops: a thread never waits for another's.
      SmallVector<scf::ParallelOp> loops;
      kernel.walk<WalkOrder::PreOrder>([&](scf::ParallelOp loop) {
        loops.push_back(loop);
        return WalkResult::skip();
      });
      TaskOutliner outliner(kernel, symbols);
      for (scf::ParallelOp loop : loops)
        outliner.outline(loop, minWork);
      // Definitions the tasks cloned may be left unused.
      for (Operation &op : llvm::make_early_inc_range(llvm::reverse(kernel.front())))
        if (isOpTriviallyDead(&op))
          op.erase();
    }
  }
};

} // namespace
} // namespace mlir::tern
