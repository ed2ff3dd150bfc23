#!/usr/bin/env python3
"""Checks ternc --weights=fp8-block and --weights=bf16 bit for bit.

fp8-block (the default): writes a bf16 checkpoint with
dimensions of one to two 128-wide blocks, partial ones included (tiny_v3_fp8's
shapes, dense layers, random weights), compiles it for a prompt, and checks
that the plan holds, for every projection, exactly the FP8 data and scales
that DeepSeek's block quantization gives, computed here with numpy:

    scale = max(amax of the 128x128 block, 1e-12) / 448      (f32)
    q     = e4m3(w / scale)  (f32 quotient, rounded to nearest even)

A projection's data is in the plan transposed, [in, out] (the layout its
product reads), its scales as the checkpoint would store them; each plan
weight of FP8 must be one projection's, and each projection's must be
there.

--dequantize: compiles the FP8 fixture (tiny_v3_fp8) with --weights=bf16 and
checks that every FP8 weight is in the plan as bf16(f32(q) * scale), rounded
to nearest even: projections [in, out] packed in panels of 16 columns (the
host plan's layout, docs/RUNTIME.md), a MoE layer's experts stacked as the
plan stores them (gate and up transposed side by side per expert, then down
transposed).

Prints one line; exits 1 on any difference.

    check_fp8_blocks.py FIXTURES OUT --ternc ternc --tern-plan-manifest tern-plan-manifest
"""
import argparse
import json
import os
import re
import struct
import subprocess
import sys

import ml_dtypes
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from make_checkpoints import read_tensors, write_tensors  # noqa: E402

BLOCK = 128


def bf16_bytes(values):
    """f32 values rounded to bf16 (nearest even), as bytes."""
    return values.astype(np.float32).astype(ml_dtypes.bfloat16).tobytes()


def make_checkpoint(fixtures, out):
    """tiny_v3_fp8's config and shapes, dense layers, bf16 weights."""
    source = os.path.join(fixtures, "tiny_v3_fp8")
    config = json.load(open(os.path.join(source, "config.json")))
    del config["quantization_config"]
    config["first_k_dense_replace"] = config["num_hidden_layers"]
    rng = np.random.RandomState(7)
    tensors = {}
    for name, (dtype, shape, _) in read_tensors(os.path.join(source, "model.safetensors")).items():
        if name.endswith("_scale_inv") or ".mlp.experts." in name or ".mlp.gate." in name \
                or ".shared_experts." in name:
            continue
        values = rng.normal(0.0, 0.08, shape)
        if name.endswith("norm.weight"):
            values += 1.0
        tensors[name] = ("BF16", shape, bf16_bytes(values))
    # The dense layers' MLPs, which the MoE fixture has only in layer 0.
    for layer in range(config["num_hidden_layers"]):
        for proj, shape in (("gate_proj", [config["intermediate_size"], config["hidden_size"]]),
                            ("up_proj", [config["intermediate_size"], config["hidden_size"]]),
                            ("down_proj", [config["hidden_size"], config["intermediate_size"]])):
            name = f"model.layers.{layer}.mlp.{proj}.weight"
            tensors[name] = ("BF16", shape, bf16_bytes(rng.normal(0.0, 0.08, shape)))
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f)
    write_tensors(os.path.join(out, "model.safetensors"), tensors)
    return tensors


def quantize(w):
    """DeepSeek's block quantization of an [N, K] f32 matrix: (q, scales)."""
    n, k = w.shape
    scales = np.empty(((n + BLOCK - 1) // BLOCK, (k + BLOCK - 1) // BLOCK), np.float32)
    q = np.empty((n, k), ml_dtypes.float8_e4m3fn)
    for i in range(scales.shape[0]):
        for j in range(scales.shape[1]):
            block = w[i * BLOCK:(i + 1) * BLOCK, j * BLOCK:(j + 1) * BLOCK]
            amax = np.float32(max(np.abs(block).max(), np.float32(1e-12)))
            scales[i, j] = amax / np.float32(448.0)
            q[i * BLOCK:(i + 1) * BLOCK, j * BLOCK:(j + 1) * BLOCK] = \
                (block / scales[i, j]).astype(ml_dtypes.float8_e4m3fn)
    return q, scales


def plan_weights(plan, manifest_tool):
    """[(dtype, shape, bytes)] of the plan's weights."""
    text = subprocess.run([manifest_tool, "print", plan], check=True, capture_output=True,
                          text=True).stdout
    with open(plan, "rb") as f:
        blob = f.read()
    (blob_offset,) = struct.unpack_from("<Q", blob, 32)
    weights = []
    for body in re.findall(r"^weights \{\n(.*?)^\}", text, re.M | re.S):
        dtype = re.search(r"dtype: (\w+)", body).group(1)
        shape = [int(s) for s in re.findall(r"shape: (\d+)", body)]
        # Text format leaves out fields at their default, 0.
        offset, size = (int(m.group(1)) if (m := re.search(rf"^  {field}: (\d+)", body, re.M))
                        else 0 for field in ("offset", "size"))
        weights.append((dtype, shape, blob[blob_offset + offset:blob_offset + offset + size]))
    return weights


def dequantize(q, scales):
    """bf16(f32(q) * scale) of an [N, K] E4M3 matrix and its block scales."""
    expanded = np.repeat(np.repeat(scales, BLOCK, 0), BLOCK, 1)[:q.shape[0], :q.shape[1]]
    return (q.astype(np.float32) * expanded).astype(ml_dtypes.bfloat16)


def panels(matrix, columns=16):
    """A [K, N] matrix as a host plan packs it: [ceil(N / columns), K,
    columns], zeros past N."""
    k, n = matrix.shape
    padded = np.zeros((k, -(-n // columns) * columns), matrix.dtype)
    padded[:, :n] = matrix
    return padded.reshape(k, -1, columns).transpose(1, 0, 2)


def check_dequantized(args):
    fixture = os.path.join(args.fixtures, "tiny_v3_fp8")
    config = json.load(open(os.path.join(fixture, "config.json")))
    stored = read_tensors(os.path.join(fixture, "model.safetensors"))
    plan = os.path.join(args.out, "dequantized.tplan")
    os.makedirs(args.out, exist_ok=True)
    subprocess.run([args.ternc, fixture, "--dim", "seq=4", "--target", "host",
                    "--weights=bf16", "-o", plan], check=True)

    def weight(name):
        _, shape, raw = stored[name]
        q = np.frombuffer(raw, ml_dtypes.float8_e4m3fn).reshape(shape)
        _, scale_shape, scale_raw = stored[name + "_scale_inv"]
        return dequantize(q, np.frombuffer(scale_raw, np.float32).reshape(scale_shape))

    expected = {}
    for name, (dtype, _, _) in stored.items():
        if dtype == "F8_E4M3" and ".mlp.experts." not in name:
            expected[np.ascontiguousarray(panels(weight(name).T)).tobytes()] = name
    for layer in range(config["first_k_dense_replace"], config["num_hidden_layers"]):
        prefix = f"model.layers.{layer}.mlp.experts"
        experts = range(config["n_routed_experts"])
        gate_up = np.stack([np.concatenate([weight(f"{prefix}.{e}.gate_proj.weight").T,
                                            weight(f"{prefix}.{e}.up_proj.weight").T], axis=1)
                            for e in experts])
        down = np.stack([weight(f"{prefix}.{e}.down_proj.weight").T for e in experts])
        expected[np.ascontiguousarray(gate_up).tobytes()] = f"{prefix} gate and up"
        expected[np.ascontiguousarray(down).tobytes()] = f"{prefix} down"

    bf16 = {data for dtype, _, data in plan_weights(plan, args.tern_plan_manifest)
            if dtype == "BF16"}
    missing = sorted(name for data, name in expected.items() if data not in bf16)
    print(f"bf16: {len(expected) - len(missing)} of {len(expected)} FP8 weights (projections "
          f"and stacked experts) in the plan as numpy dequantizes them, bit for bit: "
          f"{'ok' if not missing else 'MISMATCH'}")
    if missing:
        sys.exit(f"check_fp8_blocks: not in the plan as expected: {missing}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixtures")
    parser.add_argument("out")
    parser.add_argument("--ternc", required=True)
    parser.add_argument("--tern-plan-manifest", required=True)
    parser.add_argument("--dequantize", action="store_true",
                        help="check --weights=bf16 on the FP8 fixture instead")
    args = parser.parse_args()
    if args.dequantize:
        return check_dequantized(args)
    checkpoint = os.path.join(args.out, "wide_dense_bf16")
    tensors = make_checkpoint(args.fixtures, checkpoint)
    plan = os.path.join(args.out, "plan.tplan")
    subprocess.run([args.ternc, checkpoint, "--dim", "seq=4", "--target", "host",
                    "--weights=fp8-block", "-o", plan], check=True)

    expected_data, expected_scales = {}, {}
    for name, (_, shape, raw) in tensors.items():
        if len(shape) != 2 or "embed_tokens" in name or name == "lm_head.weight":
            continue
        w = np.frombuffer(raw, ml_dtypes.bfloat16).astype(np.float32).reshape(shape)
        q, scales = quantize(w)
        expected_data[np.ascontiguousarray(q.T).tobytes()] = name
        expected_scales.setdefault(scales.tobytes(), []).append(name)

    weights = plan_weights(plan, args.tern_plan_manifest)
    fp8 = [data for dtype, _, data in weights if dtype == "F8E4M3FN"]
    found = [expected_data.get(data) for data in fp8]
    stray = sum(name is None for name in found)
    missing = sorted(set(expected_data.values()) - set(found))
    f32 = {data for dtype, _, data in weights if dtype == "F32"}
    scales_missing = sorted(n for data, names in expected_scales.items() if data not in f32
                            for n in names)
    ok = not stray and not missing and not scales_missing and len(fp8) == len(expected_data)
    print(f"fp8-block: {len(fp8)} FP8 weights in the plan, {len(expected_data)} projections "
          f"quantized by numpy; {len(fp8) - stray} equal to one bit for bit, "
          f"{sum(data in f32 for data in expected_scales)} of {len(expected_scales)} distinct "
          f"scale tensors found: {'ok' if ok else 'MISMATCH'}")
    if not ok:
        sys.exit(f"check_fp8_blocks: stray FP8 weights {stray}, projections missing {missing}, "
                 f"scales missing {scales_missing}")


if __name__ == "__main__":
    main()
