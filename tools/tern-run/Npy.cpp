//===- Npy.cpp - NumPy .npy files in and out ------------------------------===//
//
// The format: "\x93NUMPY", major and minor version bytes, a little-endian
// header length (2 bytes in 1.0, 4 in 2.0 and 3.0), then a Python dict
// literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces, then the raw data.
//
//===----------------------------------------------------------------------===//
#include "tools/tern-run/Npy.h"

#include "runtime/Plan.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

namespace tern {

namespace {

struct DTypeCode {
  const char *descr;
  plan::DType dtype;
};
// bf16 and FP8 have no NumPy dtype: their bit patterns travel as unsigned.
const DTypeCode kCodes[] = {{"<f4", plan::F32},      {"<f2", plan::F16},  {"<f8", plan::F64},
                            {"<i8", plan::I64},      {"<i4", plan::I32},  {"<i2", plan::I16},
                            {"|i1", plan::I8},       {"|b1", plan::BOOL}, {"<u2", plan::BF16},
                            {"|u1", plan::F8E4M3FN}, {"<u4", plan::U32},  {"<u8", plan::U64}};

/// The value of `'key': ` in the header dict, up to the next top-level comma.
std::optional<llvm::StringRef> findValue(llvm::StringRef header, llvm::StringRef key) {
  size_t at = header.find(("'" + key + "'").str());
  if (at == llvm::StringRef::npos)
    return std::nullopt;
  llvm::StringRef rest = header.drop_front(at + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  rest = rest.ltrim();
  if (rest.starts_with("("))
    return rest.take_until([](char c) { return c == ')'; }).drop_front();
  return rest.take_until([](char c) { return c == ',' || c == '}'; }).trim();
}

} // namespace

llvm::Expected<NpyArray> readNpy(llvm::StringRef path) {
  auto fail = [&](const llvm::Twine &message) -> llvm::Error {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), path + ": " + message);
  };
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail("cannot read: " + buffer.getError().message());
  llvm::StringRef file = (*buffer)->getBuffer();
  if (!file.starts_with("\x93NUMPY") || file.size() < 10)
    return fail("not a .npy file (no \\x93NUMPY magic)");
  uint8_t major = file[6];
  uint64_t headerLength, dataStart;
  if (major == 1) {
    headerLength = uint8_t(file[8]) | uint64_t(uint8_t(file[9])) << 8;
    dataStart = 10 + headerLength;
  } else if (major == 2 || major == 3) {
    if (file.size() < 12)
      return fail("truncated header");
    headerLength = 0;
    for (int i = 0; i < 4; ++i)
      headerLength |= uint64_t(uint8_t(file[8 + i])) << (8 * i);
    dataStart = 12 + headerLength;
  } else {
    return fail(llvm::formatv("unsupported .npy format version {0}", major));
  }
  if (dataStart > file.size())
    return fail("truncated header");
  llvm::StringRef header = file.slice(dataStart - headerLength, dataStart);

  NpyArray array;
  std::optional<llvm::StringRef> descr = findValue(header, "descr");
  std::optional<llvm::StringRef> order = findValue(header, "fortran_order");
  std::optional<llvm::StringRef> shape = findValue(header, "shape");
  if (!descr || !order || !shape)
    return fail("the header lacks descr, fortran_order or shape");
  if (*order != "False")
    return fail("Fortran-ordered arrays are not supported (save with np.ascontiguousarray)");
  llvm::StringRef code = descr->trim("'\"");
  for (const DTypeCode &known : kCodes)
    if (code == known.descr)
      array.dtype = known.dtype;
  array.bitPattern = code == "<u2" || code == "|u1";
  if (array.dtype == plan::DTYPE_UNSPECIFIED)
    return fail("unsupported dtype '" + code +
                "' (expected <f4, <f2, <f8, <i8, <i4, <i2, |i1, |b1, <u8, <u4, or <u2 and |u1 for "
                "16- and 8-bit unsigned integers and the bits of bf16 and FP8)");
  uint64_t bytes = getDTypeSize(array.dtype);
  llvm::SmallVector<llvm::StringRef> dims;
  shape->split(dims, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef dim : dims) {
    int64_t value;
    if (dim.trim().getAsInteger(10, value) || value < 0)
      return fail("bad shape (" + *shape + ")");
    bool overflow = false;
    bytes = llvm::SaturatingMultiply(bytes, uint64_t(value), &overflow);
    if (overflow)
      return fail("the shape's size overflows");
    array.shape.push_back(value);
  }
  if (file.size() - dataStart != bytes)
    return fail(llvm::formatv("holds {0} data bytes, its shape {1} needs {2}",
                              file.size() - dataStart, formatShape(array.shape), bytes));
  array.data.assign(file.bytes_begin() + dataStart, file.bytes_end());
  return array;
}

llvm::Error writeNpy(llvm::StringRef path, plan::DType dtype, llvm::ArrayRef<int64_t> shape,
                     llvm::ArrayRef<uint8_t> data) {
  const char *descr = "|u1";
  for (const DTypeCode &known : kCodes)
    if (known.dtype == dtype)
      descr = known.descr;
  if (dtype == plan::F8E5M2 || dtype == plan::U8)
    descr = "|u1";
  if (dtype == plan::U16)
    descr = "<u2";
  std::string dims;
  for (int64_t dim : shape)
    dims += std::to_string(dim) + ",";
  if (shape.size() > 1)
    dims.pop_back(); // "(3,)" for rank 1, "(2,3)" otherwise
  std::string header =
      llvm::formatv("{{'descr': '{0}', 'fortran_order': False, 'shape': ({1}), }", descr, dims);
  // Data starts at a multiple of 64; the header ends with a newline.
  size_t total = llvm::alignTo(10 + header.size() + 1, 64);
  header.append(total - 10 - header.size() - 1, ' ');
  header += '\n';
  return llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
    os << "\x93NUMPY" << char(1) << char(0) << char(header.size() & 0xff)
       << char(header.size() >> 8) << header;
    os.write(reinterpret_cast<const char *>(data.data()), data.size());
    return llvm::Error::success();
  });
}

} // namespace tern
