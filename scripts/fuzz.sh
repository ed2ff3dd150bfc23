#!/usr/bin/env bash
# The fuzzing stage of the test command: builds the libFuzzer harnesses in
# fuzz/ (the plan loader, the ONNX importer, the safetensors reader, the
# config.json reader) with clang, ASan and UBSan in build-fuzz/
# (TERN_FUZZ_BUILD_DIR overrides) and runs each for TERN_FUZZ_SECONDS
# (default 30) from a seed corpus: plans compiled by the release ternc
# (TERN_BUILD_DIR, default build/), the repository's ONNX models and test
# inputs, and the checkpoint test fixtures. A crash, leak, sanitizer report
# or hang fails the stage and leaves the input that caused it in
# build-fuzz/artifacts/.
# Longer local runs: TERN_FUZZ_SECONDS=600 scripts/fuzz.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TERN_FUZZ_BUILD_DIR:-$root/build-fuzz}
release=${TERN_BUILD_DIR:-$root/build}
seconds=${TERN_FUZZ_SECONDS:-30}
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTERN_WERROR=$werror \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 -DTERN_FUZZ=ON
fi
harnesses=(plan onnx safetensors config)
ninja -C "$build" -j"$(nproc)" "${harnesses[@]/#/tern-fuzz-}"

# Seeds: fresh each run, so corpus growth never makes CI slower.
seeds="$build/seeds"
rm -rf "$seeds" "$build/artifacts"
mkdir -p "${harnesses[@]/#/$seeds/}" "$build/artifacts"
for target in host sm_90a; do
  "$release/bin/ternc" "$root/examples/mlp_silu.onnx" --target=$target \
    -o "$seeds/plan/mlp_silu.$target.tplan"
done
cp "$root"/examples/*.onnx "$root"/test/frontend/onnx/Inputs/*.onnx "$seeds/onnx/"
"$root/.venv/bin/python" - "$root/test/frontend/onnx" "$seeds/onnx" <<'PY'
import glob, os, sys
import onnx
from google.protobuf import text_format
for path in glob.glob(os.path.join(sys.argv[1], "*.onnxtxt")):
    model = onnx.ModelProto()
    try:
        text_format.Parse(open(path).read(), model)
    except text_format.ParseError:
        continue  # the syntax-error tests
    name = os.path.basename(path).replace(".onnxtxt", ".onnx")
    open(os.path.join(sys.argv[2], name), "wb").write(model.SerializeToString())
PY

"$root/.venv/bin/python" "$root/test/frontend/hf/Inputs/make_checkpoints.py" \
  "$root/test/frontend/hf/fixtures" "$seeds/checkpoints"
# The small ones: each defect of the format; whole models would slow every run.
for file in "$seeds"/checkpoints/*/*.safetensors; do
  [ -L "$file" ] || [ "$(stat -c %s "$file")" -gt 65536 ] ||
    cp "$file" "$seeds/safetensors/$(basename "$(dirname "$file")")-$(basename "$file")"
done
# The configs, but not those of thousands of layers: listing their half a
# million tensors would slow every mutation of them some hundred times.
"$root/.venv/bin/python" - "$seeds/checkpoints" "$seeds/config" <<'PY'
import glob, json, os, shutil, sys
for path in glob.glob(os.path.join(sys.argv[1], "*", "config.json")):
    if os.path.islink(path):
        continue
    try:
        config = json.load(open(path))
    except (ValueError, RecursionError):
        config = None  # invalid or deep JSON is a seed too
    layers = config.get("num_hidden_layers") if isinstance(config, dict) else None
    if not isinstance(layers, int) or layers <= 64:
        name = os.path.basename(os.path.dirname(path)) + ".json"
        shutil.copy(path, os.path.join(sys.argv[2], name))
PY

# allow_user_poisoning=0: the harnesses link Debian's uninstrumented LLVM/MLIR
# libraries, and where the linker resolves a library call to an instrumented
# copy of an LLVM header template (BumpPtrAllocator::AllocateSlow, which
# Tern's attribute storage instantiates), that copy poisons memory the
# library's own inlined code then uses: a false use-after-poison in
# MLIRContext's constructor. Only LLVM's manual poisoning is switched off;
# ASan's own checks stay.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allow_user_poisoning=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1
status=0
for name in "${harnesses[@]}"; do
  echo "fuzz: tern-fuzz-$name for ${seconds}s from $(ls "$seeds/$name" | wc -l) seeds"
  "$build/bin/tern-fuzz-$name" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$name-" "$seeds/$name" \
    > "$build/fuzz-$name.log" 2>&1 || status=1
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$build/fuzz-$name.log" || true
  if [ "$status" -ne 0 ]; then
    tail -40 "$build/fuzz-$name.log"
    echo "fuzz: tern-fuzz-$name failed; the input is in $build/artifacts/"
    exit 1
  fi
done
echo "fuzz: no crash, leak, sanitizer report or hang in ${seconds}s per harness"
