#!/usr/bin/env python3
"""Measures ternc's peak memory against the size of a model's weights.

    .venv/bin/python bench/ternc_memory.py --ternc build/bin/ternc [--layers 8] [--width 2048]

Writes a chain of LAYERS MatMul + SiLU layers whose WIDTH x WIDTH f32 weights
live in ONNX external data (one file, memory-mapped by ternc), compiles it for
the host into a plan, and prints ternc's peak resident set (getrusage of the
child), the total and largest weight, and the plan's size. The design goal is
peak memory of about the largest tensor plus the IR, not the sum of the
weights: weights stay memory-mapped in the IR and are streamed into the plan
one at a time.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def make_model(path, layers, width):
    rng = np.random.RandomState(0)
    nodes, inits = [], []
    x = "x"
    for i in range(layers):
        w = numpy_helper.from_array(rng.standard_normal((width, width)).astype(np.float32) * 0.01,
                                    f"w{i}")
        inits.append(w)
        nodes += [helper.make_node("MatMul", [x, f"w{i}"], [f"h{i}"]),
                  helper.make_node("Sigmoid", [f"h{i}"], [f"s{i}"]),
                  helper.make_node("Mul", [f"h{i}", f"s{i}"], [f"y{i}"])]
        x = f"y{i}"
    graph = helper.make_graph(nodes, "chain", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, width])],
                              [helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, width])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.save(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
              location="weights.bin", size_threshold=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ternc", required=True)
    parser.add_argument("--layers", type=int, default=8)
    parser.add_argument("--width", type=int, default=2048)
    args = parser.parse_args()
    mib = 1 << 20
    with tempfile.TemporaryDirectory(prefix="tern-mem-") as work:
        model = os.path.join(work, "chain.onnx")
        make_model(model, args.layers, args.width)
        largest = args.width * args.width * 4
        total = largest * args.layers
        print(f"model: {args.layers} layers of f32 [{args.width}, {args.width}] weights, "
              f"{total / mib:.0f} MiB in external data (largest tensor {largest / mib:.0f} MiB)")
        # Each stage in its own process: getrusage's peak covers one child at a time
        # only through a fresh helper, so run each under `python -c` and report it.
        for emit in ("tern", "llvm", "plan"):
            out = os.path.join(work, "out." + emit)
            probe = ("import resource, subprocess, sys; "
                     "r = subprocess.run(sys.argv[1:]); "
                     "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
                     "sys.exit(r.returncode)")
            start = time.monotonic()
            result = subprocess.run([sys.executable, "-c", probe, args.ternc, model,
                                     "--target=host", f"--emit={emit}", "-o", out],
                                    capture_output=True, text=True)
            seconds = time.monotonic() - start
            if result.returncode != 0:
                sys.exit(f"ternc --emit={emit} failed: {result.stderr}")
            peak = int(result.stdout.split()[-1]) * 1024
            print(f"ternc --target=host --emit={emit}: {seconds:.1f} s, peak resident set "
                  f"{peak / mib:.0f} MiB ({peak / total:.2f} x the weights, "
                  f"{peak / largest:.1f} x the largest tensor); output "
                  f"{os.path.getsize(out) / mib:.1f} MiB")


if __name__ == "__main__":
    main()
