//===- HostCodegen.cpp - @kernels (LLVM dialect) -> a shared object -------===//
#include "codegen/plan/HostCodegen.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Triple.h"

namespace mlir::tern {

namespace {

/// Renames each kernel to `name.impl` (internal) and exports
/// `void name(void **buffers, TernHostContext *context)` (target/HostAbi.h)
/// that unpacks the pointers and calls it; the kernel's last parameter is the
/// context (tern-dispatch-host-tasks).
LogicalResult addEntryWrappers(llvm::Module &module, const std::vector<std::string> &names,
                               Location loc) {
  llvm::LLVMContext &context = module.getContext();
  auto *ptrType = llvm::PointerType::getUnqual(context);
  auto *wrapperType =
      llvm::FunctionType::get(llvm::Type::getVoidTy(context), {ptrType, ptrType}, false);
  for (const std::string &name : names) {
    llvm::Function *impl = module.getFunction(name);
    if (!impl || impl->isDeclaration())
      return emitError(loc) << "kernel '" << name << "' is missing from the lowered module";
    if (impl->arg_size() == 0)
      return emitError(loc) << "kernel '" << name << "' does not take the runtime's context";
    impl->setName(name + ".impl");
    impl->setLinkage(llvm::GlobalValue::InternalLinkage);
    auto *wrapper =
        llvm::Function::Create(wrapperType, llvm::GlobalValue::ExternalLinkage, name, module);
    llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", wrapper));
    llvm::SmallVector<llvm::Value *> args;
    for (unsigned i = 0, e = impl->arg_size(); i < e; ++i) {
      if (!impl->getArg(i)->getType()->isPointerTy())
        return emitError(loc) << "kernel '" << name << "' parameter #" << i
                              << " is not a buffer pointer";
      if (i + 1 == e) {
        args.push_back(wrapper->getArg(1));
        break;
      }
      llvm::Value *slot = builder.CreateConstInBoundsGEP1_64(ptrType, wrapper->getArg(0), i);
      args.push_back(builder.CreateLoad(ptrType, slot));
    }
    builder.CreateCall(impl, args);
    builder.CreateRetVoid();
  }
  return success();
}

/// Defines __truncsfbf2 (f32 to bf16, to nearest even; NaN stays NaN) in
/// the library, hidden. x86-64 code without AVX-512 BF16 calls it wherever
/// a bf16 value was kept in a register as f32 (a load hoisted out of a
/// loop), and libgcc before GCC 13, this machine's, lacks it.
void addBf16Truncation(llvm::Module &module) {
  llvm::LLVMContext &context = module.getContext();
  auto *type = llvm::FunctionType::get(llvm::Type::getBFloatTy(context),
                                       {llvm::Type::getFloatTy(context)}, false);
  auto *function =
      llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage, "__truncsfbf2", module);
  function->setVisibility(llvm::GlobalValue::HiddenVisibility);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", function));
  llvm::Value *value = function->getArg(0);
  llvm::Value *bits = b.CreateBitCast(value, b.getInt32Ty());
  llvm::Value *high = b.CreateLShr(bits, 16);
  llvm::Value *rounded =
      b.CreateLShr(b.CreateAdd(bits, b.CreateAdd(b.CreateAnd(high, 1), b.getInt32(0x7FFF))), 16);
  llvm::Value *quietNaN = b.CreateOr(high, 0x40);
  llvm::Value *result = b.CreateSelect(b.CreateFCmpUNO(value, value), quietNaN, rounded);
  b.CreateRet(b.CreateBitCast(b.CreateTrunc(result, b.getInt16Ty()), type->getReturnType()));
}

FailureOr<std::unique_ptr<llvm::TargetMachine>> createHostTargetMachine(const ::tern::Target &host,
                                                                        Location loc) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple(host.getTriple());
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return emitError(loc) << "no x86-64 code generator in this LLVM: " << error;
  std::unique_ptr<llvm::TargetMachine> machine(
      target->createTargetMachine(triple, host.getCpu(), llvm::join(host.getCpuFeatures(), ","),
                                  llvm::TargetOptions(), llvm::Reloc::PIC_));
  if (!machine)
    return emitError(loc) << "cannot create an x86-64 target machine";
  return machine;
}

/// Links `object` into a shared object with ld.lld from the LLVM install.
FailureOr<std::string> linkSharedObject(llvm::StringRef object, Location loc) {
  llvm::ErrorOr<std::string> lld = llvm::sys::findProgramByName("ld.lld", {TERN_LLVM_TOOLS_DIR});
  if (!lld)
    lld = llvm::sys::findProgramByName("ld.lld");
  if (!lld)
    return emitError(loc) << "cannot find ld.lld (in " << TERN_LLVM_TOOLS_DIR
                          << " or on PATH), which links host plans: run scripts/setup.sh";

  llvm::SmallString<128> objectPath, libraryPath, logPath;
  int fd;
  if (llvm::sys::fs::createTemporaryFile("tern-kernels", "o", fd, objectPath) ||
      llvm::sys::fs::createTemporaryFile("tern-kernels", "so", libraryPath) ||
      llvm::sys::fs::createTemporaryFile("tern-lld", "log", logPath))
    return emitError(loc) << "cannot create temporary files to link host code";
  llvm::FileRemover removeObject(objectPath), removeLibrary(libraryPath), removeLog(logPath);
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << object;
    if (os.has_error())
      return emitError(loc) << "cannot write '" << objectPath << "'";
  }
  llvm::StringRef args[] = {*lld, "-shared", "--hash-style=gnu", "-o", libraryPath, objectPath};
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, llvm::StringRef(logPath),
                                                llvm::StringRef(logPath)};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(*lld, args, std::nullopt, redirects, 0, 0, &error);
  if (status != 0) {
    auto log = llvm::MemoryBuffer::getFile(logPath);
    return emitError(loc) << "ld.lld failed to link host kernels"
                          << (error.empty() ? "" : ": " + error)
                          << (log ? ": " + (*log)->getBuffer().trim().str() : "");
  }
  auto library = llvm::MemoryBuffer::getFile(libraryPath, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
  if (!library)
    return emitError(loc) << "cannot read the linked host kernels: "
                          << library.getError().message();
  return (*library)->getBuffer().str();
}

} // namespace

FailureOr<std::string> buildHostLibrary(ModuleOp kernels,
                                        const std::vector<std::string> &kernelNames,
                                        const ::tern::Target &target) {
  Location loc = kernels.getLoc();
  FailureOr<std::unique_ptr<llvm::TargetMachine>> machine = createHostTargetMachine(target, loc);
  if (failed(machine))
    return failure();

  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module = translateModuleToLLVMIR(kernels, context, "tern-kernels");
  if (!module)
    return emitError(loc) << "cannot translate the host kernels to LLVM IR";
  module->setTargetTriple((*machine)->getTargetTriple());
  module->setDataLayout((*machine)->createDataLayout());
  if (failed(addEntryWrappers(*module, kernelNames, loc)))
    return failure();
  addBf16Truncation(*module);
  // LLVM tunes x86 CPUs with AVX-512 for 256-bit vectors (a clock penalty on
  // early ones) and then splits wider ones; the kernels' vector tiles are
  // sized for the registers (tern-stream-contractions' vector-bits).
  if (target.getHostVectorBits() == 512)
    for (llvm::Function &function : *module)
      if (!function.isDeclaration())
        function.addFnAttr("prefer-vector-width", "512");

  auto optimize = makeOptimizingTransformer(/*optLevel=*/2, /*sizeLevel=*/0, machine->get());
  if (llvm::Error error = optimize(module.get()))
    return emitError(loc) << "optimizing host kernels failed: " << llvm::toString(std::move(error));

  llvm::SmallString<0> object;
  {
    llvm::raw_svector_ostream os(object);
    llvm::legacy::PassManager codegen;
    if ((*machine)->addPassesToEmitFile(codegen, os, nullptr, llvm::CodeGenFileType::ObjectFile))
      return emitError(loc) << "the x86-64 code generator cannot emit object files";
    codegen.run(*module);
  }
  return linkSharedObject(object, loc);
}

} // namespace mlir::tern
