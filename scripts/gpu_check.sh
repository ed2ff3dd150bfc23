#!/usr/bin/env bash
# The first thing to run on a machine with an NVIDIA GPU: builds Tern (unless
# the build folder has its tools), runs every GPU test (lit with
# tern_device=cuda over the end-to-end models and the HuggingFace checkpoints),
# the GPU benchmarks that exist, and compute-sanitizer over one end-to-end run,
# then appends the results (device, driver, date, each step's outcome and
# output) to docs/GPU_RESULTS.md. Without a GPU it says so and exits 0.
#
#   scripts/gpu_check.sh [--results=FILE] [--target=sm_XX] [--budget=SECONDS]
#                        [--steps=lit,matmul-speed,matmul-bf16,matmul-fp8,compute-sanitizer]
#
#   --results=FILE    where the results go (default: docs/GPU_RESULTS.md)
#   --target=sm_XX    the chip to compile for (default: from the GPU's compute
#                     capability: sm_90a for 9.0, sm_89 for 8.9, else sm_80)
#   --budget=SECONDS  the whole check's time limit (default 480: 8 minutes);
#                     each step gets a share and is stopped when it runs out
#   --steps=LIST      the steps to run, comma-separated (default: all five);
#                     matmul-bf16 times bf16 matmuls (tensor cores) at
#                     DeepGEMM's DeepSeek-V3 shapes, next to torch where the
#                     machine has it; matmul-fp8 the same shapes with FP8
#                     weights and --fp8-activations (E4M3 tensor cores on
#                     sm_89/sm_90a), next to torch's bf16
#
# Exits 1 when a step fails (the results name it), 0 when all pass or when
# there is no GPU. TERN_BUILD_DIR overrides the build folder.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TERN_BUILD_DIR:-$root/build}
results=$root/docs/GPU_RESULTS.md
target=
budget=480
all_steps=lit,matmul-speed,matmul-bf16,matmul-fp8,compute-sanitizer
steps=$all_steps
for arg in "$@"; do
  case $arg in
    --results=*) results=${arg#--results=} ;;
    --target=*) target=${arg#--target=} ;;
    --budget=*) budget=${arg#--budget=} ;;
    --steps=*) steps=${arg#--steps=} ;;
    -h | --help) sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gpu_check.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
case ${target:-auto} in
  auto | sm_80 | sm_89 | sm_90a) ;;
  *) echo "gpu_check.sh: unknown target '$target' (sm_80, sm_89 or sm_90a)" >&2; exit 2 ;;
esac
if ! [[ $budget =~ ^[0-9]+$ ]] || [ "$budget" -lt 60 ]; then
  echo "gpu_check.sh: --budget must be a number of seconds, at least 60 (not '$budget')" >&2
  exit 2
fi

for step in ${steps//,/ }; do
  if [[ ,$all_steps, != *,$step,* ]]; then
    echo "gpu_check.sh: unknown step '$step' (lit, matmul-speed, matmul-bf16, matmul-fp8 or compute-sanitizer)" >&2
    exit 2
  fi
done
wanted() { [[ ,$steps, == *,$1,* ]]; }

# nvidia-smi answers only where a driver sees a GPU.
if ! command -v nvidia-smi > /dev/null; then
  echo "gpu_check.sh: no GPU here (no nvidia-smi on PATH); nothing to check"
  exit 0
fi
if ! query=$(nvidia-smi --query-gpu=name,driver_version,compute_cap --format=csv,noheader 2>&1) ||
  [ -z "$query" ]; then
  echo "gpu_check.sh: no GPU here (nvidia-smi: ${query:-no devices}); nothing to check"
  exit 0
fi
IFS=, read -r gpu_name driver capability <<< "$(head -n 1 <<< "$query")"
gpu_name=$(echo "$gpu_name" | xargs) driver=$(echo "$driver" | xargs)
capability=$(echo "$capability" | xargs)
if [ -z "$target" ]; then
  case $capability in
    9.0) target=sm_90a ;;
    8.9) target=sm_89 ;;
    *) target=sm_80 ;;
  esac
fi
echo "gpu_check.sh: $gpu_name (driver $driver, compute capability $capability), target $target"

start=$SECONDS
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
failed=()
summary=()
# run_step NAME SHARE COMMAND...: runs COMMAND with SHARE percent of the
# budget (at most what is left), its output in the log and on the terminal.
run_step() {
  local name=$1 share=$2
  shift 2
  local left=$((budget - (SECONDS - start)))
  local limit=$((budget * share / 100))
  [ "$limit" -gt "$left" ] && limit=$left
  local status=0
  if [ "$limit" -le 0 ]; then
    echo "skipped: the budget ran out" > "$log/$name"
    status=124
  else
    echo "== $name (at most ${limit} s)"
    timeout --kill-after=10 "$limit" "$@" > "$log/$name" 2>&1 || status=$?
    tail -n 5 "$log/$name"
  fi
  local outcome=passed
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    outcome="stopped after its ${limit} s"
  elif [ "$status" -ne 0 ]; then
    outcome="failed (exit $status)"
  fi
  [ "$outcome" = passed ] || failed+=("$name")
  summary+=("| $name | $outcome | $(($(date +%s) - step_start)) s |")
}

step_start=$(date +%s)
if [ -x "$build/bin/ternc" ] && [ -x "$build/bin/tern-run" ] && [ -d "$build/test" ]; then
  summary+=("| build | reused $build | 0 s |")
else
  run_step build 40 bash -c '"$0/scripts/setup.sh" && "$0/scripts/build.sh"' "$root"
fi

lit=/usr/lib/llvm-22/bin/lit
[ -x "$lit" ] || lit=$(command -v lit || echo lit)
step_start=$(date +%s)
wanted lit && run_step lit 50 "$lit" -sv -D tern_device=cuda -D "tern_gpu_target=$target" \
  "$build/test/e2e" "$build/test/frontend/hf"

work=$log/work
mkdir -p "$work"
step_start=$(date +%s)
wanted matmul-speed && run_step matmul-speed 10 "$root/.venv/bin/python" "$root/bench/matmul_speed.py" \
  --ternc "$build/bin/ternc" --tern-run "$build/bin/tern-run" --target "$target" --device cuda \
  --runs 20 --shapes 1x2048x2048,64x2048x2048,128x7168x2048,4096x2048x2048

step_start=$(date +%s)
wanted matmul-bf16 && run_step matmul-bf16 12 "$root/.venv/bin/python" "$root/bench/matmul_speed.py" \
  --ternc "$build/bin/ternc" --tern-run "$build/bin/tern-run" --target "$target" --device cuda \
  --runs 20 --dtype bf16 --deepgemm-shapes --torch

step_start=$(date +%s)
wanted matmul-fp8 && run_step matmul-fp8 13 "$root/.venv/bin/python" "$root/bench/matmul_speed.py" \
  --ternc "$build/bin/ternc" --tern-run "$build/bin/tern-run" --target "$target" --device cuda \
  --runs 20 --dtype fp8 --deepgemm-shapes --torch

step_start=$(date +%s)
sanitizer=${CUDA_HOME:-/usr/local/cuda}/bin/compute-sanitizer
[ -x "$sanitizer" ] || sanitizer=$(command -v compute-sanitizer || echo compute-sanitizer)
wanted compute-sanitizer && run_step compute-sanitizer 15 bash -c '
  "$1/bin/ternc" "$2/examples/decoder_block.onnx" --target="$3" -o "$4/block.tplan" &&
  "$5" --error-exitcode 1 --leak-check full \
    "$1/bin/tern-run" "$4/block.tplan" --device cuda --random-inputs --seed 1' \
  _ "$build" "$root" "$target" "$work" "$sanitizer"

commit=$(git -C "$root" rev-parse --short HEAD 2> /dev/null || echo unknown)
mkdir -p "$(dirname "$results")"
[ -s "$results" ] || printf '# GPU results\n\nWritten by `scripts/gpu_check.sh`, newest last.\n' > "$results"
{
  echo
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): $gpu_name, driver $driver, $target, commit $commit"
  echo
  echo "| step | outcome | time |"
  echo "|---|---|---|"
  printf '%s\n' "${summary[@]}"
  for name in lit matmul-speed matmul-bf16 matmul-fp8 compute-sanitizer; do
    [ -f "$log/$name" ] || continue
    echo
    echo "\`$name\` (last lines):"
    echo
    echo '```'
    tail -n 15 "$log/$name"
    echo '```'
  done
} >> "$results"
echo "gpu_check.sh: results appended to $results ($((SECONDS - start)) s)"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "gpu_check.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "gpu_check.sh: every step passed"
