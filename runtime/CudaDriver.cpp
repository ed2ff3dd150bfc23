//===- CudaDriver.cpp - The CUDA driver API, loaded at run time -----------===//
#include "runtime/CudaDriver.h"

#include <dlfcn.h>
#include <mutex>

namespace tern::cuda {

namespace {

llvm::Expected<Driver> loadDriver() {
  void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!library)
    return llvm::createStringError(llvm::Twine("no CUDA driver: cannot load libcuda.so.1 (") +
                                   dlerror() + ")");
  Driver driver = {};
  std::string missing;
  auto resolve = [&](auto &fn, const char *name) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(library, name));
    if (!fn)
      missing += std::string(missing.empty() ? "" : ", ") + name;
  };
  resolve(driver.cuInit, "cuInit");
  resolve(driver.cuGetErrorName, "cuGetErrorName");
  resolve(driver.cuGetErrorString, "cuGetErrorString");
  resolve(driver.cuDeviceGetCount, "cuDeviceGetCount");
  resolve(driver.cuDeviceGet, "cuDeviceGet");
  resolve(driver.cuDeviceGetName, "cuDeviceGetName");
  resolve(driver.cuDeviceGetAttribute, "cuDeviceGetAttribute");
  resolve(driver.cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
  resolve(driver.cuDevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2");
  resolve(driver.cuCtxSetCurrent, "cuCtxSetCurrent");
  resolve(driver.cuCtxSynchronize, "cuCtxSynchronize");
  resolve(driver.cuModuleLoadDataEx, "cuModuleLoadDataEx");
  resolve(driver.cuModuleUnload, "cuModuleUnload");
  resolve(driver.cuModuleGetFunction, "cuModuleGetFunction");
  resolve(driver.cuMemAlloc, "cuMemAlloc_v2");
  resolve(driver.cuMemFree, "cuMemFree_v2");
  resolve(driver.cuMemcpyHtoD, "cuMemcpyHtoD_v2");
  resolve(driver.cuMemcpyDtoH, "cuMemcpyDtoH_v2");
  resolve(driver.cuMemsetD8, "cuMemsetD8_v2");
  resolve(driver.cuLaunchKernel, "cuLaunchKernel");
  if (!missing.empty())
    return llvm::createStringError("the CUDA driver lacks " + missing + " (driver too old?)");
  if (llvm::Error error = driver.check(driver.cuInit(0), "no CUDA device: cuInit failed"))
    return error;
  int count = 0;
  if (llvm::Error error = driver.check(driver.cuDeviceGetCount(&count), "cuDeviceGetCount"))
    return error;
  if (count == 0)
    return llvm::createStringError("no CUDA device: the driver reports none");
  return driver;
}

} // namespace

llvm::Expected<const Driver *> Driver::get() {
  static std::once_flag once;
  static Driver driver;
  static std::string error;
  std::call_once(once, [] {
    llvm::Expected<Driver> loaded = loadDriver();
    if (loaded)
      driver = *loaded;
    else
      error = llvm::toString(loaded.takeError());
  });
  if (!error.empty())
    return llvm::createStringError(error);
  return &driver;
}

llvm::Error Driver::check(CUresult result, const llvm::Twine &what) const {
  if (result == CUDA_SUCCESS)
    return llvm::Error::success();
  const char *name = "CUDA_ERROR_UNKNOWN", *text = "";
  if (cuGetErrorName)
    cuGetErrorName(result, &name);
  if (cuGetErrorString)
    cuGetErrorString(result, &text);
  return llvm::createStringError(what + ": " + name + " (" + text + ")");
}

} // namespace tern::cuda
