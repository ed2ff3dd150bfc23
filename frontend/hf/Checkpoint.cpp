//===- Checkpoint.cpp - A HuggingFace checkpoint folder -------------------===//
#include "frontend/hf/Checkpoint.h"
#include "frontend/hf/Json.h"
#include "frontend/PlainFile.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

namespace mlir::tern::hf {

namespace {

llvm::Error fail(llvm::StringRef file, const llvm::Twine &message) {
  return llvm::createStringError("'" + file + "': " + message);
}

/// A plain file of the folder (frontend/PlainFile.h); `size` gets its size.
llvm::Error checkPlainFile(llvm::StringRef path, uint64_t &size) {
  if (std::optional<std::string> why = whyNotPlainFile(path, size))
    return fail(path, llvm::Twine(*why) + "; checkpoint files must be regular files with one link");
  return llvm::Error::success();
}

/// A JSON file holding an object (config.json, the shard index).
llvm::Expected<llvm::json::Object> readJsonObject(llvm::StringRef path) {
  uint64_t size = 0;
  if (llvm::Error error = checkPlainFile(path, size))
    return error;
  if (size > kMaxHeaderBytes)
    return fail(path, llvm::formatv("is {0} bytes, over the limit of {1} for JSON files", size,
                                    kMaxHeaderBytes));
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return fail(path, "cannot read it: " + buffer.getError().message());
  llvm::Expected<llvm::json::Value> json = parseJson((*buffer)->getBuffer());
  if (!json)
    return fail(path, llvm::toString(json.takeError()));
  llvm::json::Object *object = json->getAsObject();
  if (!object)
    return fail(path, "is not a JSON object");
  return std::move(*object);
}

} // namespace

const SafetensorsTensor *Checkpoint::lookup(llvm::StringRef name) const {
  const SafetensorsFile *shard = getShardOf(name);
  return shard ? shard->lookup(name) : nullptr;
}

const SafetensorsFile *Checkpoint::getShardOf(llvm::StringRef name) const {
  auto it = shardOf.find(name);
  return it == shardOf.end() ? nullptr : shards[it->second].get();
}

llvm::Expected<std::unique_ptr<Checkpoint>> Checkpoint::open(llvm::StringRef path) {
  if (!llvm::sys::fs::is_directory(path))
    return fail(path, "is not a folder; a HuggingFace checkpoint is a folder with config.json "
                      "and safetensors weights");
  auto join = [&](llvm::StringRef file) {
    llvm::SmallString<256> joined(path);
    llvm::sys::path::append(joined, file);
    return std::string(joined);
  };
  std::unique_ptr<Checkpoint> checkpoint(new Checkpoint());
  checkpoint->path = path.str();
  std::string configPath = join("config.json");
  if (!llvm::sys::fs::exists(configPath))
    return fail(path, "has no config.json");
  llvm::Expected<llvm::json::Object> config = readJsonObject(configPath);
  if (!config)
    return config.takeError();
  checkpoint->config = std::move(*config);

  // Tensor names by shard file, from the index or for the single file.
  std::map<std::string, llvm::SmallVector<std::string>> listed;
  std::string indexPath = join("model.safetensors.index.json");
  bool indexed = llvm::sys::fs::exists(indexPath);
  if (indexed) {
    llvm::Expected<llvm::json::Object> index = readJsonObject(indexPath);
    if (!index)
      return index.takeError();
    const llvm::json::Object *weightMap = index->getObject("weight_map");
    if (!weightMap)
      return fail(indexPath, "has no weight_map object");
    for (const auto &[tensor, shard] : *weightMap) {
      std::optional<llvm::StringRef> file = shard.getAsString();
      if (!file)
        return fail(indexPath,
                    "tensor '" + llvm::StringRef(tensor) + "': its shard is not a string");
      if (file->empty() || *file == "." || *file == ".." ||
          file->find_first_of("/\\") != llvm::StringRef::npos)
        return fail(indexPath, "tensor '" + llvm::StringRef(tensor) + "': shard '" + *file +
                                   "' is not a file name in the checkpoint folder");
      listed[file->str()].push_back(llvm::StringRef(tensor).str());
    }
    if (listed.empty())
      return fail(indexPath, "lists no tensors");
  } else if (llvm::sys::fs::exists(join("model.safetensors"))) {
    listed["model.safetensors"];
  } else {
    return fail(path, "has neither model.safetensors nor model.safetensors.index.json");
  }

  for (auto &[file, tensors] : listed) {
    std::string shardPath = join(file);
    uint64_t size = 0;
    if (llvm::Error error = checkPlainFile(shardPath, size))
      return error;
    llvm::Expected<std::unique_ptr<SafetensorsFile>> shard = SafetensorsFile::open(shardPath);
    if (!shard)
      return shard.takeError();
    size_t position = checkpoint->shards.size();
    if (!indexed)
      for (const SafetensorsTensor &tensor : (*shard)->getTensors())
        tensors.push_back(tensor.name);
    llvm::sort(tensors);
    llvm::StringSet<> names;
    for (const std::string &tensor : tensors) {
      if (!(*shard)->lookup(tensor))
        return fail(indexPath, "tensor '" + tensor + "' is listed in shard '" + file +
                                   "', which does not hold it");
      names.insert(tensor);
      checkpoint->shardOf[tensor] = position;
    }
    for (const SafetensorsTensor &tensor : (*shard)->getTensors())
      if (!names.contains(tensor.name))
        return fail(indexPath, "shard '" + file + "' holds tensor '" + tensor.name +
                                   "', which the index does not list for it");
    checkpoint->shards.push_back(std::move(*shard));
  }
  return checkpoint;
}

} // namespace mlir::tern::hf
