//===- Safetensors.h - A validated, memory-mapped safetensors file -*- C++ -*-===//
//
// The format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
// mapping each tensor name to {dtype, shape, data_offsets: [begin, end]}
// (plus an optional "__metadata__" object of strings), then the data, whose
// offsets count from the end of the header. Opening a file checks all of it
// (bad input 15, docs/TESTING.md) before any tensor is handed out: the
// header's size and JSON, every dtype and shape, element counts without
// overflow, byte ranges that match dtype x shape and tile the data exactly
// (no overlap, no hole, no trailing bytes), and names given once.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_FRONTEND_HF_SAFETENSORS_H
#define TERN_FRONTEND_HF_SAFETENSORS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir::tern::hf {

/// The element types safetensors names, as spelled in the header.
enum class SafetensorsDType {
  BOOL,
  U8,
  I8,
  I16,
  U16,
  F16,
  BF16,
  I32,
  U32,
  F32,
  I64,
  U64,
  F64,
  F8_E4M3,
  F8_E5M2
};

/// "BF16", as the header spells it.
llvm::StringRef getDTypeName(SafetensorsDType dtype);
/// Bytes per element.
unsigned getDTypeBytes(SafetensorsDType dtype);
/// "[2, 3]". (The runtime and the dialect keep their own: this library links
/// neither.)
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// Largest header accepted; real ones are a few hundred KiB.
inline constexpr uint64_t kMaxHeaderBytes = 100 * 1000 * 1000;

struct SafetensorsTensor {
  std::string name;
  SafetensorsDType dtype;
  llvm::SmallVector<int64_t, 4> shape;
  /// The tensor's bytes, inside the mapped file.
  llvm::ArrayRef<char> data;
};

class SafetensorsFile {
public:
  /// Maps `path` and validates it; errors name the file and the tensor.
  static llvm::Expected<std::unique_ptr<SafetensorsFile>> open(llvm::StringRef path);
  /// Validates an in-memory image; `name` is used in errors.
  static llvm::Expected<std::unique_ptr<SafetensorsFile>>
  fromBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer, llvm::StringRef name);

  /// Every tensor, in the order of their data.
  llvm::ArrayRef<SafetensorsTensor> getTensors() const { return tensors; }
  /// The tensor called `name`, or null.
  const SafetensorsTensor *lookup(llvm::StringRef name) const;
  /// The "__metadata__" entries (HF writes {"format": "pt"}).
  const llvm::StringMap<std::string> &getMetadata() const { return metadata; }
  llvm::StringRef getName() const { return name; }

private:
  SafetensorsFile() = default;
  llvm::Error parse();

  std::string name;
  std::unique_ptr<llvm::MemoryBuffer> buffer;
  std::vector<SafetensorsTensor> tensors;
  llvm::StringMap<size_t> byName;
  llvm::StringMap<std::string> metadata;
};

} // namespace mlir::tern::hf

#endif // TERN_FRONTEND_HF_SAFETENSORS_H
