#!/usr/bin/env python3
"""Times f32 matmuls compiled by ternc and run by tern-run.

    .venv/bin/python bench/matmul_speed.py --ternc build/bin/ternc --tern-run build/bin/tern-run \\
        [--target host] [--device host] [--shapes 1x2048x2048,16x2048x2048,128x1024x1024] [--runs 20]

For each M x K x N it writes a one-node ONNX model, y = x @ w with a random
f32 weight w [K, N] and an input x [M, K], compiles it with `ternc
--target=TARGET` and runs it with `tern-run --random-inputs --bench RUNS
--device DEVICE` (one warm-up, then RUNS timed runs). It prints the median
latency and the rate it implies (2 M K N floating-point operations). Give
two ternc binaries (--ternc A --ternc B) to compare them on the same models.
With --onnxruntime it also times onnxruntime's CPU provider on one thread on
the same model and input in the same run (median of RUNS after a warm-up)
and prints each Tern time as a ratio to it.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def make_model(path, m, k, n):
    rng = np.random.RandomState(0)
    w = numpy_helper.from_array(rng.standard_normal((k, n)).astype(np.float32) * 0.02, "w")
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"])], "matmul",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [m, k])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [m, n])], [w])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.save(model, path, save_as_external_data=True, location=os.path.basename(path) + ".bin",
              size_threshold=0)


def median_ms(ternc, tern_run, model, plan, target, device, runs):
    subprocess.run([ternc, model, f"--target={target}", "-o", plan], check=True)
    out = subprocess.run([tern_run, plan, "--random-inputs", "--seed", "1", "--bench", str(runs),
                          "--device", device], check=True, capture_output=True, text=True).stdout
    found = re.search(r"median ([0-9.]+) ms", out)
    if not found:
        sys.exit(f"no median in tern-run's output:\n{out}")
    return float(found.group(1))


def onnxruntime_median_ms(model, m, k, runs):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    x = np.random.RandomState(1).uniform(-1, 1, (m, k)).astype(np.float32)
    session.run(None, {"x": x})
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, {"x": x})
        times.append((time.perf_counter() - start) * 1e3)
    return float(np.median(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ternc", action="append", required=True)
    parser.add_argument("--tern-run", required=True)
    parser.add_argument("--target", default="host")
    parser.add_argument("--device", default="host")
    parser.add_argument("--shapes", default="1x2048x2048,16x2048x2048,128x1024x1024")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--onnxruntime", action="store_true",
                        help="also time onnxruntime (1 thread) and print ratios to it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tern-matmul-") as work:
        for shape in args.shapes.split(","):
            m, k, n = (int(v) for v in shape.split("x"))
            model = os.path.join(work, f"mm_{shape}.onnx")
            make_model(model, m, k, n)
            cells = []
            peer = onnxruntime_median_ms(model, m, k, args.runs) if args.onnxruntime else None
            for i, ternc in enumerate(args.ternc):
                ms = median_ms(ternc, args.tern_run, model, os.path.join(work, f"mm{i}.tplan"),
                               args.target, args.device, args.runs)
                ratio = f", {ms / peer:.2f}x onnxruntime" if peer else ""
                cells.append(f"{ternc}: {ms:.3f} ms ({2 * m * k * n / ms / 1e6:.2f} GFLOP/s{ratio})")
            if peer:
                cells.append(f"onnxruntime 1 thread: {peer:.3f} ms")
            print(f"M x K x N = {m} x {k} x {n}: " + "; ".join(cells))


if __name__ == "__main__":
    main()
