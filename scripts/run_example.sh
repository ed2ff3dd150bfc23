#!/usr/bin/env bash
# The README's main job: compile the bundled example, examples/decoder_block.onnx
# (RMSNorm, softmax attention, an MoE gate with top-2), to a plan for the GPU
# when there is one (sm_90a), else for the host, and run it with tern-run. The
# tern-dialect IR is written beside the plan for reading.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TERN_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
"$root/scripts/build.sh" ternc tern-opt tern-run

if command -v nvidia-smi > /dev/null && nvidia-smi -L > /dev/null 2>&1; then
  target=sm_90a device=cuda
else
  target=host device=host
fi
model="$root/examples/decoder_block.onnx"
"$build/bin/ternc" "$model" --emit=tern -o "$build/decoder_block.mlir"
plan="$build/decoder_block.$target.tplan"
"$build/bin/ternc" "$model" --target=$target -o "$plan"
echo "compiled $(basename "$model") for $target: $plan (tern dialect: $build/decoder_block.mlir)"
"$build/bin/tern-run" "$plan" --inspect | sed -n '3,10p'
"$build/bin/tern-run" "$plan" --device=$device --random-inputs --seed 1 \
  --output-dir "$build/decoder_block.out" --bench 10
echo "outputs and random inputs: $build/decoder_block.out/"
