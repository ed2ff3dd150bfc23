//===- DeepSeekConfigFuzzer.cpp - libFuzzer harness for config.json -------===//
//
// Any bytes as a checkpoint's config.json: parseJson and parseDeepSeekConfig
// must accept them or refuse them with an error. An accepted config lists
// the tensors it implies, as ternc does before opening a weight, and each
// must stay inside the bounds the parser promises: at most 2^20 tensors,
// every dimension from 1 to 2^50 (a product of two bounded fields; UBSan
// reports any overflow on the way).
//
//===----------------------------------------------------------------------===//
#include "frontend/hf/DeepSeekWeights.h"
#include "frontend/hf/Json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<llvm::json::Value> json =
      mlir::tern::hf::parseJson(llvm::StringRef(reinterpret_cast<const char *>(data), size));
  if (!json) {
    llvm::consumeError(json.takeError());
    return 0;
  }
  const llvm::json::Object *object = json->getAsObject();
  if (!object)
    return 0;
  llvm::Expected<mlir::tern::hf::DeepSeekConfig> config =
      mlir::tern::hf::parseDeepSeekConfig(*object, "fuzz/config.json");
  if (!config) {
    llvm::consumeError(config.takeError());
    return 0;
  }
  std::vector<mlir::tern::hf::DeepSeekTensor> tensors =
      mlir::tern::hf::listDeepSeekTensors(*config);
  if (tensors.size() > (size_t(1) << 20))
    __builtin_trap(); // the parser's bound on implied tensors
  for (const mlir::tern::hf::DeepSeekTensor &tensor : tensors)
    for (int64_t dim : tensor.shape)
      if (dim < 1 || dim > (int64_t(1) << 50))
        __builtin_trap(); // a dimension outside the parser's bounds
  return 0;
}
