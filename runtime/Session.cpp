//===- Session.cpp - Running a plan's entry point -------------------------===//
#include "runtime/Session.h"

#include "runtime/EntryPoints.h"

#include "llvm/Support/FormatVariadic.h"

namespace tern {

namespace {

llvm::Error checkTensors(llvm::ArrayRef<TensorView> views,
                         const google::protobuf::RepeatedPtrField<plan::Tensor> &tensors,
                         llvm::StringRef kind) {
  if (views.size() != size_t(tensors.size()))
    return llvm::createStringError(
        llvm::formatv("expected {0} {1}s, got {2}", tensors.size(), kind, views.size()));
  for (auto [view, tensor] : llvm::zip_equal(views, tensors)) {
    const plan::TensorType &type = tensor.type();
    std::string what = (kind + " '" + tensor.name() + "'").str();
    if (view.dtype != type.dtype())
      return llvm::createStringError(what + " has dtype " + getDTypeName(view.dtype) +
                                     ", expected " + getDTypeName(type.dtype()));
    if (view.shape.size() != size_t(type.shape_size()))
      return llvm::createStringError(llvm::formatv(
          "{0} has rank {1} (shape {2}), expected rank {3} (shape {4})", what, view.shape.size(),
          formatShape(view.shape), type.shape_size(), formatShape(type.shape())));
    for (int i = 0; i < type.shape_size(); ++i)
      if (view.shape[i] != type.shape(i))
        return llvm::createStringError(
            llvm::formatv("{0} dimension {1} is {2}, expected {3} (shape {4}, expected "
                          "{5})",
                          what, i, view.shape[i], type.shape(i), formatShape(view.shape),
                          formatShape(type.shape())));
    if (!view.data && getTensorBytes(type) > 0)
      return llvm::createStringError(what + " has no data");
    for (auto [i, want] : llvm::enumerate(tensor.compiled_value())) {
      int64_t got = readIntegerElement(view.dtype, view.data, i);
      if (got != want)
        return llvm::createStringError(llvm::formatv(
            "{0} element {1} is {2}, but the plan was compiled for the value {3} (ternc "
            "--input-value {4}=...): compile it for this value",
            what, i, got,
            formatShape({tensor.compiled_value().data(), size_t(tensor.compiled_value_size())}),
            tensor.name()));
    }
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<std::unique_ptr<Session>> Session::create(const Plan &plan, Device device,
                                                         const SessionOptions &options) {
  const plan::Plan &manifest = plan.getManifest();
  std::string defaultEntry = options.entryPoint;
  if (defaultEntry.empty())
    defaultEntry = manifest.entry_points(0).name();
  else if (plan.findEntryPoints(defaultEntry).empty())
    return selectEntryPoint(plan, defaultEntry, {}).takeError();
  bool hostPlan = plan.getTarget().isHost();
  if (device == Device::Host && !hostPlan)
    return llvm::createStringError(
        "the plan targets " + manifest.target() +
        " (a GPU); --device host runs plans compiled with --target=host");
  if (device == Device::Cuda && hostPlan)
    return llvm::createStringError(
        "the plan targets the host CPU; --device cuda runs plans compiled for a GPU "
        "(--target=sm_80, sm_89 or sm_90a)");
  llvm::Expected<std::unique_ptr<Executor>> executor = device == Device::Host
                                                           ? createHostExecutor(plan, options)
                                                           : createCudaExecutor(plan, options);
  if (!executor)
    return executor.takeError();
  return std::unique_ptr<Session>(new Session(plan, defaultEntry, std::move(*executor)));
}

llvm::Error Session::run(llvm::ArrayRef<TensorView> inputs, llvm::ArrayRef<TensorView> outputs,
                         LaunchTimes *times) {
  return run(defaultEntry, inputs, outputs, times);
}

llvm::Error Session::run(llvm::StringRef name, llvm::ArrayRef<TensorView> inputs,
                         llvm::ArrayRef<TensorView> outputs, LaunchTimes *times) {
  llvm::SmallVector<llvm::ArrayRef<int64_t>, 8> shapes;
  for (const TensorView &view : inputs)
    shapes.push_back(view.shape);
  llvm::Expected<unsigned> index = selectEntryPoint(plan, name, shapes);
  if (!index)
    return index.takeError();
  return run(*index, inputs, outputs, times);
}

llvm::Error Session::run(unsigned index, llvm::ArrayRef<TensorView> inputs,
                         llvm::ArrayRef<TensorView> outputs, LaunchTimes *times) {
  const plan::EntryPoint &entry = plan.getManifest().entry_points(index);
  if (llvm::Error error = checkTensors(inputs, entry.inputs(), "input"))
    return error;
  if (llvm::Error error = checkTensors(outputs, entry.outputs(), "output"))
    return error;
  std::vector<const void *> in;
  std::vector<void *> out;
  for (const TensorView &view : inputs)
    in.push_back(view.data);
  for (const TensorView &view : outputs)
    out.push_back(view.data);
  return executor->run(index, in, out, times);
}

} // namespace tern
