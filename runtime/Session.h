//===- Session.h - Running a plan's entry point ------------------*- C++ -*-===//
//
// The embedding API (docs/RUNTIME.md):
//
//   auto plan = tern::Plan::load("model.tplan");            // validated
//   auto session = tern::Session::create(**plan, tern::Device::Host);
//   (*session)->run(inputs, outputs);                          // TensorViews
//
// A session owns everything a run needs (arena, device copies of weights,
// loaded code), allocated when it is created: run() allocates nothing.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_RUNTIME_SESSION_H
#define TERN_RUNTIME_SESSION_H

#include "runtime/Plan.h"

#include <vector>

namespace tern {

enum class Device { Host, Cuda };

/// A tensor in host memory, as the caller sees it.
struct TensorView {
  plan::DType dtype = plan::DTYPE_UNSPECIFIED;
  std::vector<int64_t> shape;
  void *data = nullptr;
};

struct SessionOptions {
  /// Entry point to run; empty: the plan's first.
  std::string entryPoint;
  /// CUDA: synchronize after every launch, so a fault names its kernel.
  bool syncEveryLaunch = false;
};

/// What a device backend implements; Session checks arguments first.
class Executor {
public:
  virtual ~Executor() = default;
  /// Pointers are host memory, sized and typed as the entry point says.
  virtual llvm::Error run(llvm::ArrayRef<const void *> inputs, llvm::ArrayRef<void *> outputs) = 0;
  virtual std::string describe() const = 0;
};

llvm::Expected<std::unique_ptr<Executor>> createHostExecutor(const Plan &plan,
                                                             const plan::EntryPoint &entry);
llvm::Expected<std::unique_ptr<Executor>>
createCudaExecutor(const Plan &plan, const plan::EntryPoint &entry, const SessionOptions &options);

class Session {
public:
  /// Checks that `device` can run the plan's target and prepares it.
  static llvm::Expected<std::unique_ptr<Session>> create(const Plan &plan, Device device,
                                                         const SessionOptions &options = {});

  const plan::EntryPoint &getEntryPoint() const { return entry; }
  /// "host (x86-64)", "NVIDIA H100 (sm_90)".
  std::string describeDevice() const { return executor->describe(); }

  /// Runs the entry point. Inputs and outputs are in the entry point's order;
  /// each must have its dtype and shape (errors name the tensor, the
  /// dimension, and what was expected).
  llvm::Error run(llvm::ArrayRef<TensorView> inputs, llvm::ArrayRef<TensorView> outputs);

private:
  Session(const plan::EntryPoint &entry, std::unique_ptr<Executor> executor)
      : entry(entry), executor(std::move(executor)) {}

  const plan::EntryPoint &entry;
  std::unique_ptr<Executor> executor;
};

} // namespace tern

#endif // TERN_RUNTIME_SESSION_H
