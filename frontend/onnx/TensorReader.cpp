//===- TensorReader.cpp - ONNX TensorProto to MLIR attributes -------------===//
#include "frontend/onnx/TensorReader.h"
#include "frontend/PlainFile.h"

#include "ir/ShapeUtils.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

namespace mlir::tern::onnx_import {

llvm::StringRef dataTypeName(int32_t dataType) {
  if (onnx::TensorProto_DataType_IsValid(dataType))
    return onnx::TensorProto_DataType_Name(static_cast<onnx::TensorProto_DataType>(dataType));
  return "unknown";
}

FailureOr<Type> convertElementType(int32_t dataType, MLIRContext *context, llvm::StringRef what,
                                   EmitErrorFn emitError) {
  Builder b(context);
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case onnx::TensorProto::BFLOAT16:
    return b.getBF16Type();
  case onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case onnx::TensorProto::FLOAT8E4M3FN:
    return Type(b.getType<Float8E4M3FNType>());
  case onnx::TensorProto::FLOAT8E5M2:
    return Type(b.getType<Float8E5M2Type>());
  case onnx::TensorProto::FLOAT8E4M3FNUZ:
    return Type(b.getType<Float8E4M3FNUZType>());
  case onnx::TensorProto::FLOAT8E5M2FNUZ:
    return Type(b.getType<Float8E5M2FNUZType>());
  case onnx::TensorProto::INT64:
    return b.getI64Type();
  case onnx::TensorProto::INT32:
    return b.getI32Type();
  case onnx::TensorProto::INT16:
    return b.getI16Type();
  case onnx::TensorProto::INT8:
    return b.getI8Type();
  case onnx::TensorProto::UINT64:
    return b.getIntegerType(64, /*isSigned=*/false);
  case onnx::TensorProto::UINT32:
    return b.getIntegerType(32, /*isSigned=*/false);
  case onnx::TensorProto::UINT16:
    return b.getIntegerType(16, /*isSigned=*/false);
  case onnx::TensorProto::UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case onnx::TensorProto::BOOL:
    return b.getI1Type();
  case onnx::TensorProto::UNDEFINED:
    return emitError() << what << " has data_type UNDEFINED (0)";
  default:
    break;
  }
  if (!onnx::TensorProto_DataType_IsValid(dataType))
    return emitError() << what << " has unknown data_type " << dataType;
  return emitError() << what << " has element type " << dataTypeName(dataType) << " (" << dataType
                     << "), which Tern does not support (supported: FLOAT, FLOAT16, BFLOAT16, "
                        "DOUBLE, FLOAT8E4M3FN, FLOAT8E5M2, FLOAT8E4M3FNUZ, FLOAT8E5M2FNUZ, INT64, "
                        "INT32, INT16, INT8, UINT64, UINT32, UINT16, UINT8, BOOL)";
}

int64_t storageBytes(Type elementType) {
  return elementType.isInteger(1) ? 1 : llvm::divideCeil(elementType.getIntOrFloatBitWidth(), 8);
}

/// Resource keys print as identifiers: keep names readable and unambiguous.
static std::string resourceKey(llvm::StringRef name) {
  std::string key = "onnx.";
  for (char c : name)
    key += llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_';
  return key;
}

ElementsAttr TensorReader::makeAttr(RankedTensorType type, llvm::StringRef name,
                                    llvm::ArrayRef<char> bytes, std::function<void()> release) {
  int64_t count = type.getNumElements();
  if (count <= kInlineElementLimit) {
    ElementsAttr attr;
    if (type.getElementType().isInteger(1)) {
      SmallVector<bool> bits(llvm::map_range(bytes, [](char c) { return c != 0; }));
      attr = DenseElementsAttr::get(type, llvm::ArrayRef(bits));
    } else {
      attr = DenseElementsAttr::getFromRawBuffer(type, bytes);
    }
    if (release)
      release();
    return attr;
  }
  // The blob keeps the bytes where they are (the protobuf string or the
  // mapped file) until the attribute dies, unless they are misaligned for
  // the element type (an odd external-data offset): then it holds a copy.
  size_t alignment = storageBytes(type.getElementType());
  if (reinterpret_cast<uintptr_t>(bytes.data()) % alignment != 0) {
    AsmResourceBlob copy = HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignment);
    if (release)
      release();
    return DenseResourceElementsAttr::get(type, resourceKey(name), std::move(copy));
  }
  AsmResourceBlob blob(
      bytes, alignment,
      [release = std::move(release)](void *, size_t, size_t) {
        if (release)
          release();
      },
      /*dataIsMutable=*/false);
  return DenseResourceElementsAttr::get(type, resourceKey(name), std::move(blob));
}

/// Parses a decimal uint64 with nothing else around it.
static std::optional<uint64_t> parseUnsigned(llvm::StringRef text) {
  uint64_t value;
  if (text.empty() || !llvm::all_of(text, llvm::isDigit) || text.getAsInteger(10, value))
    return std::nullopt;
  return value;
}

FailureOr<ElementsAttr> TensorReader::readExternal(const onnx::TensorProto &tensor,
                                                   RankedTensorType type, int64_t byteSize,
                                                   llvm::StringRef what, EmitErrorFn emitError) {
  std::string location;
  std::optional<uint64_t> offset = 0, length;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset" || entry.key() == "length") {
      std::optional<uint64_t> value = parseUnsigned(entry.value());
      if (!value)
        return emitError() << what << ": external data " << entry.key() << " '" << entry.value()
                           << "' is not a non-negative integer";
      (entry.key() == "offset" ? offset : length) = value;
    }
  }
  // The location must name a file inside the model's folder, reached
  // without "..", absolute paths or symlinks.
  if (location.empty())
    return emitError() << what << ": external data has an empty location";
  if (llvm::sys::path::is_absolute(location) || location.find('\\') != std::string::npos)
    return emitError() << what << ": external data location '" << location
                       << "' must be a relative path inside the model's folder";
  for (llvm::StringRef part :
       llvm::make_range(llvm::sys::path::begin(location), llvm::sys::path::end(location)))
    if (part == "..")
      return emitError() << what << ": external data location '" << location
                         << "' escapes the model's folder";
  llvm::SmallString<256> path(modelDir);
  llvm::sys::path::append(path, location);
  uint64_t fileSize = 0;
  if (std::optional<std::string> why = whyNotPlainFile(path, fileSize))
    return emitError() << what << ": external data '" << path << "' " << *why;
  uint64_t want = static_cast<uint64_t>(byteSize);
  if (!length)
    length = want;
  if (*length != want)
    return emitError() << what << ": external data length " << *length << " differs from the "
                       << want << " bytes its type " << type << " needs";
  // Overflow-safe form of offset + length > fileSize.
  if (*length > fileSize || *offset > fileSize - *length)
    return emitError() << what << ": external data range [" << *offset << ", +" << *length
                       << ") lies outside '" << path << "' (" << fileSize << " bytes)";
  if (want == 0)
    return makeAttr(type, tensor.name(), {}, nullptr);
  auto buffer = llvm::MemoryBuffer::getFileSlice(path, *length, *offset, /*IsVolatile=*/false);
  if (!buffer)
    return emitError() << what << ": cannot map external data '" << path
                       << "': " << buffer.getError().message();
  std::shared_ptr<llvm::MemoryBuffer> owner = std::move(*buffer);
  llvm::ArrayRef<char> bytes(owner->getBufferStart(), owner->getBufferSize());
  return makeAttr(type, tensor.name(), bytes, [owner]() mutable { owner.reset(); });
}

/// Copies a typed repeated field into little-endian element storage.
template <typename From>
static void appendElements(std::vector<char> &bytes,
                           const google::protobuf::RepeatedField<From> &values,
                           int64_t elementBytes) {
  for (From value : values) {
    char raw[8] = {};
    uint64_t bits = 0;
    if constexpr (std::is_same_v<From, float>) {
      uint32_t b32;
      std::memcpy(&b32, &value, 4);
      bits = b32;
    } else if constexpr (std::is_same_v<From, double>) {
      std::memcpy(&bits, &value, 8);
    } else {
      bits = static_cast<uint64_t>(value);
    }
    for (int64_t i = 0; i < elementBytes; ++i)
      raw[i] = static_cast<char>((bits >> (8 * i)) & 0xff);
    bytes.insert(bytes.end(), raw, raw + elementBytes);
  }
}

FailureOr<ElementsAttr> TensorReader::read(onnx::TensorProto &tensor, llvm::StringRef what,
                                           EmitErrorFn emitError) {
  bool isDouble = tensor.data_type() == onnx::TensorProto::DOUBLE;
  FailureOr<Type> element = convertElementType(tensor.data_type(), context, what, emitError);
  if (failed(element))
    return failure();
  SmallVector<int64_t> dims;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0)
      return emitError() << what << " has a negative dimension in " << formatShape(tensor.dims());
    dims.push_back(dim);
  }
  int64_t elementBytes = storageBytes(*element);
  std::optional<int64_t> count = getStaticElementCount(dims);
  int64_t byteSize;
  if (!count || llvm::MulOverflow(*count, elementBytes, byteSize))
    return emitError() << what << " has dimensions " << formatShape(dims)
                       << " whose size overflows int64";
  auto type = RankedTensorType::get(dims, *element);

  int fields = tensor.has_raw_data() + (tensor.float_data_size() > 0) +
               (tensor.int32_data_size() > 0) + (tensor.int64_data_size() > 0) +
               (tensor.double_data_size() > 0) + (tensor.uint64_data_size() > 0) +
               (tensor.string_data_size() > 0);
  bool external = tensor.data_location() == onnx::TensorProto::EXTERNAL;
  if (external && fields > 0)
    return emitError() << what << " has both external and inline data";
  if (fields > 1)
    return emitError() << what << " has more than one value field";
  if (external)
    return readExternal(tensor, type, byteSize, what, emitError);

  if (tensor.has_raw_data()) {
    size_t size = tensor.raw_data().size();
    if (size != static_cast<uint64_t>(byteSize))
      return emitError() << what << " has " << size << " bytes of raw_data but its type " << type
                         << " needs " << byteSize;
    auto owned = std::shared_ptr<std::string>(tensor.release_raw_data());
    return makeAttr(type, tensor.name(), llvm::ArrayRef<char>(owned->data(), owned->size()),
                    [owned]() mutable { owned.reset(); });
  }

  // Typed fields: which one is legal depends on the data type.
  std::vector<char> bytes;
  int64_t have = 0;
  bool isFloat = tensor.data_type() == onnx::TensorProto::FLOAT;
  bool isInt64 = tensor.data_type() == onnx::TensorProto::INT64;
  // ONNX keeps UINT32 and UINT64 in uint64_data, the narrower integers in
  // int32_data.
  bool isWideUnsigned = tensor.data_type() == onnx::TensorProto::UINT32 ||
                        tensor.data_type() == onnx::TensorProto::UINT64;
  if (tensor.float_data_size() > 0 && isFloat) {
    have = tensor.float_data_size();
    if (have == *count)
      appendElements(bytes, tensor.float_data(), elementBytes);
  } else if (tensor.int64_data_size() > 0 && isInt64) {
    have = tensor.int64_data_size();
    if (have == *count)
      appendElements(bytes, tensor.int64_data(), elementBytes);
  } else if (tensor.double_data_size() > 0 && isDouble) {
    have = tensor.double_data_size();
    if (have == *count)
      appendElements(bytes, tensor.double_data(), elementBytes);
  } else if (tensor.uint64_data_size() > 0 && isWideUnsigned) {
    have = tensor.uint64_data_size();
    if (have == *count)
      appendElements(bytes, tensor.uint64_data(), elementBytes);
  } else if (tensor.int32_data_size() > 0 && !isFloat && !isInt64 && !isDouble && !isWideUnsigned) {
    have = tensor.int32_data_size();
    if (have == *count)
      appendElements(bytes, tensor.int32_data(), elementBytes);
  } else if (fields > 0) {
    return emitError() << what << " stores " << dataTypeName(tensor.data_type())
                       << " values in a field of another type";
  }
  if (have != *count)
    return emitError() << what << " has " << have << " values but its type " << type << " holds "
                       << *count;
  auto owned = std::make_shared<std::vector<char>>(std::move(bytes));
  return makeAttr(type, tensor.name(), *owned, [owned]() mutable { owned.reset(); });
}

} // namespace mlir::tern::onnx_import
