//===- Npy.h - NumPy .npy files in and out -----------------------*- C++ -*-===//
#ifndef TERN_TOOLS_TERNRUN_NPY_H
#define TERN_TOOLS_TERNRUN_NPY_H

#include "runtime/plan.pb.h"

#include "llvm/Support/Error.h"

#include <vector>

namespace tern {

/// A C-ordered array read from or written to a .npy file.
struct NpyArray {
  plan::DType dtype = plan::DTYPE_UNSPECIFIED;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;
  /// Read from '<u2' or '|u1': the bits of a bf16 or FP8 tensor (dtype is
  /// then BF16 or F8E4M3FN; an FP8 E5M2 input takes the same bytes).
  bool bitPattern = false;
};

/// Reads format versions 1-3 with little-endian f4, f2, i8, i4, i1, b1 data,
/// and u2/u1 as the bits of bf16/FP8. Errors name the
/// file and what is wrong (bad magic, truncated header or data, Fortran
/// order, an unsupported dtype, sizes that overflow).
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);

/// Writes a version 1.0 file, or a .npy of raw bytes for dtypes NumPy lacks
/// (bf16 and FP8 as '<u2'/'|u1' bit patterns). Atomic: no partial file.
llvm::Error writeNpy(llvm::StringRef path, plan::DType dtype, llvm::ArrayRef<int64_t> shape,
                     llvm::ArrayRef<uint8_t> data);

} // namespace tern

#endif // TERN_TOOLS_TERNRUN_NPY_H
