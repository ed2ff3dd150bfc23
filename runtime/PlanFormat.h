//===- PlanFormat.h - The .tplan file layout ---------------------*- C++ -*-===//
//
// A plan file is
//
//   [header: 64 bytes][manifest: protobuf tern.plan.Plan][zero padding to 64]
//   [weight blob: each weight at a 64-byte-aligned offset]
//
// All integers are little-endian. The checksum is BLAKE3 (first 8 bytes) of
// the whole file with the checksum field read as zero, so any truncation or
// flipped byte is caught before anything in the file is trusted. Shared by
// the writer (codegen/plan/PlanWriter.cpp) and the loader (runtime/Plan.cpp);
// docs/RUNTIME.md describes the same layout for other readers.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_RUNTIME_PLANFORMAT_H
#define TERN_RUNTIME_PLANFORMAT_H

#include <cstddef>
#include <cstdint>

namespace tern::plan {

inline constexpr char kMagic[8] = {'T', 'E', 'R', 'N', 'P', 'L', 'A', 'N'};
/// Bumped on any change a reader of the previous version would misread.
inline constexpr uint32_t kFormatVersion = 5;
inline constexpr uint64_t kHeaderSize = 64;
/// Alignment of the weight blob in the file and of each weight in it.
inline constexpr uint64_t kWeightAlignment = 64;

/// The header as it lies on disk (x86-64 and AArch64 are little-endian;
/// PlanFormat.cpp static-asserts the layout).
struct Header {
  char magic[8];
  uint32_t formatVersion;
  uint32_t headerSize;
  uint64_t manifestOffset;
  uint64_t manifestSize;
  uint64_t weightsOffset;
  uint64_t weightsSize;
  uint64_t fileSize;
  uint64_t checksum;
};
static_assert(sizeof(Header) == kHeaderSize, "the header is 64 bytes on disk");
static_assert(offsetof(Header, checksum) == 56, "the checksum is the last header field");

/// Offset of the checksum field, which the checksum covers as zeros.
inline constexpr uint64_t kChecksumOffset = offsetof(Header, checksum);

inline constexpr uint64_t alignToWeights(uint64_t value) {
  return (value + kWeightAlignment - 1) / kWeightAlignment * kWeightAlignment;
}

} // namespace tern::plan

#endif // TERN_RUNTIME_PLANFORMAT_H
