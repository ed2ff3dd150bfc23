#!/usr/bin/env bash
# The README's main job: compile the bundled examples and run one.
#   - examples/mlp_silu.onnx (a SiLU-gated MLP) compiles to a plan for the GPU
#     when there is one (sm_90a), else for the host, and tern-run runs it.
#   - examples/decoder_block.onnx (attention + MoE gate) compiles to the tern
#     dialect; its top-k has no lowering yet, so it does not reach a plan.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TERN_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
"$root/scripts/build.sh" ternc tern-opt tern-run

block="$root/examples/decoder_block.onnx"
"$build/bin/ternc" "$block" --emit=tern -o "$build/decoder_block.mlir"
echo "compiled $(basename "$block") to the tern dialect: $build/decoder_block.mlir"

if command -v nvidia-smi > /dev/null && nvidia-smi -L > /dev/null 2>&1; then
  target=sm_90a device=cuda
else
  target=host device=host
fi
model="$root/examples/mlp_silu.onnx"
plan="$build/mlp_silu.$target.tplan"
"$build/bin/ternc" "$model" --target=$target -o "$plan"
echo "compiled $(basename "$model") for $target: $plan"
"$build/bin/tern-run" "$plan" --inspect | sed -n '3,6p'
"$build/bin/tern-run" "$plan" --device=$device --random-inputs --seed 1 \
  --output-dir "$build/mlp_silu.out" --bench 10
echo "outputs and random inputs: $build/mlp_silu.out/"
