//===- EntryPoints.cpp - Entry points and their specializations -----------===//
#include "runtime/EntryPoints.h"

#include "runtime/Plan.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <map>
#include <set>

namespace tern {

namespace {

llvm::Error fail(const llvm::Twine &message) { return llvm::createStringError(message); }

std::vector<int64_t> shapeOf(const plan::Tensor &tensor) {
  return {tensor.type().shape().begin(), tensor.type().shape().end()};
}

/// `entry` has the inputs or outputs of `first` up to dimension sizes.
llvm::Error checkSameTensors(const plan::EntryPoint &first, const plan::EntryPoint &entry,
                             bool outputs) {
  const auto &want = outputs ? first.outputs() : first.inputs();
  const auto &have = outputs ? entry.outputs() : entry.inputs();
  std::string what = "entry point '" + entry.name() + "' (" + describeDims(entry) + ")";
  const char *kind = outputs ? "output" : "input";
  if (want.size() != have.size())
    return fail(llvm::formatv("{0} has {1} {2}s; its other specialization ({3}) has {4}", what,
                              have.size(), kind, describeDims(first), want.size()));
  for (auto [a, b] : llvm::zip_equal(want, have))
    if (a.name() != b.name() || a.type().dtype() != b.type().dtype() ||
        a.type().shape_size() != b.type().shape_size())
      return fail(llvm::formatv("{0} has {1} '{2}' ({3}, rank {4}) where its other "
                                "specialization ({5}) has '{6}' ({7}, rank {8})",
                                what, kind, b.name(), getDTypeName(b.type().dtype()),
                                b.type().shape_size(), describeDims(first), a.name(),
                                getDTypeName(a.type().dtype()), a.type().shape_size()));
  return llvm::Error::success();
}

/// The specializations in `group` (indices into `manifest`) are coherent.
llvm::Error checkGroup(const plan::Plan &manifest, llvm::ArrayRef<unsigned> group) {
  const plan::EntryPoint &first = manifest.entry_points(group.front());
  std::set<std::vector<int64_t>> values;
  std::map<std::vector<std::vector<int64_t>>, const plan::EntryPoint *> byInputShapes;
  for (unsigned index : group) {
    const plan::EntryPoint &entry = manifest.entry_points(index);
    if (entry.dims_size() == 0)
      return fail("entry point '" + entry.name() +
                  "' is in the plan more than once, but not as specializations (one has no "
                  "dims)");
    bool sameNames = entry.dims_size() == first.dims_size();
    for (int i = 0; sameNames && i < entry.dims_size(); ++i)
      sameNames = entry.dims(i).name() == first.dims(i).name();
    if (!sameNames)
      return fail("the specializations of entry point '" + entry.name() +
                  "' are over different dimensions (" + describeDims(first) + "; " +
                  describeDims(entry) + ")");
    std::vector<int64_t> tuple;
    for (const plan::DimValue &dim : entry.dims())
      tuple.push_back(dim.value());
    if (!values.insert(tuple).second)
      return fail("entry point '" + entry.name() + "' has two specializations for " +
                  describeDims(entry));
    for (bool outputs : {false, true})
      if (llvm::Error error = checkSameTensors(first, entry, outputs))
        return error;
    std::vector<std::vector<int64_t>> shapes;
    for (const plan::Tensor &tensor : entry.inputs())
      shapes.push_back(shapeOf(tensor));
    auto [other, inserted] = byInputShapes.try_emplace(shapes, &entry);
    if (!inserted)
      return fail("two specializations of entry point '" + entry.name() +
                  "' take the same input shapes (" + describeDims(*other->second) + " and " +
                  describeDims(entry) + "): the runtime could not tell them apart");
  }
  return llvm::Error::success();
}

} // namespace

std::string describeDims(const plan::EntryPoint &entry) {
  std::string text;
  for (const plan::DimValue &dim : entry.dims())
    text += (text.empty() ? "" : ", ") + dim.name() + " = " + std::to_string(dim.value());
  return text;
}

llvm::Error checkEntryPointGroups(const plan::Plan &manifest) {
  if (manifest.entry_points_size() == 0)
    return fail("the plan has no entry point");
  llvm::StringMap<llvm::SmallVector<unsigned>> groups;
  std::vector<std::string> order;
  for (auto [index, entry] : llvm::enumerate(manifest.entry_points())) {
    if (entry.name().empty())
      return fail("an entry point has an empty name");
    llvm::StringSet<> dimNames;
    for (const plan::DimValue &dim : entry.dims()) {
      if (dim.name().empty() || !dimNames.insert(dim.name()).second)
        return fail("entry point '" + entry.name() + "' names a dimension twice or not at all ('" +
                    dim.name() + "')");
      if (dim.value() < 0)
        return fail("entry point '" + entry.name() + "' gives dimension '" + dim.name() +
                    "' the negative value " + llvm::Twine(dim.value()));
    }
    auto [group, inserted] = groups.try_emplace(entry.name());
    if (inserted)
      order.push_back(entry.name());
    group->second.push_back(index);
  }
  for (const std::string &name : order)
    if (llvm::ArrayRef<unsigned> group = groups[name]; group.size() > 1)
      if (llvm::Error error = checkGroup(manifest, group))
        return error;
  return llvm::Error::success();
}

llvm::Expected<unsigned> selectEntryPoint(const Plan &plan, llvm::StringRef name,
                                          llvm::ArrayRef<llvm::ArrayRef<int64_t>> shapes) {
  const plan::Plan &manifest = plan.getManifest();
  llvm::SmallVector<unsigned> group = plan.findEntryPoints(name);
  if (group.empty()) {
    std::string names;
    llvm::StringSet<> listed;
    for (const plan::EntryPoint &entry : manifest.entry_points())
      if (listed.insert(entry.name()).second)
        names += (names.empty() ? "" : ", ") + entry.name();
    return fail("the plan has no entry point '" + name + "' (it has " + names + ")");
  }
  // One version: the caller's shapes are checked against it, tensor by
  // tensor, with the precise message.
  if (group.size() == 1)
    return group.front();
  for (unsigned index : group) {
    const plan::EntryPoint &entry = manifest.entry_points(index);
    bool match = shapes.size() == size_t(entry.inputs_size());
    for (size_t i = 0; match && i < shapes.size(); ++i)
      match = shapes[i] == llvm::ArrayRef<int64_t>(entry.inputs(i).type().shape());
    if (match)
      return index;
  }
  std::string given;
  for (auto [i, shape] : llvm::enumerate(shapes)) {
    const plan::EntryPoint &first = manifest.entry_points(group.front());
    // A std::string: the two arms' common type is one, so a StringRef would
    // outlive it.
    std::string input = i < size_t(first.inputs_size()) ? first.inputs(i).name() : "?";
    given += (given.empty() ? "" : ", ") + input + " " + formatShape(shape);
  }
  return fail("entry point '" + name + "' has no specialization for these input shapes (" + given +
              "); it was compiled for" + describeSpecializations(plan, name));
}

std::string describeSpecializations(const Plan &plan, llvm::StringRef name) {
  std::string text;
  for (unsigned index : plan.findEntryPoints(name)) {
    const plan::EntryPoint &entry = plan.getManifest().entry_points(index);
    text += "\n  " + describeDims(entry) + ":";
    for (const plan::Tensor &tensor : entry.inputs())
      text += " " + tensor.name() + " " + formatShape(shapeOf(tensor));
  }
  return text;
}

} // namespace tern
