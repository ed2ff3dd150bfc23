//===- ElementwiseOps.cpp - Constant, where and cast ----------------------===//
//
// Unary and binary ops are fully described in ElementwiseOps.td.
//
//===----------------------------------------------------------------------===//
#include "ir/TernOps.h"

using namespace mlir;
using namespace mlir::tern;

LogicalResult ConstantOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  types.push_back(getValue().getType());
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult WhereOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  auto element = cast<RankedTensorType>(getTrueValue().getType()).getElementType();
  return inferBroadcastTypes(getOperands(), element, types, emitError);
}

// The target element type is the op's own: only the shape is inferred.
LogicalResult CastOp::inferResultTypes(SmallVectorImpl<Type> &types, EmitErrorFn emitError) {
  auto input = cast<RankedTensorType>(getInput().getType());
  types.push_back(input.clone(getType().getElementType()));
  return success();
}

// cast(x : T) to T => x
OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

// x * sigmoid(x) (either order) => silu(x), the form that
// torch.onnx.export writes for F.silu and that fusion and codegen expect.
LogicalResult MulOp::canonicalize(MulOp op, PatternRewriter &rewriter) {
  for (auto [x, other] :
       {std::pair(op.getLhs(), op.getRhs()), std::pair(op.getRhs(), op.getLhs())}) {
    auto sigmoid = other.getDefiningOp<SigmoidOp>();
    if (!sigmoid || sigmoid.getInput() != x)
      continue;
    rewriter.replaceOpWithNewOp<SiluOp>(op, x);
    return success();
  }
  return failure();
}
