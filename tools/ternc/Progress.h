//===- Progress.h - What a long compile is doing ----------------*- C++ -*-===//
#ifndef TERN_TOOLS_TERNC_PROGRESS_H
#define TERN_TOOLS_TERNC_PROGRESS_H

#include "compiler/CompilePipeline.h"

#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/SmallVector.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace ternc {

/// One line on standard error, updated in place, that says what ternc does:
/// `ternc: fusion: tern-fuse-moe-experts (1.4 s)`, `ternc: plan: weights
/// 1.2 of 2.2 GB written (9.8 s)`. Drawn only on a terminal, not before the
/// compile has run a second, ten times a second, and never with `quiet`;
/// `verbose` prints each stage's time when the compile ends, terminal or not.
class Progress {
public:
  Progress(bool quiet, bool verbose, double delaySeconds = 1.0);
  ~Progress();
  Progress(const Progress &) = delete;
  Progress &operator=(const Progress &) = delete;

  /// Ends the current stage (its time counts for the summary) and starts
  /// `stage`.
  void beginStage(llvm::StringRef stage);
  /// What the stage is doing now.
  void setDetail(const llvm::Twine &detail);
  /// Erases the line, so that a message can take its place; the next
  /// update draws it again.
  void clearLine();
  /// Ends the last stage, stops drawing, erases the line and, if verbose,
  /// prints the time of each stage.
  void finish();

  /// Names the pipeline's phases in the progress line and the summary:
  /// call `recordPhase` from the compile pipeline's after-phase hook (after
  /// any other hook adds its passes), which ends the phase with a pass that
  /// marks its end (and so keeps the phases' function passes apart), and
  /// `attach` once the pipeline is built, before it runs.
  void recordPhase(mlir::tern::CompilePhase phase, mlir::OpPassManager &pm);
  void attach(mlir::PassManager &pm);
  /// Called by the pass that ends recorded phase `index`.
  void endPhase(size_t index);

private:
  using Clock = std::chrono::steady_clock;
  /// draw and eraseLine expect the mutex held.
  void draw();
  void eraseLine();
  /// Stops the ticker thread.
  void stop();

  bool terminal, verbose;
  double delaySeconds;
  /// Passes run on several threads report their names concurrently, and a
  /// ticker thread redraws the line (its time) while a long step runs.
  std::mutex mutex;
  std::condition_variable stopTicking;
  bool stopping = false;
  std::thread ticker;
  Clock::time_point start = Clock::now(), stageStart = start, lastDraw = start;
  std::string stage, detail;
  bool drawn = false;
  llvm::SmallVector<std::pair<std::string, double>> stageSeconds;
  /// The recorded phases' names, in pipeline order.
  llvm::SmallVector<std::string> phases;
};

} // namespace ternc

#endif // TERN_TOOLS_TERNC_PROGRESS_H
