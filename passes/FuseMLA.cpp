//===- FuseMLA.cpp - Per-head KV caches into a latent cache ---------------===//
//
// DeepSeek's attention computes each head's keys and values from one small
// latent per token (kv_b_proj of the normalised kv_a latent) plus one RoPE
// key that all heads share. Importers write it as the model's reference code
// does: per-head keys and values, cached per head. This pass finds that
// dataflow around each pair of cache states and rewrites every entry
// function that uses the pair at once:
//
//   keys'   = scatter(keys,   rows, concat(slice(kv, :N), expand(k_rope)))
//   values' = scatter(values, rows, slice(kv, N:))    kv = reshape(gemm(latent, kv_b^T))
//   out     = einsum(softmax(einsum(concat(q_nope, q_rope), view(keys')) * scale + mask),
//                    view(values'))
// becomes
//   cache'  = scatter(cache, rows, concat(latent, k_rope))
//   out     = tern.mla_attention(q_nope, q_rope, view(cache'), kv_b, mask)
//
// where decoding's mask (0 up to each query's position, -inf after it)
// becomes the op's last_positions, so that kernels skip what it hides. A
// paged cache (a pool [blocks, P, ...] written through its rows and read as
// gather(pool, block table) reshaped to [B, S, ...]) becomes a latent pool
// [blocks, P, L + R] that the op reads through the same block table.
// so the state holds L + R values per token instead of H * (N + R + V), and
// codegen can attend in the latent space. Nothing is matched by name: the
// new state's name is derived from the two it replaces. A pair is rewritten
// only if every function that has either state matches; otherwise all stay.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "ir/Contract.h"
#include "ir/TernOps.h"
#include "passes/FusionUtils.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::tern {
#define GEN_PASS_DEF_FUSEMLAPASS
#include "passes/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;
using namespace mlir::tern;

namespace {

/// `equation` with its labels renamed a, b, c, ... in order of appearance,
/// so that two equations compare equal when they compute the same thing.
std::string canonicalEinsum(StringRef equation) {
  std::string out, seen;
  for (char c : equation) {
    if (!llvm::isAlpha(c)) {
      out += c;
      continue;
    }
    size_t at = seen.find(c);
    if (at == std::string::npos) {
      at = seen.size();
      seen += c;
    }
    out += char('a' + at);
  }
  return out;
}

EinsumOp getEinsum(Value value, StringRef equation) {
  auto einsum = value.getDefiningOp<EinsumOp>();
  if (!einsum || canonicalEinsum(einsum.getEquation()) != canonicalEinsum(equation))
    return nullptr;
  return einsum;
}

/// The state name of function argument `value`, or "".
StringRef getStateName(Value value) {
  auto arg = dyn_cast<BlockArgument>(value);
  if (!arg)
    return "";
  auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
  if (!func || arg.getOwner() != &func.getBody().front())
    return "";
  auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), kStateAttr);
  return name ? name.getValue() : "";
}

/// A slice of `input` that keeps every element but `[begin, end)` of its
/// last dimension (steps 1).
bool isLastDimSlice(SliceOp slice, Value input, int64_t begin, int64_t end) {
  if (!slice || slice.getInput() != input)
    return false;
  ArrayRef<int64_t> shape = getTensorType(input).getShape();
  ArrayRef<int64_t> starts = slice.getStarts(), ends = slice.getEnds();
  int64_t last = int64_t(shape.size()) - 1;
  if (int64_t(starts.size()) != last + 1 || int64_t(ends.size()) != last + 1 ||
      !llvm::all_of(slice.getSteps(), [](int64_t step) { return step == 1; }))
    return false;
  for (int64_t d = 0; d < last; ++d)
    if (starts[d] != 0 || ends[d] != shape[d])
      return false;
  return starts[last] == begin && ends[last] == end;
}

/// `value` = tern.expand of a [T, 1, 1] i64 tensor (each token's cache row,
/// the same for all of its elements); that tensor, or null.
Value getRowIndices(Value value) {
  auto expand = value.getDefiningOp<ExpandOp>();
  if (!expand)
    return nullptr;
  RankedTensorType type = getTensorType(expand.getInput());
  if (type.getShape() != ArrayRef<int64_t>{getTensorType(value).getDimSize(0), 1, 1})
    return nullptr;
  return expand.getInput();
}

/// A state's write: a scatter along axis 0 at row indices, of the state
/// itself or, for a paged cache (a pool [blocks, P, ...]), of its rows
/// [blocks * P, ...], reshaped back.
struct StateWrite {
  ScatterElementsOp scatter;
  /// What the function returns and reads: the scatter, or its reshape back
  /// into blocks.
  Value written;
  /// Paged: positions per block; else 0.
  int64_t blockRows = 0;
};

/// One function's write of a layer's per-head key and value caches, both
/// computed from one latent by kv_b, the keys with a RoPE key all heads
/// share.
struct CacheWrite {
  BlockArgument keys, values;
  ScatterElementsOp keyWrite, valueWrite;
  Value keysWritten, valuesWritten;
  int64_t blockRows = 0; // paged: positions per block
  Value latent;          // [T, L], kv_b's input
  Value kRope;           // [T, 1, R]
  Value rowsAt;          // [T, 1, 1] i64
  Value kvB;             // [H * (N + V), L]
  int64_t heads = 0, nope = 0, rope = 0, valueDim = 0;
};

/// The one user of `value` if it has exactly one and it has type OpTy.
template <typename OpTy> OpTy getOnlyUser(Value value) {
  return value.hasOneUse() ? dyn_cast<OpTy>(*value.getUsers().begin()) : nullptr;
}

/// The write of state argument `state` (StateWrite), or nullopt.
std::optional<StateWrite> getStateWrite(Value state) {
  if (!state.hasOneUse())
    return std::nullopt;
  StateWrite w;
  Value rows = state;
  RankedTensorType type = getTensorType(state);
  // A pool [blocks, P, ...] written through its rows [blocks * P, ...].
  if (auto flat = dyn_cast<ReshapeOp>(*state.getUsers().begin())) {
    RankedTensorType flatType = getTensorType(flat);
    if (type.getRank() < 3 || flatType.getRank() != type.getRank() - 1 ||
        flatType.getDimSize(0) != type.getDimSize(0) * type.getDimSize(1) ||
        flatType.getShape().drop_front() != type.getShape().drop_front(2) || !flat->hasOneUse())
      return std::nullopt;
    w.blockRows = type.getDimSize(1);
    rows = flat;
  }
  w.scatter = dyn_cast<ScatterElementsOp>(*rows.getUsers().begin());
  if (!w.scatter || w.scatter.getInput() != rows || w.scatter.getAxis() != 0 ||
      w.scatter.getReduction() != "none" || !getRowIndices(w.scatter.getIndices()))
    return std::nullopt;
  w.written = w.scatter;
  if (w.blockRows) {
    auto back = getOnlyUser<ReshapeOp>(w.scatter);
    if (!back || back.getType() != type)
      return std::nullopt;
    w.written = back;
  }
  return w;
}

std::optional<CacheWrite> matchCacheWrite(BlockArgument keys) {
  CacheWrite w;
  w.keys = keys;
  std::optional<StateWrite> keyState = getStateWrite(keys);
  if (!keyState)
    return std::nullopt;
  w.keyWrite = keyState->scatter;
  w.keysWritten = keyState->written;
  w.blockRows = keyState->blockRows;
  w.rowsAt = getRowIndices(w.keyWrite.getIndices());
  auto key = w.keyWrite.getUpdates().getDefiningOp<ConcatOp>();
  if (!key || key.getInputs().size() != 2 || getTensorType(key).getRank() != 3 ||
      !isLastAxis(key.getAxis(), 3))
    return std::nullopt;
  auto kNope = key.getInputs()[0].getDefiningOp<SliceOp>();
  auto kRopeHeads = key.getInputs()[1].getDefiningOp<ExpandOp>();
  if (!kNope || !kRopeHeads)
    return std::nullopt;
  // kv = reshape(gemm(latent, kv_b^T)) : [T, H, N + V].
  Value kv = kNope.getInput();
  auto reshape = kv.getDefiningOp<ReshapeOp>();
  auto gemm = reshape ? reshape.getInput().getDefiningOp<GemmOp>() : nullptr;
  if (!gemm || gemm.getC() || gemm.getTransA() || !gemm.getTransB() ||
      !gemm.getAlpha().isExactlyValue(1.0))
    return std::nullopt;
  RankedTensorType kvType = getTensorType(kv), keyType = getTensorType(key);
  if (!kvType.hasStaticShape() || !keyType.hasStaticShape() ||
      getTensorType(gemm).getShape() !=
          ArrayRef<int64_t>{kvType.getDimSize(0), kvType.getDimSize(1) * kvType.getDimSize(2)})
    return std::nullopt;
  w.heads = kvType.getDimSize(1);
  w.nope = getTensorType(kNope).getDimSize(2);
  w.valueDim = kvType.getDimSize(2) - w.nope;
  w.rope = keyType.getDimSize(2) - w.nope;
  if (!isLastDimSlice(kNope, kv, 0, w.nope) || w.valueDim < 1 || w.rope < 1)
    return std::nullopt;
  // The RoPE key: one [T, 1, R] row broadcast to every head.
  w.kRope = kRopeHeads.getInput();
  if (getTensorType(w.kRope).getShape() != ArrayRef<int64_t>{kvType.getDimSize(0), 1, w.rope})
    return std::nullopt;
  w.latent = gemm.getA();
  w.kvB = gemm.getB();

  // The values: kv's other part, written at the same rows into another state.
  for (Operation *user : kv.getUsers()) {
    auto slice = dyn_cast<SliceOp>(user);
    if (!isLastDimSlice(slice, kv, w.nope, w.nope + w.valueDim))
      continue;
    for (Operation *sliceUser : slice->getUsers()) {
      auto write = dyn_cast<ScatterElementsOp>(sliceUser);
      if (!write || write.getUpdates() != slice.getResult())
        continue;
      // The values' state: the scatter's input, or the pool it flattens.
      Value input = write.getInput();
      if (auto flat = input.getDefiningOp<ReshapeOp>())
        input = flat.getInput();
      auto values = dyn_cast<BlockArgument>(input);
      std::optional<StateWrite> valueState =
          values ? getStateWrite(values) : std::optional<StateWrite>();
      if (values && values != keys && !getStateName(values).empty() && valueState &&
          valueState->scatter == write && valueState->blockRows == w.blockRows &&
          getRowIndices(write.getIndices()) == w.rowsAt) {
        w.values = values;
        w.valueWrite = write;
        w.valuesWritten = valueState->written;
      }
    }
  }
  Type element = getTensorType(keys).getElementType();
  if (!w.values || getTensorType(w.latent).getElementType() != element ||
      getTensorType(w.kvB).getElementType() != element)
    return std::nullopt;
  return w;
}

/// Whether `value` is the constant 0, 1, ..., n - 1 (integer [n]).
bool isIota(Value value, int64_t n) {
  DenseIntElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || attr.getType().getShape() != ArrayRef<int64_t>{n})
    return false;
  int64_t expected = 0;
  for (const APInt &element : attr.getValues<APInt>())
    if (element.getSExtValue() != expected++)
      return false;
  return true;
}

/// Each query's last visible position P [B] when `mask`, added to the scores
/// [B, H, S], is where(iota(S) <= P[b], 0, -inf) (a [B, S] mask, possibly
/// reshaped to [B, 1, S]): decoding's mask, under which a kernel may skip
/// the positions after P[b]. Null for any other mask.
Value getLastPositions(Value mask, int64_t batch, int64_t positions) {
  if (auto reshape = mask.getDefiningOp<ReshapeOp>();
      reshape && getTensorType(mask).getShape() == ArrayRef<int64_t>{batch, 1, positions})
    mask = reshape.getInput();
  auto where = mask.getDefiningOp<WhereOp>();
  if (!where || getTensorType(mask).getShape() != ArrayRef<int64_t>{batch, positions} ||
      getSplatFloat(where.getTrueValue()) != 0.0 ||
      getSplatFloat(where.getFalseValue()) != -std::numeric_limits<double>::infinity())
    return nullptr;
  auto visible = where.getCondition().getDefiningOp<LeOp>();
  if (!visible || !isIota(visible.getLhs(), positions))
    return nullptr;
  // The positions as a column, [B, 1], of a [B] tensor of i64 or i32 (what
  // the op takes).
  auto column = visible.getRhs().getDefiningOp<ReshapeOp>();
  if (!column || getTensorType(column).getShape() != ArrayRef<int64_t>{batch, 1})
    return nullptr;
  RankedTensorType positionsType = getTensorType(column.getInput());
  if (positionsType.getShape() != ArrayRef<int64_t>{batch} ||
      !(positionsType.getElementType().isInteger(64) ||
        positionsType.getElementType().isInteger(32)))
    return nullptr;
  return column.getInput();
}

/// A decode step's attention over the written caches.
struct CacheRead {
  Value qNope, qRope, mask;
  /// Paged: [B, blocks per sequence], the blocks each sequence reads.
  Value blockTable;
  /// Set when the mask is decoding's (getLastPositions): the op takes these
  /// instead of the mask.
  Value lastPositions;
  double scale = 1.0;
  ReshapeOp keysView; // [B, S, H, N + R]
  EinsumOp output;    // [B, H, V]
};

/// The operand of binary `op` other than `value`.
Value getOtherOperand(Operation *op, Value value) {
  return op->getOperand(0) == value ? op->getOperand(1) : op->getOperand(0);
}

/// Splits the uses of a written cache into the function's return and at
/// most one read: a reshape to [B, S, ...], or for a paged cache a gather of
/// its blocks by a block table [B, C] (into `table`) reshaped to [B, S, ...];
/// false on any other use.
bool splitUses(Value written, int64_t blockRows, func::ReturnOp &ret, ReshapeOp &view,
               Value &table) {
  for (Operation *user : written.getUsers()) {
    if (auto r = dyn_cast<func::ReturnOp>(user); r && !ret) {
      ret = r;
    } else if (auto reshape = dyn_cast<ReshapeOp>(user); reshape && !view && !blockRows) {
      view = reshape;
    } else if (auto gather = dyn_cast<GatherOp>(user);
               gather && !view && blockRows && gather.getInput() == written &&
               gather.getAxis() == 0 && getTensorType(gather.getIndices()).getRank() == 2) {
      view = getOnlyUser<ReshapeOp>(gather);
      table = gather.getIndices();
      if (!view)
        return false;
    } else {
      return false;
    }
  }
  return ret != nullptr;
}

/// Whether the write's results only go back to their states (prefill), or
/// also into one softmax attention per head (decode); the attention then.
FailureOr<std::optional<CacheRead>> matchCacheRead(CacheWrite w) {
  func::ReturnOp keysReturn, valuesReturn;
  ReshapeOp keysView, valuesView;
  Value keysTable, valuesTable;
  if (!splitUses(w.keysWritten, w.blockRows, keysReturn, keysView, keysTable) ||
      !splitUses(w.valuesWritten, w.blockRows, valuesReturn, valuesView, valuesTable) ||
      bool(keysView) != bool(valuesView) || keysTable != valuesTable)
    return failure();
  if (!keysView)
    return std::optional<CacheRead>();

  CacheRead r;
  r.keysView = keysView;
  r.blockTable = keysTable;
  // scores = einsum(concat(q_nope, q_rope), keys [B, S, H, N + R]) : [B, H, S]
  RankedTensorType view = getTensorType(keysView);
  int64_t batch = view.getDimSize(0), positions = view.getDimSize(1);
  if (view.getShape() != ArrayRef<int64_t>{batch, positions, w.heads, w.nope + w.rope})
    return failure();
  auto scores = getOnlyUser<EinsumOp>(keysView);
  if (!scores || scores.getInputs().size() != 2 || scores.getInputs()[1] != keysView ||
      !getEinsum(scores, "bhd,bshd->bhs"))
    return failure();
  auto query = scores.getInputs()[0].getDefiningOp<ConcatOp>();
  if (!query || query.getInputs().size() != 2 || !isLastAxis(query.getAxis(), 3))
    return failure();
  r.qNope = query.getInputs()[0];
  r.qRope = query.getInputs()[1];
  if (getTensorType(r.qNope).getShape() != ArrayRef<int64_t>{batch, w.heads, w.nope} ||
      getTensorType(r.qRope).getShape() != ArrayRef<int64_t>{batch, w.heads, w.rope})
    return failure();
  // softmax(scores * scale + mask) along the positions.
  auto scaled = getOnlyUser<MulOp>(scores);
  std::optional<double> scale =
      scaled ? getSplatFloat(getOtherOperand(scaled, scores)) : std::nullopt;
  auto masked = scaled ? getOnlyUser<AddOp>(scaled) : nullptr;
  if (!scale || *scale <= 0.0 || !masked || masked.getType() != scores.getType())
    return failure();
  r.scale = *scale;
  r.mask = getOtherOperand(masked, scaled);
  r.lastPositions = getLastPositions(r.mask, batch, positions);
  auto probs = getOnlyUser<SoftmaxOp>(masked);
  if (!probs || !isLastAxis(probs.getAxis(), 3))
    return failure();
  // out = einsum(probs, values [B, S, H, V]) : [B, H, V]
  r.output = getOnlyUser<EinsumOp>(probs);
  if (!r.output || r.output.getInputs().size() != 2 || r.output.getInputs()[0] != probs ||
      r.output.getInputs()[1] != valuesView || !getEinsum(r.output, "bhs,bshe->bhe") ||
      !valuesView->hasOneUse() ||
      getTensorType(valuesView).getShape() !=
          ArrayRef<int64_t>{batch, positions, w.heads, w.valueDim})
    return failure();
  return std::optional<CacheRead>(r);
}

/// The index of `value` among `ret`'s operands whose result carries `state`.
std::optional<unsigned> getStateResult(func::FuncOp func, func::ReturnOp ret, Value value,
                                       StringRef state) {
  for (OpOperand &operand : ret->getOpOperands()) {
    auto name = func.getResultAttrOfType<StringAttr>(operand.getOperandNumber(), kStateAttr);
    if (operand.get() == value && name && name.getValue() == state)
      return operand.getOperandNumber();
  }
  return std::nullopt;
}

/// One function's use of a pair of cache states, all of it matched: the
/// write and the read (decode).
struct CacheUse {
  func::FuncOp func;
  CacheWrite write;
  std::optional<CacheRead> read;
};

/// The results that return the two written states: (keys, values), or
/// nullopt unless each goes back as its own state's result. Indices shift
/// as other pairs of the function are rewritten, so they are looked up
/// again for each rewrite.
std::optional<std::pair<unsigned, unsigned>> getStateResults(func::FuncOp func, CacheWrite w) {
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  std::optional<unsigned> keys = getStateResult(func, ret, w.keysWritten, getStateName(w.keys));
  std::optional<unsigned> values =
      getStateResult(func, ret, w.valuesWritten, getStateName(w.values));
  if (!keys || !values)
    return std::nullopt;
  return std::pair(*keys, *values);
}

/// The use of the pair `write` found in `func`, if it reads the pair as
/// attention or not at all and returns each written state as itself.
std::optional<CacheUse> matchCacheUse(func::FuncOp func, CacheWrite write) {
  FailureOr<std::optional<CacheRead>> read = matchCacheRead(write);
  if (failed(read) || !getStateResults(func, write))
    return std::nullopt;
  return CacheUse{func, write, *read};
}

/// "layers.0.latent_cache" for "layers.0.key_cache" and
/// "layers.0.value_cache": the names' common prefix up to its last '.'.
std::string latentStateName(StringRef keys, StringRef values) {
  size_t common = 0;
  while (common < keys.size() && common < values.size() && keys[common] == values[common])
    ++common;
  size_t dot = keys.take_front(common).rfind('.');
  if (dot == StringRef::npos)
    return (keys + ".latent").str();
  return (keys.take_front(dot + 1) + "latent_cache").str();
}

/// Rewrites one function's use of the pair into the latent cache, stored in
/// `cacheElement` (the activations' type, or narrower).
LogicalResult rewrite(CacheUse &use, StringRef latentName, Type cacheElement) {
  func::FuncOp func = use.func;
  CacheWrite &w = use.write;
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  std::optional<std::pair<unsigned, unsigned>> results = getStateResults(func, w);
  if (!results)
    return func.emitOpError("tern-fuse-mla lost track of the cache states' results");
  auto [keysResult, valuesResult] = *results;

  MLIRContext *context = func.getContext();
  RankedTensorType keysType = getTensorType(w.keys);
  int64_t tokens = getTensorType(w.latent).getDimSize(0);
  int64_t width = getTensorType(w.latent).getDimSize(1) + w.rope;
  // [rows, L + R], or paged [blocks, P, L + R] written through its rows.
  int64_t rows = w.blockRows ? keysType.getDimSize(0) * w.blockRows : keysType.getDimSize(0);
  auto rowsType = keysType.clone({rows, width}, cacheElement);
  auto cacheType = w.blockRows
                       ? keysType.clone({keysType.getDimSize(0), w.blockRows, width}, cacheElement)
                       : rowsType;
  Location loc = FusedLoc::get(context, {w.keyWrite.getLoc(), w.valueWrite.getLoc()});

  // The new state takes the keys' place among the arguments and results.
  unsigned argIndex = w.keys.getArgNumber();
  NamedAttrList argAttrs(func.getArgAttrDict(argIndex));
  argAttrs.set(kNameAttr, StringAttr::get(context, latentName));
  argAttrs.set(kStateAttr, StringAttr::get(context, latentName));
  if (failed(func.insertArgument(argIndex, cacheType, argAttrs.getDictionary(context), loc)))
    return failure();
  BlockArgument cache = func.getArgument(argIndex);

  OpBuilder b(w.keyWrite);
  // Row r of the cache: the latent, then the RoPE key.
  Value kRope =
      ReshapeOp::create(b, loc, getTensorType(w.kRope).clone({tokens, w.rope}), w.kRope, Value());
  Value entry =
      ConcatOp::create(b, loc, keysType.clone({tokens, width}), ValueRange{w.latent, kRope}, 1);
  if (cacheElement != keysType.getElementType())
    entry = CastOp::create(b, loc, cacheType.clone({tokens, width}), entry, false);
  auto indexType = getTensorType(w.rowsAt);
  Value at = ReshapeOp::create(b, loc, indexType.clone({tokens, 1}), w.rowsAt, Value());
  at = ExpandOp::create(b, loc, indexType.clone({tokens, width}), at, Value());
  Value target = w.blockRows ? ReshapeOp::create(b, loc, rowsType, cache, Value()) : Value(cache);
  Value written =
      ScatterElementsOp::create(b, loc, rowsType, target, at, entry, b.getI64IntegerAttr(0));
  if (w.blockRows)
    written = ReshapeOp::create(b, loc, cacheType, written, Value());
  if (CacheRead *r = use.read ? &*use.read : nullptr) {
    b.setInsertionPoint(r->output);
    // The op reads a paged cache's pool as it is, through the block table.
    RankedTensorType keysView = getTensorType(r->keysView);
    Value view = r->blockTable ? written
                               : ReshapeOp::create(b, r->keysView.getLoc(),
                                                   cacheType.clone({keysView.getDimSize(0),
                                                                    keysView.getDimSize(1), width}),
                                                   written, Value());
    Location attentionLoc = FusedLoc::get(context, {r->keysView.getLoc(), r->output.getLoc()});
    Value mask = r->lastPositions ? Value() : r->mask;
    Value out = MLAAttentionOp::create(b, attentionLoc, r->output.getType(), r->qNope, r->qRope,
                                       view, w.kvB, mask, r->lastPositions, r->blockTable,
                                       b.getF64FloatAttr(r->scale));
    r->output.getResult().replaceAllUsesWith(out);
  }

  ret->setOperand(keysResult, written);
  NamedAttrList resultAttrs(func.getResultAttrDict(keysResult));
  resultAttrs.set(kNameAttr, StringAttr::get(context, latentName));
  resultAttrs.set(kStateAttr, StringAttr::get(context, latentName));
  func.setResultAttrs(keysResult, resultAttrs.getDictionary(context));
  ret->eraseOperand(valuesResult);
  if (failed(func.eraseResult(valuesResult)))
    return failure();
  func.setType(FunctionType::get(context, func.getArgumentTypes(), ret->getOperandTypes()));

  // What read the old states is dead now; then they have no uses.
  IRRewriter rewriter(context);
  (void)runRegionDCE(rewriter, func->getRegions());
  if (!w.keys.use_empty() || !w.values.use_empty())
    return func.emitOpError("tern-fuse-mla left uses of the per-head caches");
  llvm::BitVector erase(func.getNumArguments());
  erase.set(w.keys.getArgNumber());
  erase.set(w.values.getArgNumber());
  return func.eraseArguments(erase);
}

struct FuseMLAPass final : tern::impl::FuseMLAPassBase<FuseMLAPass> {
  using FuseMLAPassBase::FuseMLAPassBase;

  void runOnOperation() override {
    Type cacheElement;
    if (cacheType == "bf16")
      cacheElement = BFloat16Type::get(&getContext());
    else if (cacheType != "f32") {
      getOperation().emitError() << "tern-fuse-mla: cache-type must be f32 or bf16, got '"
                                 << cacheType << "'";
      return signalPassFailure();
    }
    // Every function's matched pairs, by the keys' state; and how many
    // functions have each state at all.
    llvm::MapVector<StringRef, SmallVector<CacheUse>> uses;
    llvm::StringMap<int> functionsWithState;
    llvm::StringSet<> inputNames;
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      llvm::StringSet<> states;
      for (BlockArgument arg : func.getArguments()) {
        if (auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), kNameAttr))
          inputNames.insert(name.getValue());
        StringRef state = getStateName(arg);
        if (state.empty() || !states.insert(state).second)
          continue;
        ++functionsWithState[state];
        std::optional<CacheWrite> write = matchCacheWrite(arg);
        if (!write)
          continue;
        if (std::optional<CacheUse> use = matchCacheUse(func, *write))
          uses[state].push_back(*use);
      }
    }

    for (auto &[keysState, pairUses] : uses) {
      StringRef valuesState = getStateName(pairUses.front().write.values);
      bool everywhere =
          int(pairUses.size()) == functionsWithState[keysState] &&
          int(pairUses.size()) == functionsWithState[valuesState] &&
          llvm::all_of(pairUses, [&](const CacheUse &use) {
            return getStateName(use.write.values) == valuesState &&
                   getTensorType(use.write.keys) == getTensorType(pairUses.front().write.keys);
          });
      std::string latentName = latentStateName(keysState, valuesState);
      if (!everywhere || inputNames.contains(latentName))
        continue;
      Type element =
          cacheElement ? cacheElement : getTensorType(pairUses.front().write.keys).getElementType();
      for (CacheUse &use : pairUses)
        if (failed(rewrite(use, latentName, element)))
          return signalPassFailure();
    }
  }
};

} // namespace
