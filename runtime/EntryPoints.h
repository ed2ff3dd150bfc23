//===- EntryPoints.h - Entry points and their specializations ----*- C++ -*-===//
//
// A plan may hold one entry point several times, each specialization
// compiled for other values of named dimensions (plan.proto, EntryPoint.dims;
// ternc --dim seq=16,64). These check that such a group is coherent and pick
// the member that takes a caller's input shapes.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_RUNTIME_ENTRYPOINTS_H
#define TERN_RUNTIME_ENTRYPOINTS_H

#include "runtime/plan.pb.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <string>

namespace tern {

class Plan;

/// Checks every entry point's name and dims, and that entry points sharing
/// a name are specializations of one signature: the same dimension names,
/// distinct values, the same input and output names, dtypes and ranks, and
/// distinct input shapes.
llvm::Error checkEntryPointGroups(const plan::Plan &manifest);

/// "seq = 16, batch = 2"; empty for an entry point without specializations.
std::string describeDims(const plan::EntryPoint &entry);

/// One line per specialization of entry point `name`, each starting with a
/// newline: "\n  seq = 16: input_ids [16] length [1]".
std::string describeSpecializations(const Plan &plan, llvm::StringRef name);

/// The entry point called `name` that takes inputs of `shapes`: its only
/// version, or the specialization whose input shapes equal them. The error
/// lists the names, or the specializations and the shapes each takes.
llvm::Expected<unsigned> selectEntryPoint(const Plan &plan, llvm::StringRef name,
                                          llvm::ArrayRef<llvm::ArrayRef<int64_t>> shapes);

} // namespace tern

#endif // TERN_RUNTIME_ENTRYPOINTS_H
