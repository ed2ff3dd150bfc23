#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, runs every test.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TERN_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
# lit's own summary, then one plain line for CI dashboards.
status=0
/usr/lib/llvm-22/bin/lit -sv --order=lexical --output "$build/lit-results.json" "$build/test" || status=$?
"$root/.venv/bin/python" - "$build/lit-results.json" <<'PY'
import collections, json, sys
codes = collections.Counter(t["code"] for t in json.load(open(sys.argv[1]))["tests"])
failed = sum(codes[c] for c in ("FAIL", "XPASS", "UNRESOLVED", "TIMEOUT"))
print(f"tern tests: {codes['PASS'] + codes['XFAIL']} passed, {failed} failed, "
      f"{codes['UNSUPPORTED']} skipped")
PY
exit $status
