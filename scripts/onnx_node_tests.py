#!/usr/bin/env python3
"""Runs the official ONNX backend node tests for every op Tern supports.

    .venv/bin/python scripts/onnx_node_tests.py --ternc build/bin/ternc --tern-run build/bin/tern-run

A node test is attempted when every op its model uses is one `ternc
--list-onnx-ops` names. It passes when ternc compiles it for the host, tern-run
runs it on each of the test's input sets, and every output equals the test's
own expected output (floats within rtol 1e-3, atol 1e-5, the ONNX backend's
rtol; others exactly). A failure is allowed only when the test is listed, with
the reason, in test/frontend/onnx/node-tests-unsupported.txt; a listed test
that now passes is reported too, so the list stays true. Prints "N of M node
tests pass".
"""
import argparse
import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

import ml_dtypes
import numpy as np
import onnx
from onnx import numpy_helper

from e2e_compare import compare

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NODE_DIR = os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data", "node")
RTOL, ATOL = 1e-3, 1e-5

# Element types numpy lacks: tern-run reads and writes their bits.
T = onnx.TensorProto
ML_DTYPES = {T.BFLOAT16: ml_dtypes.bfloat16, T.FLOAT8E4M3FN: ml_dtypes.float8_e4m3fn,
             T.FLOAT8E5M2: ml_dtypes.float8_e5m2, T.FLOAT8E4M3FNUZ: ml_dtypes.float8_e4m3fnuz,
             T.FLOAT8E5M2FNUZ: ml_dtypes.float8_e5m2fnuz}

# Failures whose error alone does not say why tern is right to differ.
TRUNCATED_BF16 = ("the test data truncates to bf16; tern rounds to nearest even, as "
                  "onnxruntime does")
NOTES = {
    "test_cast_FLOAT_to_BFLOAT16": TRUNCATED_BF16,
    "test_castlike_FLOAT_to_BFLOAT16": TRUNCATED_BF16,
    "test_castlike_FLOAT_to_BFLOAT16_expanded": TRUNCATED_BF16,
}

def load_expected(path):
    expected = {}
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, reason = line.partition(" ")
            expected[name] = reason.strip()
    return expected


def reason(error):
    """The error's first line without the model path and the node's name."""
    line = error.splitlines()[0] if error else "no error message"
    line = re.sub(r"'[^']*/model\.onnx'", "the model", line.split(": error: ", 1)[-1])
    line = re.sub(r"^[^ ]*/model\.onnx: ", "", line)
    return re.sub(r" \(supported: .*\)", "", re.sub(r"^node '[^']*' ", "", line))


def write_expected(path, failures):
    with open(path, "w") as f:
        f.write("# ONNX backend node tests that use only supported ops but do not pass, with why.\n"
                "# scripts/onnx_node_tests.py fails on a failure not listed here and on a listed\n"
                "# test that passes. Regenerate: .venv/bin/python scripts/onnx_node_tests.py --update\n")
        for name, error in sorted(failures):
            f.write(f"{name} {NOTES.get(name) or reason(error)}\n")


def ops_of(model_path):
    model = onnx.load(model_path, load_external_data=False)
    ops = set()
    for node in model.graph.node:
        domain = "" if node.domain in ("", "ai.onnx") else node.domain + "."
        ops.add(domain + node.op_type)
    return ops


def read_tensor(path):
    """A .pb tensor as (array for tern-run, element type)."""
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    array = numpy_helper.to_array(tensor)
    if tensor.data_type in ML_DTYPES:
        array = array.view(np.uint16 if tensor.data_type == T.BFLOAT16 else np.uint8)
    return array, tensor.data_type


def as_float32(array, data_type):
    if data_type not in ML_DTYPES:
        return array
    return array.view(ML_DTYPES[data_type]).astype(np.float32)


def check_data_set(tern_run, plan, graph, data_dir, out_dir):
    """None when tern-run reproduces the data set's outputs, else why not."""
    inputs = [v.name for v in graph.input
              if v.name not in {init.name for init in graph.initializer}]
    cmd = [tern_run, plan, "--output-dir", out_dir]
    for i, name in enumerate(inputs):
        array, _ = read_tensor(os.path.join(data_dir, f"input_{i}.pb"))
        path = os.path.join(out_dir, f"in{i}.npy")
        np.save(path, array)
        cmd += ["--input", f"{name}={path}"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        return "tern-run: " + reason(result.stderr.strip())
    for i, value in enumerate(graph.output):
        want, data_type = read_tensor(os.path.join(data_dir, f"output_{i}.pb"))
        got = np.load(os.path.join(out_dir, value.name + ".npy"))
        ok, line = compare(value.name, as_float32(got, data_type), as_float32(want, data_type),
                           RTOL, ATOL)
        if not ok:
            return re.sub(r"first at .*", "", line).rstrip(", ")
    return None


# ternc's hint when a graph input must be known at compile time.
INPUT_VALUE_HINT = re.compile(r"compile for one value of it with ternc --input-value (\S+)=")


def compile_test(args, model, plan):
    """ternc's result for `model`. Where ternc asks for a graph input's value
    (axes, K, starts given as graph inputs), compiles again for the value the
    test's first data set passes (ternc --input-value), as a user with that
    model would; the plan then refuses any other value. Returns (result,
    the inputs compiled for a value)."""
    graph = onnx.load(model, load_external_data=False).graph
    inputs = [v.name for v in graph.input if v.name not in {i.name for i in graph.initializer}]
    data_dir = os.path.join(os.path.dirname(model), "test_data_set_0")
    values = {}
    while True:
        cmd = [args.ternc, model, "--target=host", "-o", plan]
        cmd += [f"--input-value={n}={','.join(map(str, v))}" for n, v in values.items()]
        result = subprocess.run(cmd, capture_output=True, text=True)
        hint = INPUT_VALUE_HINT.search(result.stderr)
        if result.returncode == 0 or not hint or hint.group(1) in values or \
                hint.group(1) not in inputs:
            return result, sorted(values)
        array, _ = read_tensor(os.path.join(data_dir, f"input_{inputs.index(hint.group(1))}.pb"))
        values[hint.group(1)] = [int(v) for v in array.reshape(-1)]


def run_test(args, workdir, name, model):
    """(name, error or None, crashed, inputs compiled for a value)."""
    plan = os.path.join(workdir, name + ".tplan")
    result, compiled_values = compile_test(args, model, plan)
    if result.returncode != 0:
        return name, result.stderr.strip() or "ternc failed", result.returncode != 1, []
    graph = onnx.load(model, load_external_data=False).graph
    for data_dir in sorted(glob.glob(os.path.join(os.path.dirname(model), "test_data_set_*"))):
        out_dir = os.path.join(workdir, name, os.path.basename(data_dir))
        os.makedirs(out_dir)
        error = check_data_set(args.tern_run, plan, graph, data_dir, out_dir)
        if error:
            return name, error, error.startswith("tern-run") and "crash" in error, []
    shutil.rmtree(os.path.join(workdir, name), ignore_errors=True)
    os.remove(plan)
    return name, None, False, compiled_values


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ternc", default=os.path.join(ROOT, "build", "bin", "ternc"))
    parser.add_argument("--tern-run", default=os.path.join(ROOT, "build", "bin", "tern-run"))
    parser.add_argument("--expected", default=os.path.join(ROOT, "test", "frontend", "onnx",
                                                           "node-tests-unsupported.txt"))
    parser.add_argument("-k", "--filter", default="", help="only tests whose name contains this")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each failure's error")
    parser.add_argument("--update", action="store_true",
                        help="rewrite the expected-failure list from this run's failures")
    args = parser.parse_args()

    supported = set(subprocess.run([args.ternc, "--list-onnx-ops"], check=True, capture_output=True,
                                   text=True).stdout.split())
    expected = load_expected(args.expected)
    candidates = []
    for name in sorted(os.listdir(NODE_DIR)):
        model = os.path.join(NODE_DIR, name, "model.onnx")
        if args.filter in name and os.path.exists(model) and ops_of(model) <= supported:
            candidates.append((name, model))

    with tempfile.TemporaryDirectory(prefix="tern-node-tests-") as workdir:
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            results = list(pool.map(lambda c: run_test(args, workdir, *c), candidates))

    if args.update:
        write_expected(args.expected, [(n, err) for n, err, _, _ in results if err])
        expected = load_expected(args.expected)
    passed = [n for n, err, _, _ in results if not err]
    with_values = [n for n, err, _, values in results if not err and values]
    unexpected = [(n, err) for n, err, _, _ in results if err and n not in expected]
    crashed = [(n, err) for n, err, crash, _ in results if crash]
    stale = [n for n in passed if n in expected]
    for name, err in unexpected:
        print(f"UNEXPECTED FAILURE {name}: {err.splitlines()[-1]}")
    for name, err in crashed:
        print(f"CRASH {name}: {err[-500:]}")
    for name in stale:
        print(f"NOW PASSES (remove it from {os.path.relpath(args.expected, ROOT)}): {name}")
    if args.verbose:
        for name, err, _, _ in results:
            if err and name in expected:
                print(f"expected failure {name}: {err.splitlines()[-1]}")
    print(f"ONNX node tests: {len(passed)} of {len(candidates)} node tests pass (compiled for the "
          f"host, run, outputs compared; {len(with_values)} of them compiled for their graph "
          f"inputs' values with --input-value), {len(results) - len(passed)} listed as "
          f"unsupported; "
          f"{len(os.listdir(NODE_DIR))} node tests in onnx {onnx.__version__}")
    return 1 if unexpected or crashed or stale else 0


if __name__ == "__main__":
    sys.exit(main())
