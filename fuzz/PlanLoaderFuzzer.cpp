//===- PlanLoaderFuzzer.cpp - libFuzzer harness for the plan loader -------===//
//
// Any bytes as a .tplan image: Plan::fromBuffer must accept them (having
// checked every offset, size and index) or refuse them with an error. What it
// accepts is walked the way an executor would, so a reference the validation
// let through out of range trips AddressSanitizer here.
//
// The harness rewrites the checksum of every input that has a header, so
// that mutations get past it to the manifest and the range checks: almost
// no mutated file keeps a valid checksum, and the refusal of bad checksums
// is tested exhaustively by tern-plan-fault-sweep.
//
//===----------------------------------------------------------------------===//
#include "runtime/Plan.h"
#include "runtime/PlanChecksum.h"

#include "llvm/Support/MemoryBuffer.h"

/// Where the walk's reads go, so that the optimizer keeps them.
volatile uint64_t gSink;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::unique_ptr<llvm::WritableMemoryBuffer> buffer =
      llvm::WritableMemoryBuffer::getNewUninitMemBuffer(size, "fuzz.tplan",
                                                        llvm::Align(tern::plan::kWeightAlignment));
  std::memcpy(buffer->getBufferStart(), data, size);
  if (size >= sizeof(tern::plan::Header)) {
    llvm::ArrayRef<uint8_t> file(reinterpret_cast<const uint8_t *>(buffer->getBufferStart()), size);
    uint64_t checksum = tern::plan::computePlanChecksum(file);
    std::memcpy(buffer->getBufferStart() + tern::plan::kChecksumOffset, &checksum,
                sizeof(checksum));
  }
  llvm::Expected<std::unique_ptr<tern::Plan>> plan =
      tern::Plan::fromBuffer(std::move(buffer), "fuzz.tplan");
  if (!plan) {
    llvm::consumeError(plan.takeError());
    return 0;
  }
  const tern::plan::Plan &manifest = (*plan)->getManifest();
  llvm::ArrayRef<uint8_t> weights = (*plan)->getWeights();
  uint64_t sum = 0;
  for (const tern::plan::Weight &weight : manifest.weights())
    for (uint64_t i = 0; i < weight.size(); i += 4096)
      sum += weights[weight.offset() + i];
  for (const tern::plan::EntryPoint &entry : manifest.entry_points())
    for (const tern::plan::Launch &launch : entry.launches()) {
      sum += manifest.kernels(launch.kernel()).name().size();
      for (uint32_t buffer : launch.buffers())
        sum += entry.buffers(buffer).size();
    }
  gSink = sum;
  return 0;
}
