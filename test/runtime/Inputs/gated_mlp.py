#!/usr/bin/env python3
"""A SiLU-gated MLP y = (silu(x Wg) * (x Wu)) Wd with random f32 weights, for
the host-threads test: enough rows (24) for the streamed products' vector
tiles, and widths (200, 328) that are not multiples of their 16 columns.

    gated_mlp.py make MODEL.onnx [ROWS]   writes the model (weights inline; 24 rows
                                          unless given)
    gated_mlp.py check MODEL.onnx OUTDIR  compares OUTDIR/y.npy, computed by
                                          tern-run from OUTDIR/x.input.npy,
                                          with numpy in float64
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROWS, HIDDEN, INTER = 24, 200, 328


def make(path, rows=ROWS):
    rng = np.random.RandomState(7)
    weights = [numpy_helper.from_array((rng.standard_normal(shape) * 0.1).astype(np.float32), name)
               for name, shape in (("wg", (HIDDEN, INTER)), ("wu", (HIDDEN, INTER)),
                                   ("wd", (INTER, HIDDEN)))]
    nodes = [helper.make_node("MatMul", ["x", "wg"], ["g"]),
             helper.make_node("Sigmoid", ["g"], ["sg"]),
             helper.make_node("Mul", ["g", "sg"], ["silu"]),
             helper.make_node("MatMul", ["x", "wu"], ["u"]),
             helper.make_node("Mul", ["silu", "u"], ["h"]),
             helper.make_node("MatMul", ["h", "wd"], ["y"])]
    graph = helper.make_graph(
        nodes, "gated_mlp", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [rows, HIDDEN])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [rows, HIDDEN])], weights)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8),
              path)


def check(path, outdir):
    weights = {w.name: numpy_helper.to_array(w).astype(np.float64)
               for w in onnx.load(path).graph.initializer}
    x = np.load(f"{outdir}/x.input.npy").astype(np.float64)
    g, u = x @ weights["wg"], x @ weights["wu"]
    expected = (g / (1 + np.exp(-g)) * u) @ weights["wd"]
    y = np.load(f"{outdir}/y.npy")
    error = np.max(np.abs(y - expected))
    if not error <= 1e-4 * max(1.0, np.max(np.abs(expected))):
        sys.exit(f"y differs from numpy: max abs err {error:.3g}")
    print(f"y matches numpy: max abs err {error:.3g}")


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], *map(int, sys.argv[3:4]))
    else:
        check(sys.argv[2], sys.argv[3])
