//===- HostExecutor.cpp - Runs host plans on the CPU ----------------------===//
//
// A host plan carries its kernels as an ELF shared object. It is loaded from
// an anonymous in-memory file (memfd), so nothing is written to disk, and
// each kernel is `void kernel(void **buffers)`.
//
//===----------------------------------------------------------------------===//
#include "runtime/Session.h"

#include "llvm/Support/FormatVariadic.h"

#include <cstdlib>
#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

namespace tern {

namespace {

using KernelFn = void (*)(void **);

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

class HostExecutor final : public Executor {
public:
  HostExecutor(const Plan &plan, const plan::EntryPoint &entry) : plan(plan), entry(entry) {}
  ~HostExecutor() override { std::free(arena); }

  llvm::Error initialize() {
    if (llvm::Error error = library.load(plan.getManifest().host_library()))
      return error;
    if (entry.arena_size()) {
      // aligned_alloc wants a multiple of the alignment; the planner rounds.
      arena = std::aligned_alloc(64, llvm::alignTo(entry.arena_size(), 64));
      if (!arena)
        return llvm::createStringError(
            llvm::formatv("out of memory: cannot allocate the {0}-byte arena", entry.arena_size()));
    }
    for (const plan::Launch &launch : entry.launches()) {
      const std::string &name = plan.getManifest().kernels(launch.kernel()).name();
      KernelFn fn = library.lookup(name);
      if (!fn)
        return llvm::createStringError("the plan's host code has no kernel '" + name + "'");
      launches.push_back({fn, {launch.buffers().begin(), launch.buffers().end()}});
    }
    return llvm::Error::success();
  }

  llvm::Error run(llvm::ArrayRef<const void *> inputs, llvm::ArrayRef<void *> outputs) override {
    std::vector<void *> pointers;
    for (const plan::Buffer &buffer : entry.buffers())
      pointers.push_back(resolve(buffer, inputs, outputs));
    std::vector<void *> args;
    for (const Launch &launch : launches) {
      args.clear();
      for (uint32_t buffer : launch.buffers)
        args.push_back(pointers[buffer]);
      launch.fn(args.data());
    }
    return llvm::Error::success();
  }

  std::string describe() const override { return "host (x86-64)"; }

private:
  struct Launch {
    KernelFn fn;
    std::vector<uint32_t> buffers;
  };

  void *resolve(const plan::Buffer &buffer, llvm::ArrayRef<const void *> inputs,
                llvm::ArrayRef<void *> outputs) const {
    switch (buffer.kind()) {
    case plan::Buffer::INPUT:
      // Kernels never write their inputs; the signature is shared.
      return const_cast<void *>(inputs[buffer.index()]);
    case plan::Buffer::OUTPUT:
      return outputs[buffer.index()];
    case plan::Buffer::ARENA:
      return static_cast<char *>(arena) + buffer.offset();
    default: {
      const plan::Weight &weight = plan.getManifest().weights(buffer.index());
      return const_cast<uint8_t *>(plan.getWeights().data() + weight.offset());
    }
    }
  }

  const Plan &plan;
  const plan::EntryPoint &entry;
  SharedLibrary library;
  void *arena = nullptr;
  std::vector<Launch> launches;
};

} // namespace

llvm::Expected<std::unique_ptr<Executor>> createHostExecutor(const Plan &plan,
                                                             const plan::EntryPoint &entry) {
  auto executor = std::make_unique<HostExecutor>(plan, entry);
  if (llvm::Error error = executor->initialize())
    return error;
  return executor;
}

} // namespace tern
