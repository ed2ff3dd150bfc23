#!/usr/bin/env bash
# Installs everything Tern needs on a bare Debian bookworm machine. Idempotent:
# a second run installs nothing new and takes seconds.
#   - Debian packages: LLVM/MLIR 22, lld (links host plans), clang's runtime (libFuzzer), protobuf,
#     Boost.Program_options, CMake, Ninja.
#   - .venv: the pinned Python test tools in scripts/requirements.txt.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

debs=(llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 libclang-rt-22-dev lld-22
      libprotobuf-dev protobuf-compiler libboost-program-options-dev
      cmake ninja-build python3 python3-venv zlib1g-dev libzstd-dev libedit-dev libcurl4-openssl-dev libxml2-dev)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

venv="$root/.venv"
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$root/scripts/requirements.txt" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: creating $venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -r "$root/scripts/requirements.txt"
  echo "$want" > "$stamp"
fi
echo "setup: ready (LLVM $(/usr/lib/llvm-22/bin/llvm-config --version), $("$venv/bin/python" -c 'import onnx; print("onnx", onnx.__version__)'))"
