//===- CudaExecutor.cpp - Runs GPU plans through the CUDA driver API ------===//
//
// Everything is prepared when the session starts: PTX JIT-compiled by the
// driver (its log is part of any error), weights copied once, the states
// zeroed, the shared arena and each entry point's input/output buffers
// allocated. A run copies inputs in, launches the
// list, synchronizes and copies outputs out. Every driver call is checked;
// after a fault the context is unusable and the session refuses more work.
//
//===----------------------------------------------------------------------===//
#include "runtime/CudaDriver.h"
#include "runtime/Session.h"

#include "llvm/Support/FormatVariadic.h"

namespace tern {

namespace {

using namespace cuda;

class CudaExecutor final : public Executor {
public:
  CudaExecutor(const Plan &plan, const SessionOptions &options) : plan(plan), options(options) {}

  ~CudaExecutor() override {
    if (!driver)
      return;
    for (CUdeviceptr pointer : allocations)
      (void)driver->cuMemFree(pointer);
    for (CUmodule module : modules)
      (void)driver->cuModuleUnload(module);
    if (context)
      (void)driver->cuDevicePrimaryCtxRelease(device);
  }

  llvm::Error initialize() {
    llvm::Expected<const Driver *> loaded = Driver::get();
    if (!loaded)
      return loaded.takeError();
    driver = *loaded;
    if (auto error = driver->check(driver->cuDeviceGet(&device, 0), "cuDeviceGet"))
      return error;
    char name[256] = {};
    int major = 0, minor = 0, maxThreads = 0, maxShared = 0;
    if (auto error = driver->check(driver->cuDeviceGetName(name, sizeof(name) - 1, device),
                                   "cuDeviceGetName"))
      return error;
    for (auto [value, attribute] :
         {std::pair{&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR},
          {&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR},
          {&maxThreads, CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK},
          {&maxShared, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN}})
      if (auto error = driver->check(driver->cuDeviceGetAttribute(value, attribute, device),
                                     "cuDeviceGetAttribute"))
        return error;
    deviceName = llvm::formatv("{0} (sm_{1}{2})", name, major, minor);
    const Target &chip = plan.getTarget();
    llvm::StringRef target = chip.getName();
    int needed = chip.getComputeCapability();
    bool exact = chip.needsExactCapability();
    int have = major * 10 + minor;
    if (exact ? have != needed : have < needed)
      return llvm::createStringError(
          llvm::formatv("the plan targets {0}, which needs compute capability {1}{2}.{3}; "
                        "device 0 is {4}",
                        target, exact ? "" : "at least ", needed / 10, needed % 10, deviceName));
    for (const plan::EntryPoint &entry : plan.getManifest().entry_points())
      for (const plan::Launch &launch : entry.launches()) {
        if (int64_t(launch.block(0)) * launch.block(1) * launch.block(2) > maxThreads ||
            int64_t(launch.shared_memory_bytes()) > maxShared)
          return llvm::createStringError(
              llvm::formatv("kernel '{0}' needs more threads or shared memory per block "
                            "than {1} has",
                            plan.getManifest().kernels(launch.kernel()).name(), deviceName));
      }

    if (auto error = driver->check(driver->cuDevicePrimaryCtxRetain(&context, device),
                                   "cuDevicePrimaryCtxRetain"))
      return error;
    if (auto error = driver->check(driver->cuCtxSetCurrent(context), "cuCtxSetCurrent"))
      return error;
    if (auto error = loadKernels())
      return error;
    return allocateBuffers();
  }

  llvm::Error run(unsigned index, llvm::ArrayRef<const void *> inputs,
                  llvm::ArrayRef<void *> outputs, LaunchTimes *times) override {
    if (times)
      return llvm::createStringError("timing each launch is implemented for host plans only; "
                                     "on a GPU, use Nsight Systems (nsys profile tern-run ...)");
    if (faulted)
      return llvm::createStringError(
          "an earlier launch faulted; this CUDA context accepts no more work");
    if (auto error = driver->check(driver->cuCtxSetCurrent(context), "cuCtxSetCurrent"))
      return error;
    const plan::EntryPoint &entry = plan.getManifest().entry_points(index);
    const EntryResources &resources = entries[index];
    for (auto [i, tensor] : llvm::enumerate(entry.inputs()))
      if (auto error =
              driver->check(driver->cuMemcpyHtoD(resources.pointers[tensor.buffer()], inputs[i],
                                                 entry.buffers(tensor.buffer()).size()),
                            "copying input '" + tensor.name() + "' to the device"))
        return error;
    std::vector<CUdeviceptr> args;
    std::vector<void *> params;
    for (auto [launch, function] : llvm::zip_equal(entry.launches(), resources.functions)) {
      args.clear();
      params.clear();
      for (uint32_t buffer : launch.buffers())
        args.push_back(resources.pointers[buffer]);
      for (CUdeviceptr &arg : args)
        params.push_back(&arg);
      const std::string &name = plan.getManifest().kernels(launch.kernel()).name();
      CUresult result =
          driver->cuLaunchKernel(function, launch.grid(0), launch.grid(1), launch.grid(2),
                                 launch.block(0), launch.block(1), launch.block(2),
                                 launch.shared_memory_bytes(), nullptr, params.data(), nullptr);
      if (result == CUDA_SUCCESS && options.syncEveryLaunch)
        result = driver->cuCtxSynchronize();
      if (result != CUDA_SUCCESS)
        return markFaulted(driver->check(result, "launching kernel '" + name + "'"));
    }
    if (CUresult result = driver->cuCtxSynchronize(); result != CUDA_SUCCESS)
      return markFaulted(driver->check(result, "running the launches (rerun with "
                                               "--sync-launches to find the kernel)"));
    for (auto [i, tensor] : llvm::enumerate(entry.outputs()))
      if (auto error =
              driver->check(driver->cuMemcpyDtoH(outputs[i], resources.pointers[tensor.buffer()],
                                                 entry.buffers(tensor.buffer()).size()),
                            "copying output '" + tensor.name() + "' from the device"))
        return error;
    return llvm::Error::success();
  }

  llvm::Error resetStates() override {
    if (auto error = driver->check(driver->cuCtxSetCurrent(context), "cuCtxSetCurrent"))
      return error;
    for (auto [state, pointer] : llvm::zip_equal(plan.getManifest().states(), states))
      if (auto error = driver->check(driver->cuMemsetD8(pointer, 0, getStateSize(state)),
                                     "zeroing state '" + state.name() + "'"))
        return error;
    return llvm::Error::success();
  }

  std::string describe() const override { return deviceName; }

private:
  llvm::Error markFaulted(llvm::Error error) {
    faulted = true;
    return error;
  }

  llvm::Error loadKernels() {
    const plan::Plan &manifest = plan.getManifest();
    for (const std::string &ptx : manifest.ptx_modules()) {
      std::string errorLog(16384, '\0');
      int keys[] = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
      void *values[] = {errorLog.data(), reinterpret_cast<void *>(errorLog.size() - 1)};
      CUmodule module = nullptr;
      // PTX is NUL-terminated text; the manifest's string is not.
      std::string text = ptx;
      CUresult result = driver->cuModuleLoadDataEx(&module, text.c_str(), 2, keys, values);
      if (result != CUDA_SUCCESS)
        return llvm::createStringError(
            llvm::toString(driver->check(result, "the driver cannot JIT the plan's PTX")) +
            "; JIT log: " + llvm::StringRef(errorLog.c_str()).trim());
      modules.push_back(module);
    }
    for (const plan::EntryPoint &entry : manifest.entry_points()) {
      std::vector<CUfunction> &functions = entries.emplace_back().functions;
      for (const plan::Launch &launch : entry.launches()) {
        const plan::Kernel &kernel = manifest.kernels(launch.kernel());
        CUfunction function = nullptr;
        if (auto error =
                driver->check(driver->cuModuleGetFunction(&function, modules[kernel.ptx_module()],
                                                          kernel.name().c_str()),
                              "the plan's PTX has no kernel '" + kernel.name() + "'"))
          return error;
        functions.push_back(function);
      }
    }
    return llvm::Error::success();
  }

  llvm::Expected<CUdeviceptr> allocate(uint64_t bytes, const llvm::Twine &what) {
    CUdeviceptr pointer = 0;
    if (auto error = driver->check(driver->cuMemAlloc(&pointer, std::max<uint64_t>(bytes, 1)),
                                   llvm::formatv("allocating {0} bytes for {1}", bytes, what)))
      return error;
    allocations.push_back(pointer);
    return pointer;
  }

  llvm::Error allocateBuffers() {
    const plan::Plan &manifest = plan.getManifest();
    llvm::Expected<CUdeviceptr> arena = allocate(plan.getLargestArenaSize(), "the arena");
    if (!arena)
      return arena.takeError();
    llvm::ArrayRef<uint8_t> blob = plan.getWeights();
    llvm::Expected<CUdeviceptr> weights = allocate(blob.size(), "the weights");
    if (!weights)
      return weights.takeError();
    if (!blob.empty())
      if (auto error = driver->check(driver->cuMemcpyHtoD(*weights, blob.data(), blob.size()),
                                     "copying the weights to the device"))
        return error;
    for (const plan::State &state : manifest.states()) {
      llvm::Expected<CUdeviceptr> pointer =
          allocate(getStateSize(state), "state '" + state.name() + "'");
      if (!pointer)
        return pointer.takeError();
      states.push_back(*pointer);
    }
    if (auto error = resetStates())
      return error;
    for (auto [entry, resources] : llvm::zip_equal(manifest.entry_points(), entries))
      for (const plan::Buffer &buffer : entry.buffers()) {
        switch (buffer.kind()) {
        case plan::Buffer::ARENA:
          resources.pointers.push_back(*arena + buffer.offset());
          break;
        case plan::Buffer::WEIGHT:
          resources.pointers.push_back(*weights + manifest.weights(buffer.index()).offset());
          break;
        case plan::Buffer::STATE:
          resources.pointers.push_back(states[buffer.index()]);
          break;
        default: {
          llvm::Expected<CUdeviceptr> pointer = allocate(buffer.size(), "an input or output");
          if (!pointer)
            return pointer.takeError();
          resources.pointers.push_back(*pointer);
        }
        }
      }
    return llvm::Error::success();
  }

  /// What one entry point's launches use.
  struct EntryResources {
    std::vector<CUfunction> functions; // one per launch
    std::vector<CUdeviceptr> pointers; // one per entry-point buffer
  };

  const Plan &plan;
  SessionOptions options;
  const Driver *driver = nullptr;
  CUdevice device = 0;
  CUcontext context = nullptr;
  std::string deviceName;
  std::vector<CUmodule> modules;
  std::vector<CUdeviceptr> allocations;
  std::vector<CUdeviceptr> states;     // one per plan state
  std::vector<EntryResources> entries; // one per entry point
  bool faulted = false;
};

} // namespace

llvm::Expected<std::unique_ptr<Executor>> createCudaExecutor(const Plan &plan,
                                                             const SessionOptions &options) {
  auto executor = std::make_unique<CudaExecutor>(plan, options);
  if (llvm::Error error = executor->initialize())
    return error;
  return executor;
}

} // namespace tern
