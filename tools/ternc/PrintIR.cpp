//===- PrintIR.cpp - IR text without the weights' bytes -------------------===//
#include "tools/ternc/PrintIR.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Pass/Pass.h"

#include "llvm/ADT/SetVector.h"

using namespace mlir;

namespace ternc {
namespace {

/// Detaches the blobs of every dense_resource weight `root` references for
/// its lifetime, so that the printer sees empty blobs (whose few characters
/// it elides) and never the data; restores them after.
class HiddenWeights {
public:
  explicit HiddenWeights(Operation *root) {
    llvm::SetVector<DialectResourceBlobManager::BlobEntry *> entries;
    root->walk([&](Operation *op) {
      op->getAttrDictionary().walk([&](DenseResourceElementsAttr attr) {
        if (attr.getRawHandle().getBlob())
          entries.insert(attr.getRawHandle().getResource());
      });
    });
    for (auto *entry : entries) {
      AsmResourceBlob *blob = entry->getBlob();
      hidden.emplace_back(entry, std::move(*blob));
      *blob = AsmResourceBlob();
    }
  }
  ~HiddenWeights() {
    for (auto &[entry, blob] : hidden)
      *entry->getBlob() = std::move(blob);
  }
  HiddenWeights(const HiddenWeights &) = delete;
  HiddenWeights &operator=(const HiddenWeights &) = delete;

private:
  std::vector<std::pair<DialectResourceBlobManager::BlobEntry *, AsmResourceBlob>> hidden;
};

/// Prints the whole module after the passes asked for, with its weights as
/// references (MLIR's own IR printing cannot keep them out).
class PrintIRAfter final : public PassInstrumentation {
public:
  PrintIRAfter(bool all, std::vector<std::string> after, OpPrintingFlags flags, bool printWeights)
      : all(all), after(std::move(after)), flags(flags), printWeights(printWeights) {}

  void runAfterPass(Pass *pass, Operation *op) override {
    if (!all && !llvm::is_contained(after, pass->getArgument().str()))
      return;
    while (Operation *parent = op->getParentOp())
      op = parent;
    llvm::errs() << "// -----// IR Dump After " << pass->getName() << " (" << pass->getArgument()
                 << ") //----- //\n";
    printIR(op, llvm::errs(), flags, printWeights);
    llvm::errs() << "\n\n";
  }

private:
  bool all;
  std::vector<std::string> after;
  OpPrintingFlags flags;
  bool printWeights;
};

} // namespace

void printIR(Operation *op, llvm::raw_ostream &os, OpPrintingFlags flags, bool printWeights) {
  if (printWeights) {
    op->print(os, flags);
    return;
  }
  std::string text;
  {
    HiddenWeights hidden(op);
    llvm::raw_string_ostream buffer(text);
    op->print(buffer, flags.elideLargeResourceString(0));
  }
  // The printer opens the resource section before it elides the blobs in
  // it: drop the empty section, so that the text is what printing the IR
  // without any weights data gives (tern-opt on a dump prints the same).
  llvm::StringRef printed(text);
  printed.consume_back("\n{-#\n\n#-}\n");
  os << printed;
}

void addIRPrinting(PassManager &pm, bool all, std::vector<std::string> after, OpPrintingFlags flags,
                   bool printWeights) {
  if (all || !after.empty())
    pm.addInstrumentation(
        std::make_unique<PrintIRAfter>(all, std::move(after), flags, printWeights));
}

} // namespace ternc
