#!/usr/bin/env python3
"""Compiles an ONNX model with ternc, runs it with tern-run and checks every
output against onnxruntime (or onnx's reference evaluator) on the same random
inputs.

    .venv/bin/python scripts/e2e_compare.py MODEL.onnx --ternc build/bin/ternc \
        --tern-run build/bin/tern-run --workdir /tmp/e2e [--seed N] [--rtol R --atol A]

tern-run draws the inputs (--random-inputs --seed N) and writes them to
WORKDIR/out/NAME.input.npy beside its outputs (WORKDIR/out/NAME.npy);
onnxruntime's CPU provider (or, with --oracle reference, onnx's reference
evaluator) then runs the model on those inputs. Floating-point
outputs must satisfy np.allclose(tern, expected, rtol, atol); all others must be
equal. Prints one line per output and "e2e: N outputs match", or exits 1
naming the output that differs or the tool that failed (with its stderr).

With --oracle-in-f32 the oracle runs a copy of the model whose f16 and bf16
tensors are f32 (onnxruntime's CPU provider lacks most f16/bf16 kernels):
tern's inputs are exact in f32, and its outputs are widened to compare, so
the tolerance must allow for the low-precision rounding tern does and the
f32 oracle does not. --target and --device compile and run for a GPU;
--gpu-plan TARGET also compiles the model for that GPU and checks the plan
(scripts/gpu_plan_check.py).
"""
import argparse
import os
import shutil
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx.reference import ReferenceEvaluator

import gpu_plan_check
import tern_tools


def run_tool(name, cmd):
    tern_tools.run_tool("e2e", name, cmd)


def type_name(dtype):
    if dtype == np.bool_:
        return "bool"
    return f"{dtype.kind}{dtype.itemsize * 8}"


LOW_PRECISION = (onnx.TensorProto.FLOAT16, onnx.TensorProto.BFLOAT16)


def widen_model(model, path):
    """Writes `model` with its f16 and bf16 inputs, outputs, initializers and
    casts in f32 to `path`."""
    graph = model.graph
    for value in list(graph.input) + list(graph.output) + list(graph.value_info):
        if value.type.tensor_type.elem_type in LOW_PRECISION:
            value.type.tensor_type.elem_type = onnx.TensorProto.FLOAT
    for i, tensor in enumerate(graph.initializer):
        if tensor.data_type in LOW_PRECISION:
            wide = onnx.numpy_helper.to_array(tensor).astype(np.float32)
            graph.initializer[i].CopyFrom(onnx.numpy_helper.from_array(wide, tensor.name))
    for node in graph.node:
        for attr in node.attribute:
            if node.op_type == "Cast" and attr.name == "to" and attr.i in LOW_PRECISION:
                attr.i = onnx.TensorProto.FLOAT
    onnx.save(model, path)


def widen(array, elem_type):
    """tern-run's array for a tensor of ONNX `elem_type`, as f32 if that is
    f16 or bf16 (bf16 travels as its bits in uint16)."""
    if elem_type == onnx.TensorProto.BFLOAT16:
        return (array.astype(np.uint32) << 16).view(np.float32)
    if elem_type == onnx.TensorProto.FLOAT16:
        return array.astype(np.float32)
    return array


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
    with np.errstate(invalid="ignore"):  # inf - inf: isclose below judges those
        err = np.abs(g - w)
        rel = np.divide(err, np.abs(w), out=np.zeros_like(err), where=w != 0)
    err, rel = err[~np.isnan(err)], rel[~np.isnan(rel)]  # inf - inf: judged by isclose
    abs_max = float(err.max()) if err.size else 0.0
    rel_max = float(rel.max()) if rel.size else 0.0
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
    tern_tools.add_tool_arguments(parser)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rtol", type=float, default=1e-5)
    parser.add_argument("--atol", type=float, default=1e-5)
    parser.add_argument("--oracle", choices=["onnxruntime", "reference"], default="onnxruntime",
                        help="what computes the expected outputs: onnxruntime's CPU provider, or "
                             "onnx's reference evaluator (for opsets onnxruntime lacks, such as 23)")
    parser.add_argument("--input", action="append", default=[], metavar="NAME=FILE.npy",
                        help="give input NAME from FILE instead of random values (repeatable)")
    parser.add_argument("--expected", action="append", default=[], metavar="NAME=FILE.npy",
                        help="take output NAME's expected values from FILE, computed by another "
                             "oracle, instead of the --oracle (repeatable)")
    parser.add_argument("--oracle-in-f32", action="store_true",
                        help="run the oracle on the model with f16/bf16 tensors made f32")
    parser.add_argument("--ternc-arg", action="append", default=[],
                        help="an extra argument for ternc (repeatable)")
    parser.add_argument("--tern-run-arg", action="append", default=[],
                        help="an extra argument for tern-run (repeatable)")
    args = parser.parse_args()

    out_dir = os.path.join(args.workdir, "out")
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    plan = os.path.join(args.workdir, "model.tplan")
    run_tool("ternc", [args.ternc, args.model, "--target", args.target, "-o", plan] +
             args.ternc_arg)
    given = dict(item.split("=", 1) for item in args.input)
    inputs = [arg for item in args.input for arg in ("--input", item)]
    run_tool("tern-run", [args.tern_run, plan, "--device", args.device, "--random-inputs",
                          "--seed", str(args.seed), "--output-dir", out_dir] + inputs +
             args.tern_run_arg)

    model = onnx.load(args.model)
    graph = model.graph
    elem_types = {v.name: v.type.tensor_type.elem_type for v in list(graph.input) + list(graph.output)}
    oracle_model = args.model
    if args.oracle_in_f32:
        oracle_model = os.path.join(args.workdir, "oracle_f32.onnx")
        widen_model(model, oracle_model)
    initializers = {t.name for t in graph.initializer}
    feeds = {}
    for value in graph.input:
        if value.name not in initializers:
            feeds[value.name] = np.load(given.get(value.name) or
                                        os.path.join(out_dir, value.name + ".input.npy"))
            if args.oracle_in_f32:
                feeds[value.name] = widen(feeds[value.name], elem_types[value.name])
    names = [o.name for o in graph.output]
    if args.oracle == "reference":
        session = ReferenceEvaluator(oracle_model)
    else:
        session = ort.InferenceSession(oracle_model, providers=["CPUExecutionProvider"])
    expected = dict(zip(names, session.run(names, feeds)))
    overrides = dict(item.split("=", 1) for item in args.expected)
    for name, path in overrides.items():
        expected[name] = np.load(path)

    failures = 0
    for name in names:
        path = os.path.join(out_dir, name + ".npy")
        if not os.path.exists(path):
            sys.exit(f"e2e: tern-run wrote no file for output '{name}' ({path})")
        got = np.load(path)
        if args.oracle_in_f32:
            got = widen(got, elem_types[name])
        ok, line = compare(name, got, expected[name], args.rtol, args.atol)
        if name in overrides:
            line = line.replace(":", f" (expected values from {os.path.basename(overrides[name])}):", 1)
        print(line, flush=True)
        failures += not ok
    if failures:
        sys.exit(f"e2e: {failures} of {len(names)} outputs differ from {args.oracle}")
    print(f"e2e: {len(names)} outputs match")
    gpu_plan_check.check_gpu_plans("e2e", args.model, args.ternc_arg, args.gpu_plan, args,
                                   os.path.join(args.workdir, "gpu"))


if __name__ == "__main__":
    main()
