//===- PlanMemory.cpp - Arena offsets from liveness -----------------------===//
//
// The schedule is one block of dispatches, so liveness is an interval of op
// positions per allocation. Placement is greedy: largest first, each at the
// lowest aligned offset clear of every placed allocation whose interval
// overlaps its own. This is the usual heuristic for static memory planning
// (TFLite's and XLA's are of this kind); its result is reported next to the
// live peak, the bound no placement can beat.
//
//===----------------------------------------------------------------------===//
#include "codegen/schedule/Passes.h"
#include "codegen/schedule/Schedule.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::tern {
#define GEN_PASS_DEF_PLANMEMORYPASS
#include "codegen/schedule/Passes.h.inc"

namespace {

struct Allocation {
  memref::AllocOp op;
  uint64_t size = 0;
  unsigned first = 0, last = 0; // positions in the schedule, inclusive
  uint64_t offset = 0;

  bool overlapsInTime(const Allocation &other) const {
    return first <= other.last && other.first <= last;
  }
};

/// Extends [first, last] over every op of `block` that uses `value`, looking
/// through views.
void extendLiveness(Value value, Block &block, const DenseMap<Operation *, unsigned> &position,
                    Allocation &alloc) {
  for (Operation *user : value.getUsers()) {
    if (auto view = dyn_cast<ViewLikeOpInterface>(user); view && view.getViewSource() == value) {
      for (Value result : user->getResults())
        extendLiveness(result, block, position, alloc);
      continue;
    }
    Operation *ancestor = block.findAncestorOpInBlock(*user);
    if (!ancestor)
      continue;
    unsigned at = position.lookup(ancestor);
    alloc.first = std::min(alloc.first, at);
    alloc.last = std::max(alloc.last, at);
  }
}

/// The lowest aligned offset where `alloc` fits beside the placed
/// allocations that are live with it.
uint64_t findOffset(const Allocation &alloc, ArrayRef<Allocation *> placed, uint64_t alignment) {
  SmallVector<std::pair<uint64_t, uint64_t>> busy; // [begin, end) byte ranges
  for (Allocation *other : placed)
    if (other->overlapsInTime(alloc))
      busy.push_back({other->offset, other->offset + other->size});
  llvm::sort(busy);
  uint64_t candidate = 0;
  for (auto [begin, end] : busy) {
    if (candidate + alloc.size <= begin)
      break;
    candidate = std::max(candidate, llvm::alignTo(end, alignment));
  }
  return candidate;
}

struct PlanMemoryPass final : impl::PlanMemoryPassBase<PlanMemoryPass> {
  using Base::Base;

  void runOnOperation() override {
    if (alignment <= 0 || !llvm::isPowerOf2_64(alignment)) {
      getOperation().emitError() << "alignment (" << int64_t(alignment)
                                 << ") must be a power of two";
      return signalPassFailure();
    }
    for (auto entry : getOperation().getOps<func::FuncOp>())
      if (entry.isPublic() && !entry.isExternal() && failed(plan(entry)))
        return signalPassFailure();
  }

  LogicalResult plan(func::FuncOp entry) {
    if (!entry.getBody().hasOneBlock())
      return entry.emitOpError("has control flow; the memory plan needs one block");
    Block &block = entry.front();
    DenseMap<Operation *, unsigned> position;
    for (auto [index, op] : llvm::enumerate(block))
      position[&op] = index;

    std::vector<Allocation> allocs;
    for (auto op : block.getOps<memref::AllocOp>()) {
      std::optional<uint64_t> size = getStaticByteSize(op.getType());
      if (!size)
        return op.emitOpError() << "needs a static shape for the memory plan, got " << op.getType()
                                << " (pin dynamic dimensions with --dim)";
      // Live from first use, not from the alloc: bufferization may hoist
      // allocations to the top of the function.
      Allocation alloc{op, *size, ~0u, 0};
      extendLiveness(op.getResult(), block, position, alloc);
      if (alloc.first > alloc.last)
        alloc.first = alloc.last = position[op];
      allocs.push_back(alloc);
    }

    // Largest first; ties by first use, so the result is deterministic.
    std::vector<Allocation *> order;
    for (Allocation &alloc : allocs)
      order.push_back(&alloc);
    llvm::stable_sort(order, [](Allocation *a, Allocation *b) {
      return a->size != b->size ? a->size > b->size : a->first < b->first;
    });
    SmallVector<Allocation *> placed;
    uint64_t arenaSize = 0;
    for (Allocation *alloc : order) {
      alloc->offset = findOffset(*alloc, placed, alignment);
      arenaSize = std::max(arenaSize, llvm::alignTo(alloc->offset + alloc->size, alignment));
      placed.push_back(alloc);
    }

    uint64_t livePeak = 0;
    for (unsigned at = 0, e = block.getOperations().size(); at < e; ++at) {
      uint64_t live = 0;
      for (const Allocation &alloc : allocs)
        if (alloc.first <= at && at <= alloc.last)
          live += alloc.size;
      livePeak = std::max(livePeak, live);
    }

    Builder builder(entry.getContext());
    for (const Allocation &alloc : allocs)
      alloc.op->setAttr(kArenaOffsetAttr, builder.getI64IntegerAttr(alloc.offset));
    entry->setAttr(kArenaSizeAttr, builder.getI64IntegerAttr(arenaSize));
    entry->setAttr(kArenaLivePeakAttr, builder.getI64IntegerAttr(livePeak));
    return success();
  }
};

} // namespace
} // namespace mlir::tern
