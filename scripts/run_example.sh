#!/usr/bin/env bash
# The README's main job: compile the bundled example, examples/decoder_block.onnx
# (RMSNorm, softmax attention, an MoE gate with top-2), to a plan for the GPU
# when there is one (sm_90a), else for the host, and run it with tern-run. The
# tern-dialect IR is written beside the plan for reading.
#
#   scripts/run_example.sh [--target=T] [--compile-only] [--out-dir=DIR]
#
#   --target=T      host, sm_80, sm_89 or sm_90a instead of the machine's own
#                   (also TERN_EXAMPLE_TARGET=T)
#   --compile-only  compile and inspect the plan, do not run it (a GPU plan on
#                   a machine without a GPU)
#   --out-dir=DIR   where the IR, the plan and the outputs go (default: the
#                   build folder)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TERN_BUILD_DIR:-$root/build}
target=${TERN_EXAMPLE_TARGET:-}
compile_only=false
out=$build
for arg in "$@"; do
  case $arg in
    --target=*) target=${arg#--target=} ;;
    --compile-only) compile_only=true ;;
    --out-dir=*) out=${arg#--out-dir=} ;;
    -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run_example.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
case ${target:-auto} in
  auto | host | sm_80 | sm_89 | sm_90a) ;;
  *) echo "run_example.sh: unknown target '$target' (host, sm_80, sm_89 or sm_90a)" >&2; exit 2 ;;
esac

"$root/scripts/setup.sh"
"$root/scripts/build.sh" ternc tern-opt tern-run

if [ -z "$target" ]; then
  if command -v nvidia-smi > /dev/null && nvidia-smi -L > /dev/null 2>&1; then
    target=sm_90a
  else
    target=host
  fi
fi
device=cuda
[ "$target" = host ] && device=host
mkdir -p "$out"
model="$root/examples/decoder_block.onnx"
"$build/bin/ternc" "$model" --emit=tern -o "$out/decoder_block.mlir"
plan="$out/decoder_block.$target.tplan"
"$build/bin/ternc" "$model" --target=$target -o "$plan"
echo "compiled $(basename "$model") for $target: $plan (tern dialect: $out/decoder_block.mlir)"
"$build/bin/tern-run" "$plan" --inspect | sed -n '3,10p'
if $compile_only; then
  echo "not run (--compile-only)"
  exit 0
fi
"$build/bin/tern-run" "$plan" --device=$device --random-inputs --seed 1 \
  --output-dir "$out/decoder_block.out" --bench 10
echo "outputs and random inputs: $out/decoder_block.out/"
