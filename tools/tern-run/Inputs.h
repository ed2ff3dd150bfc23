//===- Inputs.h - tern-run's inputs: files, random values, choosing -*- C++ -*-===//
//
// What tern-run passes to an entry point: the --input .npy files, random
// values for the rest (--random-inputs), and which specialization of the
// entry point they are for (--dim, or the files' shapes).
//
//===----------------------------------------------------------------------===//
#ifndef TERN_TOOLS_TERNRUN_INPUTS_H
#define TERN_TOOLS_TERNRUN_INPUTS_H

#include "runtime/Plan.h"
#include "tools/tern-run/Npy.h"

#include "llvm/ADT/StringMap.h"

#include <optional>
#include <vector>

namespace tern {

/// The files of `specs` (NAME=FILE.npy each), read, by input name.
llvm::Expected<llvm::StringMap<NpyArray>> readInputFiles(llvm::ArrayRef<std::string> specs);

/// The specialization of entry point `name` that `dims` (NAME=VALUE each)
/// and the shapes of `files` choose; its only version when it has one.
/// Errors say what is ambiguous, or list what was compiled.
llvm::Expected<const plan::EntryPoint *> chooseEntry(const Plan &plan, llvm::StringRef name,
                                                     llvm::ArrayRef<std::string> dims,
                                                     const llvm::StringMap<NpyArray> &files);

/// The inputs of `entry` in its order: the arrays of `files` (moved out),
/// and with a `randomSeed` random values for the rest (floats uniform in
/// [-1, 1) rounded to the dtype, integers and booleans in {0, 1}).
llvm::Expected<std::vector<NpyArray>> gatherInputs(const plan::EntryPoint &entry,
                                                   llvm::StringMap<NpyArray> &files,
                                                   std::optional<unsigned> randomSeed);

} // namespace tern

#endif // TERN_TOOLS_TERNRUN_INPUTS_H
