#!/usr/bin/env python3
"""Host speed of Tern's plans next to onnxruntime's CPU provider, in the same
run, on the same models and inputs.

    .venv/bin/python bench/host_speed.py --ternc build/bin/ternc --tern-run build/bin/tern-run \\
        [--runs 30] [--threads 1,0] [--host-cpu x86-64-v3,native]
        [--models expert-1,expert-64,dense-1,decoder-block]

The models (ONNX, opset 17, f32 weights in external data, generated here with
a fixed seed, except the bundled example):
  expert-1, expert-64   a SiLU-gated expert MLP 2048-1408-2048 (V2-Lite's routed
                        expert): y = (silu(x Wg) * (x Wu)) Wd, for 1 and 64 tokens
  dense-1               the same with 10944 intermediate (V2-Lite's dense MLP), 1 token
  decoder-block         examples/decoder_block.onnx (RMSNorm, attention, a top-2 gate;
                        opset 23, which onnxruntime 1.22 refuses: Tern's times only)

Each is compiled by `ternc --target=host --host-cpu=CPU` for each --host-cpu
value (default: ternc's, x86-64-v3) and timed by `tern-run --random-inputs
--bench RUNS --threads N` (median of RUNS after a warm-up) for each --threads
value (0: one per core, tern-run's default), and by
onnxruntime with intra_op_num_threads 1 and with its default (one per core),
median of RUNS after a warm-up. Prints one row per model with each time and
each Tern time's ratio to onnxruntime with default threads (below 1.0: Tern
is faster). Decoding checkpoints against transformers: bench/decode_speed.py.
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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name: (tokens, hidden, intermediate) of a SiLU-gated MLP, or None for the example.
MODELS = {
    "expert-1": (1, 2048, 1408),
    "expert-64": (64, 2048, 1408),
    "dense-1": (1, 2048, 10944),
    "decoder-block": None,
}


def make_gated_mlp(path, tokens, hidden, inter):
    rng = np.random.RandomState(0)

    def weight(name, shape):
        return numpy_helper.from_array(
            (rng.standard_normal(shape) * 0.02).astype(np.float32), name)

    nodes = [
        helper.make_node("MatMul", ["x", "wg"], ["g"]),
        helper.make_node("Sigmoid", ["g"], ["sg"]),
        helper.make_node("Mul", ["g", "sg"], ["silu"]),
        helper.make_node("MatMul", ["x", "wu"], ["u"]),
        helper.make_node("Mul", ["silu", "u"], ["h"]),
        helper.make_node("MatMul", ["h", "wd"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes, "gated_mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [tokens, hidden])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [tokens, hidden])],
        [weight("wg", (hidden, inter)), weight("wu", (hidden, inter)),
         weight("wd", (inter, hidden))])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.save(model, path, save_as_external_data=True, location=os.path.basename(path) + ".bin",
              size_threshold=0)


def tern_median_ms(args, model, plan, cpu, threads):
    if not os.path.exists(plan):
        subprocess.run([args.ternc, model, "--target=host", f"--host-cpu={cpu}", "-o", plan],
                       check=True)
    command = [args.tern_run, plan, "--random-inputs", "--seed", "1", "--bench", str(args.runs)]
    if threads:
        command += ["--threads", str(threads)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    found = re.search(r"median ([0-9.]+) ms", out)
    if not found:
        sys.exit(f"no median in tern-run's output:\n{out}")
    return float(found.group(1))


def onnxruntime_median_ms(model, threads, runs):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    rng = np.random.RandomState(1)
    feeds = {}
    for value in session.get_inputs():
        shape = [d if isinstance(d, int) else 1 for d in value.shape]
        if value.type == "tensor(float)":
            feeds[value.name] = rng.uniform(-1, 1, shape).astype(np.float32)
        elif value.type == "tensor(int64)":
            feeds[value.name] = rng.randint(0, 2, shape).astype(np.int64)
        else:
            sys.exit(f"{model}: input '{value.name}' has type {value.type}, not generated here")
    session.run(None, feeds)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - start) * 1e3)
    return float(np.median(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ternc", required=True)
    parser.add_argument("--tern-run", required=True)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--threads", default="1,0",
                        help="tern-run --threads values, comma-separated (0: one per core)")
    parser.add_argument("--host-cpu", default="x86-64-v3",
                        help="ternc --host-cpu values, comma-separated (native: this machine's)")
    parser.add_argument("--models", default=",".join(MODELS))
    args = parser.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    cpus = args.host_cpu.split(",")
    runs = [(cpu, t) for cpu in cpus for t in threads]
    label = (lambda cpu, t: f"Tern {cpu} {t or 'all'} thr") if len(cpus) > 1 else (
        lambda cpu, t: f"Tern {t or 'all'} thr")
    names = args.models.split(",")
    for name in names:
        if name not in MODELS:
            sys.exit(f"unknown model '{name}' (known: {', '.join(MODELS)})")
    header = ["model"] + [f"{label(cpu, t)} ms" for cpu, t in runs] + [
        "ort 1 thr ms", "ort default ms"] + [f"{label(cpu, t)} / ort default" for cpu, t in runs]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    with tempfile.TemporaryDirectory(prefix="tern-host-speed-") as work:
        for name in names:
            shape = MODELS[name]
            if shape is None:
                model = os.path.join(ROOT, "examples", "decoder_block.onnx")
            else:
                model = os.path.join(work, f"{name}.onnx")
                make_gated_mlp(model, *shape)
            tern = [tern_median_ms(args, model, os.path.join(work, f"{name}.{cpu}.tplan"), cpu, t)
                    for cpu, t in runs]
            try:
                ort_one = onnxruntime_median_ms(model, 1, args.runs)
                ort_default = onnxruntime_median_ms(model, 0, args.runs)
            except Exception as error:  # onnxruntime refuses opsets it does not support yet
                print(f"{name}: onnxruntime cannot run it: {str(error).splitlines()[0][:200]}",
                      file=sys.stderr)
                ort_one = ort_default = None
            cells = [name] + [f"{ms:.3f}" for ms in tern]
            if ort_default is None:
                cells += ["n/a"] * (2 + len(tern))
            else:
                cells += [f"{ort_one:.3f}", f"{ort_default:.3f}"]
                cells += [f"{ms / ort_default:.2f}x" for ms in tern]
            print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
