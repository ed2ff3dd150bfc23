#!/usr/bin/env bash
# The sanitizer stage of the test command: builds Tern with AddressSanitizer
# and UndefinedBehaviorSanitizer in build-sanitize/ (TERN_SANITIZE_BUILD_DIR
# overrides) and runs the whole lit suite with those tools: the importer's
# bad-input tests, the plan loader's fault sweep, tern-run's error cases and
# the end-to-end runs. Any sanitizer report fails its test (no recovery).
# Incremental after the first run, like scripts/build.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TERN_SANITIZE_BUILD_DIR:-$root/build-sanitize}
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTERN_WERROR=$werror \
    -DTERN_SANITIZE=ON
fi
rm -f "$build/lit-results.json"  # test.sh's summary reads it: never a stale one
ninja -C "$build" -j"$(nproc)"
# A report (leaks included) aborts: many tests expect exit status 1 from bad
# input (`not ternc ...`), and a sanitizer's default exit status 1 would pass
# them, while `not` and the scripts fail on a signal.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1
/usr/lib/llvm-22/bin/lit -sv --order=lexical --output "$build/lit-results.json" "$build/test"
