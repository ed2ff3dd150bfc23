//===- PlanChecksum.h - The checksum of a .tplan file ------------*- C++ -*-===//
#ifndef TERN_RUNTIME_PLANCHECKSUM_H
#define TERN_RUNTIME_PLANCHECKSUM_H

#include "runtime/PlanFormat.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/BLAKE3.h"

#include <cstring>

namespace tern::plan {

/// BLAKE3 of a plan file, fed in order; the caller zeroes the checksum field
/// of the header it feeds.
class PlanChecksum {
public:
  void update(llvm::ArrayRef<uint8_t> bytes) { hasher.update(bytes); }
  uint64_t final() {
    auto digest = hasher.final<sizeof(uint64_t)>();
    uint64_t value;
    std::memcpy(&value, digest.data(), sizeof(value));
    return value;
  }

private:
  llvm::BLAKE3 hasher;
};

/// Checksum of a whole file image (its header included).
inline uint64_t computePlanChecksum(llvm::ArrayRef<uint8_t> file) {
  PlanChecksum checksum;
  Header header;
  std::memcpy(&header, file.data(), sizeof(Header));
  header.checksum = 0;
  checksum.update({reinterpret_cast<const uint8_t *>(&header), sizeof(Header)});
  checksum.update(file.drop_front(sizeof(Header)));
  return checksum.final();
}

} // namespace tern::plan

#endif // TERN_RUNTIME_PLANCHECKSUM_H
