//===- HostExecutor.cpp - Runs host plans on the CPU ----------------------===//
//
// A host plan carries its kernels as an ELF shared object. It is loaded from
// an anonymous in-memory file (memfd), so nothing is written to disk, and
// each kernel is `void kernel(void **buffers, TernHostContext *context)`
// (target/HostAbi.h): its outlined parallel loops come back through the
// context's parallelFor, which splits them among the session's threads.
//
//===----------------------------------------------------------------------===//
#include "runtime/Session.h"
#include "target/HostAbi.h"
#include "target/Target.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/ThreadPool.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <memory>
#include <sys/mman.h>
#include <unistd.h>

namespace tern {

namespace {

using KernelFn = void (*)(void **, TernHostContext *);

/// dlopen()s an in-memory shared object.
class SharedLibrary {
public:
  ~SharedLibrary() {
    if (handle)
      dlclose(handle);
  }

  llvm::Error load(llvm::StringRef image) {
    int fd = memfd_create("tern-host-kernels", MFD_CLOEXEC);
    if (fd < 0)
      return llvm::createStringError(
          llvm::Twine("cannot create an in-memory file for host code: ") + std::strerror(errno));
    size_t written = 0;
    while (written < image.size()) {
      ssize_t n = write(fd, image.data() + written, image.size() - written);
      if (n <= 0) {
        close(fd);
        return llvm::createStringError("cannot write host code to an in-memory file");
      }
      written += n;
    }
    std::string path = "/proc/self/fd/" + std::to_string(fd);
    handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    close(fd); // the mapping keeps the code
    if (!handle)
      return llvm::createStringError(llvm::Twine("cannot load the plan's host code: ") + dlerror());
    return llvm::Error::success();
  }

  KernelFn lookup(const std::string &name) const {
    return reinterpret_cast<KernelFn>(dlsym(handle, name.c_str()));
  }

private:
  void *handle = nullptr;
};

struct FreeDeleter {
  void operator()(char *data) const { std::free(data); }
};
/// A 64-byte-aligned allocation (null when empty).
using AlignedBuffer = std::unique_ptr<char, FreeDeleter>;

llvm::Expected<AlignedBuffer> allocateZeroed(uint64_t bytes, const llvm::Twine &what) {
  if (bytes == 0)
    return AlignedBuffer();
  // aligned_alloc wants a multiple of the alignment.
  uint64_t rounded = llvm::alignTo(bytes, 64);
  AlignedBuffer buffer(
      static_cast<char *>(rounded < bytes ? nullptr : std::aligned_alloc(64, rounded)));
  if (!buffer)
    return llvm::createStringError(
        llvm::formatv("out of memory: cannot allocate {0} bytes for {1}", bytes, what));
  std::memset(buffer.get(), 0, rounded);
  return buffer;
}

/// The session's threads: the one that runs the plan and `threads - 1`
/// workers, started once. A range is cut into one contiguous piece per
/// thread; which thread runs which piece does not change what it computes.
class TaskPool : public TernHostContext {
public:
  explicit TaskPool(unsigned threads) : threads(threads) {
    parallelFor = &run;
    if (threads > 1)
      workers = std::make_unique<llvm::StdThreadPool>(llvm::hardware_concurrency(threads - 1));
  }

  unsigned getThreads() const { return threads; }

private:
  static void run(TernHostContext *context, TernHostTaskFn task, const uint64_t *args,
                  int64_t begin, int64_t end) {
    auto *pool = static_cast<TaskPool *>(context);
    int64_t size = end - begin;
    int64_t pieces = std::min<int64_t>(size, pool->threads);
    if (pieces <= 1) {
      task(args, begin, end);
      return;
    }
    auto bound = [=](int64_t piece) {
      return begin + size / pieces * piece + std::min<int64_t>(piece, size % pieces);
    };
    llvm::ThreadPoolTaskGroup group(*pool->workers);
    for (int64_t piece = 1; piece < pieces; ++piece)
      group.async([=] { task(args, bound(piece), bound(piece + 1)); });
    task(args, bound(0), bound(1));
    group.wait();
  }

  unsigned threads;
  std::unique_ptr<llvm::StdThreadPool> workers;
};

class HostExecutor final : public Executor {
public:
  HostExecutor(const Plan &plan, unsigned threads) : plan(plan), pool(threads) {}

  llvm::Error initialize() {
    const plan::Plan &manifest = plan.getManifest();
    // Code for a CPU this one is not would die of an illegal instruction.
    std::vector<std::string> required(manifest.target_cpu_features().begin(),
                                      manifest.target_cpu_features().end());
    std::vector<std::string> missing = getMissingHostCpuFeatures(required);
    if (!missing.empty())
      return llvm::createStringError("the plan was compiled for the CPU '" + manifest.target_cpu() +
                                     "'; this machine's lacks " + llvm::join(missing, ", ") +
                                     " (compile it with ternc --host-cpu=native on this machine, "
                                     "or for an older CPU)");
    if (llvm::Error error = library.load(manifest.host_library()))
      return error;
    llvm::Expected<AlignedBuffer> allocated =
        allocateZeroed(plan.getLargestArenaSize(), "the arena");
    if (!allocated)
      return allocated.takeError();
    arena = std::move(*allocated);
    for (const plan::State &state : manifest.states()) {
      llvm::Expected<AlignedBuffer> buffer =
          allocateZeroed(getStateSize(state), "state '" + state.name() + "'");
      if (!buffer)
        return buffer.takeError();
      states.push_back(std::move(*buffer));
    }
    for (const plan::EntryPoint &entry : manifest.entry_points()) {
      std::vector<Launch> &list = launches.emplace_back();
      for (const plan::Launch &launch : entry.launches()) {
        const std::string &name = manifest.kernels(launch.kernel()).name();
        KernelFn fn = library.lookup(name);
        if (!fn)
          return llvm::createStringError("the plan's host code has no kernel '" + name + "'");
        list.push_back({fn, {launch.buffers().begin(), launch.buffers().end()}});
      }
    }
    return llvm::Error::success();
  }

  llvm::Error run(unsigned index, llvm::ArrayRef<const void *> inputs,
                  llvm::ArrayRef<void *> outputs, LaunchTimes *times) override {
    const plan::EntryPoint &entry = plan.getManifest().entry_points(index);
    std::vector<void *> pointers;
    for (const plan::Buffer &buffer : entry.buffers())
      pointers.push_back(resolve(buffer, inputs, outputs));
    if (times)
      times->clear();
    std::vector<void *> args;
    for (const Launch &launch : launches[index]) {
      args.clear();
      for (uint32_t buffer : launch.buffers)
        args.push_back(pointers[buffer]);
      if (!times) {
        launch.fn(args.data(), &pool);
        continue;
      }
      auto start = std::chrono::steady_clock::now();
      launch.fn(args.data(), &pool);
      times->push_back(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return llvm::Error::success();
  }

  llvm::Error resetStates() override {
    for (auto [state, buffer] : llvm::zip_equal(plan.getManifest().states(), states))
      if (buffer)
        std::memset(buffer.get(), 0, getStateSize(state));
    return llvm::Error::success();
  }

  std::string describe() const override {
    return llvm::formatv("host (x86-64, {0} thread{1})", pool.getThreads(),
                         pool.getThreads() == 1 ? "" : "s");
  }

private:
  struct Launch {
    KernelFn fn;
    std::vector<uint32_t> buffers;
  };

  void *resolve(const plan::Buffer &buffer, llvm::ArrayRef<const void *> inputs,
                llvm::ArrayRef<void *> outputs) const {
    switch (buffer.kind()) {
    case plan::Buffer::INPUT:
      // Kernels never write their inputs (tern-mark-inputs-read-only makes
      // bufferization copy one an op would update); the signature is shared.
      return const_cast<void *>(inputs[buffer.index()]);
    case plan::Buffer::OUTPUT:
      return outputs[buffer.index()];
    case plan::Buffer::ARENA:
      return arena.get() + buffer.offset();
    case plan::Buffer::STATE:
      return states[buffer.index()].get();
    default: {
      const plan::Weight &weight = plan.getManifest().weights(buffer.index());
      return const_cast<uint8_t *>(plan.getWeights().data() + weight.offset());
    }
    }
  }

  const Plan &plan;
  TaskPool pool;
  SharedLibrary library;
  AlignedBuffer arena;
  std::vector<AlignedBuffer> states;         // one per plan state
  std::vector<std::vector<Launch>> launches; // one list per entry point
};

} // namespace

llvm::Expected<std::unique_ptr<Executor>> createHostExecutor(const Plan &plan,
                                                             const SessionOptions &options) {
  unsigned threads = options.hostThreads;
  if (threads == 0)
    threads = llvm::hardware_concurrency().compute_thread_count();
  auto executor = std::make_unique<HostExecutor>(plan, std::max(threads, 1u));
  if (llvm::Error error = executor->initialize())
    return error;
  return executor;
}

} // namespace tern
