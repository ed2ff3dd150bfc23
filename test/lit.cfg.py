# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "Tern"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tern_obj_root, "test")

# Captures must be re-bound inside each CHECK-LABEL block.
config.environment["FILECHECK_OPTS"] = "-enable-var-scope --allow-unused-prefixes=false"

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(["tern-opt", "ternc", "tern-run", "tern-plan-fault-sweep", "tern-plan-manifest"], [config.tern_tools_dir])
config.substitutions.append(("%venv_python", config.venv_python))
config.substitutions.append(("%scripts", os.path.join(config.tern_src_root, "scripts")))
# The build these tools come from (scripts take it as TERN_BUILD_DIR).
config.substitutions.append(("%tern_build", config.tern_obj_root))
have_ptxas = bool(config.ptxas) and os.path.exists(config.ptxas)
if have_ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", config.ptxas))

# The end-to-end tests run their plans on the host; `lit -D tern_device=cuda`
# compiles them for the GPU (sm_90a unless -D tern_gpu_target=...) and runs
# them there instead, against the same oracles. On the host, each model is
# also compiled to an sm_90a plan that must load and assemble
# (scripts/gpu_plan_check.py), so a model cannot run on the host while its
# GPU plan fails.
tern_device = lit_config.params.get("tern_device", "host")
if tern_device == "cuda":
    gpu_target = lit_config.params.get("tern_gpu_target", "sm_90a")
    config.substitutions.append(("%e2e_device", f"--target {gpu_target} --device cuda"))
    # Tests of what only a GPU computes (tensor-core numerics).
    config.available_features.add("cuda-device")
    config.substitutions.append(("%gpu_target", gpu_target))
elif tern_device == "host":
    gpu_plan = f" --gpu-plan sm_90a --ptxas {config.ptxas}" if have_ptxas else ""
    config.substitutions.append(("%e2e_device", "--target host --device host" + gpu_plan))
else:
    lit_config.fatal(f"tern_device must be host or cuda, not '{tern_device}'")
if os.path.exists(config.venv_python):
    config.available_features.add("venv")
# The running CPU's feature flags, for tests of plans compiled for CPUs with
# features this one lacks.
try:
    with open("/proc/cpuinfo") as cpuinfo:
        flags = next((line.split(":", 1)[1].split() for line in cpuinfo
                      if line.startswith("flags")), [])
except OSError:
    flags = []
if "sse4a" in flags:
    config.available_features.add("host-sse4a")
if all(f in flags for f in ("avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl")):
    config.available_features.add("host-x86-64-v4")
