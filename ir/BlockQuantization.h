//===- BlockQuantization.h - FP8 weights in blocks, DeepSeek's way -*- C++ -*-===//
//
// What #tern.block_quantized (TernAttrs.td) denotes, computed: the plan
// writer quantizes a weight with it as it writes the plan. Plain C++, one
// block row at a time, so that a weight of any size is quantized in a
// bounded buffer.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_IR_BLOCKQUANTIZATION_H
#define TERN_IR_BLOCKQUANTIZATION_H

#include <cstdint>

namespace mlir::tern {

/// The largest finite FP8 E4M3FN value; a block's scale maps its amax to it.
inline constexpr float kE4M3Max = 448.0f;
/// The amax of a block of zeros is taken as this, so its scale is not 0.
inline constexpr float kBlockAmaxFloor = 1e-12f;
/// DeepSeek-V3's act_quant: an activation block's amax is at least this
/// (tern-quantize-activations, moe_experts' activation_block).
inline constexpr float kActivationAmaxFloor = 1e-4f;

/// f32 to FP8 E4M3FN, rounded to nearest even and saturated at +-448 (an
/// infinity too); NaN stays NaN.
uint8_t roundToE4M3(float value);

/// A row-major [rows, cols] matrix of bf16, f16 or f32 elements; a splat
/// holds one element for all.
struct QuantizationSource {
  enum class Element { BF16, F16, F32 };
  const char *data;
  Element element;
  bool splat;
  int64_t rows, cols;

  float at(int64_t row, int64_t col) const;
};

/// Block row `blockRow` of `source` in blocks of [blockRows, blockCols]:
/// the scales of its blocks (ceil(cols / blockCols) floats, `scale =
/// max(amax, kBlockAmaxFloor) / kE4M3Max` in f32) into `scales`, and, unless
/// `data` is null, its rows' E4M3 bytes (`roundToE4M3(w / scale)`),
/// row-major, into `data`.
void quantizeBlockRow(const QuantizationSource &source, int64_t blockRows, int64_t blockCols,
                      int64_t blockRow, float *scales, uint8_t *data);

/// An FP8 E4M3FN value as f32 (exact).
float widenE4M3(uint8_t value);

/// f32 to bf16, rounded to nearest even; NaN stays NaN.
uint16_t roundToBF16(float value);

/// Rows [firstRow, firstRow + rows) of the bf16 matrix of E4M3 `data`
/// ([*, cols]) times its block `scales` (f32, ceil(cols / blockCols) per
/// block row): `roundToBF16(widenE4M3(q) * scale)`, row-major into `out`.
void dequantizeRows(const uint8_t *data, const float *scales, int64_t cols, int64_t blockRows,
                    int64_t blockCols, int64_t firstRow, int64_t rows, uint16_t *out);

} // namespace mlir::tern

#endif // TERN_IR_BLOCKQUANTIZATION_H
