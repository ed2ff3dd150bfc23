#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, runs every test.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TERN_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
status=0
/usr/lib/llvm-22/bin/lit -sv --order=lexical --output "$build/lit-results.json" "$build/test" || status=$?
# Conformance: the official ONNX node tests for every supported op, compiled for the
# host, run, and compared with their expected outputs.
node_status=0
"$root/.venv/bin/python" "$root/scripts/onnx_node_tests.py" --ternc "$build/bin/ternc" \
  --tern-run "$build/bin/tern-run" || node_status=$?
# One plain closing line for CI dashboards (lit's tests plus the node-test check).
"$root/.venv/bin/python" - "$build/lit-results.json" "$node_status" <<'PY'
import collections, json, sys
codes = collections.Counter(t["code"] for t in json.load(open(sys.argv[1]))["tests"])
node_ok = sys.argv[2] == "0"
passed = codes["PASS"] + codes["XFAIL"] + node_ok
failed = sum(codes[c] for c in ("FAIL", "XPASS", "UNRESOLVED", "TIMEOUT")) + (not node_ok)
print(f"tern tests: {passed} passed, {failed} failed, {codes['UNSUPPORTED']} skipped")
PY
[ "$status" -eq 0 ] && [ "$node_status" -eq 0 ]
