#!/usr/bin/env python3
"""Checks ternc --fp8-activations on fp8_act_linear.onnx (make_e2e_models.py)
against DeepSeek-V3's published formulas (inference/kernel.py), in numpy:

    act_quant: per row and block of 128 channels, s = max(amax(|x|), 1e-4) / 448,
               q = fp8_e4m3(x / s)
    fp8_gemm:  y[m, n] = sum over K blocks b of (sum over k in b of
               q[m, k] * w[n, k]) * s[m, b] * w_scale[n, b]

    check_fp8_activations.py MODEL_DIR PLAN_OUT_DIR... [--rtol R]

Each PLAN_OUT_DIR holds one run's outputs and random inputs (tern-run
--random-inputs --output-dir). Prints, per run: whether the identity product
(the activations quantized and dequantized) equals act_quant bit for bit,
the largest relative error of the FP8 products (two quantized by ternc, one
by the ONNX graph itself) against fp8_gemm computed in f64, and that of the 1x32-blocked product (K = 80, not quantized)
against the f32 product of its dequantized weight. --rtol (default 1e-6, f32
rounding) bounds the relative errors; FP8 tensor cores accumulate with fewer
bits than f32 inside each block of K (fp8-activations-gpu.test).
"""
import argparse
import os

import ml_dtypes
import numpy as np
import onnx
from onnx import numpy_helper


def act_quant(x, block=128):
    """DeepSeek's act_quant on the last axis of f32 `x`: FP8 data, f32 scales."""
    blocks = x.astype(np.float32).reshape(*x.shape[:-1], x.shape[-1] // block, block)
    amax = np.maximum(np.abs(blocks).max(axis=-1), np.float32(1e-4))
    scale = (amax / np.float32(448.0)).astype(np.float32)
    q = (blocks / scale[..., None]).astype(ml_dtypes.float8_e4m3fn)
    return q.reshape(x.shape), scale


def fp8_gemm(q, scale, w, w_scale, block=128):
    """DeepSeek's fp8_gemm with f64 sums: q [M, K] and w [N, K] FP8, scale
    [M, K / block], w_scale [N, K / block]."""
    a, b = q.astype(np.float64), w.astype(np.float64)
    y = np.zeros((a.shape[0], b.shape[0]))
    for blk in range(a.shape[1] // block):
        cols = slice(blk * block, (blk + 1) * block)
        y += (a[:, cols] @ b[:, cols].T) * scale[:, blk, None] * w_scale[None, :, blk]
    return y


def max_rel(got, want):
    return float(np.max(np.abs(got - want)) / np.max(np.abs(want)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model_dir")
    parser.add_argument("runs", nargs="+")
    parser.add_argument("--rtol", type=float, default=1e-6)
    args = parser.parse_args()
    model = onnx.load(os.path.join(args.model_dir, "fp8_act_linear.onnx"))
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    # onnx reads FP8 initializers as their bytes.
    fp8 = {name: value.view(np.uint8).view(ml_dtypes.float8_e4m3fn)
           for name, value in inits.items() if value.dtype != np.float32}
    for run in args.runs:
        load = lambda name: np.load(os.path.join(run, name + ".npy"))
        xi, xg, xm, xn, xq = (load(n + ".input") for n in ("xi", "xg", "xm", "xn", "xq"))
        q, s = act_quant(xi)
        dequantized = (q.astype(np.float32).reshape(4, 2, 128) * s[..., None]).reshape(4, 256)
        identity = np.array_equal(load("y_i").view(np.uint32), dequantized.view(np.uint32))
        # Gemm by [N, K] wg in 1x128 blocks: w_scale [N, K / 128] as stored.
        q, s = act_quant(xg)
        err_g = max_rel(load("y_g"), fp8_gemm(q, s, fp8["wg"], inits["wg_scale"]))
        # MatMul by [K, N] wm in 128x1 blocks: as fp8_gemm's [N, K] weight.
        q, s = act_quant(xm.reshape(6, 256))
        want_m = fp8_gemm(q, s, fp8["wm"].T, inits["wm_scale"].T).reshape(2, 3, 20)
        err_m = max_rel(load("y_m"), want_m)
        # The quantization the ONNX graph writes itself, into wg.
        q, s = act_quant(xq)
        err_q = max_rel(load("y_q"), fp8_gemm(q, s, fp8["wg"], inits["wg_scale"]))
        wn = fp8["wn"].astype(np.float32) * np.repeat(inits["wn_scale"], 32, axis=1)[:, :80]
        err_n = max_rel(load("y_n"), xn.astype(np.float64) @ wn.T.astype(np.float64))
        print(f"{os.path.basename(run)}: identity product equals act_quant bit for bit: "
              f"{identity}; vs fp8_gemm: max rel err {err_g:.1e} (Gemm), {err_m:.1e} (MatMul), "
              f"{err_q:.1e} (ONNX graph): "
              f"{'ok' if max(err_g, err_m, err_q) < args.rtol else 'FAIL'}; K = 80 unquantized: "
              f"max rel err {err_n:.1e}: {'ok' if err_n < args.rtol else 'FAIL'}")


if __name__ == "__main__":
    main()
