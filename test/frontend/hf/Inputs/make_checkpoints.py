#!/usr/bin/env python3
"""Writes small HuggingFace checkpoint folders for the reader's tests into OUT:

  good_single/   config.json + model.safetensors (written by the safetensors
                 package, the reference writer)
  good_sharded/  config.json + two shards + model.safetensors.index.json
  bad_*/         one defect each (../shared/BAD_INPUTS.md items 11, 12, 15),
                 written byte by byte, since the reference writer refuses them.

    python3 make_checkpoints.py OUT
"""
import json
import os
import struct
import sys

import numpy as np
from safetensors.numpy import save_file

# A tiny DeepSeek-V3: MLA with a query LoRA, sigmoid noaux_tc routing in 2 of 4
# groups, one dense layer, then MoE with a shared expert, YaRN.
CONFIG = {
    "architectures": ["DeepseekV3ForCausalLM"], "model_type": "deepseek_v3",
    "vocab_size": 64, "hidden_size": 32, "intermediate_size": 64, "moe_intermediate_size": 16,
    "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 4,
    "max_position_embeddings": 128, "q_lora_rank": 24, "kv_lora_rank": 16,
    "qk_nope_head_dim": 8, "qk_rope_head_dim": 4, "v_head_dim": 8, "n_routed_experts": 8,
    "n_shared_experts": 1, "num_experts_per_tok": 2, "n_group": 4, "topk_group": 2,
    "topk_method": "noaux_tc", "scoring_func": "sigmoid", "norm_topk_prob": True,
    "routed_scaling_factor": 2.5, "first_k_dense_replace": 1, "moe_layer_freq": 1,
    "rope_theta": 10000.0, "rms_norm_eps": 1e-6, "tie_word_embeddings": False,
    "hidden_act": "silu", "attention_bias": False,
    "rope_scaling": {"type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32,
                     "beta_fast": 32, "beta_slow": 1, "mscale": 1.0, "mscale_all_dim": 1.0},
}
# A tiny DeepSeek-V2-Lite: no query LoRA, softmax greedy routing, FP8 weights.
V2_CONFIG = dict(CONFIG, architectures=["DeepseekV2ForCausalLM"], model_type="deepseek_v2",
                 q_lora_rank=None, n_group=1, topk_group=1, topk_method="greedy",
                 scoring_func="softmax", norm_topk_prob=False, routed_scaling_factor=1.0,
                 n_shared_experts=2, rope_scaling=None,
                 quantization_config={"quant_method": "fp8", "fmt": "e4m3",
                                      "activation_scheme": "dynamic",
                                      "weight_block_size": [128, 128]})
# One defect each; the weights are an empty, valid safetensors file.
BAD_CONFIGS = {
    "architecture": dict(CONFIG, architectures=["LlamaForCausalLM"]),
    "missing_field": {k: v for k, v in CONFIG.items() if k != "kv_lora_rank"},
    "field_type": dict(CONFIG, hidden_size="32"),
    "topk_method": dict(CONFIG, topk_method="random"),
    "rope_type": dict(CONFIG, rope_scaling={"type": "linear", "factor": 2.0}),
    "quantization": dict(CONFIG, quantization_config={"quant_method": "gptq"}),
    "groups": dict(CONFIG, n_group=3),
    "kv_heads": dict(CONFIG, num_key_value_heads=2),
}


def folder(out, name, config=CONFIG):
    path = os.path.join(out, name)
    os.makedirs(path, exist_ok=True)
    if config is not None:
        with open(os.path.join(path, "config.json"), "w") as f:
            json.dump(config, f)
    return path


def raw(path, header, data=b"", length=None):
    """A safetensors file from a header (dict or raw bytes) and data bytes."""
    text = header if isinstance(header, bytes) else json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text) if length is None else length))
        f.write(text)
        f.write(data)


def entry(dtype, shape, begin, end):
    return {"dtype": dtype, "shape": shape, "data_offsets": [begin, end]}


def main(out):
    rng = np.random.default_rng(0)
    tensors = {"embed.weight": rng.standard_normal((4, 8), dtype=np.float32),
               "norm.weight": np.ones(8, np.float16),
               "positions": np.arange(3, dtype=np.int64),
               "empty": np.zeros((0, 8), np.float32)}
    save_file(tensors, os.path.join(folder(out, "good_single"), "model.safetensors"),
              metadata={"format": "pt"})

    sharded = folder(out, "good_sharded", V2_CONFIG)
    save_file({"a.weight": tensors["embed.weight"]}, os.path.join(sharded, "model-1-of-2.safetensors"))
    # bf16 and FP8 bytes by hand: numpy has neither type.
    raw(os.path.join(sharded, "model-2-of-2.safetensors"),
        {"b.weight": entry("BF16", [2, 2], 0, 8), "b.scale_inv": entry("F8_E4M3", [2], 8, 10)},
        bytes(range(10)))
    with open(os.path.join(sharded, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": 138}, "weight_map": {
            "a.weight": "model-1-of-2.safetensors", "b.weight": "model-2-of-2.safetensors",
            "b.scale_inv": "model-2-of-2.safetensors"}}, f)

    w = entry("F32", [2], 0, 8)
    cases = {
        "short": lambda p: open(p, "wb").write(b"\x10\x00\x00"),
        "header_too_long": lambda p: raw(p, b"{}", length=200_000_000),
        "header_past_end": lambda p: raw(p, b"{}", length=64),
        "not_json": lambda p: raw(p, b"{\"w\": [1, 2"),
        "not_utf8": lambda p: raw(p, b"{\"w\xff\": {}}"),
        "not_object": lambda p: raw(p, b"[1, 2]"),
        "unknown_dtype": lambda p: raw(p, {"w": entry("F128", [1], 0, 16)}, bytes(16)),
        "negative_dim": lambda p: raw(p, {"w": entry("F32", [-1], 0, 4)}, bytes(4)),
        "count_overflow": lambda p: raw(p, {"w": entry("F32", [2**62, 2**62], 0, 4)}, bytes(4)),
        "size_mismatch": lambda p: raw(p, {"w": entry("F32", [3], 0, 8)}, bytes(8)),
        "past_end": lambda p: raw(p, {"w": entry("F32", [2], 0, 8)}, bytes(4)),
        "overlap": lambda p: raw(p, {"w": w, "v": entry("F32", [2], 4, 12)}, bytes(12)),
        "hole": lambda p: raw(p, {"w": w, "v": entry("F32", [1], 12, 16)}, bytes(16)),
        "trailing": lambda p: raw(p, {"w": w}, bytes(12)),
        "duplicate": lambda p: raw(p, b'{"w": ' + json.dumps(w).encode() + b', "w": ' +
                                   json.dumps(entry("F32", [2], 8, 16)).encode() + b'}', bytes(16)),
    }
    for name, write in cases.items():
        write(os.path.join(folder(out, "bad_" + name), "model.safetensors"))

    for name, config in BAD_CONFIGS.items():
        raw(os.path.join(folder(out, "bad_config_" + name, config), "model.safetensors"), {})

    # Folder-level defects.
    folder(out, "bad_no_weights")
    raw(os.path.join(folder(out, "bad_no_config", config=None), "model.safetensors"), {})
    bad_config = folder(out, "bad_config_json", config=None)
    open(os.path.join(bad_config, "config.json"), "w").write("{\"architectures\": ")
    raw(os.path.join(bad_config, "model.safetensors"), {})
    for name, shard, extra in (("bad_index_escape", "../good_single/model.safetensors", None),
                               ("bad_index_missing_tensor", "model-1.safetensors", "lost.weight"),
                               ("bad_index_unlisted_tensor", "model-1.safetensors", None)):
        path = folder(out, name)
        weights = {"w": w} if name != "bad_index_unlisted_tensor" else {
            "w": w, "v": entry("F32", [2], 8, 16)}
        raw(os.path.join(path, "model-1.safetensors"), weights, bytes(8 * len(weights)))
        weight_map = {"w": shard}
        if extra:
            weight_map[extra] = shard
        with open(os.path.join(path, "model.safetensors.index.json"), "w") as f:
            json.dump({"weight_map": weight_map}, f)
    link = folder(out, "bad_symlink")
    os.symlink(os.path.abspath(os.path.join(out, "good_single", "model.safetensors")),
               os.path.join(link, "model.safetensors"))
    hard = folder(out, "bad_hard_link")
    raw(os.path.join(hard, "model.safetensors"), {})
    os.link(os.path.join(hard, "model.safetensors"), os.path.join(hard, "other.safetensors"))


if __name__ == "__main__":
    main(sys.argv[1])
