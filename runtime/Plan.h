//===- Plan.h - A loaded, validated .tplan -----------------------*- C++ -*-===//
//
// Part of the Tern runtime's C++ API (docs/RUNTIME.md). A Plan is immutable
// once loaded: every offset, size and index in it has been checked against
// the file and against each other, so executors index without checks.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_RUNTIME_PLAN_H
#define TERN_RUNTIME_PLAN_H

#include "runtime/plan.pb.h"
#include "target/Target.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <optional>
#include <string>

namespace tern {

/// Bytes per element of a plan dtype (booleans take a byte); 0 if invalid.
uint64_t getDTypeSize(plan::DType dtype);
/// "f32", "bf16", ...
const char *getDTypeName(plan::DType dtype);
/// Bytes of a tensor of `type` (a loaded plan's types never overflow).
uint64_t getTensorBytes(const plan::TensorType &type);
/// Bytes of one of a loaded plan's states.
inline uint64_t getStateSize(const plan::State &state) { return getTensorBytes(state.type()); }
/// "[2, 3]".
std::string formatShape(llvm::ArrayRef<int64_t> shape);
/// Whether elements of `dtype` are integers (booleans included): the dtypes
/// an input compiled for one value (plan::Tensor::compiled_value) may have.
bool isIntegerDType(plan::DType dtype);
/// Element `index` of integer `data` of `dtype` (isIntegerDType), widened
/// (u64 above 2^63 wraps to negative).
int64_t readIntegerElement(plan::DType dtype, const void *data, uint64_t index);

class Plan {
public:
  /// Maps `path` and validates it (runtime/PlanFormat.h; bad inputs 16-20 of
  /// docs/TESTING.md). Errors name the file and what is wrong.
  static llvm::Expected<std::unique_ptr<Plan>> load(llvm::StringRef path);
  /// Validates an in-memory image; `name` is used in errors.
  static llvm::Expected<std::unique_ptr<Plan>>
  fromBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer, llvm::StringRef name);

  const plan::Plan &getManifest() const { return manifest; }
  /// What the plan's code runs on (its manifest's target, which load()
  /// checked is one target/Target.h knows).
  const Target &getTarget() const { return *target; }
  /// The weight blob, 64-byte aligned in memory.
  llvm::ArrayRef<uint8_t> getWeights() const { return weights; }
  llvm::StringRef getName() const { return name; }
  uint64_t getFileSize() const { return buffer->getBufferSize(); }

  /// The entry point called `name` (its first specialization), or null.
  const plan::EntryPoint *findEntryPoint(llvm::StringRef name) const;
  /// The position of the entry point called `name` (its first
  /// specialization) in the manifest.
  std::optional<unsigned> findEntryPointIndex(llvm::StringRef name) const;
  /// The positions of every specialization of the entry point called
  /// `name`, in manifest order (one for an entry point compiled once).
  llvm::SmallVector<unsigned> findEntryPoints(llvm::StringRef name) const;
  /// Bytes of the largest entry point's arena: entry points run one at a
  /// time, so executors give them one arena of this size.
  uint64_t getLargestArenaSize() const;

private:
  Plan() = default;

  std::unique_ptr<llvm::MemoryBuffer> buffer;
  std::string name;
  plan::Plan manifest;
  std::optional<Target> target;
  llvm::ArrayRef<uint8_t> weights;
};

} // namespace tern

#endif // TERN_RUNTIME_PLAN_H
