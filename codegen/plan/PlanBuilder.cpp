//===- PlanBuilder.cpp - Scheduled module -> plan manifest ----------------===//
#include "codegen/plan/PlanBuilder.h"

#include "codegen/schedule/Schedule.h"
#include "ir/Contract.h"
#include "ir/EntryPoints.h"
#include "ir/TernOps.h"
#include "runtime/PlanFormat.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

namespace mlir::tern {
namespace plan = ::tern::plan;

namespace {

std::optional<plan::DType> getPlanDType(Type type) {
  if (type.isF32())
    return plan::F32;
  if (type.isF16())
    return plan::F16;
  if (type.isBF16())
    return plan::BF16;
  if (type.isF64())
    return plan::F64;
  if (isa<Float8E4M3FNType>(type))
    return plan::F8E4M3FN;
  if (isa<Float8E5M2Type>(type))
    return plan::F8E5M2;
  if (isa<Float8E4M3FNUZType>(type))
    return plan::F8E4M3FNUZ;
  if (isa<Float8E5M2FNUZType>(type))
    return plan::F8E5M2FNUZ;
  if (type.isSignlessInteger(64))
    return plan::I64;
  if (type.isSignlessInteger(32))
    return plan::I32;
  if (type.isSignlessInteger(16))
    return plan::I16;
  if (type.isSignlessInteger(8))
    return plan::I8;
  if (type.isSignlessInteger(1))
    return plan::BOOL;
  return std::nullopt;
}

/// The unsigned dtype of a signless integer one's width (tern.unsigned).
plan::DType getUnsignedDType(plan::DType dtype) {
  switch (dtype) {
  case plan::I64:
    return plan::U64;
  case plan::I32:
    return plan::U32;
  case plan::I16:
    return plan::U16;
  case plan::I8:
    return plan::U8;
  default:
    return dtype; // the verifier allows tern.unsigned on integers wider than i1 only
  }
}

LogicalResult setTensorType(Location loc, MemRefType type, plan::TensorType &out) {
  std::optional<plan::DType> dtype = getPlanDType(type.getElementType());
  if (!dtype || !type.hasStaticShape())
    return emitError(loc) << "a plan cannot hold a buffer of type " << type
                          << " (static shapes of f32, f16, bf16, f64, f8E4M3FN, f8E5M2, i64, i32, "
                             "i16, i8, i1 only)";
  out.set_dtype(*dtype);
  for (int64_t dim : type.getShape())
    out.add_shape(dim);
  return success();
}

class Builder {
public:
  Builder(ModuleOp module, const ::tern::Target &target)
      : module(module), kernels(getKernelsModule(module)), host(target.isHost()) {}

  FailureOr<PlanContents> build() {
    if (!kernels)
      return module.emitError("has no @kernels module: run the schedule pipeline first");
    for (auto entry : module.getOps<func::FuncOp>())
      if (entry.isPublic() && !entry.isExternal() && failed(addEntryPoint(entry)))
        return failure();
    if (contents.manifest.entry_points_size() == 0)
      return module.emitError("has no entry function to compile");
    return std::move(contents);
  }

private:
  LogicalResult addEntryPoint(func::FuncOp entry) {
    plan::EntryPoint &point = *contents.manifest.add_entry_points();
    auto name = entry->getAttrOfType<StringAttr>(kEntryPointAttr);
    point.set_name(name ? name.str() : entry.getSymName().str());
    if (auto dims = entry->getAttrOfType<DictionaryAttr>(kDimsAttr))
      for (NamedAttribute dim : dims) {
        plan::DimValue &value = *point.add_dims();
        value.set_name(dim.getName().str());
        value.set_value(cast<IntegerAttr>(dim.getValue()).getInt());
      }
    DenseMap<Value, unsigned> bufferOf;
    auto addBuffer = [&](Value value, plan::Buffer::Kind kind) -> plan::Buffer & {
      bufferOf[value] = point.buffers_size();
      plan::Buffer &buffer = *point.add_buffers();
      buffer.set_kind(kind);
      buffer.set_size(*getStaticByteSize(cast<MemRefType>(value.getType())));
      return buffer;
    };

    for (BlockArgument arg : entry.getArguments()) {
      auto type = dyn_cast<MemRefType>(arg.getType());
      if (!type || !getStaticByteSize(type))
        return entry.emitOpError() << "argument #" << arg.getArgNumber() << " has type "
                                   << arg.getType() << "; a plan needs statically shaped "
                                   << "buffers (pin dynamic dimensions with --dim)";
      if (auto state = entry.getArgAttrOfType<StringAttr>(arg.getArgNumber(), kStateAttr)) {
        FailureOr<unsigned> index = getState(arg, type, state.getValue());
        if (failed(index))
          return failure();
        addBuffer(arg, plan::Buffer::STATE).set_index(*index);
        continue;
      }
      bool isOutput = entry.getArgAttr(arg.getArgNumber(), "bufferize.result") != nullptr;
      plan::Tensor &tensor = isOutput ? *point.add_outputs() : *point.add_inputs();
      auto name = entry.getArgAttrOfType<StringAttr>(arg.getArgNumber(), kNameAttr);
      tensor.set_name(
          name ? name.str()
               : (llvm::Twine(isOutput ? "output" : "input") +
                  llvm::Twine(isOutput ? point.outputs_size() - 1 : point.inputs_size() - 1))
                     .str());
      if (failed(setTensorType(arg.getLoc(), type, *tensor.mutable_type())))
        return failure();
      if (entry.getArgAttr(arg.getArgNumber(), kUnsignedAttr))
        tensor.mutable_type()->set_dtype(getUnsignedDType(tensor.type().dtype()));
      if (auto value =
              entry.getArgAttrOfType<DenseIntElementsAttr>(arg.getArgNumber(), kInputValueAttr))
        for (const APInt &element : value.getValues<APInt>())
          tensor.add_compiled_value(element.getBitWidth() == 1 ||
                                            entry.getArgAttr(arg.getArgNumber(), kUnsignedAttr)
                                        ? element.getZExtValue()
                                        : element.getSExtValue());
      tensor.set_buffer(point.buffers_size());
      addBuffer(arg, isOutput ? plan::Buffer::OUTPUT : plan::Buffer::INPUT)
          .set_index(isOutput ? point.outputs_size() - 1 : point.inputs_size() - 1);
    }

    for (Operation &op : entry.front()) {
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        auto offset = alloc->getAttrOfType<IntegerAttr>(kArenaOffsetAttr);
        if (!offset || !getStaticByteSize(alloc.getType()))
          return alloc.emitOpError("has no arena offset: run tern-plan-memory first");
        addBuffer(alloc, plan::Buffer::ARENA).set_offset(offset.getInt());
      } else if (auto global = dyn_cast<memref::GetGlobalOp>(op)) {
        FailureOr<unsigned> weight = getWeight(global);
        if (failed(weight))
          return failure();
        addBuffer(global, plan::Buffer::WEIGHT).set_index(*weight);
      } else if (auto dispatch = dyn_cast<DispatchOp>(op)) {
        if (failed(addLaunches(dispatch, bufferOf, point)))
          return failure();
      }
    }
    auto arenaSize = entry->getAttrOfType<IntegerAttr>(kArenaSizeAttr);
    auto livePeak = entry->getAttrOfType<IntegerAttr>(kArenaLivePeakAttr);
    if (!arenaSize || !livePeak)
      return entry.emitOpError("has no arena size: run tern-plan-memory first");
    point.set_arena_size(arenaSize.getInt());
    point.set_arena_live_peak(livePeak.getInt());
    return success();
  }

  /// The plan's state called `name`, added on first use (tern-bind-state-
  /// buffers has checked that every entry point gives it one type).
  FailureOr<unsigned> getState(BlockArgument arg, MemRefType type, StringRef name) {
    auto [it, inserted] = stateIndex.try_emplace(name, contents.manifest.states_size());
    if (inserted) {
      plan::State &state = *contents.manifest.add_states();
      state.set_name(name.str());
      if (failed(setTensorType(arg.getLoc(), type, *state.mutable_type())))
        return failure();
    }
    return it->second;
  }

  /// The weight a memref.get_global names, placed in the blob on first use.
  FailureOr<unsigned> getWeight(memref::GetGlobalOp use) {
    auto [it, inserted] = weightIndex.try_emplace(use.getName(), 0);
    if (!inserted)
      return it->second;
    auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(use, use.getNameAttr());
    auto data = global ? dyn_cast_or_null<ElementsAttr>(global.getInitialValueAttr()) : nullptr;
    if (!global || !global.getConstant() || !data)
      return use.emitOpError() << "names @" << use.getName()
                               << ", which is not a constant global with data";
    it->second = contents.manifest.weights_size();
    plan::Weight &weight = *contents.manifest.add_weights();
    weight.set_name(use.getName().str());
    if (failed(setTensorType(global.getLoc(), global.getType(), *weight.mutable_type())))
      return failure();
    weight.set_offset(weightBytes);
    weight.set_size(*getStaticByteSize(global.getType()));
    weightBytes = plan::alignToWeights(weightBytes + weight.size());
    contents.weightData.push_back(data);
    return it->second;
  }

  LogicalResult addLaunches(DispatchOp dispatch, const DenseMap<Value, unsigned> &bufferOf,
                            plan::EntryPoint &point) {
    SmallVector<unsigned> buffers;
    for (Value operand : dispatch.getBuffers()) {
      auto it = bufferOf.find(operand);
      if (it == bufferOf.end())
        return dispatch.emitOpError("takes a buffer that is not an argument, an arena "
                                    "allocation or a weight");
      buffers.push_back(it->second);
    }
    SymbolRefAttr ref = dispatch.getKernelAttr();
    Operation *callee = SymbolTable::lookupSymbolIn(module, ref);
    if (!callee)
      return dispatch.emitOpError() << "names the missing kernel " << ref;
    if (host) {
      plan::Launch &launch = *point.add_launches();
      launch.set_kernel(getKernel(ref.getLeafReference().getValue(), 0));
      launch.set_source(dispatch.getSource().value_or("").str());
      for (unsigned buffer : buffers)
        launch.add_buffers(buffer);
      return success();
    }
    return addGpuLaunches(dispatch, callee, buffers, point);
  }

  LogicalResult addGpuLaunches(DispatchOp dispatch, Operation *callee, ArrayRef<unsigned> buffers,
                               plan::EntryPoint &point) {
    auto func = dyn_cast<func::FuncOp>(callee);
    if (!func || func.isExternal())
      return dispatch.emitOpError("names a kernel that is not a host-side function");
    for (Operation &op : func.front()) {
      if (isa<func::ReturnOp>(op) || op.hasTrait<OpTrait::ConstantLike>())
        continue;
      auto launchFunc = dyn_cast<gpu::LaunchFuncOp>(op);
      if (!launchFunc)
        return op.emitOpError("is left on the host side of a GPU kernel; every computation "
                              "must run inside a GPU launch");
      FailureOr<unsigned> ptxModule = getPtxModule(launchFunc);
      if (failed(ptxModule))
        return failure();
      plan::Launch &launch = *point.add_launches();
      launch.set_kernel(getKernel(launchFunc.getKernelName().getValue(), *ptxModule));
      launch.set_source(dispatch.getSource().value_or("").str());
      gpu::KernelDim3 grid = launchFunc.getGridSizeOperandValues();
      gpu::KernelDim3 block = launchFunc.getBlockSizeOperandValues();
      for (Value size : {grid.x, grid.y, grid.z, block.x, block.y, block.z}) {
        std::optional<int64_t> value = getConstantIntValue(size);
        if (!value || *value <= 0 || *value > std::numeric_limits<uint32_t>::max())
          return launchFunc.emitOpError("needs constant, positive grid and block sizes");
        (launch.grid_size() < 3 ? launch.add_grid(*value) : launch.add_block(*value));
      }
      if (Value shared = launchFunc.getDynamicSharedMemorySize()) {
        std::optional<int64_t> bytes = getConstantIntValue(shared);
        if (!bytes || *bytes < 0)
          return launchFunc.emitOpError("needs a constant dynamic shared memory size");
        launch.set_shared_memory_bytes(*bytes);
      }
      for (Value operand : launchFunc.getKernelOperands()) {
        auto arg = dyn_cast<BlockArgument>(operand);
        if (!arg || arg.getOwner() != &func.front())
          return launchFunc.emitOpError("passes a kernel operand that is not a buffer "
                                        "argument of its kernel function");
        launch.add_buffers(buffers[arg.getArgNumber()]);
      }
    }
    return success();
  }

  FailureOr<unsigned> getPtxModule(gpu::LaunchFuncOp launch) {
    StringRef name = launch.getKernelModuleName().getValue();
    auto [it, inserted] = ptxIndex.try_emplace(name, 0);
    if (!inserted)
      return it->second;
    auto binary = kernels.lookupSymbol<gpu::BinaryOp>(name);
    if (!binary || binary.getObjects().size() != 1)
      return launch.emitOpError() << "names @" << name
                                  << ", which is not a GPU binary with one object";
    auto object = cast<gpu::ObjectAttr>(binary.getObjects()[0]);
    if (object.getFormat() != gpu::CompilationTarget::Assembly)
      return launch.emitOpError() << "needs PTX text in @" << name;
    it->second = contents.manifest.ptx_modules_size();
    contents.manifest.add_ptx_modules(object.getObject().str());
    return it->second;
  }

  unsigned getKernel(llvm::StringRef name, unsigned ptxModule) {
    auto [it, inserted] = kernelIndex.try_emplace(name, contents.manifest.kernels_size());
    if (inserted) {
      plan::Kernel &kernel = *contents.manifest.add_kernels();
      kernel.set_name(name.str());
      kernel.set_ptx_module(ptxModule);
    }
    return it->second;
  }

  ModuleOp module;
  ModuleOp kernels;
  bool host;
  PlanContents contents;
  llvm::StringMap<unsigned> weightIndex, kernelIndex, ptxIndex, stateIndex;
  uint64_t weightBytes = 0;
};

} // namespace

FailureOr<PlanContents> buildPlanContents(ModuleOp module, const ::tern::Target &target) {
  FailureOr<PlanContents> contents = Builder(module, target).build();
  if (failed(contents))
    return failure();
  contents->manifest.set_target(target.getName().str());
  if (auto precision = module->getAttrOfType<StringAttr>(kPrecisionAttr);
      precision && precision.getValue() != "f32")
    contents->manifest.set_precision(precision.getValue().str());
  if (auto weights = module->getAttrOfType<StringAttr>(kWeightsAttr))
    contents->manifest.set_weight_format(weights.getValue().str());
  if (auto activations = module->getAttrOfType<StringAttr>(kActivationsAttr))
    contents->manifest.set_activation_format(activations.getValue().str());
  if (target.isHost()) {
    contents->manifest.set_target_cpu(target.getCpu().str());
    for (const std::string &feature : target.getCpuFeatures())
      contents->manifest.add_target_cpu_features(feature);
  }
  return contents;
}

} // namespace mlir::tern
