//===- DeepSeekConfigFuzzer.cpp - libFuzzer harness for config.json -------===//
//
// Any bytes as a checkpoint's config.json: parseJson and parseDeepSeekConfig
// must accept them or refuse them with an error. An accepted config lists
// the tensors it implies, as ternc does before checking the weights, and
// the list must stay inside the bounds DeepSeekConfig.h promises: at most
// kMaxImpliedTensors tensors, every dimension from 1 to 2 x
// kMaxConfigInteger^2 (UBSan reports any overflow on the way).
//
//===----------------------------------------------------------------------===//
#include "frontend/hf/DeepSeekWeights.h"
#include "frontend/hf/Json.h"

using namespace mlir::tern::hf;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<llvm::json::Value> json =
      parseJson(llvm::StringRef(reinterpret_cast<const char *>(data), size));
  if (!json) {
    llvm::consumeError(json.takeError());
    return 0;
  }
  const llvm::json::Object *object = json->getAsObject();
  if (!object)
    return 0;
  llvm::Expected<DeepSeekConfig> config = parseDeepSeekConfig(*object, "fuzz/config.json");
  if (!config) {
    llvm::consumeError(config.takeError());
    return 0;
  }
  std::vector<DeepSeekTensor> tensors = listDeepSeekTensors(*config);
  if (int64_t(tensors.size()) > kMaxImpliedTensors)
    __builtin_trap();
  constexpr int64_t maxDim = 2 * kMaxConfigInteger * kMaxConfigInteger;
  for (const DeepSeekTensor &tensor : tensors)
    for (int64_t dim : tensor.shape)
      if (dim < 1 || dim > maxDim)
        __builtin_trap();
  return 0;
}
