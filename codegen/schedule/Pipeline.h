//===- Pipeline.h - linalg on tensors -> the scheduled form -----*- C++ -*-===//
#ifndef TERN_CODEGEN_SCHEDULE_PIPELINE_H
#define TERN_CODEGEN_SCHEDULE_PIPELINE_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::tern {

struct SchedulePipelineOptions : public PassPipelineOptions<SchedulePipelineOptions> {
  Option<int64_t> alignment{*this, "alignment", llvm::cl::desc("Byte alignment of arena offsets"),
                            llvm::cl::init(64)};
};

/// linalg on tensors -> kernel formation (tern-form-kernels), bufferization
/// with results as out-parameters, one kernel per compute op in @kernels,
/// and the arena plan: the scheduled form the plan builder reads.
void buildSchedulePipeline(OpPassManager &pm, const SchedulePipelineOptions &options);

/// Registers tern-schedule.
void registerSchedulePipeline();

} // namespace mlir::tern

#endif // TERN_CODEGEN_SCHEDULE_PIPELINE_H
