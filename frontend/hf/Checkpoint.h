//===- Checkpoint.h - A HuggingFace checkpoint folder -----------*- C++ -*-===//
//
// A folder with config.json and the weights: one model.safetensors, or
// shards listed by model.safetensors.index.json ({"weight_map": {tensor:
// shard file}}). Opening it validates every shard (Safetensors.h) and the
// index against them: each listed tensor is in its shard, each shard's
// tensors are listed for it, shard names are plain files of the folder that
// are neither symlinks nor hard-linked (bad inputs 11, 12 and 15 of
// docs/TESTING.md). The weights stay memory-mapped.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_FRONTEND_HF_CHECKPOINT_H
#define TERN_FRONTEND_HF_CHECKPOINT_H

#include "frontend/hf/Safetensors.h"

#include "llvm/Support/JSON.h"

namespace mlir::tern::hf {

class Checkpoint {
public:
  /// Opens and validates the checkpoint in folder `path`; errors name the
  /// file and the tensor.
  static llvm::Expected<std::unique_ptr<Checkpoint>> open(llvm::StringRef path);

  /// The folder, as given to open().
  llvm::StringRef getPath() const { return path; }
  /// config.json, parsed.
  const llvm::json::Object &getConfig() const { return config; }
  /// The shards, in the order of their file names.
  llvm::ArrayRef<std::unique_ptr<SafetensorsFile>> getShards() const { return shards; }
  /// The tensor called `name` in whichever shard holds it, or null.
  const SafetensorsTensor *lookup(llvm::StringRef name) const;
  /// The shard that holds tensor `name`, or null.
  const SafetensorsFile *getShardOf(llvm::StringRef name) const;

private:
  Checkpoint() = default;

  std::string path;
  llvm::json::Object config;
  std::vector<std::unique_ptr<SafetensorsFile>> shards;
  llvm::StringMap<size_t> shardOf;
};

} // namespace mlir::tern::hf

#endif // TERN_FRONTEND_HF_CHECKPOINT_H
