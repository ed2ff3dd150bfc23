//===- tern-plan-manifest.cpp - Print or replace a plan manifest ----------===//
//
// For loader tests that need a plan whose manifest says something ternc
// would never write (docs/TESTING.md, bad inputs 19-20):
//
//   tern-plan-manifest print PLAN              the manifest as protobuf text
//   tern-plan-manifest replace PLAN TEXT OUT   PLAN with the manifest in TEXT,
//                                              its weights kept, re-checksummed
//
// The intact plan must load; the rewritten one is not checked (that is the
// loader's job under test).
//
//===----------------------------------------------------------------------===//
#include "runtime/Plan.h"
#include "runtime/PlanChecksum.h"
#include "runtime/PlanFormat.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <google/protobuf/text_format.h>

#include <vector>

namespace {

int fail(const llvm::Twine &message) {
  llvm::errs() << "tern-plan-manifest: " << message << "\n";
  return 2;
}

/// A plan file whose header, manifest and weight blob follow
/// runtime/PlanFormat.h, with `manifest` and the loaded plan's weights.
std::vector<uint8_t> buildImage(const std::string &manifest, llvm::ArrayRef<uint8_t> weights) {
  tern::plan::Header header = {};
  std::memcpy(header.magic, tern::plan::kMagic, sizeof(header.magic));
  header.formatVersion = tern::plan::kFormatVersion;
  header.headerSize = tern::plan::kHeaderSize;
  header.manifestOffset = tern::plan::kHeaderSize;
  header.manifestSize = manifest.size();
  header.weightsOffset = tern::plan::alignToWeights(tern::plan::kHeaderSize + manifest.size());
  header.weightsSize = weights.size();
  header.fileSize = header.weightsOffset + weights.size();
  std::vector<uint8_t> image(header.fileSize, 0);
  std::memcpy(image.data() + header.manifestOffset, manifest.data(), manifest.size());
  std::copy(weights.begin(), weights.end(), image.begin() + header.weightsOffset);
  std::memcpy(image.data(), &header, sizeof(header));
  header.checksum = tern::plan::computePlanChecksum(image);
  std::memcpy(image.data(), &header, sizeof(header));
  return image;
}

} // namespace

int main(int argc, char **argv) {
  llvm::StringRef command = argc > 1 ? argv[1] : "";
  if (!((command == "print" && argc == 3) || (command == "replace" && argc == 5)))
    return fail("usage: tern-plan-manifest print PLAN | replace PLAN MANIFEST.txtpb OUT");
  llvm::Expected<std::unique_ptr<tern::Plan>> plan = tern::Plan::load(argv[2]);
  if (!plan)
    return fail(llvm::toString(plan.takeError()));
  if (command == "print") {
    std::string text;
    google::protobuf::TextFormat::PrintToString((*plan)->getManifest(), &text);
    llvm::outs() << text;
    return 0;
  }
  auto text = llvm::MemoryBuffer::getFile(argv[3]);
  if (!text)
    return fail(llvm::Twine("cannot read ") + argv[3]);
  tern::plan::Plan manifest;
  if (!google::protobuf::TextFormat::ParseFromString((*text)->getBuffer().str(), &manifest))
    return fail(llvm::Twine(argv[3]) + " is not a tern.plan.Plan in protobuf text format");
  std::string bytes;
  manifest.SerializeToString(&bytes);
  std::vector<uint8_t> image = buildImage(bytes, (*plan)->getWeights());
  std::error_code ec;
  llvm::raw_fd_ostream out(argv[4], ec);
  if (ec)
    return fail(llvm::Twine("cannot write ") + argv[4] + ": " + ec.message());
  out.write(reinterpret_cast<const char *>(image.data()), image.size());
  return 0;
}
