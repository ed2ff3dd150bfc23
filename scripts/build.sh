#!/usr/bin/env bash
# Configures (once) and builds Tern into build/. Incremental after the first run.
# TERN_BUILD_DIR overrides the folder; CI=true turns warnings into errors.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TERN_BUILD_DIR:-$root/build}
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTERN_WERROR=$werror
fi
ninja -C "$build" -j"$(nproc)" "$@"
