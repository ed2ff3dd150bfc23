//===- ParallelLoopSpace.h - An scf.parallel's constant iterations -*- C++ -*-===//
//
// The passes that hand a kernel's parallel loops to threads (GPU launches,
// host tasks) flatten them into one range of iterations; this is the space
// they flatten, where its bounds are constants.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_CODEGEN_KERNELS_PARALLELLOOPSPACE_H
#define TERN_CODEGEN_KERNELS_PARALLELLOOPSPACE_H

#include "mlir/Dialect/SCF/IR/SCF.h"

#include <optional>

namespace mlir::tern {

/// Per loop dimension: its lower bound, number of iterations and step.
struct ParallelLoopSpace {
  SmallVector<int64_t> lower, extent, step;
  /// The product of the extents, saturated at UINT64_MAX.
  uint64_t iterations = 1;
};

/// The space of `loop`, or nullopt where a bound or step is not a constant
/// or a step is not positive.
std::optional<ParallelLoopSpace> getParallelLoopSpace(scf::ParallelOp loop);

} // namespace mlir::tern

#endif // TERN_CODEGEN_KERNELS_PARALLELLOOPSPACE_H
