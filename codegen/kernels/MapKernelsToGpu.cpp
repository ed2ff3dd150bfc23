//===- MapKernelsToGpu.cpp - Loop nests of a kernel -> GPU launches -------===//
//
// Upstream's gpu-map-parallel-loops + convert-parallel-loops-to-gpu need
// launch bounds they can derive, which tiled loops with partial tiles do not
// give; and a rank-4 nest does not fit three grid dimensions. Flattening each
// nest to one dimension sidesteps both: the launch is ceil(N / block) blocks
// of `block` threads, and thread t computes iteration t.
//
//===----------------------------------------------------------------------===//
#include "codegen/kernels/GpuLaunchBuilder.h"
#include "codegen/kernels/ParallelLoopSpace.h"
#include "codegen/kernels/Passes.h"
#include "codegen/schedule/Schedule.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::tern {
#define GEN_PASS_DEF_MAPKERNELSTOGPUPASS
#include "codegen/kernels/Passes.h.inc"

namespace {

/// Ops that stay outside launches: they compute nothing on the device.
bool isHostSideOp(Operation *op) {
  return isa<func::ReturnOp, gpu::LaunchOp, ViewLikeOpInterface>(op) ||
         op->hasTrait<OpTrait::ConstantLike>();
}

/// scf.parallel (i, j) in [l0, u0) x [l1, u1) step (s0, s1) { body }
///   => gpu.launch: id = bid.x * block + tid.x; if id < N { i, j = delinearize(id); body }
LogicalResult mapParallelLoop(func::FuncOp kernel, scf::ParallelOp loop, int64_t blockSize) {
  if (loop.getNumResults() != 0)
    return loop.emitOpError("with reductions cannot be mapped to a GPU launch yet");
  std::optional<ParallelLoopSpace> space = getParallelLoopSpace(loop);
  if (!space)
    return loop.emitOpError("needs constant bounds and positive steps to map to a GPU launch");
  if (space->iterations > (uint64_t(1) << 40))
    return loop.emitOpError("has too many iterations for one launch");
  ArrayRef<int64_t> lower = space->lower, extent = space->extent, step = space->step;
  int64_t total = space->iterations;
  if (total == 0) {
    loop.erase();
    return success();
  }
  int64_t threads = std::min(blockSize, total);
  GpuLaunchBuilder launch(kernel, loop, {int64_t(llvm::divideCeil(total, threads)), 1, 1}, threads);
  OpBuilder &b = launch.builder;
  Location loc = loop.getLoc();
  auto index = [&](int64_t value) { return arith::ConstantIndexOp::create(b, loc, value); };
  gpu::KernelDim3 blockId = launch.launch.getBlockIds();
  gpu::KernelDim3 threadId = launch.launch.getThreadIds();
  Value id = arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, blockId.x, index(threads)),
                                   threadId.x);
  Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, id, index(total));
  auto guard = scf::IfOp::create(b, loc, inRange, /*withElseRegion=*/false);
  b.setInsertionPointToStart(&guard.getThenRegion().front());

  // Row-major delinearization: the last loop dimension varies fastest, so
  // neighbouring threads touch neighbouring elements.
  SmallVector<Value> ivs(extent.size());
  Value remaining = id;
  for (int64_t d = extent.size() - 1; d >= 0; --d) {
    Value local = arith::RemUIOp::create(b, loc, remaining, index(extent[d]));
    remaining = arith::DivUIOp::create(b, loc, remaining, index(extent[d]));
    ivs[d] = arith::AddIOp::create(b, loc, index(lower[d]),
                                   arith::MulIOp::create(b, loc, local, index(step[d])));
  }
  launch.mapping.map(loop.getInductionVars(), ivs);
  llvm::SetVector<Value> used;
  getUsedValuesDefinedAbove(loop.getRegion(), used);
  if (failed(launch.cloneDefinitions(used.getArrayRef())))
    return failure();
  for (Operation &op : loop.getBody()->without_terminator())
    b.clone(op, launch.mapping);
  loop.erase();
  return success();
}

struct MapKernelsToGpuPass final : impl::MapKernelsToGpuPassBase<MapKernelsToGpuPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp kernel = getOperation();
    if (blockSize < 1 || blockSize > 1024) {
      kernel.emitError() << "block-size (" << int64_t(blockSize) << ") must be in [1, 1024]";
      return signalPassFailure();
    }
    if (kernel.isExternal())
      return;
    for (auto loop : llvm::to_vector(kernel.getOps<scf::ParallelOp>()))
      if (failed(mapParallelLoop(kernel, loop, blockSize)))
        return signalPassFailure();

    // Whatever else computes (scalar reductions, stores) runs on one thread.
    SmallVector<Operation *> rest;
    for (Operation &op : kernel.front())
      if (!isHostSideOp(&op))
        rest.push_back(&op);
    if (!rest.empty()) {
      GpuLaunchBuilder launch(kernel, rest.front(), {1, 1, 1}, 1);
      for (Operation *op : rest)
        if (failed(launch.cloneIn(op)))
          return signalPassFailure();
      for (Operation *op : llvm::reverse(rest))
        op->erase();
    }
    eraseUnusedHostSideOps(kernel);
  }

  /// Every launch holds its own clones of the views and constants it reads;
  /// the originals the loop nests used are left unread on the host side,
  /// where a plan has no way to run them.
  static void eraseUnusedHostSideOps(func::FuncOp kernel) {
    for (Operation &op : llvm::make_early_inc_range(llvm::reverse(kernel.front())))
      if (isOpTriviallyDead(&op))
        op.erase();
  }
};

} // namespace
} // namespace mlir::tern
