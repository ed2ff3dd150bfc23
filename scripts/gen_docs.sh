#!/usr/bin/env bash
# Regenerates the dialect and pass reference in docs/ from the ODS files.
# test/docs/docs-current.test fails when the committed copies are stale.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$root/docs}
tblgen=/usr/lib/llvm-22/bin/mlir-tblgen
inc=(-I "$root" -I /usr/lib/llvm-22/include)
"$tblgen" -gen-op-doc -dialect=tern "${inc[@]}" "$root/ir/TernOps.td" -o "$out/TernOps.md"
"$tblgen" -gen-pass-doc "${inc[@]}" "$root/passes/Passes.td" -o "$out/TernPasses.md"
"$tblgen" -gen-pass-doc "${inc[@]}" "$root/codegen/Passes.td" -o "$out/TernCodegenPasses.md"
