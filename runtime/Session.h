//===- Session.h - Running a plan's entry point ------------------*- C++ -*-===//
//
// The embedding API (docs/RUNTIME.md):
//
//   auto plan = tern::Plan::load("model.tplan");            // validated
//   auto session = tern::Session::create(**plan, tern::Device::Host);
//   (*session)->run(inputs, outputs);                          // TensorViews
//   (*session)->run("decode", inputs, outputs);                 // by name
//
// A session owns everything a run needs (arena, device copies of weights,
// states, loaded code), allocated when it is created: run() allocates
// nothing.
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
  /// Entry point run() without a name runs; empty: the plan's first.
  std::string entryPoint;
  /// CUDA: synchronize after every launch, so a fault names its kernel.
  bool syncEveryLaunch = false;
  /// Host: threads that run a kernel's parallel loops, the calling thread
  /// included; 0: one per core. Results do not depend on it.
  unsigned hostThreads = 0;
};

/// Seconds each launch of one run took, in the entry point's launch order
/// (plan::EntryPoint::launches, whose `source` says what each computes).
using LaunchTimes = std::vector<double>;

/// What a device backend implements for a whole plan; Session checks
/// arguments first.
class Executor {
public:
  virtual ~Executor() = default;
  /// Runs entry point number `entry`. Pointers are host memory, sized and
  /// typed as the entry point says. With `times`, also times each launch
  /// (an error where the backend cannot).
  virtual llvm::Error run(unsigned entry, llvm::ArrayRef<const void *> inputs,
                          llvm::ArrayRef<void *> outputs, LaunchTimes *times) = 0;
  /// Sets every byte of every state to zero.
  virtual llvm::Error resetStates() = 0;
  virtual std::string describe() const = 0;
};

llvm::Expected<std::unique_ptr<Executor>> createHostExecutor(const Plan &plan,
                                                             const SessionOptions &options);
llvm::Expected<std::unique_ptr<Executor>> createCudaExecutor(const Plan &plan,
                                                             const SessionOptions &options);

class Session {
public:
  /// Checks that `device` can run the plan's target and prepares every entry
  /// point, with the plan's states (its KV cache) zeroed.
  static llvm::Expected<std::unique_ptr<Session>> create(const Plan &plan, Device device,
                                                         const SessionOptions &options = {});

  /// The name of the entry point run() without a name runs.
  const std::string &getEntryPointName() const { return defaultEntry; }
  /// "host (x86-64)", "NVIDIA H100 (sm_90)".
  std::string describeDevice() const { return executor->describe(); }

  /// Runs the default entry point. Inputs and outputs are in the entry
  /// point's order; each must have its dtype and shape (errors name the
  /// tensor, the dimension, and what was expected). An entry point compiled
  /// for several values of a dimension runs the specialization whose input
  /// shapes equal the inputs' (runtime/EntryPoints.h).
  /// With `times`, each launch is timed (host plans only; timing adds a
  /// clock read per launch).
  llvm::Error run(llvm::ArrayRef<TensorView> inputs, llvm::ArrayRef<TensorView> outputs,
                  LaunchTimes *times = nullptr);
  /// Runs the entry point called `name`. States persist from run to run and
  /// across entry points (prefill fills the KV cache that decode extends).
  llvm::Error run(llvm::StringRef name, llvm::ArrayRef<TensorView> inputs,
                  llvm::ArrayRef<TensorView> outputs, LaunchTimes *times = nullptr);
  /// Zeroes the states, as when the session was created.
  llvm::Error resetStates() { return executor->resetStates(); }

private:
  Session(const Plan &plan, std::string defaultEntry, std::unique_ptr<Executor> executor)
      : plan(plan), defaultEntry(std::move(defaultEntry)), executor(std::move(executor)) {}

  llvm::Error run(unsigned entry, llvm::ArrayRef<TensorView> inputs,
                  llvm::ArrayRef<TensorView> outputs, LaunchTimes *times);

  const Plan &plan;
  std::string defaultEntry;
  std::unique_ptr<Executor> executor;
};

} // namespace tern

#endif // TERN_RUNTIME_SESSION_H
