//===- PackWeightPanels.cpp - Host weights in panels along K --------------===//
//
// A host product's vector tile (tern-stream-contractions) holds a few rows
// by one panel of columns in registers and reads, per step of K, one row of
// the weight's columns. Stored [K, N], those rows are N elements apart: a new
// cache line and often a new page per step, and for a power-of-two N the
// same L1 sets every time. Packed into panels [ceil(N / C), K, C], they are
// one contiguous run, and a thread's share of the columns is one run of the
// weight. The plan writer packs the data (#tern.packed_panels); here the
// products are pointed at it.
//
//===----------------------------------------------------------------------===//
#include "codegen/linalg/LinalgBuilders.h"
#include "codegen/linalg/Passes.h"
#include "ir/TernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::tern {
#define GEN_PASS_DEF_PACKWEIGHTPANELSPASS
#include "codegen/linalg/Passes.h.inc"

namespace {

/// A product that can read its weight from panels.
struct PanelProduct {
  linalg::LinalgOp op;
  /// The weight's operand, and whether the product reads it [K, N].
  OpOperand *weight;
  bool readsKN;
  unsigned n, k;
};

/// `op` as a product whose right operand is a constant read [K, N] or [N,
/// K]: two inputs, one M, N and K loop, static, a float output, at least
/// one panel of `columns`.
std::optional<PanelProduct> matchPanelProduct(linalg::LinalgOp op, int64_t columns) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op.hasIndexSemantics() || !linalg::isaContractionOpInterface(op) ||
      !hasScalarElementwiseBody(op))
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims = linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 || dims->k.size() != 1 ||
      !dims->batch.empty() ||
      llvm::any_of(op.getStaticLoopRanges(), [](int64_t size) { return size <= 0; }) ||
      !isa<FloatType>(getElementTypeOrSelf(op.getDpsInitOperand(0)->get())))
    return std::nullopt;
  unsigned n = dims->n[0], k = dims->k[0];
  // Fewer columns than a panel: nothing for a vector tile (the columns go
  // one at a time), and the panel's padding would be most of the weight.
  if (op.getStaticLoopRanges()[n] < columns)
    return std::nullopt;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (!map.isFunctionOfDim(n) || map.getNumResults() != 2 ||
        !input->get().getDefiningOp<arith::ConstantOp>())
      continue;
    if (map.getDimPosition(0) == k && map.getDimPosition(1) == n)
      return PanelProduct{op, input, /*readsKN=*/true, n, k};
    if (map.getDimPosition(0) == n && map.getDimPosition(1) == k)
      return PanelProduct{op, input, /*readsKN=*/false, n, k};
  }
  return std::nullopt;
}

/// The data a constant weight is packed from, and whether it is [N, K];
/// nullopt for data the plan writer cannot pack.
std::optional<std::pair<ElementsAttr, bool>> getPanelSource(ElementsAttr data, bool readsKN) {
  ElementsAttr source = data;
  bool transposed = !readsKN;
  // A [K, N] weight the plan writer transposes from its one [N, K] part.
  if (auto concat = dyn_cast<ConcatElementsAttr>(data)) {
    if (!readsKN || concat.getParts().size() != 1 || concat.getTransposedGroups() != 1 ||
        concat.getPartsTransposed())
      return std::nullopt;
    source = cast<ElementsAttr>(concat.getParts()[0]);
    transposed = true;
  }
  if (!isa<DenseElementsAttr, DenseResourceElementsAttr, BlockQuantizedElementsAttr,
           BlockDequantizedElementsAttr>(source))
    return std::nullopt;
  auto type = cast<ShapedType>(source.getType());
  if (type.getRank() != 2 || !type.hasStaticShape() || type.getNumElements() == 0 ||
      !llvm::is_contained({8u, 16u, 32u, 64u}, type.getElementTypeBitWidth()))
    return std::nullopt;
  return std::make_pair(source, transposed);
}

struct PackWeightPanelsPass final : impl::PackWeightPanelsPassBase<PackWeightPanelsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (columns < 1) {
      getOperation().emitError() << "columns (" << int64_t(columns) << ") must be at least 1";
      return signalPassFailure();
    }
    // The products of each constant weight, in order.
    llvm::MapVector<Operation *, SmallVector<PanelProduct>> products;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (std::optional<PanelProduct> product = matchPanelProduct(op, columns))
        products[product->weight->get().getDefiningOp()].push_back(*product);
    });
    IRRewriter rewriter(&getContext());
    for (auto &[constant, readers] : products) {
      // Every reader must take the panels the same way; a weight read
      // otherwise too keeps its layout (packing would store it twice).
      bool readsKN = readers.front().readsKN;
      Value weight = constant->getResult(0);
      if (llvm::any_of(readers, [&](const PanelProduct &p) { return p.readsKN != readsKN; }) ||
          !llvm::all_of(weight.getUses(), [&](OpOperand &use) {
            return llvm::any_of(readers, [&](const PanelProduct &p) { return p.weight == &use; });
          }))
        continue;
      auto data = dyn_cast<ElementsAttr>(cast<arith::ConstantOp>(constant).getValue());
      std::optional<std::pair<ElementsAttr, bool>> source =
          data ? getPanelSource(data, readsKN) : std::nullopt;
      if (!source)
        continue;
      auto [sourceData, transposed] = *source;
      RankedTensorType packedType = PackedPanelsElementsAttr::getPackedType(
          cast<ShapedType>(sourceData.getType()), columns, transposed);
      rewriter.setInsertionPoint(constant);
      Value packed =
          arith::ConstantOp::create(rewriter, constant->getLoc(),
                                    PackedPanelsElementsAttr::get(&getContext(), packedType,
                                                                  sourceData, columns, transposed));
      for (PanelProduct &product : readers)
        readFromPanels(rewriter, product, packed);
      rewriter.eraseOp(constant);
    }
  }

  /// Points `product` at the `packed` weight through (n floordiv C, k, n mod C).
  void readFromPanels(IRRewriter &rewriter, const PanelProduct &product, Value packed) {
    linalg::LinalgOp op = product.op;
    unsigned weightIndex = product.weight->getOperandNumber();
    if (!isa<linalg::GenericOp>(op)) {
      rewriter.setInsertionPoint(op);
      // Named contractions on tensors always generalize.
      op = *linalg::generalizeNamedOp(rewriter, op);
    }
    auto generic = cast<linalg::GenericOp>(op);
    MLIRContext *context = &getContext();
    AffineExpr n = getAffineDimExpr(product.n, context), k = getAffineDimExpr(product.k, context);
    SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
    maps[weightIndex] =
        AffineMap::get(generic.getNumLoops(), 0, {n.floorDiv(columns), k, n % columns}, context);
    rewriter.modifyOpInPlace(generic, [&] {
      generic.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
      generic->setOperand(weightIndex, packed);
    });
  }
};

} // namespace
} // namespace mlir::tern
