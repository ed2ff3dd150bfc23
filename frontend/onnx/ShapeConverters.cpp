//===- ShapeConverters.cpp - ONNX shape, layout and indexing ops ----------===//
//
// Also the shape arithmetic exporters emit (Shape, Size, ConstantOfShape,
// Range, and Gather/Concat/Slice/Unsqueeze on shape vectors): evaluated here
// wherever the values are known.
//
//===----------------------------------------------------------------------===//
#include "frontend/onnx/GraphImporter.h"

#include "llvm/Support/MathExtras.h"

namespace mlir::tern::onnx_import {
namespace {

LogicalResult convertConstant(NodeContext &ctx) {
  MLIRContext *context = ctx.builder.getContext();
  onnx::TensorProto tensor;
  if (const onnx::AttributeProto *a = ctx.attr("value")) {
    tensor = a->t();
  } else if (const onnx::AttributeProto *a = ctx.attr("value_float")) {
    tensor.set_data_type(onnx::TensorProto::FLOAT);
    tensor.add_float_data(a->f());
  } else if (const onnx::AttributeProto *a = ctx.attr("value_floats")) {
    tensor.set_data_type(onnx::TensorProto::FLOAT);
    tensor.add_dims(a->floats_size());
    *tensor.mutable_float_data() = a->floats();
  } else if (const onnx::AttributeProto *a = ctx.attr("value_int")) {
    tensor.set_data_type(onnx::TensorProto::INT64);
    tensor.add_int64_data(a->i());
  } else if (const onnx::AttributeProto *a = ctx.attr("value_ints")) {
    tensor.set_data_type(onnx::TensorProto::INT64);
    tensor.add_dims(a->ints_size());
    *tensor.mutable_int64_data() = a->ints();
  } else {
    return ctx.error() << "needs a value, value_float(s) or value_int(s) attribute "
                          "(string and sparse constants are not supported)";
  }
  tensor.set_name(ctx.node.output(0));
  TensorReader reader(context, "");
  FailureOr<ElementsAttr> value = reader.read(tensor, "its value", [&] { return ctx.error(); });
  if (failed(value))
    return failure();
  ctx.setConstantOutput(0, *value);
  return success();
}

LogicalResult convertShape(NodeContext &ctx) {
  ArrayRef<int64_t> shape = ctx.inputType(0).getShape();
  int64_t rank = shape.size();
  auto clampIndex = [&](int64_t i) {
    if (i < 0)
      i += rank;
    return std::clamp<int64_t>(i, 0, rank);
  };
  int64_t start = clampIndex(ctx.getInt("start", 0));
  int64_t end = clampIndex(ctx.getInt("end", rank));
  KnownInts known;
  known.shape = {std::max<int64_t>(end - start, 0)};
  for (int64_t i = start; i < end; ++i)
    known.values.push_back(ShapedType::isDynamic(shape[i]) ? std::nullopt
                                                           : std::optional<int64_t>(shape[i]));
  if (known.isFullyKnown()) {
    ctx.setConstantOutput(0, known.toAttr(ctx.builder.getI64Type()));
    return success();
  }
  FailureOr<Value> x = ctx.input(0);
  if (failed(x))
    return failure();
  FailureOr<ShapeOfOp> full = ctx.create<ShapeOfOp>(ValueRange{*x});
  if (failed(full))
    return failure();
  Value result = full->getResult();
  if (start != 0 || end != rank) {
    FailureOr<SliceOp> slice = ctx.create<SliceOp>(
        ValueRange{result}, {ctx.namedAttr("starts", ctx.builder.getDenseI64ArrayAttr({start})),
                             ctx.namedAttr("ends", ctx.builder.getDenseI64ArrayAttr({end})),
                             ctx.namedAttr("steps", ctx.builder.getDenseI64ArrayAttr({1}))});
    if (failed(slice))
      return failure();
    result = slice->getResult();
  }
  ctx.setOutput(0, result);
  ctx.setKnown(0, std::move(known));
  return success();
}

LogicalResult convertSize(NodeContext &ctx) {
  std::optional<int64_t> count = getStaticElementCount(ctx.inputType(0).getShape());
  if (!count)
    return ctx.error() << "Size of a tensor with dynamic dimensions is not supported";
  ctx.setConstantOutput(0, KnownInts::scalar(*count).toAttr(ctx.builder.getI64Type()));
  return success();
}

/// The target shape of Reshape/Expand (input 1): its known entries, unknown
/// ones for a run-time vector of static length.
FailureOr<KnownInts> targetShape(NodeContext &ctx) {
  if (const KnownInts *known = ctx.known(1))
    return *known;
  // A shape passed by the caller has no static result; Tern compiles static
  // shapes, so it needs the value.
  if (ctx.isIntegerGraphInput(1)) {
    (void)ctx.requireInts(1, "the target shape"); // Unknown: reports why.
    return failure();
  }
  RankedTensorType type = ctx.inputType(1);
  if (type.getRank() != 1 || ShapedType::isDynamic(type.getDimSize(0)))
    return ctx.error() << "the target shape must be a 1-D tensor of static length (got " << type
                       << ")";
  KnownInts unknown;
  unknown.shape = {type.getDimSize(0)};
  unknown.values.resize(type.getDimSize(0));
  return unknown;
}

/// Reshapes known integer contents (shape arithmetic) without emitting ops.
std::optional<KnownInts> reshapeKnown(const KnownInts *in, RankedTensorType result) {
  if (!in || !result.hasStaticShape())
    return std::nullopt;
  KnownInts out = *in;
  out.shape.assign(result.getShape().begin(), result.getShape().end());
  return out;
}

LogicalResult convertReshape(NodeContext &ctx) {
  RankedTensorType input = ctx.inputType(0);
  FailureOr<KnownInts> target = targetShape(ctx);
  if (failed(target))
    return failure();
  bool allowZero = ctx.getInt("allowzero", 0) != 0;
  SmallVector<int64_t> shape;
  std::optional<size_t> inferred;
  bool special = false;
  for (auto [i, v] : llvm::enumerate(target->values)) {
    if (!v) {
      shape.push_back(ShapedType::kDynamic);
    } else if (*v == 0 && !allowZero) {
      special = true;
      if (i >= static_cast<size_t>(input.getRank()))
        return ctx.error() << "shape entry " << i << " is 0 but the input has rank "
                           << input.getRank();
      shape.push_back(input.getDimSize(i));
    } else if (*v == -1) {
      special = true;
      if (inferred)
        return ctx.error() << "shape has more than one -1";
      inferred = i;
      shape.push_back(ShapedType::kDynamic);
    } else if (*v < 0) {
      return ctx.error() << "shape entry " << i << " is " << *v;
    } else {
      shape.push_back(*v);
    }
  }
  // Resolve the -1 here when the rest is static, so known contents stay known.
  std::optional<int64_t> count = getStaticElementCount(input.getShape());
  if (inferred && count) {
    int64_t rest = 1;
    for (auto [i, dim] : llvm::enumerate(shape))
      if (i != *inferred)
        rest = ShapedType::isDynamic(dim) || rest < 0 ? -1 : rest * dim;
    if (rest > 0 && *count % rest != 0)
      return ctx.error() << "input of " << *count << " elements cannot be reshaped to "
                         << formatShape(shape) << " with -1 at entry " << *inferred;
    if (rest > 0)
      shape[*inferred] = *count / rest;
  }
  auto resultType = input.clone(shape);
  if (std::optional<KnownInts> known = reshapeKnown(ctx.known(0), resultType);
      known && known->isFullyKnown()) {
    ctx.setConstantOutput(0, known->toAttr(input.getElementType()));
    return success();
  }
  FailureOr<Value> x = ctx.input(0);
  if (failed(x))
    return failure();
  SmallVector<Value> operands = {*x};
  // tern.reshape infers one dynamic dimension from the element count; more
  // need the exact dimensions as an operand.
  if (llvm::count_if(shape, ShapedType::isDynamic) > 1) {
    if (special)
      return ctx.error() << "a shape with 0 or -1 entries and more than one dynamic dimension "
                            "is not supported";
    FailureOr<Value> dims = ctx.input(1);
    if (failed(dims))
      return failure();
    operands.push_back(*dims);
  }
  return ctx.setResult(ctx.create<ReshapeOp>(operands, {}, TypeRange{resultType}));
}

LogicalResult convertFlatten(NodeContext &ctx) {
  RankedTensorType input = ctx.inputType(0);
  // Unlike most axes, Flatten's may equal the rank: [-rank, rank].
  int64_t axis = ctx.getInt("axis", 1);
  if (axis < -input.getRank() || axis > input.getRank())
    return ctx.error() << "axis (" << axis << ") is out of range for rank " << input.getRank();
  if (axis < 0)
    axis += input.getRank();
  auto product = [](ArrayRef<int64_t> dims) {
    std::optional<int64_t> n = getStaticElementCount(dims);
    return n ? *n : ShapedType::kDynamic;
  };
  SmallVector<int64_t> shape = {product(input.getShape().take_front(axis)),
                                product(input.getShape().drop_front(axis))};
  FailureOr<Value> x = ctx.input(0);
  if (failed(x))
    return failure();
  return ctx.setResult(ctx.create<ReshapeOp>(ValueRange{*x}, {}, TypeRange{input.clone(shape)}));
}

LogicalResult convertExpand(NodeContext &ctx) {
  RankedTensorType input = ctx.inputType(0);
  FailureOr<KnownInts> known = targetShape(ctx);
  if (failed(known))
    return failure();
  SmallVector<int64_t> target;
  for (std::optional<int64_t> v : known->values)
    target.push_back(v ? *v : ShapedType::kDynamic);
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(input.getShape(), target, [&] { return ctx.error(); });
  if (failed(shape))
    return failure();
  FailureOr<Value> x = ctx.input(0);
  if (failed(x))
    return failure();
  SmallVector<Value> operands = {*x};
  if (llvm::any_of(*shape, ShapedType::isDynamic)) {
    FailureOr<Value> dims = ctx.input(1);
    if (failed(dims))
      return failure();
    operands.push_back(*dims);
  }
  return ctx.setResult(ctx.create<ExpandOp>(operands, {}, TypeRange{input.clone(*shape)}));
}

LogicalResult convertTranspose(NodeContext &ctx) {
  int64_t rank = ctx.inputType(0).getRank();
  SmallVector<int64_t> perm;
  if (std::optional<SmallVector<int64_t>> given = ctx.getInts("perm"))
    perm = *given;
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  FailureOr<Value> x = ctx.input(0);
  if (failed(x))
    return failure();
  return ctx.setResult(ctx.create<TransposeOp>(
      ValueRange{*x}, {ctx.namedAttr("permutation", ctx.builder.getDenseI64ArrayAttr(perm))}));
}

LogicalResult convertConcat(NodeContext &ctx) {
  const onnx::AttributeProto *axisAttr = ctx.attr("axis");
  if (!axisAttr)
    return ctx.error() << "needs an 'axis' attribute";
  // Concatenated shape vectors stay known.
  std::optional<KnownInts> known;
  if (axisAttr->i() == 0 || axisAttr->i() == -1)
    known = KnownInts::vector({});
  for (size_t i = 0; i < ctx.numInputs() && known; ++i) {
    const KnownInts *k = ctx.known(i);
    if (!k || k->shape.size() != 1)
      known.reset();
    else
      known->values.append(k->values.begin(), k->values.end());
  }
  if (known)
    known->shape = {static_cast<int64_t>(known->values.size())};
  return ctx.setFoldableOutput(known, ctx.inputType(0).getElementType(), [&]() -> FailureOr<Value> {
    SmallVector<Value> inputs;
    for (size_t i = 0; i < ctx.numInputs(); ++i) {
      FailureOr<Value> v = ctx.input(i);
      if (failed(v))
        return failure();
      inputs.push_back(*v);
    }
    FailureOr<ConcatOp> op = ctx.create<ConcatOp>(
        inputs, {ctx.namedAttr("axis", ctx.builder.getI64IntegerAttr(axisAttr->i()))});
    return failed(op) ? FailureOr<Value>(failure()) : op->getResult();
  });
}

LogicalResult convertSlice(NodeContext &ctx) {
  RankedTensorType input = ctx.inputType(0);
  int64_t rank = input.getRank();
  FailureOr<SmallVector<int64_t>> starts = ctx.requireInts(1, "starts");
  FailureOr<SmallVector<int64_t>> ends = ctx.requireInts(2, "ends");
  if (failed(starts) || failed(ends))
    return failure();
  SmallVector<int64_t> axes, steps(starts->size(), 1);
  if (ctx.hasInput(3)) {
    FailureOr<SmallVector<int64_t>> given = ctx.requireInts(3, "axes");
    if (failed(given))
      return failure();
    axes = *given;
  } else {
    for (size_t i = 0; i < starts->size(); ++i)
      axes.push_back(i);
  }
  if (ctx.hasInput(4)) {
    FailureOr<SmallVector<int64_t>> given = ctx.requireInts(4, "steps");
    if (failed(given))
      return failure();
    steps = *given;
  }
  if (ends->size() != starts->size() || axes.size() != starts->size() ||
      steps.size() != starts->size())
    return ctx.error() << "starts, ends, axes and steps differ in length";
  FailureOr<SmallVector<int64_t>> normalized =
      normalizeAxes(axes, rank, [&] { return ctx.error(); });
  if (failed(normalized))
    return failure();
  SmallVector<int64_t> fullStarts(rank, 0), fullEnds(rank, INT64_MAX), fullSteps(rank, 1);
  for (auto [i, axis] : llvm::enumerate(*normalized)) {
    fullStarts[axis] = (*starts)[i];
    fullEnds[axis] = (*ends)[i];
    fullSteps[axis] = steps[i];
  }
  FailureOr<Value> x = ctx.input(0);
  if (failed(x))
    return failure();
  FailureOr<SliceOp> op = ctx.create<SliceOp>(
      ValueRange{*x}, {ctx.namedAttr("starts", ctx.builder.getDenseI64ArrayAttr(fullStarts)),
                       ctx.namedAttr("ends", ctx.builder.getDenseI64ArrayAttr(fullEnds)),
                       ctx.namedAttr("steps", ctx.builder.getDenseI64ArrayAttr(fullSteps))});
  if (failed(op))
    return failure();
  // A slice of a known shape vector stays known.
  const KnownInts *k = ctx.known(0);
  RankedTensorType resultType = op->getType();
  if (k && rank == 1 && resultType.hasStaticShape() && fullSteps[0] != 0) {
    int64_t step = fullSteps[0];
    int64_t start = getSliceBounds(k->values.size(), fullStarts[0], fullEnds[0], step).start;
    KnownInts known;
    known.shape = {resultType.getDimSize(0)};
    for (int64_t i = 0; i < resultType.getDimSize(0); ++i)
      known.values.push_back(k->values[start + i * step]);
    if (known.isFullyKnown()) {
      op->erase();
      ctx.setConstantOutput(0, known.toAttr(input.getElementType()));
      return success();
    }
    ctx.setKnown(0, known);
  }
  ctx.setOutput(0, op->getResult());
  return success();
}

LogicalResult convertSplit(NodeContext &ctx) {
  RankedTensorType input = ctx.inputType(0);
  FailureOr<int64_t> axis =
      normalizeAxis(ctx.getInt("axis", 0), input.getRank(), [&] { return ctx.error(); });
  if (failed(axis))
    return failure();
  SmallVector<int64_t> sizes;
  size_t outputs = ctx.numOutputs();
  FailureOr<std::optional<SmallVector<int64_t>>> given = ctx.intsFromInputOrAttr(1, "split");
  if (failed(given))
    return failure();
  if (*given) {
    sizes = **given;
  } else {
    int64_t dim = input.getDimSize(*axis);
    if (ShapedType::isDynamic(dim))
      return ctx.error() << "splitting dynamic dimension " << *axis
                         << " needs explicit split sizes";
    int64_t pieces = ctx.getInt("num_outputs", outputs);
    if (pieces <= 0)
      return ctx.error() << "num_outputs must be positive";
    // ONNX: equal pieces of ceil(dim / n), the last one smaller.
    int64_t chunk = llvm::divideCeil(dim, pieces);
    for (int64_t i = 0, left = dim; i < pieces; ++i, left -= chunk)
      sizes.push_back(std::clamp<int64_t>(left, 0, chunk));
  }
  if (sizes.size() != outputs)
    return ctx.error() << "has " << outputs << " outputs but " << sizes.size() << " split sizes";
  FailureOr<Value> x = ctx.input(0);
  if (failed(x))
    return failure();
  FailureOr<SplitOp> op =
      ctx.create<SplitOp>(ValueRange{*x},
                          {ctx.namedAttr("axis", ctx.builder.getI64IntegerAttr(*axis)),
                           ctx.namedAttr("sizes", ctx.builder.getDenseI64ArrayAttr(sizes))},
                          {}, sizes.size());
  if (failed(op))
    return failure();
  for (auto [i, result] : llvm::enumerate(op->getResults()))
    ctx.setOutput(i, result);
  return success();
}

template <typename OpTy> LogicalResult convertSqueezeLike(NodeContext &ctx) {
  RankedTensorType input = ctx.inputType(0);
  FailureOr<std::optional<SmallVector<int64_t>>> given = ctx.intsFromInputOrAttr(1, "axes");
  if (failed(given))
    return failure();
  SmallVector<int64_t> axes;
  if (*given) {
    axes = **given;
  } else if constexpr (std::is_same_v<OpTy, SqueezeOp>) {
    for (auto [i, dim] : llvm::enumerate(input.getShape())) {
      if (ShapedType::isDynamic(dim))
        return ctx.error() << "Squeeze without axes needs a static shape (dimension " << i
                           << " is dynamic)";
      if (dim == 1)
        axes.push_back(i);
    }
  } else {
    return ctx.error() << "needs axes";
  }
  FailureOr<Value> x = ctx.input(0);
  if (failed(x))
    return failure();
  FailureOr<OpTy> op = ctx.create<OpTy>(
      ValueRange{*x}, {ctx.namedAttr("axes", ctx.builder.getDenseI64ArrayAttr(axes))});
  if (failed(op))
    return failure();
  std::optional<KnownInts> known = reshapeKnown(ctx.known(0), op->getType());
  if (known && known->isFullyKnown()) {
    op->erase();
    ctx.setConstantOutput(0, known->toAttr(input.getElementType()));
    return success();
  }
  ctx.setOutput(0, op->getResult());
  if (known)
    ctx.setKnown(0, std::move(*known));
  return success();
}

LogicalResult convertGather(NodeContext &ctx) {
  int64_t axis = ctx.getInt("axis", 0);
  // Picking entries of a known shape vector: Gather(Shape(x), i).
  std::optional<KnownInts> known;
  const KnownInts *data = ctx.known(0), *indices = ctx.known(1);
  if (data && indices && data->shape.size() == 1 && (axis == 0 || axis == -1)) {
    known = KnownInts{indices->shape, {}};
    int64_t size = data->values.size();
    for (std::optional<int64_t> index : indices->values) {
      if (index && *index < 0)
        *index += size;
      if (!index || *index < 0 || *index >= size)
        known->values.push_back(std::nullopt);
      else
        known->values.push_back(data->values[*index]);
    }
  }
  return ctx.setFoldableOutput(known, ctx.inputType(0).getElementType(), [&]() -> FailureOr<Value> {
    FailureOr<Value> x = ctx.input(0), i = ctx.input(1);
    if (failed(x) || failed(i))
      return failure();
    FailureOr<GatherOp> op = ctx.create<GatherOp>(
        ValueRange{*x, *i}, {ctx.namedAttr("axis", ctx.builder.getI64IntegerAttr(axis))});
    return failed(op) ? FailureOr<Value>(failure()) : op->getResult();
  });
}

LogicalResult convertGatherElements(NodeContext &ctx) {
  FailureOr<Value> x = ctx.input(0), i = ctx.input(1);
  if (failed(x) || failed(i))
    return failure();
  return ctx.setResult(ctx.create<GatherElementsOp>(
      ValueRange{*x, *i},
      {ctx.namedAttr("axis", ctx.builder.getI64IntegerAttr(ctx.getInt("axis", 0)))}));
}

LogicalResult convertScatterElements(NodeContext &ctx) {
  FailureOr<Value> x = ctx.input(0), i = ctx.input(1), u = ctx.input(2);
  if (failed(x) || failed(i) || failed(u))
    return failure();
  return ctx.setResult(ctx.create<ScatterElementsOp>(
      ValueRange{*x, *i, *u},
      {ctx.namedAttr("axis", ctx.builder.getI64IntegerAttr(ctx.getInt("axis", 0))),
       ctx.namedAttr("reduction", ctx.builder.getStringAttr(ctx.getString("reduction", "none")))}));
}

LogicalResult convertConstantOfShape(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> shape = ctx.requireInts(0, "the shape");
  if (failed(shape))
    return failure();
  if (llvm::any_of(*shape, [](int64_t d) { return d < 0; }))
    return ctx.error() << "shape " << formatShape(*shape) << " has a negative dimension";
  if (!getStaticElementCount(*shape))
    return ctx.error() << "shape " << formatShape(*shape) << " overflows int64";
  Attribute fill = ctx.builder.getF32FloatAttr(0);
  Type element = ctx.builder.getF32Type();
  if (const onnx::AttributeProto *value = ctx.attr("value")) {
    onnx::TensorProto tensor = value->t();
    FailureOr<ElementsAttr> attr =
        TensorReader(ctx.builder.getContext(), "").read(tensor, "its value", [&] {
          return ctx.error();
        });
    if (failed(attr))
      return failure();
    if (attr->getNumElements() != 1)
      return ctx.error() << "value must hold exactly one element";
    element = attr->getElementType();
    fill = *attr->value_begin<Attribute>();
  }
  ctx.setConstantOutput(0, DenseElementsAttr::get(RankedTensorType::get(*shape, element), fill));
  return success();
}

LogicalResult convertRange(NodeContext &ctx) {
  Type element = ctx.inputType(0).getElementType();
  if (element.isSignlessInteger()) {
    const KnownInts *start = ctx.known(0), *limit = ctx.known(1), *delta = ctx.known(2);
    for (size_t i = 0; i < 3; ++i)
      if (!ctx.known(i) || !ctx.known(i)->isFullyKnown()) {
        InFlightDiagnostic diag =
            ctx.error() << "start, limit and delta must be known at compile time (when a "
                           "dynamic dimension feeds them, pin it with ternc --dim NAME=VALUE)";
        ctx.appendGraphInputHint(diag, i);
        return diag;
      }
    if (start->values.size() != 1 || limit->values.size() != 1 || delta->values.size() != 1 ||
        *delta->values[0] == 0)
      return ctx.error() << "start, limit and delta must be scalars and delta nonzero";
    int64_t s = *start->values[0], l = *limit->values[0], d = *delta->values[0];
    double steps = std::ceil((static_cast<double>(l) - static_cast<double>(s)) / d);
    if (steps > kMaxKnownElements * 256.0)
      return ctx.error() << "Range of " << steps << " elements is too large to fold";
    SmallVector<int64_t> values;
    for (int64_t i = 0; i < static_cast<int64_t>(std::max(steps, 0.0)); ++i)
      values.push_back(s + i * d);
    ctx.setConstantOutput(0, KnownInts::vector(values).toAttr(element));
    return success();
  }
  ElementsAttr start = ctx.constant(0), limit = ctx.constant(1), delta = ctx.constant(2);
  if (!start || !limit || !delta)
    return ctx.error() << "start, limit and delta must be known at compile time (when a dynamic "
                          "dimension feeds them, pin it with ternc --dim NAME=VALUE)";
  auto scalar = [](ElementsAttr a) { return (*a.value_begin<APFloat>()).convertToDouble(); };
  if (start.getNumElements() != 1 || limit.getNumElements() != 1 || delta.getNumElements() != 1)
    return ctx.error() << "start, limit and delta must be scalars";
  double s = scalar(start), l = scalar(limit), d = scalar(delta);
  double steps = d == 0 ? -1 : std::ceil((l - s) / d);
  if (d == 0 || steps > kMaxKnownElements * 256.0)
    return ctx.error() << "Range with delta " << d << " over [" << s << ", " << l
                       << ") cannot be folded";
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < static_cast<int64_t>(std::max(steps, 0.0)); ++i)
    values.push_back(ctx.builder.getFloatAttr(element, s + i * d));
  ctx.setConstantOutput(
      0, DenseElementsAttr::get(
             RankedTensorType::get({static_cast<int64_t>(values.size())}, element), values));
  return success();
}

/// Trilu keeps the upper (or lower) triangle of the last two dimensions:
/// where(mask, x, 0) with the mask a constant of the static matrix shape.
LogicalResult convertTrilu(NodeContext &ctx) {
  RankedTensorType input = ctx.inputType(0);
  if (input.getRank() < 2)
    return ctx.error() << "input must have rank at least 2";
  int64_t rows = input.getDimSize(input.getRank() - 2), cols = input.getShape().back();
  if (ShapedType::isDynamic(rows) || ShapedType::isDynamic(cols))
    return ctx.error() << "the last two dimensions must be static (got "
                       << formatShape(input.getShape()) << ")";
  int64_t k = 0;
  if (ctx.hasInput(1)) {
    FailureOr<SmallVector<int64_t>> given = ctx.requireInts(1, "k");
    if (failed(given))
      return failure();
    if (given->size() != 1)
      return ctx.error() << "k must be a single value";
    k = (*given)[0];
  }
  bool upper = ctx.getInt("upper", 1) != 0;
  SmallVector<bool> keep;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      keep.push_back(upper ? j - i >= k : j - i <= k);
  Value mask = ConstantOp::create(
      ctx.builder, ctx.loc,
      DenseElementsAttr::get(RankedTensorType::get({rows, cols}, ctx.builder.getI1Type()),
                             ArrayRef<bool>(keep)));
  Value zero =
      ConstantOp::create(ctx.builder, ctx.loc,
                         DenseElementsAttr::get(RankedTensorType::get({}, input.getElementType()),
                                                ctx.builder.getZeroAttr(input.getElementType())));
  FailureOr<Value> x = ctx.input(0);
  if (failed(x))
    return failure();
  return ctx.setResult(ctx.create<WhereOp>(ValueRange{mask, *x, zero}));
}

} // namespace

void addShapeConverters(ConverterTable &table) {
  table[":Constant"] = {convertConstant, 0, 0, /*sinceOpset=*/1};
  table[":Shape"] = {convertShape, 1, 1, /*sinceOpset=*/1};
  table[":Size"] = {convertSize, 1, 1, /*sinceOpset=*/1};
  table[":Reshape"] = {convertReshape, 2, 2, /*sinceOpset=*/5};
  table[":Flatten"] = {convertFlatten, 1, 1, /*sinceOpset=*/1};
  table[":Expand"] = {convertExpand, 2, 2, /*sinceOpset=*/8};
  table[":Transpose"] = {convertTranspose, 1, 1, /*sinceOpset=*/1};
  table[":Concat"] = {convertConcat, 1, kVariadic, /*sinceOpset=*/4};
  table[":Slice"] = {convertSlice, 3, 5, /*sinceOpset=*/10};
  table[":Split"] = {convertSplit, 1, 2, /*sinceOpset=*/2};
  table[":Squeeze"] = {convertSqueezeLike<SqueezeOp>, 1, 2, /*sinceOpset=*/1};
  table[":Unsqueeze"] = {convertSqueezeLike<UnsqueezeOp>, 1, 2, /*sinceOpset=*/1};
  table[":Gather"] = {convertGather, 2, 2, /*sinceOpset=*/1};
  table[":GatherElements"] = {convertGatherElements, 2, 2, /*sinceOpset=*/11};
  table[":ScatterElements"] = {convertScatterElements, 3, 3, /*sinceOpset=*/11};
  table[":ConstantOfShape"] = {convertConstantOfShape, 1, 1, /*sinceOpset=*/9};
  table[":Range"] = {convertRange, 3, 3, /*sinceOpset=*/11};
  table[":Trilu"] = {convertTrilu, 1, 2, /*sinceOpset=*/14};
}

} // namespace mlir::tern::onnx_import
