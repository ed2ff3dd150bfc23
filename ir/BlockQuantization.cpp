//===- BlockQuantization.cpp - FP8 weights in blocks, DeepSeek's way -------===//
#include "ir/BlockQuantization.h"

#include "llvm/ADT/bit.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace mlir::tern {

uint8_t roundToE4M3(float value) {
  // Branch-free, so that the loops calling it vectorize.
  uint32_t bits = llvm::bit_cast<uint32_t>(value);
  uint32_t sign = (bits >> 24) & 0x80;
  uint32_t magnitude = bits & 0x7FFFFFFF;
  float absolute = llvm::bit_cast<float>(magnitude);
  // Normal: keep 3 of f32's 23 mantissa bits, the 20 dropped rounded to
  // nearest even; a carry moves into the exponent. Rebias 127 -> 7.
  uint32_t normal = ((magnitude + 0x7FFFF + ((magnitude >> 20) & 1)) >> 20) - ((127 - 7) << 3);
  // Below the smallest normal, 2^-6: multiples of 2^-9 (the scaling is
  // exact; 8 is the smallest normal's code), rounded to nearest even by
  // adding and taking away 2^23 (f32 addition rounds so; no libm call).
  float scaled = (absolute < 0x1p-6f ? absolute : 0x1p-6f) * 512.0f; // NaN: not converted
  uint32_t subnormal = uint32_t((scaled + 0x1p23f) - 0x1p23f);
  uint32_t code = absolute < 0x1p-6f ? subnormal : normal;
  code = absolute >= kE4M3Max ? 0x7E : code;
  code = magnitude > 0x7F800000 ? 0x7F : code;
  return uint8_t(sign | code);
}

/// An f16 value's bits as f32 (exact).
static float widenF16(uint16_t half) {
  uint32_t sign = uint32_t(half & 0x8000) << 16;
  uint32_t exponent = (half >> 10) & 0x1F, mantissa = half & 0x3FF;
  if (exponent == 0) // zero and subnormals: mantissa x 2^-24
    return llvm::bit_cast<float>(sign | llvm::bit_cast<uint32_t>(float(mantissa) * 0x1p-24f));
  if (exponent == 31)
    return llvm::bit_cast<float>(sign | 0x7F800000 | (mantissa << 13));
  return llvm::bit_cast<float>(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
}

float QuantizationSource::at(int64_t row, int64_t col) const {
  int64_t index = splat ? 0 : row * cols + col;
  if (element == Element::F32) {
    float value;
    std::memcpy(&value, data + index * 4, 4);
    return value;
  }
  uint16_t half;
  std::memcpy(&half, data + index * 2, 2);
  if (element == Element::F16)
    return widenF16(half);
  return llvm::bit_cast<float>(uint32_t(half) << 16);
}

void quantizeBlockRow(const QuantizationSource &source, int64_t blockRows, int64_t blockCols,
                      int64_t blockRow, float *scales, uint8_t *data) {
  int64_t firstRow = blockRow * blockRows;
  int64_t rows = std::min(blockRows, source.rows - firstRow), cols = source.cols;
  int64_t blocks = (cols + blockCols - 1) / blockCols;
  // The block row in f32 once; then each pass is a plain loop over it.
  thread_local std::vector<float> wide;
  wide.resize(rows * cols);
  for (int64_t row = 0; row < rows; ++row) {
    float *out = wide.data() + row * cols;
    if (source.splat) {
      std::fill_n(out, cols, source.at(0, 0));
    } else if (source.element == QuantizationSource::Element::BF16) {
      const char *in = source.data + (firstRow + row) * cols * 2;
      for (int64_t col = 0; col < cols; ++col) {
        uint16_t half;
        std::memcpy(&half, in + col * 2, 2);
        out[col] = llvm::bit_cast<float>(uint32_t(half) << 16);
      }
    } else {
      for (int64_t col = 0; col < cols; ++col)
        out[col] = source.at(firstRow + row, col);
    }
  }
  for (int64_t block = 0; block < blocks; ++block) {
    int64_t first = block * blockCols, last = std::min(first + blockCols, cols);
    float amax = 0.0f;
    for (int64_t row = 0; row < rows; ++row)
      for (int64_t col = first; col < last; ++col)
        amax = std::max(amax, std::fabs(wide[row * cols + col]));
    scales[block] = std::max(amax, kBlockAmaxFloor) / kE4M3Max;
  }
  if (!data)
    return;
  for (int64_t row = 0; row < rows; ++row)
    for (int64_t block = 0; block < blocks; ++block) {
      int64_t first = block * blockCols, last = std::min(first + blockCols, cols);
      float scale = scales[block];
      for (int64_t col = first; col < last; ++col)
        data[row * cols + col] = roundToE4M3(wide[row * cols + col] / scale);
    }
}

float widenE4M3(uint8_t value) {
  uint32_t sign = uint32_t(value & 0x80) << 24;
  uint32_t exponent = (value >> 3) & 0xF, mantissa = value & 0x7;
  if (exponent == 0xF && mantissa == 0x7)
    return llvm::bit_cast<float>(sign | 0x7FC00000);
  if (exponent == 0) // zero and subnormals: mantissa x 2^-9
    return llvm::bit_cast<float>(sign | llvm::bit_cast<uint32_t>(float(mantissa) * 0x1p-9f));
  return llvm::bit_cast<float>(sign | ((exponent + 127 - 7) << 23) | (mantissa << 20));
}

uint16_t roundToBF16(float value) {
  uint32_t bits = llvm::bit_cast<uint32_t>(value);
  if ((bits & 0x7FFFFFFF) > 0x7F800000)
    return uint16_t((bits >> 16) | 0x40);
  return uint16_t((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
}

void dequantizeRows(const uint8_t *data, const float *scales, int64_t cols, int64_t blockRows,
                    int64_t blockCols, int64_t firstRow, int64_t rows, uint16_t *out) {
  int64_t scaleCols = (cols + blockCols - 1) / blockCols;
  for (int64_t row = firstRow; row < firstRow + rows; ++row) {
    const float *rowScales = scales + row / blockRows * scaleCols;
    for (int64_t col = 0; col < cols; ++col)
      out[(row - firstRow) * cols + col] =
          roundToBF16(widenE4M3(data[row * cols + col]) * rowScales[col / blockCols]);
  }
}

} // namespace mlir::tern
