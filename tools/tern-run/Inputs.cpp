//===- Inputs.cpp - tern-run's inputs: files, random values, choosing -----===//
#include "tools/tern-run/Inputs.h"

#include "runtime/EntryPoints.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"

#include <cstring>
#include <random>

namespace tern {

namespace {

/// The IEEE-style format of a floating-point plan dtype, or null.
const llvm::fltSemantics *getFloatSemantics(plan::DType dtype) {
  switch (dtype) {
  case plan::F32:
    return &llvm::APFloat::IEEEsingle();
  case plan::F64:
    return &llvm::APFloat::IEEEdouble();
  case plan::F16:
    return &llvm::APFloat::IEEEhalf();
  case plan::BF16:
    return &llvm::APFloat::BFloat();
  case plan::F8E4M3FN:
    return &llvm::APFloat::Float8E4M3FN();
  case plan::F8E5M2:
    return &llvm::APFloat::Float8E5M2();
  case plan::F8E4M3FNUZ:
    return &llvm::APFloat::Float8E4M3FNUZ();
  case plan::F8E5M2FNUZ:
    return &llvm::APFloat::Float8E5M2FNUZ();
  default:
    return nullptr;
  }
}

/// Floats uniform in [-1, 1) (rounded to the dtype), integers and booleans
/// in {0, 1}.
void fillRandom(NpyArray &array, std::mt19937 &generator) {
  uint64_t width = getDTypeSize(array.dtype);
  const llvm::fltSemantics *semantics = getFloatSemantics(array.dtype);
  std::uniform_real_distribution<float> real(-1.0f, 1.0f);
  std::uniform_int_distribution<int> small(0, 1);
  for (size_t offset = 0; offset < array.data.size(); offset += width) {
    uint64_t bits = small(generator);
    if (semantics) {
      llvm::APFloat value(real(generator));
      bool lost;
      value.convert(*semantics, llvm::APFloat::rmNearestTiesToEven, &lost);
      bits = value.bitcastToAPInt().getZExtValue();
    }
    // Little-endian: the low `width` bytes of `bits`.
    std::memcpy(&array.data[offset], &bits, width);
  }
}

llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// "seq, batch": the dimensions `entry` is specialized over.
std::string dimNames(const plan::EntryPoint &entry) {
  return llvm::join(llvm::map_range(entry.dims(), [](const auto &dim) { return dim.name(); }),
                    ", ");
}

/// Whether `entry` was compiled for every --dim value and takes the shapes
/// of the input files given.
llvm::Expected<bool> fitsChoices(const plan::EntryPoint &entry, llvm::ArrayRef<std::string> dims,
                                 const llvm::StringMap<NpyArray> &files) {
  for (const std::string &choice : dims) {
    auto [name, text] = llvm::StringRef(choice).split('=');
    int64_t value;
    if (name.empty() || text.getAsInteger(10, value))
      return makeError("--dim '" + choice + "' is not NAME=VALUE");
    auto dim = llvm::find_if(entry.dims(), [&](const auto &d) { return d.name() == name; });
    if (dim == entry.dims().end())
      return makeError("entry point '" + entry.name() + "' is not specialized over a dimension '" +
                       name + "'" +
                       (entry.dims().empty() ? "" : " (its dimensions: " + dimNames(entry) + ")"));
    if (dim->value() != value)
      return false;
  }
  for (const plan::Tensor &tensor : entry.inputs())
    if (auto file = files.find(tensor.name());
        file != files.end() && llvm::ArrayRef<int64_t>(file->second.shape) !=
                                   llvm::ArrayRef<int64_t>(tensor.type().shape()))
      return false;
  return true;
}

} // namespace

/// The --input files, read, by input name.
llvm::Expected<llvm::StringMap<NpyArray>> readInputFiles(llvm::ArrayRef<std::string> specs) {
  llvm::StringMap<NpyArray> arrays;
  for (const std::string &spec : specs) {
    auto [name, file] = llvm::StringRef(spec).split('=');
    if (file.empty())
      return makeError("--input '" + spec + "' is not NAME=FILE.npy");
    if (arrays.count(name))
      return makeError("input '" + name + "' is given twice");
    llvm::Expected<NpyArray> array = readNpy(file);
    if (!array)
      return array.takeError();
    arrays[name] = std::move(*array);
  }
  return arrays;
}

/// The specialization of entry point `name` that --dim and the input files
/// choose; its only version when it has one.
llvm::Expected<const plan::EntryPoint *> chooseEntry(const Plan &plan, llvm::StringRef name,
                                                     llvm::ArrayRef<std::string> dims,
                                                     const llvm::StringMap<NpyArray> &files) {
  llvm::SmallVector<const plan::EntryPoint *> fitting;
  llvm::SmallVector<unsigned> group = plan.findEntryPoints(name);
  for (unsigned index : group) {
    const plan::EntryPoint &entry = plan.getManifest().entry_points(index);
    llvm::Expected<bool> fits = fitsChoices(entry, dims, files);
    if (!fits)
      return fits.takeError();
    if (*fits || group.size() == 1) // one version: Session reports mismatches
      fitting.push_back(&entry);
  }
  if (fitting.size() == 1)
    return fitting.front();
  if (fitting.empty())
    return makeError("no specialization of entry point '" + name +
                     "' fits the --dim values and --input shapes given; it was compiled for" +
                     describeSpecializations(plan, name));
  return makeError("entry point '" + name + "' was compiled for several shapes (" +
                   describeDims(*fitting[0]) + "; " + describeDims(*fitting[1]) +
                   (fitting.size() > 2 ? "; ..." : "") +
                   "): choose one with --dim NAME=VALUE or with --input files");
}

/// The inputs of `entry` in its order: the files given, and random ones.
llvm::Expected<std::vector<NpyArray>> gatherInputs(const plan::EntryPoint &entry,
                                                   llvm::StringMap<NpyArray> &files,
                                                   std::optional<unsigned> randomSeed) {
  for (const auto &given : files)
    if (llvm::none_of(entry.inputs(),
                      [&](const plan::Tensor &t) { return t.name() == given.getKey(); })) {
      std::string names;
      for (const plan::Tensor &tensor : entry.inputs())
        names += (names.empty() ? "" : ", ") + tensor.name();
      return makeError("entry point '" + entry.name() + "' has no input '" + given.getKey() +
                       "' (its inputs: " + names + ")");
    }

  std::mt19937 generator(randomSeed.value_or(0));
  std::vector<NpyArray> arrays;
  for (const plan::Tensor &tensor : entry.inputs()) {
    auto it = files.find(tensor.name());
    if (it == files.end()) {
      if (!randomSeed)
        return makeError("missing input '" + tensor.name() + "' (" +
                         getDTypeName(tensor.type().dtype()) + " " +
                         formatShape(tensor.type().shape()) + "): pass --input " + tensor.name() +
                         "=FILE.npy or --random-inputs");
      NpyArray array;
      array.dtype = tensor.type().dtype();
      array.shape.assign(tensor.type().shape().begin(), tensor.type().shape().end());
      array.data.resize(entry.buffers(tensor.buffer()).size());
      fillRandom(array, generator);
      // The one value the plan accepts (ternc --input-value), not a random one.
      uint64_t width = getDTypeSize(array.dtype);
      for (auto [i, value] : llvm::enumerate(tensor.compiled_value()))
        std::memcpy(&array.data[i * width], &value, width); // little-endian: the low bytes
      arrays.push_back(std::move(array));
      continue;
    }
    NpyArray &array = it->second;
    plan::DType want = tensor.type().dtype();
    if (array.bitPattern && getDTypeSize(array.dtype) == getDTypeSize(want) &&
        (want == plan::BF16 || want == plan::F8E4M3FN || want == plan::F8E5M2 ||
         want == plan::F8E4M3FNUZ || want == plan::F8E5M2FNUZ || want == plan::U16 ||
         want == plan::U8))
      array.dtype = want;
    arrays.push_back(std::move(array));
  }
  return arrays;
}

} // namespace tern
