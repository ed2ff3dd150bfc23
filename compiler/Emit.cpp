//===- Emit.cpp - What the compile pipeline's result is written as --------===//
#include "compiler/Emit.h"

#include "codegen/plan/HostCodegen.h"
#include "codegen/schedule/Schedule.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"

namespace mlir::tern {

void printPtxModules(ModuleOp module, llvm::raw_ostream &os) {
  module.walk([&](gpu::BinaryOp binary) {
    for (Attribute object : binary.getObjects())
      os << "// ---- kernel module @" << binary.getSymName() << "\n"
         << cast<gpu::ObjectAttr>(object).getObject().getValue() << "\n";
  });
}

FailureOr<PlanContents> buildPlan(ModuleOp module, const ::tern::Target &target,
                                  llvm::StringRef compilerVersion) {
  FailureOr<PlanContents> contents = buildPlanContents(module, target);
  if (failed(contents))
    return failure();
  contents->manifest.set_compiler_version(compilerVersion.str());
  if (!target.isHost())
    return contents;
  std::vector<std::string> names;
  for (const auto &kernel : contents->manifest.kernels())
    names.push_back(kernel.name());
  FailureOr<std::string> library = buildHostLibrary(getKernelsModule(module), names, target);
  if (failed(library))
    return failure();
  contents->manifest.set_host_library(std::move(*library));
  return contents;
}

} // namespace mlir::tern
