//===- tern-opt.cpp - IR in, IR out, for tests and inspection -------------===//
#include "codegen/Passes.h"
#include "codegen/Pipelines.h"
#include "ir/TernDialect.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::tern::registerCodegenDialects(registry);
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  mlir::tern::registerTernPasses();
  mlir::tern::registerTernPipelines();
  mlir::tern::registerTernCodegenPasses();
  mlir::tern::registerCodegenPipelines();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Tern optimizer driver: tern IR in, tern IR out\n", registry));
}
