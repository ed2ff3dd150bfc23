//===- PlainFile.h - Data files a model may name -----------------*- C++ -*-===//
//
// ONNX external data and HuggingFace shards are files a model names; Tern
// reads them only when they are regular files, not symlinks, with one hard
// link (bad input 12, docs/TESTING.md), so that a model cannot make it read
// a file outside its folder or one that changes under another name.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_FRONTEND_PLAINFILE_H
#define TERN_FRONTEND_PLAINFILE_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir::tern {

/// Why `path` may not be read as a model's data file ("is a symlink", "has
/// 2 hard links", ...), to follow the path in an error; nullopt when it may,
/// with its size in `size`.
std::optional<std::string> whyNotPlainFile(llvm::StringRef path, uint64_t &size);

} // namespace mlir::tern

#endif // TERN_FRONTEND_PLAINFILE_H
