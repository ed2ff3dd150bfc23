#!/usr/bin/env python3
"""Writes the small ONNX models the end-to-end tests in test/e2e compare
against onnxruntime (scripts/e2e_compare.py) into OUTDIR.

    .venv/bin/python test/e2e/Inputs/make_e2e_models.py OUTDIR

Static shapes, float32, opset 17 (the FP8 models: 19, the first with float8;
21 for blocked DequantizeLinear).
Weights come from np.random.RandomState(0), so reruns are byte-identical.
"""
import os
import sys

import ml_dtypes
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F32, F16, BF16, I64 = TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.BFLOAT16, TensorProto.INT64
I32 = TensorProto.INT32
rng = np.random.RandomState(0)
node = helper.make_node


def weight(name, *shape, dtype=np.float32):
    return numpy_helper.from_array((rng.standard_normal(shape) * 0.2).astype(dtype), name)


def const(name, value, dtype=np.float32):
    return numpy_helper.from_array(np.array(value, dtype), name)


def value(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def save(out, name, nodes, inputs, outputs, inits, opset=17):
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    # IR version 6 (opset 11) / 8 (opset 17) / 9 (opset 19) / 10 (opset 21): what
    # onnxruntime 1.22 reads.
    ir_version = 6 if opset < 13 else 8 if opset < 19 else 9 if opset < 21 else 10
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              ir_version=ir_version)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, os.path.join(out, name + ".onnx"))


def silu_mlp(out, name, elem, rows, width, hidden, outputs, dtype=np.float32):
    """y = ((x @ Wg) * sigmoid(x @ Wg) * (x @ Wu)) @ W2, x [rows, width], y [rows, outputs]."""
    save(out, name, [
        node("MatMul", ["x", "w_gate"], ["gate"]),
        node("Sigmoid", ["gate"], ["gate_sig"]),
        node("Mul", ["gate", "gate_sig"], ["silu"]),
        node("MatMul", ["x", "w_up"], ["up"]),
        node("Mul", ["silu", "up"], ["h"]),
        node("MatMul", ["h", "w_down"], ["y"]),
    ], [value("x", elem, [rows, width])], [value("y", elem, [rows, outputs])],
        [weight("w_gate", width, hidden, dtype=dtype), weight("w_up", width, hidden, dtype=dtype),
         weight("w_down", hidden, outputs, dtype=dtype)])


def mlp_silu(out):
    silu_mlp(out, "mlp_silu", F32, rows=4, width=16, hidden=32, outputs=16)


def mlp_f16(out):
    """In f16, with sizes that are not multiples of the tensor-core tiles
    (M 5, K 40 and 72, N 72 and 24)."""
    silu_mlp(out, "mlp_f16", F16, rows=5, width=40, hidden=72, outputs=24, dtype=np.float16)


def scores_bf16(out):
    """Batched attention scores in bf16: q [2, 3, 20, 16] @ k^T [2, 3, 16, 24]."""
    save(out, "scores_bf16", [
        node("MatMul", ["q", "k_t"], ["y"]),
    ], [value("q", BF16, [2, 3, 20, 16]), value("k_t", BF16, [2, 3, 16, 24])],
        [value("y", BF16, [2, 3, 20, 24])], [])


def rms_norm(out):
    """y = x / sqrt(mean(x^2, last axis) + eps) * w, from ONNX primitives."""
    save(out, "rms_norm", [
        node("Pow", ["x", "two"], ["sq"]),
        node("ReduceMean", ["sq"], ["ms"], axes=[-1], keepdims=1),
        node("Add", ["ms", "eps"], ["ms_eps"]),
        node("Sqrt", ["ms_eps"], ["rms"]),
        node("Div", ["x", "rms"], ["normed"]),
        node("Mul", ["normed", "w"], ["y"]),
    ], [value("x", F32, [3, 64])], [value("y", F32, [3, 64])],
        [const("two", 2.0), const("eps", 1e-6), weight("w", 64)])


def attention_nodes(out_name):
    """softmax(q @ k^T * scale) @ v for q, k, v of [heads, seq, dim]."""
    return [
        node("Transpose", ["k"], ["k_t"], perm=[0, 2, 1]),
        node("MatMul", ["q", "k_t"], ["scores"]),
        node("Mul", ["scores", "scale"], ["scaled"]),
        node("Softmax", ["scaled"], ["probs"], axis=-1),
        node("MatMul", ["probs", "v"], [out_name]),
    ]


def softmax_attention(out):
    """y = softmax(q @ k^T * scale) @ v for q, k, v of [heads, seq, dim]."""
    shape = [2, 8, 16]
    save(out, "softmax_attention", attention_nodes("y"),
         [value(n, F32, shape) for n in "qkv"], [value("y", F32, shape)],
         [const("scale", 1.0 / np.sqrt(16))])


def attention_dynamic_seq(out):
    """softmax(q @ k^T * scale) @ v @ wo for q, k, v of [heads, seq, dim] with
    seq a named dynamic dimension (dim_param), compiled for several values."""
    shape = [2, "seq", 16]
    save(out, "attention_dynamic_seq", attention_nodes("attn") + [node("MatMul", ["attn", "wo"], ["y"])],
         [value(n, F32, shape) for n in "qkv"], [value("y", F32, shape)],
         [const("scale", 1.0 / np.sqrt(16)), weight("wo", 16, 16)])


def router_topk(out, name, w_router, k):
    """The k largest of softmax(x @ Wr) per row over 8 experts, and their
    indices."""
    save(out, name, [
        node("MatMul", ["x", "w_router"], ["logits"]),
        node("Softmax", ["logits"], ["probs"], axis=-1),
        node("TopK", ["probs", "k"], ["values", "indices"], axis=-1),
    ], [value("x", F32, [4, 16])],
        [value("values", F32, [4, k]), value("indices", I64, [4, k])],
        [w_router, const("k", [k], np.int64)])


def topk_gate(out):
    """A top-2 gate over a random router."""
    router_topk(out, "topk_gate", weight("w_router", 16, 8), 2)


def topk_ties(out):
    """A top-3 gate whose router's columns come in equal pairs, so every
    expert ties with its neighbour: equal scores keep the lower expert index
    first (ONNX's rule, and tern.moe_route's)."""
    pairs = np.random.default_rng(7).standard_normal((16, 4)).astype(np.float32)
    router_topk(out, "topk_ties", numpy_helper.from_array(np.repeat(pairs, 2, axis=1), "w_router"),
                3)


def gather_scatter(out):
    """embedded = table[ids]; scattered = embedded with rows 3 and 0 (in a
    per-column pattern) replaced by updates, via ScatterElements on axis 0."""
    scatter_rows = np.array([[3, 0, 3, 0, 3, 0, 3, 0], [0, 4, 0, 4, 0, 4, 0, 4]], np.int64)
    save(out, "gather_scatter", [
        node("Gather", ["table", "ids"], ["embedded"], axis=0),
        node("ScatterElements", ["embedded", "scatter_rows", "updates"], ["scattered"], axis=0),
    ], [value("ids", I64, [5]), value("updates", F32, [2, 8])],
        [value("embedded", F32, [5, 8]), value("scattered", F32, [5, 8])],
        [weight("table", 10, 8), numpy_helper.from_array(scatter_rows, "scatter_rows")])


def scatter_add_input(out):
    """y = ScatterElements(x, ids, u, axis=1, reduction=add) with x a graph
    input: the plan must add into a copy, never into the caller's x (run
    twice on the same x, it would add twice). ids repeat columns, so updates
    also add onto each other."""
    ids = np.array([[0, 2, 0], [7, 7, 1], [3, 3, 3], [6, 5, 4]], np.int64)
    save(out, "scatter_add_input", [
        node("ScatterElements", ["x", "ids", "u"], ["y"], axis=1, reduction="add"),
    ], [value("x", F32, [4, 8]), value("u", F32, [4, 3])], [value("y", F32, [4, 8])],
        [numpy_helper.from_array(ids, "ids")])


def fp8_qdq(out):
    """y = DequantizeLinear(QuantizeLinear(x, 1/64, float8e4m3fn 0), 1/64)."""
    zero = helper.make_tensor("zero", TensorProto.FLOAT8E4M3FN, [], [0.0])
    save(out, "fp8_qdq", [
        node("QuantizeLinear", ["x", "scale", "zero"], ["q"]),
        node("DequantizeLinear", ["q", "scale", "zero"], ["y"]),
    ], [value("x", F32, [4, 8])], [value("y", F32, [4, 8])],
        [const("scale", 1.0 / 64), zero], opset=19)


def fp8_rounding_inputs():
    """Every finite E4M3FN and E5M2 value, the midpoints between neighbours
    (ties) and points just either side of them, values past the largest
    finite ones, infinities, NaN, signed zeros and f32 subnormals."""
    codes = np.arange(256, dtype=np.uint8)
    grids = [codes.view(dtype).astype(np.float32)
             for dtype in (ml_dtypes.float8_e4m3fn, ml_dtypes.float8_e5m2,
                           ml_dtypes.float8_e4m3fnuz, ml_dtypes.float8_e5m2fnuz)]
    points = []
    for grid in grids:
        finite = np.unique(grid[np.isfinite(grid)].astype(np.float64))
        mids = (finite[1:] + finite[:-1]) / 2
        points += [finite, mids, np.nextafter(mids, np.inf), np.nextafter(mids, -np.inf),
                   finite * 1.25, finite[-1:] * 4]
    points.append([np.inf, -np.inf, np.nan, -0.0, 1e-40, -1e-40, 3.5, 2.5, -2.5, 127.5, 200.0])
    return np.concatenate([np.asarray(p, np.float64).ravel() for p in points]).astype(np.float32)


# The FP8 formats fp8_rounding casts to: ONNX type, output name, ml_dtypes type.
FP8_FORMATS = ((TensorProto.FLOAT8E4M3FN, "e4m3fn", ml_dtypes.float8_e4m3fn),
               (TensorProto.FLOAT8E5M2, "e5m2", ml_dtypes.float8_e5m2),
               (TensorProto.FLOAT8E4M3FNUZ, "e4m3fnuz", ml_dtypes.float8_e4m3fnuz),
               (TensorProto.FLOAT8E5M2FNUZ, "e5m2fnuz", ml_dtypes.float8_e5m2fnuz))


def fp8_rounding(out):
    """x cast to E4M3FN, E5M2 and their FNUZ variants (no infinities, no
    negative zero, NaN at 0x80), saturating and not, and back to f32; and x
    quantized to int8 with scale 1/2 and back. The input is
    fp8_rounding_inputs(), written beside the model as fp8_rounding.x.npy.

    Without saturation, values past the largest finite one overflow to NaN
    (E4M3FN) or infinity (E5M2) after rounding to nearest even, as in IEEE
    754, ml_dtypes and PyTorch; onnxruntime (following ONNX's reference code)
    instead keeps 480 as 448 in E4M3FN and turns E5M2's 61440 into NaN. The
    expected values of those two outputs come from ml_dtypes, written as
    fp8_rounding.NAME.expected.npy (for the FNUZ types too)."""
    x = fp8_rounding_inputs()
    np.save(os.path.join(out, "fp8_rounding.x.npy"), x)
    for _, name, dtype in FP8_FORMATS:
        np.save(os.path.join(out, f"fp8_rounding.{name}_nonsat.expected.npy"),
                x.astype(dtype).astype(np.float32))
    nodes, outputs = [], []
    for to, name, _ in FP8_FORMATS:
        for saturate in (1, 0):
            y = f"{name}_{'sat' if saturate else 'nonsat'}"
            nodes += [node("Cast", ["x"], [y + "_8"], to=to, saturate=saturate),
                      node("Cast", [y + "_8"], [y], to=F32)]
            outputs.append(value(y, F32, [len(x)]))
    zero = helper.make_tensor("zero", TensorProto.INT8, [], [0])
    nodes += [node("QuantizeLinear", ["x", "half", "zero"], ["q"]),
              node("DequantizeLinear", ["q", "half", "zero"], ["int8"])]
    outputs.append(value("int8", F32, [len(x)]))
    save(out, "fp8_rounding", nodes, [value("x", F32, [len(x)])], outputs,
         [const("half", 0.5), zero], opset=19)


def fp8_block(name, rows, cols, axis, block):
    """A random [rows, cols] weight in FP8 E4M3 with one f32 scale per block
    of `block` along `axis` (DequantizeLinear's blocked scales, opset 21):
    the FP8 data and the scales."""
    w = rng.standard_normal((rows, cols)).astype(np.float32) * 0.2
    blocks = -(-w.shape[axis] // block)
    scale = (rng.uniform(0.5, 2.0, size=(blocks, cols) if axis == 0 else (rows, blocks)) /
             64).astype(np.float32)
    expanded = np.repeat(scale, block, axis=axis)[:rows, :cols]
    q = (w / expanded).astype(ml_dtypes.float8_e4m3fn)
    data = helper.make_tensor(name, TensorProto.FLOAT8E4M3FN, [rows, cols],
                              q.view(np.uint8).tobytes(), raw=True)
    return data, numpy_helper.from_array(scale, name + "_scale")


def fp8_linear(out):
    """Linear layers by FP8 weights with blocked scales, as opset 21 writes
    them: Gemm(x, DequantizeLinear(q, scale), transB=1) with [N, K] weights
    in blocks of 1x32 (K = 80: a partial last block) and 16x1 (N = 40: one
    too), for one row and for 12, one with a bias; and MatMul by a [K, N]
    weight (as ONNX MatMul takes it) of 12 rows and of [2, 6] rows."""
    wa, sa = fp8_block("wa", 40, 80, axis=1, block=32)
    wb, sb = fp8_block("wb", 40, 80, axis=0, block=16)
    wk, sk = fp8_block("wk", 80, 40, axis=1, block=8)
    nodes = [node("DequantizeLinear", ["wa", "wa_scale"], ["a"], axis=1, block_size=32),
             node("DequantizeLinear", ["wb", "wb_scale"], ["b"], axis=0, block_size=16),
             node("DequantizeLinear", ["wk", "wk_scale"], ["k"], axis=1, block_size=8),
             node("Gemm", ["x1", "a"], ["y_a1"], transB=1),
             node("Gemm", ["x12", "a"], ["y_a12"], transB=1),
             node("Gemm", ["x12", "b", "bias"], ["y_b12"], transB=1),
             node("MatMul", ["x12", "k"], ["y_k12"]),
             node("MatMul", ["x3", "k"], ["y_k3"])]
    save(out, "fp8_linear", nodes,
         [value("x1", F32, [1, 80]), value("x12", F32, [12, 80]), value("x3", F32, [2, 6, 80])],
         [value("y_a1", F32, [1, 40]), value("y_a12", F32, [12, 40]),
          value("y_b12", F32, [12, 40]), value("y_k12", F32, [12, 40]),
          value("y_k3", F32, [2, 6, 40])],
         [wa, sa, wb, sb, wk, sk, weight("bias", 40)], opset=21)


def fp8_act_linear(out):
    """Products by FP8 weights whose input length is a multiple of their
    K blocks of 128, for ternc --fp8-activations: Gemm by an [N, K] weight
    in 1x128 blocks (3 rows), MatMul by a [K, N] one in 128x1 blocks ([2, 3]
    rows), Gemm by the identity in FP8 (scale 1, 4 rows: its output is the
    activations as quantized and dequantized), and Gemm by a 1x32-blocked
    weight with K = 80, which is not a multiple of the block (stays f32).
    And the same quantization written in the graph, as an export of
    DeepSeek's act_quant would write it (Reshape, Abs, ReduceMax, Max with
    1e-4, Div by 448, blocked QuantizeLinear/DequantizeLinear), into the
    first Gemm's weight: tern-fuse-fp8-casts fuses it without the flag."""
    wg, sg = fp8_block("wg", 24, 256, axis=1, block=128)
    wm, sm = fp8_block("wm", 256, 20, axis=0, block=128)
    wn, sn = fp8_block("wn", 8, 80, axis=1, block=32)
    eye = np.eye(256, dtype=np.float32).astype(ml_dtypes.float8_e4m3fn)
    wi = helper.make_tensor("wi", TensorProto.FLOAT8E4M3FN, [256, 256], eye.view(np.uint8).tobytes(),
                            raw=True)
    si = numpy_helper.from_array(np.ones((256, 2), np.float32), "wi_scale")
    nodes = [node("DequantizeLinear", ["wg", "wg_scale"], ["g"], axis=1, block_size=128),
             node("DequantizeLinear", ["wm", "wm_scale"], ["m"], axis=0, block_size=128),
             node("DequantizeLinear", ["wi", "wi_scale"], ["i"], axis=1, block_size=128),
             node("DequantizeLinear", ["wn", "wn_scale"], ["n"], axis=1, block_size=32),
             node("Gemm", ["xg", "g"], ["y_g"], transB=1),
             node("MatMul", ["xm", "m"], ["y_m"]),
             node("Gemm", ["xi", "i"], ["y_i"], transB=1),
             node("Gemm", ["xn", "n"], ["y_n"], transB=1),
             node("Reshape", ["xq", "blocks_shape"], ["xq_blocks"]),
             node("Abs", ["xq_blocks"], ["xq_abs"]),
             node("ReduceMax", ["xq_abs", "last_axis"], ["xq_amax"], keepdims=0),
             node("Max", ["xq_amax", "min_amax"], ["xq_clamped"]),
             node("Div", ["xq_clamped", "e4m3_max"], ["xq_scale"]),
             node("QuantizeLinear", ["xq", "xq_scale", "xq_zero"], ["xq_fp8"], axis=1,
                  block_size=128),
             node("DequantizeLinear", ["xq_fp8", "xq_scale", "xq_zero"], ["xq_dequantized"],
                  axis=1, block_size=128),
             node("Gemm", ["xq_dequantized", "g"], ["y_q"], transB=1)]
    zero = helper.make_tensor("xq_zero", TensorProto.FLOAT8E4M3FN, [3, 2], [0.0] * 6)
    shape = numpy_helper.from_array(np.array([3, 2, 128], np.int64), "blocks_shape")
    axis = numpy_helper.from_array(np.array([2], np.int64), "last_axis")
    save(out, "fp8_act_linear", nodes,
         [value("xg", F32, [3, 256]), value("xm", F32, [2, 3, 256]), value("xi", F32, [4, 256]),
          value("xn", F32, [2, 80]), value("xq", F32, [3, 256])],
         [value("y_g", F32, [3, 24]), value("y_m", F32, [2, 3, 20]), value("y_i", F32, [4, 256]),
          value("y_n", F32, [2, 8]), value("y_q", F32, [3, 24])],
         [wg, sg, wm, sm, wi, si, wn, sn, zero, shape, axis, const("min_amax", 1e-4),
          const("e4m3_max", 448.0)], opset=21)


def double_constants(out):
    """y = x * Cast(0.125) + CastLike(bias, x), the scalars and the bias
    DOUBLE constants (a Constant node and an initializer) as the TorchScript
    exporter writes Python floats, narrowed to f32 by Cast."""
    bias = numpy_helper.from_array(rng.standard_normal(8), "bias")  # float64
    scale = helper.make_tensor("s", TensorProto.DOUBLE, [], [0.125])
    save(out, "double_constants", [
        node("Constant", [], ["scale64"], value=scale),
        node("Cast", ["scale64"], ["scale"], to=F32),
        node("Mul", ["x", "scale"], ["scaled"]),
        node("CastLike", ["bias", "x"], ["bias32"]),
        node("Add", ["scaled", "bias32"], ["y"]),
    ], [value("x", F32, [4, 8])], [value("y", F32, [4, 8])], [bias])


def f64_i16_block(out):
    """Computing in f64, with int16 at the edges (ONNX DOUBLE and INT16
    tensors): a DOUBLE input and weight through MatMul, Add of a DOUBLE
    constant, Softmax, ReduceSum and Exp in f64, the result also cast to
    f32; an INT16 input cast to DOUBLE and added in, the sum cast to INT16.
    (onnxruntime has no int16 arithmetic kernels, so int16 only crosses
    casts here; the node tests run Max and Min in int16.)"""
    half = helper.make_tensor("h", TensorProto.DOUBLE, [], [0.5])
    save(out, "f64_i16_block", [
        node("MatMul", ["x", "w"], ["m"]),
        node("Constant", [], ["half"], value=half),
        node("Add", ["m", "half"], ["a"]),
        node("Softmax", ["a"], ["s"], axis=-1),
        node("ReduceSum", ["s", "axes"], ["r"], keepdims=1),
        node("Exp", ["r"], ["e"]),
        node("Cast", ["e"], ["e32"], to=F32),
        node("Cast", ["i"], ["i64f"], to=TensorProto.DOUBLE),
        node("Add", ["s", "i64f"], ["y"]),
        node("Cast", ["y"], ["y16"], to=TensorProto.INT16),
    ], [value("x", TensorProto.DOUBLE, [4, 8]), value("i", TensorProto.INT16, [4, 8])],
        [value("y", TensorProto.DOUBLE, [4, 8]), value("e32", F32, [4, 1]),
         value("y16", TensorProto.INT16, [4, 8])],
        [weight("w", 8, 8, dtype=np.float64), const("axes", [-1], np.int64)])


def opset11_block(out):
    """Ops as opset 11 writes them, attributes where opset 13 takes inputs:
    Unsqueeze, Squeeze, ReduceSum and ReduceMean with axes attributes (a
    negative one), Split with a split attribute; Slice by inputs, Concat
    along -1, TopK and Gemm with a bias."""
    save(out, "opset11_block", [
        node("Unsqueeze", ["x"], ["u"], axes=[1]),
        node("Squeeze", ["u"], ["s"], axes=[1]),
        node("ReduceSum", ["s"], ["r"], axes=[-1], keepdims=1),
        node("ReduceMean", ["s"], ["m"], axes=[1], keepdims=0),
        node("Split", ["s"], ["p0", "p1"], axis=2, split=[3, 5]),
        node("Slice", ["s", "starts", "ends", "axes"], ["sl"]),
        node("Concat", ["p0", "sl"], ["c"], axis=-1),
        node("Mul", ["c", "r"], ["y"]),
        node("TopK", ["m", "k"], ["top", "top_index"]),
        node("Gemm", ["m", "w", "bias"], ["g"]),
    ], [value("x", F32, [2, 3, 8])],
        [value("y", F32, [2, 3, 5]), value("p1", F32, [2, 3, 5]), value("top", F32, [2, 3]),
         value("top_index", I64, [2, 3]), value("g", F32, [2, 4])],
        [const("starts", [1], np.int64), const("ends", [3], np.int64),
         const("axes", [2], np.int64), const("k", [3], np.int64), weight("w", 8, 4),
         weight("bias", 4)], opset=11)


def integer_power(x, y):
    """x ** y elementwise as tern.pow defines it for integers: wrapping (as
    NumPy's), and for y < 0, 0 unless x is 1 or -1."""
    with np.errstate(over="ignore"):
        power = np.power(x, np.maximum(y, 0))
    minus_one = np.where(y % 2 == 1, -1, 1).astype(x.dtype)
    negative = np.where(x == 1, 1, np.where(x == -1, minus_one, 0)).astype(x.dtype)
    return np.where(y < 0, negative, power)


def int_pow(out):
    """Pow on integers: int32 and int64 bases and exponents (squaring with
    wrap-around, negative exponents), and an int32 base with a float exponent
    (raised in float, truncated back). Inputs and tern.pow's expected values
    of the integer outputs (NumPy's wrapping power; onnxruntime computes
    through double, which saturates or is undefined where int32 wraps) are
    written beside the model as int_pow.NAME.npy."""
    base = np.array([2, 3, -3, 0, 1, -1, -1, 7, 2, 5, 3, -2], np.int32)
    exponent = np.array([10, 4, 3, 0, -5, -3, -4, 0, 31, 13, 40, -1], np.int32)
    for name, array in (("x32", base), ("y32", exponent), ("x64", base.astype(np.int64)),
                        ("y64", exponent.astype(np.int64) * 2),
                        ("yf", np.abs(exponent).astype(np.float32) / 4)):
        np.save(os.path.join(out, f"int_pow.{name}.npy"), array)
    np.save(os.path.join(out, "int_pow.p32.expected.npy"), integer_power(base, exponent))
    np.save(os.path.join(out, "int_pow.p64.expected.npy"),
            integer_power(base.astype(np.int64), exponent.astype(np.int64) * 2))
    n = len(base)
    save(out, "int_pow", [
        node("Pow", ["x32", "y32"], ["p32"]),
        node("Pow", ["x64", "y64"], ["p64"]),
        node("Pow", ["x32", "yf"], ["pf"]),
    ], [value("x32", I32, [n]), value("y32", I32, [n]), value("x64", I64, [n]),
        value("y64", I64, [n]), value("yf", F32, [n])],
        [value("p32", I32, [n]), value("p64", I64, [n]), value("pf", I32, [n])], [], opset=17)


def unsigned_ops(out):
    """Unsigned integers where their order, division and widening differ
    from signed ones (values with the top bit set): Max, Min, Div, Less,
    Greater, ReduceMax, TopK and Casts on UINT8 (also of a quotient and of a
    maximum, which Tern computes through other ops), Max and Div on UINT16 and
    UINT32, Max, Min and Cast to FLOAT on UINT64, and FLOAT values at and
    above 2^63 cast to UINT64."""
    U8, U16, U32, U64 = (TensorProto.UINT8, TensorProto.UINT16, TensorProto.UINT32,
                         TensorProto.UINT64)
    n = 8
    save(out, "unsigned_ops", [
        node("Max", ["a", "b"], ["max8"]),
        node("Min", ["a", "b"], ["min8"]),
        node("Div", ["a", "b"], ["div8"]),
        node("Less", ["a", "b"], ["lt8"]),
        node("Greater", ["a", "b"], ["gt8"]),
        node("ReduceMax", ["a"], ["rmax8"], keepdims=0),
        node("TopK", ["a", "k"], ["top8", "top8_index"]),
        node("Cast", ["a"], ["a_f32"], to=F32),
        node("Cast", ["a"], ["a_i32"], to=TensorProto.INT32),
        node("Cast", ["f"], ["f_u8"], to=U8),
        node("Max", ["c", "d"], ["max16"]),
        node("Div", ["c", "d"], ["div16"]),
        node("Max", ["e", "g"], ["max32"]),
        node("Div", ["e", "g"], ["div32"]),
        node("Max", ["h", "i"], ["max64"]),
        node("Min", ["h", "i"], ["min64"]),
        node("Cast", ["h"], ["h_f32"], to=F32),
        node("Cast", ["div8"], ["div8_f32"], to=F32),
        node("Cast", ["max8"], ["max8_i32"], to=TensorProto.INT32),
        node("Cast", ["fb"], ["fb_u64"], to=U64),
    ], [value("a", U8, [n]), value("fb", F32, [n]), value("b", U8, [n]), value("f", F32, [n]), value("c", U16, [n]),
        value("d", U16, [n]), value("e", U32, [n]), value("g", U32, [n]), value("h", U64, [n]),
        value("i", U64, [n])],
        [value("max8", U8, [n]), value("min8", U8, [n]), value("div8", U8, [n]),
         value("lt8", TensorProto.BOOL, [n]), value("gt8", TensorProto.BOOL, [n]),
         value("rmax8", U8, []), value("top8", U8, [3]), value("top8_index", I64, [3]),
         value("a_f32", F32, [n]), value("a_i32", I32, [n]), value("f_u8", U8, [n]),
         value("max16", U16, [n]), value("div16", U16, [n]), value("max32", U32, [n]),
         value("div32", U32, [n]), value("max64", U64, [n]), value("min64", U64, [n]),
         value("h_f32", F32, [n]), value("div8_f32", F32, [n]), value("max8_i32", I32, [n]),
         value("fb_u64", U64, [n])],
        [const("k", [3], np.int64)], opset=17)
    inputs = {
        "a": np.array([200, 3, 128, 255, 0, 127, 129, 64], np.uint8),
        "b": np.array([100, 250, 127, 1, 7, 128, 129, 200], np.uint8),
        "f": np.array([200.5, 255.0, 128.9, 0.0, 3.7, 127.2, 250.0, 1.0], np.float32),
        "fb": np.array([1e19, 2.0**63, 9.2e18, 3.5, 0.0, 1.8e19, 2.0**62, 12345.0], np.float32),
        "c": np.array([40000, 3, 32768, 65535, 1, 32767, 50000, 2], np.uint16),
        "d": np.array([20000, 60000, 32767, 2, 1, 32768, 3, 65535], np.uint16),
        "e": np.array([3000000000, 3, 2**31, 2**32 - 1, 1, 2**31 - 1, 4000000000, 9],
                      np.uint32),
        "g": np.array([7, 4000000000, 2**31 - 1, 2, 1, 2**31, 3, 2**32 - 1], np.uint32),
        "h": np.array([2**63 + 5, 3, 2**64 - 1, 2**62, 0, 2**63, 12345, 2**40], np.uint64),
        "i": np.array([4, 2**63, 1, 2**63 + 2**62, 0, 2**63 - 1, 2**64 - 2, 2**40 + 1],
                      np.uint64),
    }
    for name, array in inputs.items():
        np.save(os.path.join(out, f"unsigned_ops.{name}.npy"), array)


def asymmetric_qdq(out):
    """Asymmetric quantization as onnxruntime's quantization tool and ONNX
    exports write it: x through uint8 with a zero point of 128 and back; a
    MatMul by a uint8 weight with per-column scales and zero points; x
    quantized to int8 per column; x through int16 in blocks of 4 columns with
    zero points, and back. The scales are small enough that every one of
    them saturates somewhere on inputs in [-1, 1)."""
    U8, I8, I16 = TensorProto.UINT8, TensorProto.INT8, TensorProto.INT16
    w = rng.randint(0, 256, size=(8, 6)).astype(np.uint8)
    save(out, "asymmetric_qdq", [
        node("QuantizeLinear", ["x", "s", "z"], ["q"]),
        node("DequantizeLinear", ["q", "s", "z"], ["y_u8"]),
        node("DequantizeLinear", ["w", "ws", "wz"], ["wf"], axis=1),
        node("MatMul", ["x", "wf"], ["y_matmul"]),
        node("QuantizeLinear", ["x", "cs", "cz"], ["q_i8"], axis=1),
        node("QuantizeLinear", ["x", "bs", "bz"], ["q16"], axis=1, block_size=4),
        node("DequantizeLinear", ["q16", "bs", "bz"], ["y_i16"], axis=1, block_size=4),
    ], [value("x", F32, [4, 8])],
        [value("y_u8", F32, [4, 8]), value("y_matmul", F32, [4, 6]), value("q_i8", I8, [4, 8]),
         value("y_i16", F32, [4, 8])],
        [const("s", 0.004), helper.make_tensor("z", U8, [], [128]),
         numpy_helper.from_array(w, "w"),
         const("ws", rng.uniform(0.001, 0.01, 6)),
         numpy_helper.from_array(rng.randint(0, 256, 6).astype(np.uint8), "wz"),
         const("cs", rng.uniform(0.002, 0.005, 8)),
         numpy_helper.from_array(rng.randint(-20, 20, 8).astype(np.int8), "cz"),
         const("bs", rng.uniform(1e-6, 1e-5, (4, 2))),
         numpy_helper.from_array(rng.randint(-3000, 3000, (4, 2)).astype(np.int16), "bz")],
        opset=21)


def slice_negative(out):
    """Slices walking backwards (torch.flip exports as one): all rows
    reversed (an end below the start clamped), every second column from the
    last; and rows 2 down to 1 with columns 1..4 forwards."""
    big = np.iinfo(np.int64).max
    save(out, "slice_negative", [
        node("Slice", ["x", "s0", "e0", "a0", "p0"], ["flipped"]),
        node("Slice", ["x", "s1", "e1", "a0", "p1"], ["mixed"]),
    ], [value("x", F32, [4, 6])], [value("flipped", F32, [4, 3]), value("mixed", F32, [2, 3])],
        [const("s0", [-1, big], np.int64), const("e0", [-big, 0], np.int64),
         const("a0", [0, 1], np.int64), const("p0", [-1, -2], np.int64),
         const("s1", [2, 1], np.int64), const("e1", [0, 4], np.int64),
         const("p1", [-1, 1], np.int64)], opset=17)


def runtime_axes(out):
    """Shape operands given as graph inputs, as the ONNX node tests give
    them: ReduceSum's axes, Slice's starts and ends, TopK's K, Unsqueeze's
    axes, Trilu's k and Reshape's shape, which ternc --input-value compiles
    for one value."""
    save(out, "runtime_axes", [
        node("ReduceSum", ["x", "axes"], ["r"], keepdims=0),
        node("Slice", ["x", "starts", "ends"], ["sl"]),
        node("TopK", ["r", "k"], ["top", "top_index"]),
        node("Unsqueeze", ["top", "axes"], ["u"]),
        node("Trilu", ["x", "diagonal"], ["t"], upper=0),
        node("Reshape", ["x", "shape"], ["rs"]),
    ], [value("x", F32, [2, 3, 8]), value("axes", I64, ["n"]), value("starts", I64, [2]),
        value("ends", I64, [2]), value("k", I64, [1]), value("diagonal", I64, []),
        value("shape", I64, [2])],
        [value("r", F32, [2, 3]), value("sl", F32, [2, 1, 8]), value("top", F32, [2, 2]),
         value("top_index", I64, [2, 2]), value("u", F32, [2, 2, 1]), value("t", F32, [2, 3, 8]),
         value("rs", F32, [6, 8])],
        [], opset=17)


def local_functions(out):
    """Model-local functions, as the dynamo exporter and onnxscript write
    them: custom.Gated(x, wg, wu) = custom.Silu(x @ wg) * (x @ wu), nested;
    custom.ScaledSoftmax(x) = Softmax(x * scale, axis), its attributes
    referenced from the call (scale 0.5, axis 0) or left to the defaults
    (scale's 2.0 from the function, Softmax's own axis)."""
    opsets = [helper.make_opsetid("", 17)]
    silu = helper.make_function("custom", "Silu", ["x"], ["y"], [
        node("Sigmoid", ["x"], ["s"]),
        node("Mul", ["x", "s"], ["y"]),
    ], opsets)
    gated = helper.make_function("custom", "Gated", ["x", "wg", "wu"], ["y"], [
        node("MatMul", ["x", "wg"], ["g"]),
        node("Silu", ["g"], ["a"], domain="custom"),
        node("MatMul", ["x", "wu"], ["u"]),
        node("Mul", ["a", "u"], ["y"]),
    ], opsets + [helper.make_opsetid("custom", 1)])
    scale_ref = helper.make_attribute_ref("value_float", onnx.AttributeProto.FLOAT, doc_string="")
    scale_ref.ref_attr_name = "scale"
    axis_ref = helper.make_attribute_ref("axis", onnx.AttributeProto.INT)
    axis_ref.ref_attr_name = "axis"
    scaled_softmax = helper.make_function("custom", "ScaledSoftmax", ["x"], ["y"], [
        helper.make_node("Constant", [], ["scale"]),
        node("Mul", ["x", "scale"], ["xs"]),
        helper.make_node("Softmax", ["xs"], ["y"]),
    ], opsets, attributes=["axis"],
        attribute_protos=[helper.make_attribute("scale", 2.0)])
    scaled_softmax.node[0].attribute.append(scale_ref)
    scaled_softmax.node[2].attribute.append(axis_ref)
    graph = helper.make_graph([
        node("Gated", ["x", "wg", "wu"], ["h"], domain="custom", name="gated"),
        node("ScaledSoftmax", ["h"], ["y"], domain="custom", name="softmax_given", scale=0.5,
             axis=0),
        node("ScaledSoftmax", ["h"], ["y_defaults"], domain="custom", name="softmax_defaults"),
    ], "local_functions", [value("x", F32, [4, 16])],
        [value("y", F32, [4, 8]), value("y_defaults", F32, [4, 8])],
        [weight("wg", 16, 8), weight("wu", 16, 8)])
    model = helper.make_model(graph, ir_version=8, functions=[silu, gated, scaled_softmax],
                              opset_imports=opsets + [helper.make_opsetid("custom", 1)])
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, os.path.join(out, "local_functions.onnx"))


def function_bomb(out):
    """Not a model to run: 21 functions, each calling the one before twice,
    so that the first call asks for 2^20 Relu nodes in a file of a
    kilobyte. The importer refuses it."""
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("custom", 1)]
    functions = [helper.make_function("custom", "f0", ["a"], ["b"], [node("Relu", ["a"], ["b"])],
                                      opsets)]
    for i in range(1, 21):
        functions.append(helper.make_function("custom", f"f{i}", ["a"], ["b"], [
            node(f"f{i - 1}", ["a"], ["m"], domain="custom"),
            node(f"f{i - 1}", ["m"], ["b"], domain="custom"),
        ], opsets))
    graph = helper.make_graph([node("f20", ["x"], ["y"], domain="custom", name="bomb")],
                              "function_bomb", [value("x", F32, [4])], [value("y", F32, [4])])
    onnx.save(helper.make_model(graph, ir_version=8, functions=functions, opset_imports=opsets),
              os.path.join(out, "function_bomb.onnx"))


if __name__ == "__main__":
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for make in (mlp_silu, mlp_f16, scores_bf16, rms_norm, softmax_attention, topk_gate, topk_ties, gather_scatter,
                 scatter_add_input, fp8_qdq,
                 fp8_rounding, fp8_linear, fp8_act_linear, double_constants, f64_i16_block, opset11_block,
                 local_functions, runtime_axes, int_pow, unsigned_ops, asymmetric_qdq,
                 slice_negative,
                 function_bomb,
                 attention_dynamic_seq):
        make(out_dir)
