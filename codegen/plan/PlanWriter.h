//===- PlanWriter.h - Streams a plan file to disk ----------------*- C++ -*-===//
#ifndef TERN_CODEGEN_PLAN_PLANWRITER_H
#define TERN_CODEGEN_PLAN_PLANWRITER_H

#include "codegen/plan/PlanBuilder.h"

#include "llvm/Support/Error.h"

namespace mlir::tern {

/// Called after each weight is written with the weight bytes written so far
/// and in all.
using WeightProgressFn = llvm::function_ref<void(uint64_t written, uint64_t total)>;

/// Writes `contents` as a .tplan (runtime/PlanFormat.h) to `path`: into a
/// temporary file beside it, weight by weight (never more than one weight's
/// bytes in memory), renamed over `path` only once complete.
llvm::Error writePlanFile(llvm::StringRef path, const PlanContents &contents,
                          WeightProgressFn onWeightWritten = {});

} // namespace mlir::tern

#endif // TERN_CODEGEN_PLAN_PLANWRITER_H
