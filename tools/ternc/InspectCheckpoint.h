//===- InspectCheckpoint.h - ternc --inspect-checkpoint ---------*- C++ -*-===//
#ifndef TERN_TOOLS_TERNC_INSPECTCHECKPOINT_H
#define TERN_TOOLS_TERNC_INSPECTCHECKPOINT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

namespace ternc {

/// Validates the HuggingFace checkpoint folder `path` and prints its
/// architecture, shards and tensors to `os`; returns the exit status (errors
/// go to standard error).
int inspectCheckpoint(llvm::StringRef path, llvm::raw_ostream &os);

} // namespace ternc

#endif // TERN_TOOLS_TERNC_INSPECTCHECKPOINT_H
