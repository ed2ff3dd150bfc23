//===- SafetensorsFuzzer.cpp - libFuzzer harness for the safetensors reader ===//
//
// Any bytes as a .safetensors file: SafetensorsFile::fromBuffer must accept
// them (every range checked) or refuse them with an error. The tensors it
// accepts are read at both ends, so a range the validation let through
// outside the buffer trips AddressSanitizer here.
//
//===----------------------------------------------------------------------===//
#include "frontend/hf/Safetensors.h"

/// Where the reads go, so that the optimizer keeps them.
volatile char gSink;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.safetensors");
  llvm::Expected<std::unique_ptr<mlir::tern::hf::SafetensorsFile>> file =
      mlir::tern::hf::SafetensorsFile::fromBuffer(std::move(buffer), "fuzz.safetensors");
  if (!file) {
    llvm::consumeError(file.takeError());
    return 0;
  }
  char sum = 0;
  for (const mlir::tern::hf::SafetensorsTensor &tensor : (*file)->getTensors()) {
    if (!tensor.data.empty())
      sum ^= tensor.data.front() ^ tensor.data.back();
    if ((*file)->lookup(tensor.name) != &tensor)
      __builtin_trap(); // names must find their own tensor
  }
  gSink = sum;
  return 0;
}
