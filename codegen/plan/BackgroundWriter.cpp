//===- BackgroundWriter.cpp - Writes on a second thread, in order ---------===//
#include "codegen/plan/BackgroundWriter.h"

namespace mlir::tern {

BackgroundWriter::BackgroundWriter(llvm::raw_ostream &os, uint64_t maxQueuedBytes)
    : os(os), maxQueuedBytes(maxQueuedBytes), thread([this] { run(); }) {}

void BackgroundWriter::write(llvm::ArrayRef<char> bytes, llvm::unique_function<void()> written) {
  std::unique_lock<std::mutex> lock(mutex);
  // One job larger than the bound still goes, alone.
  changed.wait(lock, [&] { return jobs.empty() || queuedBytes + bytes.size() <= maxQueuedBytes; });
  queuedBytes += bytes.size();
  jobs.push_back({bytes, std::move(written)});
  changed.notify_all();
}

std::vector<char> BackgroundWriter::takeBuffer(size_t size) {
  std::vector<char> buffer;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (!freeBuffers.empty()) {
      buffer = std::move(freeBuffers.back());
      freeBuffers.pop_back();
    }
  }
  buffer.resize(size);
  return buffer;
}

void BackgroundWriter::writeBuffer(std::vector<char> buffer, size_t size) {
  auto owned = std::make_unique<std::vector<char>>(std::move(buffer));
  llvm::ArrayRef<char> bytes(owned->data(), size);
  write(bytes, [this, owned = std::move(owned)]() mutable {
    std::lock_guard<std::mutex> lock(mutex);
    freeBuffers.push_back(std::move(*owned));
  });
}

void BackgroundWriter::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    finishing = true;
    changed.notify_all();
  }
  if (thread.joinable())
    thread.join();
}

void BackgroundWriter::run() {
  while (true) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex);
      changed.wait(lock, [&] { return !jobs.empty() || finishing; });
      if (jobs.empty())
        return;
      job = std::move(jobs.front());
      jobs.pop_front();
    }
    os.write(job.bytes.data(), job.bytes.size());
    if (job.written)
      job.written();
    std::lock_guard<std::mutex> lock(mutex);
    queuedBytes -= job.bytes.size();
    changed.notify_all();
  }
}

} // namespace mlir::tern
