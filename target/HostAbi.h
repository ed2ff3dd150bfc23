//===- HostAbi.h - How host kernels and the runtime call each other -------===//
//
// The contract between the code ternc writes for the host (the kernel entry
// wrappers of codegen/plan/HostCodegen.cpp, the task dispatch of
// codegen/kernels/DispatchHostTasks.cpp) and the runtime that loads it
// (runtime/HostExecutor.cpp). Plain C layout: the generated code reads the
// context's fields by position.
//
//   void KERNEL(void **buffers, TernHostContext *context);
//
// A kernel's outermost parallel loops are outlined into tasks
// (tern-outline-host-tasks); the kernel hands each to the runtime's
// parallelFor, which splits the iterations among the session's threads and
// returns when every one has run.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_TARGET_HOSTABI_H
#define TERN_TARGET_HOSTABI_H

#include <cstdint>

extern "C" {

/// Runs iterations [begin, end) of an outlined loop. `args` holds the
/// loop's parameters (buffer addresses and scalars), one 8-byte slot each.
typedef void (*TernHostTaskFn)(const uint64_t *args, int64_t begin, int64_t end);

struct TernHostContext {
  /// Runs `task` over [begin, end), split among the session's threads into
  /// contiguous ranges; returns when all of them have run.
  void (*parallelFor)(TernHostContext *context, TernHostTaskFn task, const uint64_t *args,
                      int64_t begin, int64_t end);
};
}

namespace tern {
/// The position of TernHostContext::parallelFor, for generated code.
constexpr unsigned kHostContextParallelForField = 0;
} // namespace tern

#endif // TERN_TARGET_HOSTABI_H
