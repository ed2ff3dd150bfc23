//===- PrintIR.h - IR text without the weights' bytes -----------*- C++ -*-===//
//
// Weights are dense_resource blobs in the mapped checkpoint or ONNX file.
// MLIR's printer renders every blob to hex before it decides to elide it
// (elideLargeResourceString), so an elided dump of a 2 GB checkpoint still
// reads 2 GB and holds twice that in hex for a moment. These printers keep
// the blobs out of the printer's sight instead: each weight prints as its
// reference, `dense_resource<hf.model.layers.0.mlp.up_proj.weight> :
// tensor<...>`, no byte of it is read, and the text parses again (without
// the data).
//
//===----------------------------------------------------------------------===//
#ifndef TERN_TOOLS_TERNC_PRINTIR_H
#define TERN_TOOLS_TERNC_PRINTIR_H

#include "mlir/IR/Operation.h"
#include "mlir/Pass/PassManager.h"

#include <string>
#include <vector>

namespace ternc {

/// Prints `op` with `flags`, its weights as references alone unless
/// `printWeights`. The weights must not be read by anyone else meanwhile
/// (ternc prints IR with the context's multithreading disabled).
void printIR(mlir::Operation *op, llvm::raw_ostream &os, mlir::OpPrintingFlags flags,
             bool printWeights);

/// --print-ir-after-all (`all`) and --print-ir-after=PASS...: prints the
/// whole module to standard error after each such pass, as printIR does.
void addIRPrinting(mlir::PassManager &pm, bool all, std::vector<std::string> after,
                   mlir::OpPrintingFlags flags, bool printWeights);

} // namespace ternc

#endif // TERN_TOOLS_TERNC_PRINTIR_H
