//===- Json.cpp - JSON from checkpoint files, parsed safely ---------------===//
#include "frontend/hf/Json.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <limits>

namespace mlir::tern::hf {

namespace {

/// The index of the quote that closes the string opening at `text[start]`,
/// or past the end when it is unterminated.
size_t endOfString(llvm::StringRef text, size_t start) {
  size_t i = start + 1;
  while (i < text.size() && text[i] != '"')
    i += text[i] == '\\' ? 2 : 1;
  return i;
}

} // namespace

llvm::Expected<llvm::json::Value> parseJson(llvm::StringRef text) {
  // The parser stops at its first error, so on the text it reads it never
  // nests deeper than this count does.
  unsigned depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      i = endOfString(text, i);
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth)
        return llvm::createStringError(llvm::formatv(
            "nests arrays and objects more than {0} deep (at byte {1})", kMaxJsonDepth, i));
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(text);
  if (!json)
    return llvm::createStringError("is not valid JSON: " + llvm::toString(json.takeError()));
  return json;
}

std::optional<int64_t> getJsonInteger(const llvm::json::Value &value) {
  if (std::optional<uint64_t> natural = value.getAsUINT64()) {
    if (*natural > uint64_t(std::numeric_limits<int64_t>::max()))
      return std::nullopt;
    return int64_t(*natural);
  }
  // A negative integer literal, or a double; 0x1p63 is the first double out
  // of range (every one below it converts exactly, or is not whole).
  std::optional<double> number = value.getAsNumber();
  if (!number || *number >= 0x1p63)
    return std::nullopt;
  return value.getAsInteger();
}

std::optional<std::string> findRepeatedKey(llvm::StringRef text) {
  llvm::StringSet<> seen;
  int depth = 0;
  bool expectKey = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      size_t start = i;
      i = endOfString(text, i);
      if (depth != 1 || !expectKey)
        continue;
      expectKey = false;
      llvm::Expected<llvm::json::Value> key = llvm::json::parse(text.slice(start, i + 1));
      if (!key) {
        llvm::consumeError(key.takeError());
        continue;
      }
      if (!seen.insert(key->getAsString()->str()).second)
        return key->getAsString()->str();
    } else if (c == '{' || c == '[') {
      expectKey = ++depth == 1 && c == '{';
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 1) {
      expectKey = true;
    }
  }
  return std::nullopt;
}

} // namespace mlir::tern::hf
