#!/usr/bin/env bash
# The README's main job: compile the bundled example model.
# Code generation and the runtime are not built yet, so the job stops at the
# tern dialect and says so; it will compile to a plan and run it (on the GPU
# when there is one, else on the host) once they land.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TERN_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
"$root/scripts/build.sh" ternc tern-opt
model="$root/examples/decoder_block.onnx"
out="$build/decoder_block.mlir"
"$build/bin/ternc" "$model" --emit=tern -o "$out"
"$build/bin/tern-opt" "$out" > /dev/null   # the output re-parses and verifies
echo "compiled $(basename "$model") to the tern dialect: $out"
echo "ops: $(grep -oE '= tern\.[a-z_]+' "$out" | sort | uniq -c | awk '{printf "%s %s, ", $1, $3}' | sed 's/, $//')"
if command -v nvidia-smi > /dev/null && nvidia-smi -L > /dev/null 2>&1; then
  echo "GPU present; running a plan needs the code generator and runtime, which are not built yet"
else
  echo "no GPU; running a plan on the host needs the code generator and runtime, which are not built yet"
fi
