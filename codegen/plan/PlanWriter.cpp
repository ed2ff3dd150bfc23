//===- PlanWriter.cpp - Streams a plan file to disk -----------------------===//
#include "codegen/plan/PlanWriter.h"
#include "codegen/plan/BackgroundWriter.h"

#include "ir/BlockQuantization.h"
#include "ir/TernDialect.h"

#include "runtime/PlanChecksum.h"
#include "runtime/PlanFormat.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <optional>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace mlir::tern {
namespace plan = ::tern::plan;

namespace {

/// Checksums the plan's bytes as they are produced, in order, and writes them
/// on a second thread (BackgroundWriter). Small writes gather in a staging
/// buffer; weight data mapped from a checkpoint goes to the writer as it is.
class ChecksummedStream {
public:
  explicit ChecksummedStream(llvm::raw_ostream &os) : writer(os) {}

  /// Copies `bytes` (headers, padding, splats).
  void write(llvm::ArrayRef<uint8_t> bytes) {
    checksum.update(bytes);
    offset += bytes.size();
    while (!bytes.empty()) {
      if (staging.empty())
        staging = writer.takeBuffer(kStagingBytes);
      size_t n = std::min(bytes.size(), kStagingBytes - staged);
      std::memcpy(staging.data() + staged, bytes.data(), n);
      staged += n;
      bytes = bytes.drop_front(n);
      if (staged == kStagingBytes)
        flushStaging();
    }
  }
  /// Writes `bytes` without copying them; `written` runs once they are
  /// written (on the writer thread), after which they may go.
  void writeBorrowed(llvm::ArrayRef<char> bytes, llvm::unique_function<void()> written) {
    checksum.update(llvm::ArrayRef(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size()));
    offset += bytes.size();
    flushStaging();
    // In pieces, so that the writer's queue bounds what is read ahead.
    while (bytes.size() > kPieceBytes) {
      writer.write(bytes.take_front(kPieceBytes));
      bytes = bytes.drop_front(kPieceBytes);
    }
    writer.write(bytes, std::move(written));
  }
  /// A buffer for writeBuffer.
  std::vector<char> takeBuffer(size_t size) { return writer.takeBuffer(size); }
  /// Writes the first `size` bytes of `buffer` (from takeBuffer).
  void writeBuffer(std::vector<char> buffer, size_t size) {
    checksum.update(llvm::ArrayRef(reinterpret_cast<const uint8_t *>(buffer.data()), size));
    offset += size;
    flushStaging();
    writer.writeBuffer(std::move(buffer), size);
  }
  void padTo(uint64_t target) {
    static const uint8_t zeros[plan::kWeightAlignment] = {};
    while (offset < target)
      write(llvm::ArrayRef(zeros, std::min<uint64_t>(target - offset, sizeof(zeros))));
  }
  /// Waits until everything is written.
  void finish() {
    flushStaging();
    writer.finish();
  }
  uint64_t getOffset() const { return offset; }
  uint64_t finalChecksum() { return checksum.final(); }

private:
  static constexpr size_t kStagingBytes = size_t(1) << 20, kPieceBytes = size_t(16) << 20;

  void flushStaging() {
    if (staged > 0)
      writer.writeBuffer(std::move(staging), staged);
    staging = {};
    staged = 0;
  }

  BackgroundWriter writer;
  plan::PlanChecksum checksum;
  uint64_t offset = 0;
  std::vector<char> staging;
  size_t staged = 0;
};

/// Asks the kernel to drop the pages of `bytes` from this process once they
/// are written: weights mapped from external data otherwise stay resident
/// until exit, and the peak would grow with every weight instead of the
/// largest one. MADV_PAGEOUT never changes contents (heap pages are at most
/// swapped), so it is safe whatever backs the blob; failure only means the
/// pages stay.
void releaseWrittenPages(llvm::ArrayRef<char> bytes) {
#if defined(__linux__) && defined(MADV_PAGEOUT)
  static const uintptr_t page = sysconf(_SC_PAGESIZE);
  uintptr_t begin = llvm::alignTo(reinterpret_cast<uintptr_t>(bytes.data()), page);
  uintptr_t end = llvm::alignDown(reinterpret_cast<uintptr_t>(bytes.data()) + bytes.size(), page);
  if (begin < end)
    (void)madvise(reinterpret_cast<void *>(begin), end - begin, MADV_PAGEOUT);
#else
  (void)bytes;
#endif
}

/// The bytes of dense or dense_resource data, with `splat` set when they
/// hold one element for all.
llvm::Expected<llvm::ArrayRef<char>> getRawData(ElementsAttr data, bool &splat) {
  splat = false;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(data)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return llvm::createStringError("weight data was released before the plan was written");
    return blob->getData();
  }
  auto dense = dyn_cast<DenseElementsAttr>(data);
  if (!dense || dense.getElementType().isInteger(1))
    return llvm::createStringError("weight data of an unsupported kind");
  splat = dense.isSplat();
  return dense.getRawData();
}

/// #tern.block_quantized's bytes (its FP8 data or its f32 scales), computed
/// from its mapped source one block row at a time and handed to `emit`.
llvm::Error quantizeBlocks(BlockQuantizedElementsAttr quantized,
                           llvm::function_ref<void(llvm::ArrayRef<char>)> emit) {
  bool splat;
  llvm::Expected<llvm::ArrayRef<char>> source = getRawData(quantized.getSource(), splat);
  if (!source)
    return source.takeError();
  auto type = cast<ShapedType>(quantized.getSource().getType());
  Type element = type.getElementType();
  using Element = QuantizationSource::Element;
  QuantizationSource matrix{source->data(),
                            element.isBF16()  ? Element::BF16
                            : element.isF16() ? Element::F16
                                              : Element::F32,
                            splat, type.getDimSize(0), type.getDimSize(1)};
  int64_t blockRows = quantized.getBlockRows(), blockCols = quantized.getBlockCols();
  std::vector<float> scales(llvm::divideCeil(matrix.cols, blockCols));
  std::vector<uint8_t> data(quantized.getScales() ? 0 : blockRows * matrix.cols);
  for (int64_t blockRow = 0, e = llvm::divideCeil(matrix.rows, blockRows); blockRow < e;
       ++blockRow) {
    quantizeBlockRow(matrix, blockRows, blockCols, blockRow, scales.data(),
                     data.empty() ? nullptr : data.data());
    if (quantized.getScales()) {
      emit({reinterpret_cast<const char *>(scales.data()), scales.size() * sizeof(float)});
      continue;
    }
    int64_t rows = std::min(blockRows, matrix.rows - blockRow * blockRows);
    emit({reinterpret_cast<const char *>(data.data()), size_t(rows * matrix.cols)});
  }
  if (!splat)
    releaseWrittenPages(*source);
  return llvm::Error::success();
}

/// #tern.block_dequantized's bf16 bytes, computed from its mapped FP8 data
/// and scales a few rows at a time and handed to `emit`.
llvm::Error dequantizeBlocks(BlockDequantizedElementsAttr dequantized,
                             llvm::function_ref<void(llvm::ArrayRef<char>)> emit) {
  bool dataSplat, scalesSplat;
  llvm::Expected<llvm::ArrayRef<char>> data = getRawData(dequantized.getData(), dataSplat);
  if (!data)
    return data.takeError();
  llvm::Expected<llvm::ArrayRef<char>> scales = getRawData(dequantized.getScales(), scalesSplat);
  if (!scales)
    return scales.takeError();
  if (dataSplat || scalesSplat)
    return llvm::createStringError("block_dequantized weight data of an unsupported kind (splat)");
  ArrayRef<int64_t> shape = dequantized.getType().getShape();
  int64_t rows = shape[0], cols = shape[1];
  int64_t chunkRows = std::clamp<int64_t>((int64_t(4) << 20) / std::max<int64_t>(cols, 1), 1,
                                          std::max<int64_t>(rows, 1));
  std::vector<uint16_t> chunk(chunkRows * cols);
  for (int64_t first = 0; first < rows; first += chunkRows) {
    int64_t count = std::min(chunkRows, rows - first);
    dequantizeRows(reinterpret_cast<const uint8_t *>(data->data()),
                   reinterpret_cast<const float *>(scales->data()), cols,
                   dequantized.getBlockRows(), dequantized.getBlockCols(), first, count,
                   chunk.data());
    emit({reinterpret_cast<const char *>(chunk.data()), size_t(count * cols) * 2});
  }
  releaseWrittenPages(*data);
  return llvm::Error::success();
}

llvm::Error packPanels(PackedPanelsElementsAttr packed,
                       llvm::function_ref<void(llvm::ArrayRef<char>)> emit);

/// The bytes of a weight the plan writer computes (#tern.block_quantized,
/// #tern.block_dequantized, #tern.packed_panels), handed to `emit` in order;
/// nullopt for data it stores as it is.
std::optional<llvm::Error> computeElements(ElementsAttr data,
                                           llvm::function_ref<void(llvm::ArrayRef<char>)> emit) {
  if (auto quantized = dyn_cast<BlockQuantizedElementsAttr>(data))
    return quantizeBlocks(quantized, emit);
  if (auto dequantized = dyn_cast<BlockDequantizedElementsAttr>(data))
    return dequantizeBlocks(dequantized, emit);
  if (auto packed = dyn_cast<PackedPanelsElementsAttr>(data))
    return packPanels(packed, emit);
  return std::nullopt;
}

/// The bytes of a weight a transposition reads whole: its own (getRawData)
/// or, for a computed weight, computed into `owned`.
llvm::Expected<llvm::ArrayRef<char>> getOrComputeData(ElementsAttr data, bool &splat,
                                                      std::vector<char> &owned) {
  splat = false;
  owned.clear();
  std::optional<llvm::Error> computed = computeElements(data, [&](llvm::ArrayRef<char> bytes) {
    owned.insert(owned.end(), bytes.begin(), bytes.end());
  });
  if (!computed)
    return getRawData(data, splat);
  if (*computed)
    return std::move(*computed);
  return llvm::ArrayRef<char>(owned);
}

/// Panels [first, first + count) of a [K, N] matrix (`transposed`: [N, K])
/// of `Element`s, each [K, columns] with zeros past N, into `out`.
template <typename Element>
void packPanelsInto(const char *source, bool splat, bool transposed, int64_t rows, int64_t n,
                    int64_t columns, int64_t first, int64_t count, char *out) {
  auto *in = reinterpret_cast<const Element *>(source);
  auto *panels = reinterpret_cast<Element *>(out);
  auto load = [&](int64_t index) {
    Element value;
    std::memcpy(&value, in + (splat ? 0 : index), sizeof(Element));
    return value;
  };
  std::fill_n(panels, count * rows * columns, Element());
  for (int64_t p = first; p < first + count; ++p) {
    Element *panel = panels + (p - first) * rows * columns;
    int64_t width = std::min(columns, n - p * columns);
    // Each side read in memory order: a [K, N] source along its rows' runs
    // of the panel's columns, an [N, K] one along each column's row.
    if (transposed) {
      for (int64_t c = 0; c < width; ++c)
        for (int64_t k = 0; k < rows; ++k)
          panel[k * columns + c] = load((p * columns + c) * rows + k);
    } else {
      for (int64_t k = 0; k < rows; ++k)
        for (int64_t c = 0; c < width; ++c)
          panel[k * columns + c] = load(k * n + p * columns + c);
    }
  }
}

/// #tern.packed_panels' bytes, packed from its source (mapped, or computed
/// first) a few MiB of panels at a time and handed to `emit`.
llvm::Error packPanels(PackedPanelsElementsAttr packed,
                       llvm::function_ref<void(llvm::ArrayRef<char>)> emit) {
  bool splat;
  std::vector<char> owned;
  llvm::Expected<llvm::ArrayRef<char>> source = getOrComputeData(packed.getSource(), splat, owned);
  if (!source)
    return source.takeError();
  ArrayRef<int64_t> shape = packed.getType().getShape();
  int64_t panels = shape[0], rows = shape[1], columns = shape[2];
  int64_t n =
      cast<ShapedType>(packed.getSource().getType()).getDimSize(packed.getTransposed() ? 0 : 1);
  uint64_t elementBytes = packed.getType().getElementTypeBitWidth() / 8;
  auto pack = elementBytes == 1   ? packPanelsInto<uint8_t>
              : elementBytes == 2 ? packPanelsInto<uint16_t>
              : elementBytes == 4 ? packPanelsInto<uint32_t>
                                  : packPanelsInto<uint64_t>;
  uint64_t panelBytes = rows * columns * elementBytes;
  int64_t chunkPanels =
      std::clamp<int64_t>((int64_t(4) << 20) / std::max<uint64_t>(panelBytes, 1), 1, panels);
  std::vector<char> chunk(chunkPanels * panelBytes);
  for (int64_t first = 0; first < panels; first += chunkPanels) {
    int64_t count = std::min(chunkPanels, panels - first);
    pack(source->data(), splat, packed.getTransposed(), rows, n, columns, first, count,
         chunk.data());
    emit({chunk.data(), size_t(count * panelBytes)});
  }
  if (!splat && owned.empty())
    releaseWrittenPages(*source);
  return llvm::Error::success();
}

#if defined(__SSE2__)
/// out[c * outStride + r] = in[r * inStride + c] for an 8 x 8 block of
/// 16-bit elements (bf16 and f16 weights, most of a checkpoint), in
/// registers: three rounds of interleaving, twice as fast as element by
/// element on the development machine.
void transpose8x8(const uint16_t *in, int64_t inStride, uint16_t *out, int64_t outStride) {
  __m128i a[8], b[8], c[8];
  for (int i = 0; i < 8; ++i)
    a[i] = _mm_loadu_si128(reinterpret_cast<const __m128i *>(in + i * inStride));
  for (int i = 0; i < 4; ++i) {
    b[2 * i] = _mm_unpacklo_epi16(a[2 * i], a[2 * i + 1]);
    b[2 * i + 1] = _mm_unpackhi_epi16(a[2 * i], a[2 * i + 1]);
  }
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) {
      c[4 * i + 2 * j] = _mm_unpacklo_epi32(b[4 * i + j], b[4 * i + j + 2]);
      c[4 * i + 2 * j + 1] = _mm_unpackhi_epi32(b[4 * i + j], b[4 * i + j + 2]);
    }
  for (int i = 0; i < 4; ++i) {
    _mm_storeu_si128(reinterpret_cast<__m128i *>(out + (2 * i) * outStride),
                     _mm_unpacklo_epi64(c[i], c[i + 4]));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(out + (2 * i + 1) * outStride),
                     _mm_unpackhi_epi64(c[i], c[i + 4]));
  }
}
#endif

/// Rows [firstRow, firstRow + blockRows) of the transpose of a [partRows,
/// cols] part, into columns [offset, offset + partRows) of a block of
/// `rows`-element rows: block[c - firstRow][offset + r] = part[r][c].
template <typename Element>
void transposeInto(const char *part, int64_t partRows, int64_t cols, int64_t firstRow,
                   int64_t blockRows, int64_t rows, int64_t offset, bool splat, char *block) {
  auto *out = reinterpret_cast<Element *>(block);
  auto *in = reinterpret_cast<const Element *>(part);
  auto load = [](const Element *from) {
    Element value;
    std::memcpy(&value, from, sizeof(Element));
    return value;
  };
  if (splat) {
    Element value = load(in);
    for (int64_t c = 0; c < blockRows; ++c)
      std::fill_n(out + c * rows + offset, partRows, value);
    return;
  }
  // In square tiles, so that both the rows read and the rows written stay in
  // the cache: walking whole rows of one side strides through the other a
  // row (often a page) per element, which made this loop most of a large
  // checkpoint's compile time.
  constexpr int64_t kTile = 64;
  for (int64_t r0 = 0; r0 < partRows; r0 += kTile)
    for (int64_t c0 = 0; c0 < blockRows; c0 += kTile) {
      int64_t rEnd = std::min(r0 + kTile, partRows), cEnd = std::min(c0 + kTile, blockRows);
      // Whole 8 x 8 blocks of 16-bit elements in registers, the rest below.
      int64_t rBlocks = r0, cBlocks = c0;
#if defined(__SSE2__)
      if constexpr (sizeof(Element) == 2) {
        rBlocks = r0 + (rEnd - r0) / 8 * 8;
        cBlocks = c0 + (cEnd - c0) / 8 * 8;
        for (int64_t r = r0; r < rBlocks; r += 8)
          for (int64_t c = c0; c < cBlocks; c += 8)
            transpose8x8(reinterpret_cast<const uint16_t *>(in + r * cols + firstRow + c), cols,
                         reinterpret_cast<uint16_t *>(out + c * rows + offset + r), rows);
      }
#endif
      for (int64_t r = r0; r < rEnd; ++r) {
        const Element *row = in + r * cols + firstRow;
        // Where the blocks covered the row's columns up to cBlocks, only
        // the rest of it is left.
        for (int64_t c = r < rBlocks ? cBlocks : c0; c < cEnd; ++c)
          out[c * rows + offset + r] = load(row + c);
      }
    }
}

/// Rows [firstRow, firstRow + blockRows) of a [cols, partRows] part given
/// transposed already, into columns [offset, offset + partRows) of a block
/// of `rows`-element rows: block[c - firstRow][offset + r] = part[c][r].
void placeInto(const char *part, int64_t partRows, int64_t firstRow, int64_t blockRows,
               int64_t rows, int64_t offset, bool splat, uint64_t elementBytes, char *block) {
  for (int64_t c = 0; c < blockRows; ++c) {
    char *out = block + (c * rows + offset) * elementBytes;
    if (!splat) {
      std::memcpy(out, part + (firstRow + c) * partRows * elementBytes, partRows * elementBytes);
      continue;
    }
    for (int64_t r = 0; r < partRows; ++r)
      std::memcpy(out + r * elementBytes, part, elementBytes);
  }
}

/// #tern.concat_elements with transposed groups: per expert, its G parts
/// [r_g, C] transposed (or [C, r_g] as they are, partsTransposed) side by
/// side into a [C, R] block, written a few rows of the block at a time (at
/// most about 16 MiB in memory, however large the weight: an LM head is
/// hundreds of MB); each part's row is read one contiguous run at a time.
llvm::Error writeTransposedGroups(ConcatElementsAttr concat, ChecksummedStream &out) {
  ArrayRef<int64_t> shape = concat.getType().getShape();
  int64_t rank = shape.size();
  int64_t experts = rank == 3 ? shape[0] : 1, cols = shape[rank - 2], rows = shape[rank - 1];
  int64_t groups = concat.getTransposedGroups();
  uint64_t elementBytes = concat.getType().getElementTypeBitWidth() / 8;
  if (experts * cols * rows == 0)
    return llvm::Error::success();
  if (!llvm::is_contained({1u, 2u, 4u, 8u}, unsigned(elementBytes)))
    return llvm::createStringError("transposed weight data of an unsupported element size");
  auto transpose = elementBytes == 1   ? transposeInto<uint8_t>
                   : elementBytes == 2 ? transposeInto<uint16_t>
                   : elementBytes == 4 ? transposeInto<uint32_t>
                                       : transposeInto<uint64_t>;
  int64_t chunkRows = std::clamp<int64_t>((int64_t(16) << 20) / (rows * elementBytes), 1, cols);
  SmallVector<llvm::ArrayRef<char>> data(groups);
  SmallVector<bool> splats(groups);
  std::vector<std::vector<char>> computed(groups);
  for (int64_t e = 0; e < experts; ++e) {
    for (int64_t g = 0; g < groups; ++g) {
      bool splat;
      llvm::Expected<llvm::ArrayRef<char>> bytes = getOrComputeData(
          cast<ElementsAttr>(concat.getParts()[e * groups + g]), splat, computed[g]);
      if (!bytes)
        return bytes.takeError();
      data[g] = *bytes;
      splats[g] = splat;
    }
    for (int64_t first = 0; first < cols; first += chunkRows) {
      int64_t blockRows = std::min(chunkRows, cols - first), offset = 0;
      std::vector<char> block = out.takeBuffer(blockRows * rows * elementBytes);
      for (int64_t g = 0; g < groups; ++g) {
        auto part = cast<ElementsAttr>(concat.getParts()[e * groups + g]);
        bool asStored = concat.getPartsTransposed();
        int64_t partRows = cast<ShapedType>(part.getType()).getDimSize(asStored ? 1 : 0);
        if (asStored)
          placeInto(data[g].data(), partRows, first, blockRows, rows, offset, splats[g],
                    elementBytes, block.data());
        else
          transpose(data[g].data(), partRows, cols, first, blockRows, rows, offset, splats[g],
                    block.data());
        offset += partRows;
      }
      out.writeBuffer(std::move(block), blockRows * rows * elementBytes);
    }
    // Computed data is the heap's, not the checkpoint's.
    for (auto [bytes, owned] : llvm::zip_equal(data, computed))
      if (owned.empty())
        releaseWrittenPages(bytes);
  }
  return llvm::Error::success();
}

/// Streams the bytes of one weight as the runtime lays them out: dense
/// storage, splats repeated, booleans one byte each, concatenations part by
/// part.
llvm::Error writeElements(ElementsAttr data, uint64_t size, ChecksummedStream &out) {
  uint64_t start = out.getOffset();
  if (auto concat = dyn_cast<ConcatElementsAttr>(data)) {
    if (concat.getTransposedGroups() > 0) {
      if (llvm::Error error = writeTransposedGroups(concat, out))
        return error;
    } else {
      uint64_t elementBytes = size / std::max<int64_t>(1, concat.getType().getNumElements());
      for (Attribute part : concat.getParts()) {
        auto elements = cast<ElementsAttr>(part);
        if (llvm::Error error =
                writeElements(elements, elements.getNumElements() * elementBytes, out))
          return error;
      }
    }
  } else if (std::optional<llvm::Error> computed =
                 computeElements(data, [&](llvm::ArrayRef<char> bytes) {
                   out.write(llvm::ArrayRef(reinterpret_cast<const uint8_t *>(bytes.data()),
                                            bytes.size()));
                 })) {
    if (*computed)
      return std::move(*computed);
  } else if (auto dense = dyn_cast<DenseElementsAttr>(data);
             dense && dense.getElementType().isInteger(1)) {
    for (bool value : dense.getValues<bool>())
      out.write(uint8_t(value));
  } else {
    bool splat;
    llvm::Expected<llvm::ArrayRef<char>> raw = getRawData(data, splat);
    if (!raw)
      return raw.takeError();
    auto bytes = llvm::ArrayRef(reinterpret_cast<const uint8_t *>(raw->data()), raw->size());
    if (splat) {
      for (int64_t i = 0, e = data.getNumElements(); i < e; ++i)
        out.write(bytes);
    } else if (isa<DenseResourceElementsAttr>(data)) {
      // The resource's blob (the mapped checkpoint) outlives the plan writer.
      out.writeBorrowed(*raw, [raw = *raw] { releaseWrittenPages(raw); });
    } else {
      out.write(bytes);
    }
  }
  if (out.getOffset() - start != size)
    return llvm::createStringError(llvm::formatv("weight data is {0} bytes, its type needs {1}",
                                                 out.getOffset() - start, size));
  return llvm::Error::success();
}

llvm::Error writeContents(llvm::raw_pwrite_stream &os, const PlanContents &contents,
                          WeightProgressFn onWeightWritten) {
  std::string manifest;
  if (!contents.manifest.SerializeToString(&manifest))
    return llvm::createStringError("cannot serialize the plan manifest");

  const auto &weights = contents.manifest.weights();
  uint64_t weightsSize = 0;
  for (const plan::Weight &weight : weights)
    weightsSize = std::max<uint64_t>(weightsSize, weight.offset() + weight.size());

  plan::Header header = {};
  std::memcpy(header.magic, plan::kMagic, sizeof(header.magic));
  header.formatVersion = plan::kFormatVersion;
  header.headerSize = plan::kHeaderSize;
  header.manifestOffset = plan::kHeaderSize;
  header.manifestSize = manifest.size();
  header.weightsOffset = plan::alignToWeights(plan::kHeaderSize + manifest.size());
  header.weightsSize = weightsSize;
  header.fileSize = header.weightsOffset + weightsSize;

  ChecksummedStream out(os);
  out.write(llvm::ArrayRef(reinterpret_cast<const uint8_t *>(&header), sizeof(header)));
  out.write(llvm::ArrayRef(reinterpret_cast<const uint8_t *>(manifest.data()), manifest.size()));
  for (auto [weight, data] : llvm::zip_equal(weights, contents.weightData)) {
    out.padTo(header.weightsOffset + weight.offset());
    if (llvm::Error error = writeElements(data, weight.size(), out)) {
      out.finish();
      return llvm::createStringError("weight '" + weight.name() +
                                     "': " + llvm::toString(std::move(error)));
    }
    if (onWeightWritten)
      onWeightWritten(weight.offset() + weight.size(), weightsSize);
  }
  out.padTo(header.fileSize);
  out.finish();

  header.checksum = out.finalChecksum();
  os.pwrite(reinterpret_cast<const char *>(&header), sizeof(header), 0);
  return llvm::Error::success();
}

} // namespace

llvm::Error writePlanFile(llvm::StringRef path, const PlanContents &contents,
                          WeightProgressFn onWeightWritten) {
  if (path == "-")
    return llvm::createStringError("a plan is binary and is written to a file: pass -o FILE");
  llvm::Expected<llvm::sys::fs::TempFile> temp =
      llvm::sys::fs::TempFile::create(path + ".tmp-%%%%%%");
  if (!temp)
    return temp.takeError();
  llvm::Error error = llvm::Error::success();
  {
    llvm::raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    error = writeContents(os, contents, onWeightWritten);
    os.flush();
    if (!error && os.has_error())
      error = llvm::createStringError(os.error(), "cannot write '" + path + "'");
    os.clear_error();
  }
  if (error)
    return llvm::joinErrors(std::move(error), temp->discard());
  return temp->keep(path);
}

} // namespace mlir::tern
