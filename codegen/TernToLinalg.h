//===- TernToLinalg.h - tern to linalg lowering patterns --------*- C++ -*-===//
#ifndef TERN_CODEGEN_TERNTOLINALG_H
#define TERN_CODEGEN_TERNTOLINALG_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::tern {

/// Patterns lowering statically shaped tern elementwise ops, constants and
/// matmuls to linalg on tensors.
void populateTernToLinalgPatterns(RewritePatternSet &patterns);

} // namespace mlir::tern

#endif // TERN_CODEGEN_TERNTOLINALG_H
