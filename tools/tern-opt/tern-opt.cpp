//===- tern-opt.cpp - IR in, IR out, for tests and inspection -------------===//
#include "compiler/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::tern::registerCompilerDialects(registry);
  mlir::tern::registerCompilerPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Tern optimizer driver: tern IR in, tern IR out\n", registry));
}
