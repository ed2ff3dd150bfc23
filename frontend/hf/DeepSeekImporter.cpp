//===- DeepSeekImporter.cpp - A DeepSeek checkpoint as tern ops -----------===//
#include "frontend/hf/DeepSeekImporter.h"

#include "frontend/hf/DeepSeekModel.h"
#include "frontend/hf/DeepSeekWeights.h"
#include "ir/Contract.h"
#include "ir/EntryPoints.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <numeric>

namespace mlir::tern::hf {

namespace {

/// The most tokens a prompt or a cache holds per sequence (DeepSeek-V3's
/// context is 128K): keeps every size computed from them far from overflow.
constexpr int64_t kMaxTokens = int64_t(1) << 20;

/// Checks what the builder relies on; errors are diagnostics at `loc`.
LogicalResult checkImportable(const DeepSeekConfig &config, const Checkpoint &checkpoint,
                              Location loc) {
  if (llvm::Error error = checkDeepSeekTensors(config, checkpoint))
    return emitError(loc) << llvm::toString(std::move(error));
  // Routers transformers does not compute as the config says: say so
  // rather than compute something else.
  bool v3 = config.version == DeepSeekVersion::V3;
  bool v3Router =
      config.topkMethod == TopkMethod::NoauxTc && config.scoringFunc == ScoringFunc::Sigmoid;
  bool v2Router = config.topkMethod != TopkMethod::NoauxTc &&
                  config.scoringFunc == ScoringFunc::Softmax && !config.normTopkProb;
  if (config.nRoutedExperts > 0 && (v3 ? !v3Router : !v2Router))
    return emitError(loc) << "importing " << config.architecture << " routing with topk_method "
                          << stringify(config.topkMethod) << ", scoring_func "
                          << stringify(config.scoringFunc) << " and norm_topk_prob "
                          << (config.normTopkProb ? "true" : "false") << " is not supported yet ("
                          << (v3 ? "noaux_tc with sigmoid is"
                                 : "greedy or group_limited_greedy with softmax, unnormalized, is")
                          << ")";
  return success();
}

/// `tern.weights` on the module for a format other than as stored.
void recordWeightFormat(ModuleOp module, WeightFormat format) {
  if (format != WeightFormat::AsStored)
    module->setAttr(
        kWeightsAttr,
        StringAttr::get(module.getContext(), format == WeightFormat::Bf16 ? "bf16" : "fp8-block"));
}

/// Adds a public function to `module` and positions `b` in its body.
func::FuncOp addEntry(OpBuilder &b, ModuleOp module, Location loc, StringRef name,
                      ArrayRef<std::pair<StringRef, Type>> args,
                      ArrayRef<std::pair<StringRef, Type>> results) {
  SmallVector<Type> argTypes, resultTypes;
  for (auto [argName, type] : args)
    argTypes.push_back(type);
  for (auto [resultName, type] : results)
    resultTypes.push_back(type);
  b.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(b, loc, name, b.getFunctionType(argTypes, resultTypes));
  for (auto [i, arg] : llvm::enumerate(args))
    func.setArgAttr(i, kNameAttr, b.getStringAttr(arg.first));
  for (auto [i, result] : llvm::enumerate(results))
    func.setResultAttr(i, kNameAttr, b.getStringAttr(result.first));
  b.setInsertionPointToStart(func.addEntryBlock());
  return func;
}

Value scalarI64(OpBuilder &b, Location loc, int64_t value) {
  auto type = RankedTensorType::get({}, b.getI64Type());
  return ConstantOp::create(b, loc, type, DenseElementsAttr::get(type, value));
}

/// Appends the per-layer cache states to `func`'s arguments (from
/// `firstArg`) as LayerCaches.
SmallVector<LayerCache> cacheArguments(func::FuncOp func, unsigned firstArg) {
  SmallVector<LayerCache> caches;
  for (unsigned i = firstArg; i + 1 < func.getNumArguments(); i += 2)
    caches.push_back({func.getArgument(i), func.getArgument(i + 1)});
  return caches;
}

/// The dimension a function for prompts of `seqLen` tokens is specialized
/// over: none when it is the only length compiled.
SmallVector<DimValue> specializedSeq(ArrayRef<int64_t> seqLens, int64_t seqLen) {
  if (seqLens.size() < 2)
    return {};
  return {DimValue{"seq", seqLen}};
}

} // namespace

OwningOpRef<ModuleOp> importDeepSeek(std::shared_ptr<const Checkpoint> checkpoint,
                                     const DeepSeekConfig &config, ArrayRef<int64_t> seqLens,
                                     MLIRContext &context, WeightFormat format) {
  context.loadDialect<TernDialect, func::FuncDialect>();
  Location loc = FileLineColLoc::get(&context, checkpoint->getPath(), 0, 0);
  if (failed(checkImportable(config, *checkpoint, loc)))
    return nullptr;
  for (int64_t seqLen : seqLens)
    if (seqLen < 1 || seqLen > kMaxTokens) {
      emitError(loc) << "the prompt length (--dim seq=N) must be from 1 to " << kMaxTokens
                     << "; got " << seqLen;
      return nullptr;
    }

  OpBuilder b(&context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  WeightAttrs weights;
  recordWeightFormat(*module, format);
  DeepSeekModel model(std::move(checkpoint), config, weights, format, b, loc);
  for (int64_t seqLen : seqLens) {
    auto idsType = RankedTensorType::get({seqLen}, b.getI64Type());
    auto logitsType = RankedTensorType::get({seqLen, config.vocabSize}, b.getF32Type());
    func::FuncOp func =
        addEntry(b, *module, loc, "main", {{"input_ids", idsType}}, {{"logits", logitsType}});
    markSpecialization(func, "main", specializedSeq(seqLens, seqLen));
    Value logits = model.logits(model.hidden(Step::Prompt, func.getArgument(0)));
    func::ReturnOp::create(b, loc, logits);
  }
  return module;
}

OwningOpRef<ModuleOp> importDeepSeekForDecoding(std::shared_ptr<const Checkpoint> checkpoint,
                                                const DeepSeekConfig &config,
                                                const DecodingShape &shape, MLIRContext &context,
                                                WeightFormat format) {
  context.loadDialect<TernDialect, func::FuncDialect>();
  Location loc = FileLineColLoc::get(&context, checkpoint->getPath(), 0, 0);
  if (failed(checkImportable(config, *checkpoint, loc)))
    return nullptr;
  if (shape.maxSeqLen < 1 || shape.maxSeqLen > kMaxTokens || shape.maxBatch < 1 ||
      shape.maxBatch > 4096 || shape.prefillLens.empty() ||
      llvm::any_of(shape.prefillLens,
                   [&](int64_t len) { return len < 1 || len > shape.maxSeqLen; })) {
    emitError(loc) << "decoding needs 1 <= --max-seq-len <= " << kMaxTokens
                   << ", 1 <= --max-batch <= 4096 and a prompt length (--dim seq) from 1 to "
                      "--max-seq-len; got max-seq-len "
                   << shape.maxSeqLen << ", max-batch " << shape.maxBatch << ", prompt length "
                   << llvm::join(llvm::map_range(shape.prefillLens,
                                                 [](int64_t len) { return std::to_string(len); }),
                                 ",");
    return nullptr;
  }
  int64_t blockSize = shape.blockSize, blocks = 0;
  if (blockSize != 0 || shape.blocks != 0) {
    blocks = shape.blocks != 0 ? shape.blocks
                               : shape.maxBatch * shape.maxSeqLen / std::max<int64_t>(blockSize, 1);
    if (blockSize < 1 || blocks < 1 || shape.maxSeqLen % blockSize != 0 ||
        blocks > kMaxTokens * 4096 / blockSize) {
      emitError(loc) << "a paged KV cache needs a block size (--kv-block-size) dividing "
                        "--max-seq-len and from 1 to "
                     << kMaxTokens * 4096 << " positions in its pool (--kv-blocks); got block size "
                     << blockSize << ", max-seq-len " << shape.maxSeqLen << ", " << blocks
                     << " blocks";
      return nullptr;
    }
  }
  bool paged = blockSize > 0;

  OpBuilder b(&context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  Type i64 = b.getI64Type(), f32 = b.getF32Type();
  int64_t cacheRows = shape.maxBatch * shape.maxSeqLen, heads = config.numAttentionHeads;
  int64_t tableBlocks = paged ? shape.maxSeqLen / blockSize : 0;
  std::vector<std::string> stateNames;
  SmallVector<Type> stateTypes;
  for (int64_t layer = 0; layer < config.numHiddenLayers; ++layer)
    for (auto [kind, dim] : {std::pair{"key", config.qkNopeHeadDim + config.qkRopeHeadDim},
                             std::pair{"value", config.vHeadDim}}) {
      stateNames.push_back(llvm::formatv("layers.{0}.{1}_cache", layer, kind).str());
      stateTypes.push_back(paged ? RankedTensorType::get({blocks, blockSize, heads, dim}, f32)
                                 : RankedTensorType::get({cacheRows, heads, dim}, f32));
    }
  SmallVector<std::pair<StringRef, Type>> states;
  for (auto [name, type] : llvm::zip_equal(stateNames, stateTypes))
    states.push_back({name, type});
  auto markStates = [&](func::FuncOp func, unsigned firstArg) {
    for (auto [i, name] : llvm::enumerate(stateNames)) {
      func.setArgAttr(firstArg + i, kStateAttr, b.getStringAttr(name));
      func.setResultAttr(1 + i, kStateAttr, b.getStringAttr(name));
    }
  };
  auto finish = [&](const SmallVector<LayerCache> &caches, Value logits) {
    SmallVector<Value> results = {logits};
    for (const LayerCache &cache : caches)
      results.append({cache.keys, cache.values});
    func::ReturnOp::create(b, loc, results);
  };
  WeightAttrs weights;
  recordWeightFormat(*module, format);
  DeepSeekModel model(std::move(checkpoint), config, weights, format, b, loc);
  auto one = RankedTensorType::get({1}, i64);

  // prefill(input_ids [P], length [1], slot [1], caches...) -> (logits [1,
  // vocab], caches...): the prompt (padded to P) of sequence `slot` fills
  // cache rows 0..P-1 (rows past `length` are rewritten before decode reads
  // them); logits are those of its last real token. Paged, block_table [S /
  // block size] replaces slot: position p goes to row p mod block size of
  // block block_table[p / block size].
  for (int64_t prefillLen : shape.prefillLens) {
    auto tableType = RankedTensorType::get({tableBlocks}, i64);
    SmallVector<std::pair<StringRef, Type>> args = {
        {"input_ids", RankedTensorType::get({prefillLen}, i64)},
        {"length", one},
        paged ? std::pair<StringRef, Type>{"block_table", tableType}
              : std::pair<StringRef, Type>{"slot", one}};
    args.append(states);
    SmallVector<std::pair<StringRef, Type>> results = {
        {"logits", RankedTensorType::get({1, config.vocabSize}, f32)}};
    results.append(states);
    func::FuncOp prefill = addEntry(b, *module, loc, "prefill", args, results);
    markSpecialization(prefill, "prefill", specializedSeq(shape.prefillLens, prefillLen));
    markStates(prefill, 3);
    SmallVector<LayerCache> caches = cacheArguments(prefill, 3);
    auto rowsType = RankedTensorType::get({prefillLen}, i64);
    auto constantRows = [&](auto rowOf) {
      std::vector<int64_t> values(prefillLen);
      for (int64_t p = 0; p < prefillLen; ++p)
        values[p] = rowOf(p);
      return ConstantOp::create(b, loc, rowsType,
                                DenseElementsAttr::get(rowsType, ArrayRef(values)));
    };
    Value rows;
    if (paged) {
      // block_table[p / block size] * block size + p mod block size.
      Value blockOf = constantRows([&](int64_t p) { return p / blockSize; });
      Value block = GatherOp::create(b, loc, rowsType, prefill.getArgument(2), blockOf, 0);
      Value first = MulOp::create(b, loc, rowsType, block, scalarI64(b, loc, blockSize));
      rows = AddOp::create(b, loc, rowsType, first,
                           constantRows([&](int64_t p) { return p % blockSize; }));
    } else {
      Value base =
          MulOp::create(b, loc, one, prefill.getArgument(2), scalarI64(b, loc, shape.maxSeqLen));
      rows = AddOp::create(b, loc, rowsType, constantRows([](int64_t p) { return p; }), base);
    }
    CacheAccess access;
    access.caches = caches;
    access.rows = rows;
    Value x = model.hidden(Step::Prefill, prefill.getArgument(0), access);
    Value last = SubOp::create(b, loc, one, prefill.getArgument(1), scalarI64(b, loc, 1));
    x = GatherOp::create(b, loc, RankedTensorType::get({1, config.hiddenSize}, f32), x, last, 0);
    finish(caches, model.logits(x));
  }

  // decode(input_ids [B], positions [B], caches...) -> (logits [B, vocab],
  // caches...): token b is at position positions[b] of sequence b. Paged,
  // block_table [B, S / block size] follows positions.
  auto batchType = RankedTensorType::get({shape.maxBatch}, i64);
  auto tableType = RankedTensorType::get({shape.maxBatch, tableBlocks}, i64);
  SmallVector<std::pair<StringRef, Type>> args = {{"input_ids", batchType},
                                                  {"positions", batchType}};
  if (paged)
    args.push_back({"block_table", tableType});
  unsigned firstState = args.size();
  args.append(states);
  SmallVector<std::pair<StringRef, Type>> results = {
      {"logits", RankedTensorType::get({shape.maxBatch, config.vocabSize}, f32)}};
  results.append(states);
  func::FuncOp decode = addEntry(b, *module, loc, "decode", args, results);
  markStates(decode, firstState);
  {
    SmallVector<LayerCache> caches = cacheArguments(decode, firstState);
    Value positions = decode.getArgument(1), rows, table;
    if (paged) {
      // table[b, positions[b] / block size] * block size + positions[b] mod
      // block size.
      table = decode.getArgument(2);
      auto columnType = RankedTensorType::get({shape.maxBatch, 1}, i64);
      Value size = scalarI64(b, loc, blockSize);
      Value blockOf = DivOp::create(b, loc, batchType, positions, size);
      Value block = GatherElementsOp::create(
          b, loc, columnType, table, ReshapeOp::create(b, loc, columnType, blockOf, Value()), 1);
      block = ReshapeOp::create(b, loc, batchType, block, Value());
      Value within = SubOp::create(b, loc, batchType, positions,
                                   MulOp::create(b, loc, batchType, blockOf, size));
      rows =
          AddOp::create(b, loc, batchType, MulOp::create(b, loc, batchType, block, size), within);
    } else {
      std::vector<int64_t> slotBase(shape.maxBatch);
      for (int64_t i = 0; i < shape.maxBatch; ++i)
        slotBase[i] = i * shape.maxSeqLen;
      rows = ConstantOp::create(b, loc, batchType,
                                DenseElementsAttr::get(batchType, ArrayRef(slotBase)));
      rows = AddOp::create(b, loc, batchType, rows, positions);
    }
    Value x = model.hidden(Step::Decode, decode.getArgument(0),
                           {caches, rows, positions, shape.maxSeqLen, table});
    finish(caches, model.logits(x));
  }
  return module;
}

} // namespace mlir::tern::hf
