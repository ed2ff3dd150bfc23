//===- FormKernels.cpp - Producers into their consumer's kernel -----------===//
#include "codegen/schedule/KernelFormationRules.h"
#include "codegen/schedule/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tern {
#define GEN_PASS_DEF_FORMKERNELSPASS
#include "codegen/schedule/Passes.h.inc"

namespace {

/// Tiles a row chain's root by one along its rows into an scf.forall and
/// fuses its members into the loop: one kernel computing each row whole.
LogicalResult formRowKernel(const RowChain &chain, bool report) {
  linalg::GenericOp root = chain.root;
  IRRewriter rewriter(root);
  SmallVector<OpFoldResult> tileSizes;
  for (bool row : chain.rowLoops)
    tileSizes.push_back(rewriter.getIndexAttr(row ? 1 : 0));
  scf::SCFTilingOptions tiling;
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp).setTileSizes(tileSizes);
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  // Each member joins once per slice its users read, so a member two others
  // read is computed twice in the row: cheaper than a row in memory.
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (chain.members.contains(producer.getOwner()))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  auto tileable = dyn_cast<TilingInterface>(root.getOperation());
  if (!tileable)
    return root.emitOpError("has no TilingInterface model (register linalg's external models)");
  FailureOr<scf::SCFTileAndFuseResult> tiled =
      scf::tileConsumerAndFuseProducersUsingSCF(rewriter, tileable, options);
  if (failed(tiled))
    return root.emitOpError("cannot be tiled into a kernel over its rows");
  if (report)
    root.emitRemark() << "ends a row chain of " << chain.members.size() + 1
                      << " ops, one kernel over its rows";
  rewriter.replaceOp(root, tiled->replacements.lookup(root->getResult(0)));
  for (Operation *member : llvm::reverse(chain.members))
    if (member->use_empty())
      rewriter.eraseOp(member);
  return success();
}

struct FormKernelsPass final : impl::FormKernelsPassBase<FormKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (failed(fuseBodies()))
      return signalPassFailure();
    // Row chains, last first: an earlier chain's root may join a later one.
    SmallVector<linalg::GenericOp> roots;
    getOperation()->walk([&](linalg::GenericOp op) { roots.push_back(op); });
    llvm::SmallPtrSet<Operation *, 16> erased;
    for (linalg::GenericOp root : llvm::reverse(roots)) {
      if (erased.contains(root))
        continue;
      std::optional<RowChain> chain = getRowChain(root);
      if (!chain)
        continue;
      erased.insert(root);
      for (Operation *member : chain->members)
        erased.insert(member);
      if (failed(formRowKernel(*chain, reportFusions)))
        return signalPassFailure();
    }
    // The members joined each row's kernel as one op per use: their bodies
    // now fuse into their users' by the same rules.
    if (failed(fuseBodies()))
      return signalPassFailure();
  }

  /// Producer bodies into consumer bodies (KernelFormationRules.h).
  LogicalResult fuseBodies() {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    // fuse(producer, consumer) => one generic computing both, when a rule
    // of KernelFormationRules.h allows it.
    linalg::ControlFusionFn joinKernel = [this](OpOperand *operand) {
      KernelFusion fusion = getKernelFusion(*operand);
      if (fusion == KernelFusion::None)
        return false;
      if (reportFusions)
        operand->getOwner()->emitRemark()
            << "joins the kernel of its operand #" << operand->getOperandNumber() << "'s producer ("
            << getKernelFusionName(fusion) << ")";
      return true;
    };
    linalg::populateElementwiseOpsFusionPatterns(patterns, joinKernel);
    // Reshapes and constant folding as upstream's elementwise fusion pass
    // does them: a single-use producer only.
    linalg::ControlFusionFn singleUse = [](OpOperand *operand) {
      Operation *producer = operand->get().getDefiningOp();
      return producer && producer->hasOneUse();
    };
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, singleUse);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, singleUse);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(patterns);
    return applyPatternsGreedily(getOperation(), std::move(patterns),
                                 GreedyRewriteConfig().setUseTopDownTraversal());
  }
};

} // namespace
} // namespace mlir::tern
