#!/usr/bin/env python3
"""Compiles an ONNX model with ternc, runs it with tern-run and checks every
output against onnxruntime on the same random inputs.

    .venv/bin/python scripts/e2e_compare.py MODEL.onnx --ternc build/bin/ternc \
        --tern-run build/bin/tern-run --workdir /tmp/e2e [--seed N] [--rtol R --atol A]

tern-run draws the inputs (--random-inputs --seed N) and writes them to
WORKDIR/out/NAME.input.npy beside its outputs (WORKDIR/out/NAME.npy);
onnxruntime's CPU provider then runs the model on those inputs. Floating-point
outputs must satisfy np.allclose(tern, ort, rtol, atol); all others must be
equal. Prints one line per output and "e2e: N outputs match", or exits 1
naming the output that differs or the tool that failed (with its stderr).
"""
import argparse
import os
import shutil
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort


def run_tool(name, cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        sys.exit(f"e2e: {name} failed (exit {result.returncode}): {' '.join(cmd)}")


def type_name(dtype):
    if dtype == np.bool_:
        return "bool"
    return f"{dtype.kind}{dtype.itemsize * 8}"


def compare(name, got, want, rtol, atol):
    """One report line for output NAME; the bool says whether it matches."""
    head = f"output '{name}': {type_name(want.dtype)} {list(want.shape)}"
    if got.shape != want.shape or got.dtype != want.dtype:
        return False, (f"{head}: MISMATCH: tern gave {type_name(got.dtype)} "
                       f"{list(got.shape)}")
    if want.dtype.kind not in "fc":
        bad = np.argwhere(got != want)
        if bad.size:
            i = tuple(int(n) for n in bad[0])
            return False, (f"{head}: MISMATCH: {len(bad)} elements differ, first at "
                           f"{list(i)}: got {got[i].item()}, expected {want[i].item()}")
        return True, f"{head}, exact: ok"
    g, w = got.astype(np.float64), want.astype(np.float64)
    err = np.abs(g - w)
    rel = np.divide(err, np.abs(w), out=np.zeros_like(err), where=w != 0)
    abs_max = float(np.nanmax(err)) if err.size else 0.0
    rel_max = float(np.nanmax(rel)) if rel.size else 0.0
    line = f"{head}, max abs err {abs_max:.1e}, max rel err {rel_max:.1e}"
    close = np.isclose(g, w, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return True, line + ": ok"
    i = tuple(int(n) for n in np.argwhere(~close)[0])
    return False, (f"{line}: MISMATCH: {int((~close).sum())} of {close.size} elements "
                   f"outside rtol={rtol} atol={atol}, first at {list(i)}: "
                   f"got {got[i].item()!r}, expected {want[i].item()!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--ternc", required=True)
    parser.add_argument("--tern-run", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rtol", type=float, default=1e-5)
    parser.add_argument("--atol", type=float, default=1e-5)
    parser.add_argument("--ternc-arg", action="append", default=[],
                        help="an extra argument for ternc (repeatable)")
    args = parser.parse_args()

    out_dir = os.path.join(args.workdir, "out")
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    plan = os.path.join(args.workdir, "model.tplan")
    run_tool("ternc", [args.ternc, args.model, "--target", "host", "-o", plan] + args.ternc_arg)
    run_tool("tern-run", [args.tern_run, plan, "--random-inputs", "--seed", str(args.seed),
                          "--output-dir", out_dir])

    graph = onnx.load(args.model).graph
    initializers = {t.name for t in graph.initializer}
    feeds = {}
    for value in graph.input:
        if value.name not in initializers:
            feeds[value.name] = np.load(os.path.join(out_dir, value.name + ".input.npy"))
    session = ort.InferenceSession(args.model, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    expected = dict(zip(names, session.run(names, feeds)))

    failures = 0
    for name in names:
        path = os.path.join(out_dir, name + ".npy")
        if not os.path.exists(path):
            sys.exit(f"e2e: tern-run wrote no file for output '{name}' ({path})")
        ok, line = compare(name, np.load(path), expected[name], args.rtol, args.atol)
        print(line, flush=True)
        failures += not ok
    if failures:
        sys.exit(f"e2e: {failures} of {len(names)} outputs differ from onnxruntime")
    print(f"e2e: {len(names)} outputs match")


if __name__ == "__main__":
    main()
