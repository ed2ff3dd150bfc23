//===- Safetensors.cpp - A validated, memory-mapped safetensors file ------===//
#include "frontend/hf/Safetensors.h"
#include "frontend/hf/Json.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <optional>

namespace mlir::tern::hf {

namespace {

struct DTypeInfo {
  llvm::StringLiteral name;
  SafetensorsDType dtype;
  unsigned bytes;
};

constexpr DTypeInfo kDTypes[] = {
    {"BOOL", SafetensorsDType::BOOL, 1},       {"U8", SafetensorsDType::U8, 1},
    {"I8", SafetensorsDType::I8, 1},           {"I16", SafetensorsDType::I16, 2},
    {"U16", SafetensorsDType::U16, 2},         {"F16", SafetensorsDType::F16, 2},
    {"BF16", SafetensorsDType::BF16, 2},       {"I32", SafetensorsDType::I32, 4},
    {"U32", SafetensorsDType::U32, 4},         {"F32", SafetensorsDType::F32, 4},
    {"I64", SafetensorsDType::I64, 8},         {"U64", SafetensorsDType::U64, 8},
    {"F64", SafetensorsDType::F64, 8},         {"F8_E4M3", SafetensorsDType::F8_E4M3, 1},
    {"F8_E5M2", SafetensorsDType::F8_E5M2, 1},
};

const DTypeInfo &info(SafetensorsDType dtype) {
  return *llvm::find_if(kDTypes, [&](const DTypeInfo &i) { return i.dtype == dtype; });
}

/// A non-negative JSON integer, or nullopt.
std::optional<uint64_t> getUnsigned(const llvm::json::Value &value) {
  std::optional<int64_t> integer = getJsonInteger(value);
  if (!integer || *integer < 0)
    return std::nullopt;
  return uint64_t(*integer);
}

} // namespace

llvm::StringRef getDTypeName(SafetensorsDType dtype) { return info(dtype).name; }
unsigned getDTypeBytes(SafetensorsDType dtype) { return info(dtype).bytes; }

std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "[";
  llvm::interleaveComma(shape, os);
  os << "]";
  return text;
}

llvm::Expected<std::unique_ptr<SafetensorsFile>> SafetensorsFile::open(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   "cannot open '" + path + "': " + buffer.getError().message());
  return fromBuffer(std::move(*buffer), path);
}

llvm::Expected<std::unique_ptr<SafetensorsFile>>
SafetensorsFile::fromBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer, llvm::StringRef name) {
  std::unique_ptr<SafetensorsFile> file(new SafetensorsFile());
  file->name = name.str();
  file->buffer = std::move(buffer);
  if (llvm::Error error = file->parse())
    return error;
  return file;
}

const SafetensorsTensor *SafetensorsFile::lookup(llvm::StringRef tensor) const {
  auto it = byName.find(tensor);
  return it == byName.end() ? nullptr : &tensors[it->second];
}

llvm::Error SafetensorsFile::parse() {
  auto fail = [&](const llvm::Twine &message) {
    return llvm::createStringError("'" + name + "': " + message);
  };
  llvm::StringRef file = buffer->getBuffer();
  if (file.size() < 8)
    return fail(llvm::formatv("the file is {0} bytes; a safetensors file starts with an 8-byte "
                              "header length",
                              file.size()));
  uint64_t headerSize = llvm::support::endian::read64le(file.data());
  if (headerSize > kMaxHeaderBytes)
    return fail(llvm::formatv("the header length, {0} bytes, is over the limit of {1}", headerSize,
                              kMaxHeaderBytes));
  if (headerSize > file.size() - 8)
    return fail(llvm::formatv("the header length, {0} bytes, runs past the end of the file "
                              "({1} bytes)",
                              headerSize, file.size()));
  llvm::StringRef header = file.substr(8, headerSize);
  llvm::Expected<llvm::json::Value> json = parseJson(header);
  if (!json)
    return fail("the header " + llvm::toString(json.takeError()));
  const llvm::json::Object *root = json->getAsObject();
  if (!root)
    return fail("the header is not a JSON object");
  if (std::optional<std::string> repeated = findRepeatedKey(header))
    return fail("tensor '" + *repeated + "' is named twice in the header");

  // Sorted names keep the first error reported the same from run to run.
  llvm::SmallVector<llvm::StringRef> names;
  for (const auto &entry : *root)
    names.push_back(entry.first);
  llvm::sort(names);

  llvm::StringRef data = file.drop_front(8 + headerSize);
  struct Range {
    uint64_t begin, end;
  };
  std::vector<Range> ranges;
  for (llvm::StringRef key : names) {
    const llvm::json::Value &value = *root->get(key);
    if (key == "__metadata__") {
      const llvm::json::Object *entries = value.getAsObject();
      if (!entries)
        return fail("__metadata__ is not an object of strings");
      for (const auto &[metaKey, metaValue] : *entries) {
        std::optional<llvm::StringRef> text = metaValue.getAsString();
        if (!text)
          return fail("__metadata__ entry '" + llvm::StringRef(metaKey) + "' is not a string");
        metadata[metaKey] = text->str();
      }
      continue;
    }
    auto bad = [&](const llvm::Twine &message) { return fail("tensor '" + key + "': " + message); };
    const llvm::json::Object *fields = value.getAsObject();
    if (!fields)
      return bad("its entry is not an object");
    std::optional<llvm::StringRef> dtypeName = fields->getString("dtype");
    if (!dtypeName)
      return bad("no dtype string");
    const DTypeInfo *dtype =
        llvm::find_if(kDTypes, [&](const DTypeInfo &i) { return i.name == *dtypeName; });
    if (dtype == std::end(kDTypes))
      return bad("unknown dtype '" + *dtypeName + "'");
    const llvm::json::Array *shape = fields->getArray("shape");
    if (!shape)
      return bad("no shape array");
    SafetensorsTensor tensor{key.str(), dtype->dtype, {}, {}};
    uint64_t elements = 1;
    for (const llvm::json::Value &dim : *shape) {
      std::optional<uint64_t> size = getUnsigned(dim);
      if (!size)
        return bad("the shape holds something other than a non-negative integer");
      tensor.shape.push_back(int64_t(*size));
      if (__builtin_mul_overflow(elements, *size, &elements))
        return bad("the element count of its shape overflows 64 bits");
    }
    uint64_t bytes;
    if (__builtin_mul_overflow(elements, uint64_t(dtype->bytes), &bytes))
      return bad("its size in bytes overflows 64 bits");
    const llvm::json::Array *offsets = fields->getArray("data_offsets");
    std::optional<uint64_t> begin, end;
    if (offsets && offsets->size() == 2) {
      begin = getUnsigned((*offsets)[0]);
      end = getUnsigned((*offsets)[1]);
    }
    if (!begin || !end || *begin > *end)
      return bad("data_offsets is not [begin, end] with 0 <= begin <= end");
    if (*end > data.size())
      return bad(llvm::formatv("data_offsets [{0}, {1}] run past the end of the data ({2} bytes)",
                               *begin, *end, data.size()));
    if (*end - *begin != bytes)
      return bad(llvm::formatv("data_offsets [{0}, {1}] hold {2} bytes; {3} x {4} needs {5}",
                               *begin, *end, *end - *begin, dtype->name, elements, bytes));
    tensor.data = llvm::ArrayRef(data.data() + *begin, bytes);
    tensors.push_back(std::move(tensor));
    ranges.push_back({*begin, *end});
  }

  // The ranges must tile the data: sorted, each starts where the last ended.
  std::vector<size_t> order(tensors.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  llvm::sort(order, [&](size_t a, size_t b) {
    return std::tie(ranges[a].begin, ranges[a].end) < std::tie(ranges[b].begin, ranges[b].end);
  });
  uint64_t next = 0;
  const SafetensorsTensor *previous = nullptr;
  for (size_t i : order) {
    if (ranges[i].begin < next)
      return fail(llvm::formatv("tensors '{0}' and '{1}' overlap in the data", previous->name,
                                tensors[i].name));
    if (ranges[i].begin > next)
      return fail(llvm::formatv("bytes [{0}, {1}) of the data belong to no tensor (before "
                                "tensor '{2}')",
                                next, ranges[i].begin, tensors[i].name));
    next = ranges[i].end;
    previous = &tensors[i];
  }
  if (next != data.size())
    return fail(
        llvm::formatv("{0} trailing bytes after the last tensor's data", data.size() - next));

  std::vector<SafetensorsTensor> sorted;
  for (size_t i : order)
    sorted.push_back(std::move(tensors[i]));
  tensors = std::move(sorted);
  for (size_t i = 0; i < tensors.size(); ++i)
    byName[tensors[i].name] = i;
  return llvm::Error::success();
}

} // namespace mlir::tern::hf
