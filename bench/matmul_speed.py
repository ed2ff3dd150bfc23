#!/usr/bin/env python3
"""Times matmuls compiled by ternc and run by tern-run.

    .venv/bin/python bench/matmul_speed.py --ternc build/bin/ternc --tern-run build/bin/tern-run \\
        [--target host] [--device host] [--shapes 1x2048x2048,16x2048x2048,128x1024x1024] [--runs 20]
        [--dtype f32|bf16|fp8] [--deepgemm-shapes] [--torch] [--compile-only]

For each M x K x N it writes a one-node ONNX model, y = x @ w with a random
f32 weight w [K, N] and an input x [M, K], compiles it with `ternc
--target=TARGET` and runs it with `tern-run --random-inputs --bench RUNS
--device DEVICE` (one warm-up, then RUNS timed runs). It prints the median
latency and the rate it implies (2 M K N floating-point operations). Give
two ternc binaries (--ternc A --ternc B) to compare them on the same models.
With --onnxruntime it also times onnxruntime's CPU provider on one thread on
the same model and input in the same run (median of RUNS after a warm-up)
and prints each Tern time as a ratio to it.

--dtype bf16 makes x and w bf16 (products accumulated in f32, rounded once:
on GPUs the tensor-core path). --dtype fp8 stores w in FP8 E4M3 with one f32
scale per 128 values of K and column (DequantizeLinear, opset 21) and compiles
with `ternc --fp8-activations`, so x is quantized per 1x128 block at run time
and both operands are FP8 (on sm_89/sm_90a the E4M3 tensor cores); its torch
peer is the bf16 matmul of the same shape. --deepgemm-shapes times DeepSeek-V3's
projection shapes as DeepGEMM publishes them (N x K of 2112 x 7168, 24576 x
1536, 32768 x 512, 7168 x 16384, 4096 x 7168, 7168 x 2048, each at M = 64, 128
and 4096) in TFLOP/s. --torch times torch.matmul on the same device, dtype
and data in the same run (CUDA when --device cuda), where torch is installed.
--compile-only compiles each plan and stops (for machines without the device).
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


# DeepGEMM's published N x K for DeepSeek-V3, each timed at these M.
DEEPGEMM_NK = [(2112, 7168), (24576, 1536), (32768, 512), (7168, 16384), (4096, 7168),
               (7168, 2048)]
DEEPGEMM_M = [64, 128, 4096]


def weight(k, n):
    return np.random.RandomState(0).standard_normal((k, n)).astype(np.float32) * 0.02


def fp8_weight(w, block=128):
    """`w` [K, N] as FP8 E4M3 with one f32 scale per `block` rows of a column:
    the data and scales initializers of a blocked DequantizeLinear."""
    import ml_dtypes
    k, n = w.shape
    blocks = -(-k // block)
    padded = np.zeros((blocks * block, n), np.float32)
    padded[:k] = w
    amax = np.abs(padded.reshape(blocks, block, n)).max(axis=1)
    scale = (np.maximum(amax, 1e-12) / 448).astype(np.float32)
    q = (w / np.repeat(scale, block, axis=0)[:k]).astype(ml_dtypes.float8_e4m3fn)
    data = helper.make_tensor("wq", TensorProto.FLOAT8E4M3FN, [k, n], q.view(np.uint8).tobytes(),
                              raw=True)
    return data, numpy_helper.from_array(scale, "ws")


def make_model(path, m, k, n, dtype):
    """y = x @ w, w a random [K, N] initializer, in f32, bf16 or FP8."""
    w = weight(k, n)
    if dtype == "fp8":
        data, scale = fp8_weight(w)
        graph = helper.make_graph(
            [helper.make_node("DequantizeLinear", ["wq", "ws"], ["w"], axis=0, block_size=128),
             helper.make_node("MatMul", ["x", "w"], ["y"])], "matmul",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, [m, k])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [m, n])], [data, scale])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)], ir_version=10)
        onnx.save(model, path, save_as_external_data=True,
                  location=os.path.basename(path) + ".bin", size_threshold=0)
        return
    if dtype == "bf16":
        tensor = helper.make_tensor("w", TensorProto.BFLOAT16, [k, n],
                                    (w.view(np.uint32) >> 16).astype(np.uint16).tobytes(),
                                    raw=True)
        element = TensorProto.BFLOAT16
    else:
        tensor = numpy_helper.from_array(w, "w")
        element = TensorProto.FLOAT
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"])], "matmul",
                              [helper.make_tensor_value_info("x", element, [m, k])],
                              [helper.make_tensor_value_info("y", element, [m, n])], [tensor])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.save(model, path, save_as_external_data=True, location=os.path.basename(path) + ".bin",
              size_threshold=0)


def median_ms(ternc, tern_run, model, plan, target, device, runs, compile_only=False, flags=()):
    subprocess.run([ternc, model, f"--target={target}", "-o", plan, *flags], check=True)
    if compile_only:
        return None
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


def torch_median_ms(m, k, n, dtype, device, runs):
    """torch.matmul on the same data, dtype and device; None without torch."""
    try:
        import torch
    except ImportError:
        return None
    where = "cuda" if device == "cuda" else "cpu"
    kind = torch.bfloat16 if dtype in ("bf16", "fp8") else torch.float32
    x = torch.rand((m, k), dtype=torch.float32).mul(2).sub(1).to(where, kind)
    w = torch.from_numpy(weight(k, n)).to(where, kind)
    sync = torch.cuda.synchronize if where == "cuda" else (lambda: None)
    torch.matmul(x, w)
    sync()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        torch.matmul(x, w)
        sync()
        times.append((time.perf_counter() - start) * 1e3)
    return float(np.median(times))


def rate(m, k, n, ms):
    flops = 2 * m * k * n / ms / 1e9
    return f"{flops:.2f} TFLOP/s" if flops >= 1000 else f"{flops * 1e3:.2f} GFLOP/s"


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
    parser.add_argument("--dtype", choices=("f32", "bf16", "fp8"), default="f32")
    parser.add_argument("--deepgemm-shapes", action="store_true",
                        help="DeepSeek-V3's shapes as DeepGEMM publishes them, not --shapes")
    parser.add_argument("--torch", action="store_true",
                        help="also time torch.matmul (same device and dtype) and print ratios")
    parser.add_argument("--compile-only", action="store_true",
                        help="compile each plan, run nothing")
    args = parser.parse_args()
    if args.onnxruntime and args.dtype != "f32":
        parser.error("--onnxruntime times f32 matmuls")
    shapes = ([(m, k, n) for n, k in DEEPGEMM_NK for m in DEEPGEMM_M] if args.deepgemm_shapes
              else [tuple(int(v) for v in shape.split("x")) for shape in args.shapes.split(",")])
    with tempfile.TemporaryDirectory(prefix="tern-matmul-") as work:
        for m, k, n in shapes:
            model = os.path.join(work, f"mm_{m}x{k}x{n}.onnx")
            make_model(model, m, k, n, args.dtype)
            cells = []
            peer, peer_name = None, None
            if args.compile_only:
                pass
            elif args.onnxruntime:
                peer, peer_name = onnxruntime_median_ms(model, m, k, args.runs), \
                    "onnxruntime 1 thread"
            elif args.torch:
                peer, peer_name = torch_median_ms(m, k, n, args.dtype, args.device, args.runs), \
                    f"torch {'bf16' if args.dtype == 'fp8' else args.dtype}"
                if peer is None:
                    cells.append("torch: not installed")
            for i, ternc in enumerate(args.ternc):
                ms = median_ms(ternc, args.tern_run, model, os.path.join(work, f"mm{i}.tplan"),
                               args.target, args.device, args.runs, args.compile_only,
                               ["--fp8-activations"] if args.dtype == "fp8" else [])
                if ms is None:
                    cells.append(f"{ternc}: compiled for {args.target}")
                    continue
                ratio = f", {ms / peer:.2f}x {peer_name}" if peer else ""
                cells.append(f"{ternc}: {ms:.3f} ms ({rate(m, k, n, ms)}{ratio})")
            if peer:
                cells.append(f"{peer_name}: {peer:.3f} ms ({rate(m, k, n, peer)})")
            print(f"{args.dtype} M x K x N = {m} x {k} x {n}: " + "; ".join(cells), flush=True)


if __name__ == "__main__":
    main()
