//===- GpuLaunchBuilder.cpp - Builds a gpu.launch inside a kernel ---------===//
#include "codegen/kernels/GpuLaunchBuilder.h"
#include "codegen/schedule/Schedule.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::tern {

GpuLaunchBuilder::GpuLaunchBuilder(func::FuncOp kernel, Operation *anchor,
                                   std::array<int64_t, 3> blocks, int64_t threads)
    : builder(anchor) {
  Location loc = anchor->getLoc();
  auto size = [&](int64_t value) {
    return arith::ConstantIndexOp::create(builder, loc, value).getResult();
  };
  Value one = size(1);
  // Sequenced: argument evaluation order would decide the constants' order.
  Value gridX = size(blocks[0]);
  Value gridY = size(blocks[1]);
  Value gridZ = size(blocks[2]);
  launch = gpu::LaunchOp::create(builder, loc, gridX, gridY, gridZ, size(threads), one, one);
  builder.setInsertionPointToStart(&launch.getBody().front());
  gpu::TerminatorOp::create(builder, loc);
  builder.setInsertionPointToStart(&launch.getBody().front());
  for (BlockArgument arg : kernel.getArguments())
    mapping.map(arg, arg);
}

LogicalResult GpuLaunchBuilder::cloneDefinitions(ArrayRef<Value> values) {
  for (Value value : values)
    if (failed(cloneViewOrConstant(builder, value, mapping)))
      return failure();
  return success();
}

LogicalResult GpuLaunchBuilder::cloneIn(Operation *op) {
  llvm::SetVector<Value> used(op->operand_begin(), op->operand_end());
  getUsedValuesDefinedAbove(op->getRegions(), used);
  if (failed(cloneDefinitions(used.getArrayRef())))
    return failure();
  builder.clone(*op, mapping);
  return success();
}

} // namespace mlir::tern
