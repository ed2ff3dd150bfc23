//===- Json.h - JSON from checkpoint files, parsed safely --------*- C++ -*-===//
//
// config.json, the shard index and every safetensors header come from the
// user's checkpoint, so they may be hostile. llvm::json parses and destroys
// values recursively: a few hundred KiB of '[' overflow the stack. The text
// is scanned for its nesting depth first (real files nest 3 or 4 deep), and
// for keys given twice, which llvm::json would silently collapse to the last;
// integers are read without getAsInteger's overflow.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_FRONTEND_HF_JSON_H
#define TERN_FRONTEND_HF_JSON_H

#include "llvm/Support/JSON.h"

#include <optional>
#include <string>

namespace mlir::tern::hf {

/// Deepest nesting of arrays and objects parsed.
inline constexpr unsigned kMaxJsonDepth = 64;

/// `text` parsed, or an error that completes a sentence about the file:
/// "is not valid JSON: [1:11, byte=11]: ..." or "nests arrays and objects
/// more than 64 deep (at byte 70)".
llvm::Expected<llvm::json::Value> parseJson(llvm::StringRef text);

/// `value` as an integer: an integer literal that fits in 64 bits, or a
/// whole number written as a double strictly inside int64's range. (Use this,
/// not getAsInteger: that one lets 2^63 written as a double through its range
/// check, since double(INT64_MAX) rounds up to 2^63, and then converts it,
/// which is undefined behaviour.)
std::optional<int64_t> getJsonInteger(const llvm::json::Value &value);

/// The first key of the top-level object of `text` (valid JSON) that appears
/// twice, decoded; nullopt when none does.
std::optional<std::string> findRepeatedKey(llvm::StringRef text);

} // namespace mlir::tern::hf

#endif // TERN_FRONTEND_HF_JSON_H
