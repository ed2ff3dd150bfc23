#!/usr/bin/env python3
"""Writes the small ONNX models the README and the tests use.

    .venv/bin/python scripts/make_example_models.py

examples/decoder_block.onnx is a DeepSeek-style decoder block at toy size:
RMSNorm, causal softmax attention (with the Shape -> Gather -> Concat ->
Reshape arithmetic exporters emit), a SiLU-gated MLP and a sigmoid top-k
expert gate. Weights are random with a fixed seed, so reruns are identical.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OPSET = 23
HIDDEN, HEADS, SEQ, FFN, EXPERTS, TOPK = 64, 4, 8, 128, 8, 2
HEAD_DIM = HIDDEN // HEADS


def decoder_block():
    rng = np.random.default_rng(0)

    def weight(name, *shape):
        return numpy_helper.from_array((rng.standard_normal(shape) * 0.05).astype(np.float32), name)

    inits = [
        weight("attn_norm.w", HIDDEN), weight("wq", HIDDEN, HIDDEN), weight("wk", HIDDEN, HIDDEN),
        weight("wv", HIDDEN, HIDDEN), weight("wo", HIDDEN, HIDDEN), weight("mlp_norm.w", HIDDEN),
        weight("w_gate", HIDDEN, FFN), weight("w_up", HIDDEN, FFN), weight("w_down", FFN, HIDDEN),
        weight("w_router", HIDDEN, EXPERTS),
        numpy_helper.from_array(np.array([HEADS, HEAD_DIM], np.int64), "heads_dims"),
        numpy_helper.from_array(np.array([HIDDEN], np.int64), "hidden_dim"),
        numpy_helper.from_array(np.array([0, 1], np.int64), "batch_seq_idx"),
        numpy_helper.from_array(np.array(1.0 / np.sqrt(HEAD_DIM), np.float32), "scale"),
        numpy_helper.from_array(np.triu(np.full((SEQ, SEQ), -1e9, np.float32), 1), "causal_mask"),
        numpy_helper.from_array(np.array([TOPK], np.int64), "k"),
    ]
    n = helper.make_node
    nodes = [
        n("RMSNormalization", ["x", "attn_norm.w"], ["h1"], epsilon=1e-6, name="attn_norm"),
        # The exporter's view of the head split: new shape = shape(x)[0:2] ++ [heads, head_dim].
        n("Shape", ["x"], ["x_shape"], name="shape"),
        n("Gather", ["x_shape", "batch_seq_idx"], ["bs"], axis=0, name="batch_seq"),
        n("Concat", ["bs", "heads_dims"], ["split_shape"], axis=0, name="split_shape"),
        n("Concat", ["bs", "hidden_dim"], ["merge_shape"], axis=0, name="merge_shape"),
    ]
    for p in ("q", "k", "v"):
        nodes += [
            n("MatMul", ["h1", "w" + p], [p + "_proj"], name=p + "_proj"),
            n("Reshape", [p + "_proj", "split_shape"], [p + "_heads"], name=p + "_split"),
        ]
    nodes += [
        n("Transpose", ["q_heads"], ["q_t"], perm=[0, 2, 1, 3], name="q_t"),
        n("Transpose", ["k_heads"], ["k_t"], perm=[0, 2, 3, 1], name="k_t"),
        n("Transpose", ["v_heads"], ["v_t"], perm=[0, 2, 1, 3], name="v_t"),
        n("MatMul", ["q_t", "k_t"], ["scores"], name="scores"),
        n("Mul", ["scores", "scale"], ["scaled"], name="scaled"),
        n("Add", ["scaled", "causal_mask"], ["masked"], name="masked"),
        n("Softmax", ["masked"], ["probs"], axis=-1, name="softmax"),
        n("MatMul", ["probs", "v_t"], ["ctx"], name="ctx"),
        n("Transpose", ["ctx"], ["ctx_t"], perm=[0, 2, 1, 3], name="ctx_t"),
        n("Reshape", ["ctx_t", "merge_shape"], ["ctx_m"], name="ctx_merge"),
        n("MatMul", ["ctx_m", "wo"], ["attn_out"], name="o_proj"),
        n("Add", ["x", "attn_out"], ["h2"], name="attn_residual"),
        n("RMSNormalization", ["h2", "mlp_norm.w"], ["h3"], epsilon=1e-6, name="mlp_norm"),
        n("MatMul", ["h3", "w_gate"], ["gate"], name="gate_proj"),
        n("Sigmoid", ["gate"], ["gate_sig"], name="gate_sigmoid"),
        n("Mul", ["gate", "gate_sig"], ["gate_silu"], name="silu"),
        n("MatMul", ["h3", "w_up"], ["up"], name="up_proj"),
        n("Mul", ["gate_silu", "up"], ["mlp_in"], name="gated"),
        n("MatMul", ["mlp_in", "w_down"], ["mlp_out"], name="down_proj"),
        n("Add", ["h2", "mlp_out"], ["y"], name="mlp_residual"),
        n("MatMul", ["h3", "w_router"], ["router_logits"], name="router"),
        n("Sigmoid", ["router_logits"], ["router_scores"], name="router_sigmoid"),
        n("TopK", ["router_scores", "k"], ["expert_weights", "expert_ids"], axis=-1, name="topk"),
    ]
    graph = helper.make_graph(
        nodes, "decoder_block",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, SEQ, HIDDEN])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, SEQ, HIDDEN]),
         helper.make_tensor_value_info("expert_weights", TensorProto.FLOAT, [1, SEQ, TOPK]),
         helper.make_tensor_value_info("expert_ids", TensorProto.INT64, [1, SEQ, TOPK])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="tern-examples", ir_version=10)
    onnx.checker.check_model(model, full_check=True)
    return model


def main():
    path = os.path.join(ROOT, "examples", "decoder_block.onnx")
    onnx.save(decoder_block(), path)
    print("wrote", os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
