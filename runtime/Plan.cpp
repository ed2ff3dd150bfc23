//===- Plan.cpp - Loading and validating a .tplan -------------------------===//
//
// Nothing in the file is trusted until the header's sizes agree with the
// file and the checksum matches; then every reference in the manifest is
// range-checked, so that executors never see an index or offset out of
// bounds.
//
//===----------------------------------------------------------------------===//
#include "runtime/Plan.h"

#include "runtime/EntryPoints.h"
#include "runtime/PlanChecksum.h"
#include "runtime/PlanFormat.h"
#include "target/Target.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

#include <climits>
#include <cstring>

namespace tern {

uint64_t getDTypeSize(plan::DType dtype) {
  switch (dtype) {
  case plan::F32:
  case plan::I32:
  case plan::U32:
    return 4;
  case plan::F16:
  case plan::BF16:
  case plan::I16:
  case plan::U16:
    return 2;
  case plan::F8E4M3FN:
  case plan::F8E5M2:
  case plan::F8E4M3FNUZ:
  case plan::F8E5M2FNUZ:
  case plan::I8:
  case plan::U8:
  case plan::BOOL:
    return 1;
  case plan::I64:
  case plan::U64:
  case plan::F64:
    return 8;
  default:
    return 0;
  }
}

bool isIntegerDType(plan::DType dtype) {
  switch (dtype) {
  case plan::I64:
  case plan::I32:
  case plan::I16:
  case plan::I8:
  case plan::U64:
  case plan::U32:
  case plan::U16:
  case plan::U8:
  case plan::BOOL:
    return true;
  default:
    return false;
  }
}

int64_t readIntegerElement(plan::DType dtype, const void *data, uint64_t index) {
  auto read = [&](auto element) -> int64_t {
    std::memcpy(&element, static_cast<const char *>(data) + index * sizeof(element),
                sizeof(element));
    return element;
  };
  switch (dtype) {
  case plan::I64:
    return read(int64_t());
  case plan::I32:
    return read(int32_t());
  case plan::I16:
    return read(int16_t());
  case plan::I8:
    return read(int8_t());
  case plan::U64:
    return read(uint64_t());
  case plan::U32:
    return read(uint32_t());
  case plan::U16:
    return read(uint16_t());
  default:
    return read(uint8_t());
  }
}

const char *getDTypeName(plan::DType dtype) {
  switch (dtype) {
  case plan::F32:
    return "f32";
  case plan::F16:
    return "f16";
  case plan::BF16:
    return "bf16";
  case plan::F64:
    return "f64";
  case plan::F8E4M3FN:
    return "f8E4M3FN";
  case plan::F8E5M2:
    return "f8E5M2";
  case plan::F8E4M3FNUZ:
    return "f8E4M3FNUZ";
  case plan::F8E5M2FNUZ:
    return "f8E5M2FNUZ";
  case plan::I64:
    return "i64";
  case plan::I32:
    return "i32";
  case plan::I16:
    return "i16";
  case plan::I8:
    return "i8";
  case plan::U64:
    return "u64";
  case plan::U32:
    return "u32";
  case plan::U16:
    return "u16";
  case plan::U8:
    return "u8";
  case plan::BOOL:
    return "bool";
  default:
    return "invalid";
  }
}

uint64_t getTensorBytes(const plan::TensorType &type) {
  uint64_t bytes = getDTypeSize(type.dtype());
  for (int64_t dim : type.shape())
    bytes *= uint64_t(dim);
  return bytes;
}

std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string text = "[";
  for (auto [i, dim] : llvm::enumerate(shape))
    text += (i ? ", " : "") + std::to_string(dim);
  return text + "]";
}

namespace {

/// Collects the first problem found, prefixed with the file name.
class Validator {
public:
  Validator(const plan::Plan &manifest, uint64_t weightsSize)
      : manifest(manifest), weightsSize(weightsSize) {}

  llvm::Error run() {
    if (manifest.target().empty())
      return llvm::createStringError("the manifest names no target");
    target = Target::get(manifest.target());
    if (!target)
      return llvm::createStringError("the plan targets '" + manifest.target() +
                                     "', which this runtime does not know (it runs " +
                                     Target::describeNames() + ")");
    if (target->isHost() ? manifest.host_library().empty() : manifest.ptx_modules_size() == 0)
      return llvm::createStringError("the plan holds no code for its target '" + manifest.target() +
                                     "'");
    if (!target->isHost() &&
        (!manifest.target_cpu().empty() || manifest.target_cpu_features_size()))
      return llvm::createStringError("the plan targets " + manifest.target() +
                                     " but names a host CPU");
    if (!manifest.precision().empty() && manifest.precision() != "bf16")
      return llvm::createStringError("the plan's precision is '" + manifest.precision() +
                                     "'; this runtime knows bf16 (or none, f32)");
    if (!manifest.weight_format().empty() && manifest.weight_format() != "fp8-block" &&
        manifest.weight_format() != "bf16")
      return llvm::createStringError("the plan's weights are '" + manifest.weight_format() +
                                     "'; this runtime knows fp8-block and bf16 (or none, as "
                                     "stored)");
    if (!manifest.activation_format().empty() && manifest.activation_format() != "fp8-block")
      return llvm::createStringError("the plan's activations are '" + manifest.activation_format() +
                                     "'; this runtime knows fp8-block (or none)");
    for (const plan::Weight &weight : manifest.weights())
      if (llvm::Error error = checkWeight(weight))
        return error;
    if (llvm::Error error = checkWeightOverlaps())
      return error;
    llvm::StringSet<> stateNames;
    for (const plan::State &state : manifest.states()) {
      if (state.name().empty() || !stateNames.insert(state.name()).second)
        return llvm::createStringError("state names must be unique and non-empty ('" +
                                       state.name() + "')");
      llvm::Expected<uint64_t> bytes = getTypeSize(state.type(), "state '" + state.name() + "'");
      if (!bytes)
        return bytes.takeError();
      stateSizes.push_back(*bytes);
    }
    for (const plan::Kernel &kernel : manifest.kernels())
      if (llvm::Error error = checkKernel(kernel))
        return error;
    for (const plan::EntryPoint &entry : manifest.entry_points())
      if (llvm::Error error = checkEntryPoint(entry))
        return error;
    return checkEntryPointGroups(manifest);
  }

private:
  /// Bytes of a tensor type, or an error for bad dtypes, negative dims or
  /// sizes that overflow.
  llvm::Expected<uint64_t> getTypeSize(const plan::TensorType &type, const llvm::Twine &what) {
    uint64_t bytes = getDTypeSize(type.dtype());
    if (bytes == 0)
      return llvm::createStringError(what + " has an invalid dtype (" +
                                     llvm::Twine(int(type.dtype())) + ")");
    for (int64_t dim : type.shape()) {
      bool overflow = false;
      if (dim < 0)
        return llvm::createStringError(what + " has a negative dimension (" + llvm::Twine(dim) +
                                       ")");
      bytes = llvm::SaturatingMultiply(bytes, uint64_t(dim), &overflow);
      if (overflow)
        return llvm::createStringError(what + " has more elements than memory can hold");
    }
    return bytes;
  }

  /// `offset + size <= limit`, without overflow.
  static bool fits(uint64_t offset, uint64_t size, uint64_t limit) {
    return offset <= limit && size <= limit - offset;
  }

  llvm::Error checkWeight(const plan::Weight &weight) {
    std::string what = "weight '" + weight.name() + "'";
    llvm::Expected<uint64_t> bytes = getTypeSize(weight.type(), what);
    if (!bytes)
      return bytes.takeError();
    if (*bytes != weight.size())
      return llvm::createStringError(
          llvm::formatv("{0} is {1} bytes, its type needs {2}", what, weight.size(), *bytes));
    if (weight.offset() % plan::kWeightAlignment != 0)
      return llvm::createStringError(llvm::formatv("{0} is at offset {1}, not a multiple of {2}",
                                                   what, weight.offset(), plan::kWeightAlignment));
    if (!fits(weight.offset(), weight.size(), weightsSize))
      return llvm::createStringError(
          llvm::formatv("{0} (offset {1}, {2} bytes) lies outside the {3}-byte weight "
                        "blob",
                        what, weight.offset(), weight.size(), weightsSize));
    return llvm::Error::success();
  }

  llvm::Error checkWeightOverlaps() {
    std::vector<const plan::Weight *> sorted;
    for (const plan::Weight &weight : manifest.weights())
      sorted.push_back(&weight);
    llvm::sort(sorted, [](auto *a, auto *b) { return a->offset() < b->offset(); });
    for (size_t i = 1; i < sorted.size(); ++i)
      if (sorted[i - 1]->offset() + sorted[i - 1]->size() > sorted[i]->offset())
        return llvm::createStringError("weights '" + sorted[i - 1]->name() + "' and '" +
                                       sorted[i]->name() + "' overlap");
    return llvm::Error::success();
  }

  llvm::Error checkKernel(const plan::Kernel &kernel) {
    if (kernel.name().empty())
      return llvm::createStringError("a kernel has an empty name");
    if (target->isHost())
      return llvm::Error::success();
    if (kernel.ptx_module() >= uint64_t(manifest.ptx_modules_size()))
      return llvm::createStringError(
          llvm::formatv("kernel '{0}' names PTX module {1}; the plan has {2}", kernel.name(),
                        kernel.ptx_module(), manifest.ptx_modules_size()));
    if (manifest.ptx_modules(kernel.ptx_module()).empty())
      return llvm::createStringError("kernel '" + kernel.name() + "' has empty PTX");
    return llvm::Error::success();
  }

  llvm::Error checkTensors(const plan::EntryPoint &entry, bool outputs) {
    const auto &tensors = outputs ? entry.outputs() : entry.inputs();
    plan::Buffer::Kind kind = outputs ? plan::Buffer::OUTPUT : plan::Buffer::INPUT;
    for (auto [index, tensor] : llvm::enumerate(tensors)) {
      std::string what =
          llvm::formatv("{0} {1} '{2}' of entry point '{3}'", outputs ? "output" : "input", index,
                        tensor.name(), entry.name());
      llvm::Expected<uint64_t> bytes = getTypeSize(tensor.type(), what);
      if (!bytes)
        return bytes.takeError();
      if (tensor.buffer() >= uint64_t(entry.buffers_size()))
        return llvm::createStringError(what + " names buffer " + llvm::Twine(tensor.buffer()) +
                                       " of " + llvm::Twine(entry.buffers_size()));
      const plan::Buffer &buffer = entry.buffers(tensor.buffer());
      if (buffer.kind() != kind || buffer.index() != index || buffer.size() != *bytes)
        return llvm::createStringError(what + " does not match its buffer");
      if (tensor.compiled_value_size() == 0)
        continue;
      if (outputs || !isIntegerDType(tensor.type().dtype()) ||
          uint64_t(tensor.compiled_value_size()) != *bytes / getDTypeSize(tensor.type().dtype()))
        return llvm::createStringError(what + " has a compiled value of " +
                                       llvm::Twine(tensor.compiled_value_size()) +
                                       " elements, which does not fit its type");
    }
    return llvm::Error::success();
  }

  llvm::Error checkEntryPoint(const plan::EntryPoint &entry) {
    if (llvm::Error error = checkTensors(entry, /*outputs=*/false))
      return error;
    if (llvm::Error error = checkTensors(entry, /*outputs=*/true))
      return error;
    for (auto [index, buffer] : llvm::enumerate(entry.buffers())) {
      std::string what =
          llvm::formatv("buffer {0} of entry point '{1}'", index, entry.name()).str();
      switch (buffer.kind()) {
      case plan::Buffer::INPUT:
      case plan::Buffer::OUTPUT: {
        auto count =
            buffer.kind() == plan::Buffer::INPUT ? entry.inputs_size() : entry.outputs_size();
        if (buffer.index() >= uint64_t(count))
          return llvm::createStringError(what + " names a missing input or output");
        break;
      }
      case plan::Buffer::ARENA:
        if (!fits(buffer.offset(), buffer.size(), entry.arena_size()))
          return llvm::createStringError(
              llvm::formatv("{0} (offset {1}, {2} bytes) lies outside the {3}-byte "
                            "arena",
                            what, buffer.offset(), buffer.size(), entry.arena_size()));
        break;
      case plan::Buffer::WEIGHT:
        if (buffer.index() >= uint64_t(manifest.weights_size()) ||
            manifest.weights(buffer.index()).size() != buffer.size())
          return llvm::createStringError(what + " does not match a weight");
        break;
      case plan::Buffer::STATE:
        if (buffer.index() >= uint64_t(manifest.states_size()) ||
            stateSizes[buffer.index()] != buffer.size())
          return llvm::createStringError(what + " does not match a state");
        break;
      default:
        return llvm::createStringError(what + " has an invalid kind");
      }
    }
    bool gpu = target->isCuda();
    for (auto [index, launch] : llvm::enumerate(entry.launches())) {
      std::string what =
          llvm::formatv("launch {0} of entry point '{1}'", index, entry.name()).str();
      if (launch.kernel() >= uint64_t(manifest.kernels_size()))
        return llvm::createStringError(llvm::formatv("{0} names kernel {1}; the plan has {2}", what,
                                                     launch.kernel(), manifest.kernels_size()));
      for (uint32_t buffer : launch.buffers())
        if (buffer >= uint64_t(entry.buffers_size()))
          return llvm::createStringError(llvm::formatv(
              "{0} names buffer {1}; the entry point has {2}", what, buffer, entry.buffers_size()));
      if (!gpu) {
        if (launch.grid_size() || launch.block_size() || launch.shared_memory_bytes())
          return llvm::createStringError(what + " has a GPU grid in a host plan");
        continue;
      }
      if (launch.grid_size() != 3 || launch.block_size() != 3)
        return llvm::createStringError(what + " needs three grid and three block dimensions");
      uint64_t threads = 1;
      for (int i = 0; i < 3; ++i) {
        if (launch.grid(i) == 0 || launch.block(i) == 0)
          return llvm::createStringError(what + " has a zero grid or block dimension");
        threads *= launch.block(i);
      }
      // CUDA's limits on every GPU Tern targets (sm_80 and later); the
      // device's own are checked again when a session starts.
      if (threads > 1024 || launch.grid(1) > 65535 || launch.grid(2) > 65535)
        return llvm::createStringError(what + " exceeds CUDA's grid or block limits");
      if (launch.shared_memory_bytes() > target->getMaxSharedMemoryPerBlock())
        return llvm::createStringError(llvm::formatv(
            "{0} asks for {1} bytes of shared memory; {2} blocks have at most {3}", what,
            launch.shared_memory_bytes(), target->getName(), target->getMaxSharedMemoryPerBlock()));
    }
    return llvm::Error::success();
  }

  const plan::Plan &manifest;
  uint64_t weightsSize;
  std::optional<Target> target;     // the manifest's, once run() has read it
  std::vector<uint64_t> stateSizes; // bytes, per state
};

llvm::Error checkHeader(const plan::Header &header, uint64_t fileSize) {
  if (header.formatVersion != plan::kFormatVersion)
    return llvm::createStringError(
        llvm::formatv("plan format version {0}; this runtime reads version {1} "
                      "(recompile the model with this release's ternc)",
                      header.formatVersion, plan::kFormatVersion));
  if (header.fileSize != fileSize)
    return llvm::createStringError(
        llvm::formatv("the file is {0} bytes, its header says {1} (truncated or "
                      "extended)",
                      fileSize, header.fileSize));
  if (header.headerSize != plan::kHeaderSize || header.manifestOffset != plan::kHeaderSize ||
      header.manifestSize > fileSize ||
      header.weightsOffset != plan::alignToWeights(plan::kHeaderSize + header.manifestSize) ||
      header.weightsOffset > fileSize || header.weightsSize != fileSize - header.weightsOffset)
    return llvm::createStringError("the header's section offsets and sizes are inconsistent");
  if (header.manifestSize > INT_MAX)
    return llvm::createStringError("the manifest is larger than 2 GiB");
  return llvm::Error::success();
}

} // namespace

llvm::Expected<std::unique_ptr<Plan>> Plan::load(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false,
                                            /*IsVolatile=*/false, llvm::Align(64));
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   "cannot read '" + path + "': " + buffer.getError().message());
  return fromBuffer(std::move(*buffer), path);
}

llvm::Expected<std::unique_ptr<Plan>> Plan::fromBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                                                       llvm::StringRef name) {
  auto fail = [&](const llvm::Twine &message) -> llvm::Error {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), name + ": " + message);
  };
  llvm::ArrayRef<uint8_t> file(reinterpret_cast<const uint8_t *>(buffer->getBufferStart()),
                               buffer->getBufferSize());
  if (file.size() < plan::kHeaderSize ||
      std::memcmp(file.data(), plan::kMagic, sizeof(plan::kMagic)) != 0)
    return fail(file.size() < plan::kHeaderSize
                    ? llvm::formatv("not a Tern plan ({0} bytes, shorter than the {1}-byte "
                                    "header)",
                                    file.size(), plan::kHeaderSize)
                          .str()
                    : "not a Tern plan (no TERNPLAN magic at the start)");
  plan::Header header;
  std::memcpy(&header, file.data(), sizeof(header));
  if (llvm::Error error = checkHeader(header, file.size()))
    return fail(llvm::toString(std::move(error)));
  if (plan::computePlanChecksum(file) != header.checksum)
    return fail("checksum mismatch: the plan is corrupt");
  if (reinterpret_cast<uintptr_t>(file.data() + header.weightsOffset) % plan::kWeightAlignment)
    return fail("the weight blob is not 64-byte aligned in memory");

  std::unique_ptr<Plan> plan(new Plan());
  if (!plan->manifest.ParseFromArray(file.data() + header.manifestOffset, int(header.manifestSize)))
    return fail("the manifest is not a valid tern.plan.Plan message");
  if (llvm::Error error = Validator(plan->manifest, header.weightsSize).run())
    return fail(llvm::toString(std::move(error)));
  plan->target = Target::get(plan->manifest.target()); // the validator knew it
  plan->weights = file.slice(header.weightsOffset, header.weightsSize);
  plan->name = name.str();
  plan->buffer = std::move(buffer);
  return plan;
}

llvm::SmallVector<unsigned> Plan::findEntryPoints(llvm::StringRef name) const {
  llvm::SmallVector<unsigned> indices;
  for (auto [index, entry] : llvm::enumerate(manifest.entry_points()))
    if (entry.name() == name)
      indices.push_back(index);
  return indices;
}

std::optional<unsigned> Plan::findEntryPointIndex(llvm::StringRef name) const {
  for (auto [index, entry] : llvm::enumerate(manifest.entry_points()))
    if (entry.name() == name)
      return index;
  return std::nullopt;
}

const plan::EntryPoint *Plan::findEntryPoint(llvm::StringRef name) const {
  std::optional<unsigned> index = findEntryPointIndex(name);
  return index ? &manifest.entry_points(*index) : nullptr;
}

uint64_t Plan::getLargestArenaSize() const {
  uint64_t size = 0;
  for (const plan::EntryPoint &entry : manifest.entry_points())
    size = std::max<uint64_t>(size, entry.arena_size());
  return size;
}

} // namespace tern
