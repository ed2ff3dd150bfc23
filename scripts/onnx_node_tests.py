#!/usr/bin/env python3
"""Imports the official ONNX backend node tests for every op Tern supports.

    .venv/bin/python scripts/onnx_node_tests.py --ternc build/bin/ternc

A node test is attempted when every op its model uses is one `ternc
--list-onnx-ops` names. It passes when ternc imports it (exit 0). A failure is
allowed only when the test is listed, with the reason, in
test/frontend/onnx/node-tests-unsupported.txt; a listed test that now imports
is reported too, so the list stays true. Prints "imported N of M".
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys

import onnx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NODE_DIR = os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data", "node")


def load_expected(path):
    expected = {}
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, reason = line.partition(" ")
            expected[name] = reason.strip()
    return expected


def reason(error):
    """The error's message without the model path and the node's name."""
    line = error.splitlines()[0] if error else "no error message"
    line = re.sub(r"'[^']*/model\.onnx'", "the model", line.split(": error: ", 1)[-1])
    return re.sub(r" \(supported: .*\)", "", re.sub(r"^node '[^']*' ", "", line))


def write_expected(path, failures):
    with open(path, "w") as f:
        f.write("# ONNX backend node tests that use only supported ops but do not import, with why.\n"
                "# scripts/onnx_node_tests.py fails on a failure not listed here and on a listed\n"
                "# test that imports. Regenerate: .venv/bin/python scripts/onnx_node_tests.py --update\n")
        for name, error in sorted(failures):
            f.write(f"{name} {reason(error)}\n")


def ops_of(model_path):
    model = onnx.load(model_path, load_external_data=False)
    return {(n.domain if n.domain not in ("", "ai.onnx") else "") + ("." if n.domain not in ("", "ai.onnx") else "") + n.op_type
            for n in model.graph.node}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ternc", default=os.path.join(ROOT, "build", "bin", "ternc"))
    parser.add_argument("--expected", default=os.path.join(ROOT, "test", "frontend", "onnx",
                                                           "node-tests-unsupported.txt"))
    parser.add_argument("-v", "--verbose", action="store_true", help="print each failure's error")
    parser.add_argument("--update", action="store_true",
                        help="rewrite the expected-failure list from this run's failures and errors")
    args = parser.parse_args()

    supported = set(subprocess.run([args.ternc, "--list-onnx-ops"], check=True, capture_output=True,
                                   text=True).stdout.split())
    expected = load_expected(args.expected)
    candidates = []
    for name in sorted(os.listdir(NODE_DIR)):
        model = os.path.join(NODE_DIR, name, "model.onnx")
        if os.path.exists(model) and ops_of(model) <= supported:
            candidates.append((name, model))

    def run(item):
        name, model = item
        result = subprocess.run([args.ternc, model, "-o", os.devnull], capture_output=True, text=True)
        return name, result.returncode, result.stderr.strip()

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(run, candidates))

    if args.update:
        write_expected(args.expected, [(n, err) for n, rc, err in results if rc != 0])
        expected = load_expected(args.expected)
    passed = [n for n, rc, _ in results if rc == 0]
    unexpected = [(n, err) for n, rc, err in results if rc != 0 and n not in expected]
    crashed = [(n, err) for n, rc, err in results if rc not in (0, 1)]
    stale = [n for n in passed if n in expected]
    for name, err in unexpected:
        print(f"UNEXPECTED FAILURE {name}: {err.splitlines()[-1] if err else ''}")
    for name, err in crashed:
        print(f"CRASH {name}: {err[-500:]}")
    for name in stale:
        print(f"NOW PASSES (remove it from {os.path.relpath(args.expected, ROOT)}): {name}")
    if args.verbose:
        for name, rc, err in results:
            if rc != 0 and name in expected:
                print(f"expected failure {name}: {err.splitlines()[-1] if err else ''}")
    print(f"ONNX node tests: imported {len(passed)} of {len(candidates)} that use only supported ops "
          f"({len(results) - len(passed)} listed as unsupported, {len(os.listdir(NODE_DIR))} node tests in onnx {onnx.__version__})")
    return 1 if unexpected or crashed or stale else 0


if __name__ == "__main__":
    sys.exit(main())
