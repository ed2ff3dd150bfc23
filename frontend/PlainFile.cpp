//===- PlainFile.cpp - Data files a model may name ------------------------===//
#include "frontend/PlainFile.h"

#include "llvm/Support/FileSystem.h"

namespace mlir::tern {

std::optional<std::string> whyNotPlainFile(llvm::StringRef path, uint64_t &size) {
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status, /*follow=*/false))
    return "cannot be read: " + ec.message();
  if (status.type() == llvm::sys::fs::file_type::symlink_file)
    return std::string("is a symlink");
  if (status.type() != llvm::sys::fs::file_type::regular_file)
    return std::string("is not a regular file");
  if (status.getLinkCount() > 1)
    return "has " + std::to_string(status.getLinkCount()) + " hard links";
  size = status.getSize();
  return std::nullopt;
}

} // namespace mlir::tern
