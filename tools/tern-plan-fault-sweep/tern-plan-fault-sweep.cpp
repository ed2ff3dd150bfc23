//===- tern-plan-fault-sweep.cpp - Every truncation and byte flip ---------===//
//
// Bad input 18 (docs/TESTING.md), exhaustively: loads a valid plan, then
// every prefix of it and every copy with one byte flipped, each through
// Plan::fromBuffer.
// Every damaged copy must be refused with an error (never accepted, never a
// crash: this runs under the sanitizer build too). Prints a summary of the
// errors seen, which the lit test checks.
//
//===----------------------------------------------------------------------===//
#include "runtime/Plan.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

int main(int argc, char **argv) {
  if (argc != 2) {
    llvm::errs() << "usage: tern-plan-fault-sweep PLAN.tplan\n";
    return 2;
  }
  auto file = llvm::MemoryBuffer::getFile(argv[1], false, false);
  if (!file) {
    llvm::errs() << "cannot read " << argv[1] << "\n";
    return 2;
  }
  llvm::StringRef bytes = (*file)->getBuffer();
  auto load = [](llvm::StringRef image) {
    // A fresh, 64-byte-aligned copy, as a mapped file would be.
    auto copy =
        llvm::WritableMemoryBuffer::getNewUninitMemBuffer(image.size(), "plan", llvm::Align(64));
    std::copy(image.begin(), image.end(), copy->getBufferStart());
    return tern::Plan::fromBuffer(std::move(copy), "plan");
  };
  if (auto plan = load(bytes); !plan) {
    llvm::errs() << "the intact plan does not load: " << llvm::toString(plan.takeError()) << "\n";
    return 1;
  }

  std::map<std::string, unsigned> reasons;
  unsigned accepted = 0, cases = 0;
  auto expectRefused = [&](llvm::StringRef image, const std::string &what) {
    ++cases;
    auto plan = load(image);
    if (plan) {
      llvm::errs() << "accepted a damaged plan: " << what << "\n";
      ++accepted;
      return;
    }
    std::string message = llvm::toString(plan.takeError());
    // Group by the error's kind: the text up to the first '(' or digit.
    llvm::StringRef kind = llvm::StringRef(message).drop_front(strlen("plan: "));
    kind = kind.take_until([](char c) { return c == '(' || isdigit(c); }).rtrim();
    ++reasons[kind.str()];
  };
  for (size_t length = 0; length < bytes.size(); ++length)
    expectRefused(bytes.take_front(length), "truncated to " + std::to_string(length) + " bytes");
  std::string flipped = bytes.str();
  for (size_t at = 0; at < flipped.size(); ++at) {
    flipped[at] ^= 0xff;
    expectRefused(flipped, "byte " + std::to_string(at) + " flipped");
    flipped[at] ^= 0xff;
  }
  llvm::outs() << cases << " damaged copies of a " << bytes.size() << "-byte plan, " << accepted
               << " accepted\n";
  for (const auto &[kind, count] : reasons)
    llvm::outs() << "  " << count << " x " << kind << "\n";
  return accepted ? 1 : 0;
}
