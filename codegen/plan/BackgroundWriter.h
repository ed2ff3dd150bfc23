//===- BackgroundWriter.h - Writes on a second thread, in order -*- C++ -*-===//
//
// The plan writer produces a plan's bytes (weights transposed, checksummed)
// on one thread and hands them to this, which writes them on another, in the
// order given. On a large checkpoint the kernel's copies into the page cache
// take about as long as producing the bytes; on two cores they overlap.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_CODEGEN_PLAN_BACKGROUNDWRITER_H
#define TERN_CODEGEN_PLAN_BACKGROUNDWRITER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/FunctionExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace mlir::tern {

class BackgroundWriter {
public:
  /// Writes to `os`, which nothing else may use until finish(). At most
  /// `maxQueuedBytes` wait to be written; write() blocks beyond that, so
  /// memory stays bounded however fast the bytes come.
  explicit BackgroundWriter(llvm::raw_ostream &os, uint64_t maxQueuedBytes = uint64_t(64) << 20);
  ~BackgroundWriter() { finish(); }
  BackgroundWriter(const BackgroundWriter &) = delete;
  BackgroundWriter &operator=(const BackgroundWriter &) = delete;

  /// Queues `bytes`, which must stay valid until `written` runs: on the
  /// writer thread, once they are written.
  void write(llvm::ArrayRef<char> bytes, llvm::unique_function<void()> written = {});
  /// A buffer of `size` bytes to fill and queue with writeBuffer; buffers
  /// come back for reuse once written.
  std::vector<char> takeBuffer(size_t size);
  /// Queues the first `size` bytes of a buffer from takeBuffer.
  void writeBuffer(std::vector<char> buffer, size_t size);
  /// Waits until everything queued is written; the thread ends.
  void finish();

private:
  struct Job {
    llvm::ArrayRef<char> bytes;
    llvm::unique_function<void()> written;
  };
  void run();

  llvm::raw_ostream &os;
  const uint64_t maxQueuedBytes;
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Job> jobs;
  std::vector<std::vector<char>> freeBuffers;
  uint64_t queuedBytes = 0;
  bool finishing = false;
  std::thread thread;
};

} // namespace mlir::tern

#endif // TERN_CODEGEN_PLAN_BACKGROUNDWRITER_H
