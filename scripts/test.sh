#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, runs every test.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TERN_BUILD_DIR:-$root/build}
sanitize_build=${TERN_SANITIZE_BUILD_DIR:-$root/build-sanitize}
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
status=0
/usr/lib/llvm-22/bin/lit -sv --order=lexical --output "$build/lit-results.json" "$build/test" || status=$?
# Conformance: the official ONNX node tests for every supported op, compiled for the
# host, run, and compared with their expected outputs.
node_status=0
"$root/.venv/bin/python" "$root/scripts/onnx_node_tests.py" --ternc "$build/bin/ternc" \
  --tern-run "$build/bin/tern-run" || node_status=$?
# The same lit suite with tools built under AddressSanitizer and UBSan.
sanitize_status=0
TERN_SANITIZE_BUILD_DIR="$sanitize_build" "$root/scripts/sanitize.sh" || sanitize_status=$?
# libFuzzer harnesses (plan loader, ONNX importer, safetensors reader), a short run each.
fuzz_status=0
TERN_BUILD_DIR="$build" "$root/scripts/fuzz.sh" || fuzz_status=$?
# One plain closing line for CI dashboards (lit's tests plus the node-test check,
# then the sanitizer and fuzzing runs).
"$root/.venv/bin/python" - "$build/lit-results.json" "$node_status" \
  "$sanitize_build/lit-results.json" "$fuzz_status" <<'PY'
import collections, json, os, sys

def counts(path):
    if not os.path.exists(path):
        return None
    return collections.Counter(t["code"] for t in json.load(open(path))["tests"])

def failed(codes):
    return sum(codes[c] for c in ("FAIL", "XPASS", "UNRESOLVED", "TIMEOUT"))

codes, sanitized = counts(sys.argv[1]), counts(sys.argv[3])
node_ok = sys.argv[2] == "0"
passed = codes["PASS"] + codes["XFAIL"] + node_ok
line = f"tern tests: {passed} passed, {failed(codes) + (not node_ok)} failed, {codes['UNSUPPORTED']} skipped"
if sanitized is None:
    line += "; sanitizer run: did not run (build failed)"
else:
    line += (f"; under ASan+UBSan: {sanitized['PASS'] + sanitized['XFAIL']} passed, "
             f"{failed(sanitized)} failed")
line += "; fuzzing: " + ("no failures" if sys.argv[4] == "0" else "FAILED")
print(line)
PY
[ "$status" -eq 0 ] && [ "$node_status" -eq 0 ] && [ "$sanitize_status" -eq 0 ] &&
  [ "$fuzz_status" -eq 0 ]
