//===- Progress.cpp - What a long compile is doing ------------------------===//
#include "tools/ternc/Progress.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace ternc {
namespace {

double secondsBetween(std::chrono::steady_clock::time_point from,
                      std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

/// Ends phase `index` of the pipeline: the next phase's stage begins.
class PhaseEndPass final : public PassWrapper<PhaseEndPass, OperationPass<ModuleOp>> {
public:
  PhaseEndPass(Progress &progress, size_t index) : progress(progress), index(index) {}
  llvm::StringRef getArgument() const override { return "ternc-phase-end"; }
  llvm::StringRef getDescription() const override {
    return "Marks the end of a compile phase for ternc's progress line";
  }
  void runOnOperation() override {
    progress.endPhase(index);
    markAllAnalysesPreserved();
  }

private:
  Progress &progress;
  size_t index;
};

/// Names each pass in the progress line as it starts.
class PassNames final : public PassInstrumentation {
public:
  explicit PassNames(Progress &progress) : progress(progress) {}
  void runBeforePass(Pass *pass, Operation *) override {
    if (!pass->getArgument().empty() && !isa<PhaseEndPass>(pass))
      progress.setDetail(pass->getArgument());
  }

private:
  Progress &progress;
};

} // namespace

Progress::Progress(bool quiet, bool verbose, double delaySeconds)
    : terminal(!quiet && llvm::sys::Process::StandardErrIsDisplayed()), verbose(verbose),
      delaySeconds(delaySeconds) {
  if (!terminal)
    return;
  ticker = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex);
    while (!stopTicking.wait_for(lock, std::chrono::milliseconds(100), [&] { return stopping; }))
      draw();
  });
}

Progress::~Progress() {
  stop();
  std::lock_guard<std::mutex> lock(mutex);
  eraseLine();
}

void Progress::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
  }
  stopTicking.notify_all();
  if (ticker.joinable())
    ticker.join();
}

void Progress::beginStage(llvm::StringRef name) {
  std::lock_guard<std::mutex> lock(mutex);
  Clock::time_point now = Clock::now();
  if (!stage.empty())
    stageSeconds.emplace_back(stage, secondsBetween(stageStart, now));
  stage = name.str();
  detail.clear();
  stageStart = now;
  draw();
}

void Progress::setDetail(const llvm::Twine &text) {
  std::lock_guard<std::mutex> lock(mutex);
  detail = text.str();
  draw();
}

void Progress::draw() {
  if (!terminal || stage.empty())
    return;
  Clock::time_point now = Clock::now();
  if (secondsBetween(start, now) < delaySeconds || (drawn && secondsBetween(lastDraw, now) < 0.1))
    return;
  lastDraw = now;
  drawn = true;
  std::string line = "ternc: " + stage + (detail.empty() ? "" : ": " + detail);
  // One terminal line: long pass names are cut, never wrapped.
  constexpr size_t kWidth = 64;
  if (line.size() > kWidth)
    line = line.substr(0, kWidth - 3) + "...";
  llvm::errs() << "\r\x1b[K" << line << llvm::formatv(" ({0:f1} s)", secondsBetween(start, now));
  llvm::errs().flush();
}

void Progress::clearLine() {
  std::lock_guard<std::mutex> lock(mutex);
  eraseLine();
}

void Progress::eraseLine() {
  if (!drawn)
    return;
  llvm::errs() << "\r\x1b[K";
  llvm::errs().flush();
  drawn = false;
}

void Progress::finish() {
  stop();
  std::lock_guard<std::mutex> lock(mutex);
  if (!stage.empty())
    stageSeconds.emplace_back(stage, secondsBetween(stageStart, Clock::now()));
  stage.clear();
  eraseLine();
  terminal = false;
  if (!verbose)
    return;
  double total = 0;
  llvm::errs() << "ternc: time per stage (wall clock):\n";
  for (const auto &[name, seconds] : stageSeconds) {
    llvm::errs() << llvm::formatv("  {0,-10} {1,8:f3} s\n", name, seconds);
    total += seconds;
  }
  llvm::errs() << llvm::formatv("  {0,-10} {1,8:f3} s\n", "total", total);
}

void Progress::recordPhase(mlir::tern::CompilePhase phase, OpPassManager &pm) {
  if (!terminal && !verbose)
    return;
  pm.addPass(std::make_unique<PhaseEndPass>(*this, phases.size()));
  phases.push_back(mlir::tern::getCompilePhaseName(phase).str());
}

void Progress::endPhase(size_t index) {
  beginStage(index + 1 < phases.size() ? llvm::StringRef(phases[index + 1]) : "");
}

void Progress::attach(PassManager &pm) {
  if (!terminal && !verbose)
    return;
  if (!phases.empty())
    beginStage(phases.front());
  pm.addInstrumentation(std::make_unique<PassNames>(*this));
}

} // namespace ternc
