//===- ParallelLoopSpace.cpp - An scf.parallel's constant iterations ------===//
#include "codegen/kernels/ParallelLoopSpace.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include "llvm/Support/MathExtras.h"

namespace mlir::tern {

std::optional<ParallelLoopSpace> getParallelLoopSpace(scf::ParallelOp loop) {
  ParallelLoopSpace space;
  for (auto [lb, ub, st] :
       llvm::zip_equal(loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    std::optional<int64_t> l = getConstantIntValue(lb), u = getConstantIntValue(ub),
                           s = getConstantIntValue(st);
    if (!l || !u || !s || *s <= 0)
      return std::nullopt;
    space.lower.push_back(*l);
    space.extent.push_back(*u > *l ? llvm::divideCeil(*u - *l, *s) : 0);
    space.step.push_back(*s);
    space.iterations = llvm::SaturatingMultiply(space.iterations, uint64_t(space.extent.back()));
  }
  return space;
}

} // namespace mlir::tern
