#!/usr/bin/env python3
"""Writes HuggingFace checkpoint folders for the reader's tests into OUT, from
the transformers-written fixtures in FIXTURES (test/frontend/hf/fixtures):

  good_single/   tiny_v3's config and tensors in one file, plus tensors the
                 model does not read (an unused layer, I64, an empty tensor)
  good_sharded/  tiny_v2_lite's, in two shards with model.safetensors.index.json
  bad_*/         one defect each (bad inputs 11, 12, 15 of docs/TESTING.md, JSON
                 nested too deep, and the tensors config.json implies), written
                 byte by byte, since the reference writer refuses them

    python3 make_checkpoints.py FIXTURES OUT
"""
import json
import os
import struct
import sys


def folder(out, name, config):
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


def read_tensors(path):
    """{name: (dtype, shape, bytes)} of a safetensors file, in data order."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    header.pop("__metadata__", None)
    ordered = sorted(header.items(), key=lambda item: item[1]["data_offsets"][0])
    return {name: (e["dtype"], e["shape"], data[e["data_offsets"][0]:e["data_offsets"][1]])
            for name, e in ordered}


def write_tensors(path, tensors):
    """A valid safetensors file of {name: (dtype, shape, bytes)}."""
    header, data = {"__metadata__": {"format": "pt"}}, b""
    for name, (dtype, shape, raw_bytes) in tensors.items():
        header[name] = entry(dtype, shape, len(data), len(data) + len(raw_bytes))
        data += raw_bytes
    raw(path, header, data)


def main(fixtures, out):
    def fixture(name):
        path = os.path.join(fixtures, name)
        config = json.load(open(os.path.join(path, "config.json")))
        return config, read_tensors(os.path.join(path, "model.safetensors"))

    config, v3 = fixture("tiny_v3")
    v2_config, v2 = fixture("tiny_v2_lite")
    fp8_config, fp8 = fixture("tiny_v3_fp8")

    extra = {"model.layers.3.eh_proj.weight": ("BF16", [4, 4], bytes(32)),
             "extra.positions": ("I64", [3], struct.pack("<3q", 0, 1, 2)),
             "extra.empty": ("F32", [0, 8], b"")}
    write_tensors(os.path.join(folder(out, "good_single", config), "model.safetensors"),
                  dict(v3, **extra))

    sharded = folder(out, "good_sharded", v2_config)
    names = list(v2)
    shards = {"model-1-of-2.safetensors": names[0::2], "model-2-of-2.safetensors": names[1::2]}
    for shard, members in shards.items():
        write_tensors(os.path.join(sharded, shard), {n: v2[n] for n in members})
    with open(os.path.join(sharded, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": 0}, "weight_map": {
            n: shard for shard, members in shards.items() for n in members}}, f)

    # A router the importer does not compute for V3 (transformers would not either).
    write_tensors(os.path.join(folder(out, "v3_greedy_router",
                                      dict(config, topk_method="greedy", scoring_func="softmax")),
                               "model.safetensors"), v3)

    # The tensors config.json implies: one defect each.
    def without(tensors, name):
        return {k: v for k, v in tensors.items() if k != name}

    def retyped(tensors, name, dtype=None, shape=None, keep=None):
        d, s, b = tensors[name]
        return dict(tensors, **{name: (dtype or d, shape or s, b[:keep] if keep else b)})

    down = "model.layers.0.mlp.down_proj.weight"
    scale = "model.layers.1.self_attn.o_proj.weight_scale_inv"
    layouts = {
        "missing_tensor": (config, without(v3, "model.layers.2.mlp.experts.5.up_proj.weight")),
        "tensor_shape": (config, retyped(v3, "model.layers.0.self_attn.kv_b_proj.weight",
                                         shape=[64, 64])),
        "tensor_dtype": (config, retyped(v3, "model.norm.weight", dtype="I16")),
        "fp8_without_config": (config, retyped(v3, down, dtype="F8_E4M3",
                                               keep=len(v3[down][2]) // 2)),
        "fp8_missing_scale": (fp8_config, without(fp8, scale)),
        "fp8_scale_shape": (fp8_config, retyped(fp8, scale, shape=[1, 2])),
        # MoE: the router, the correction bias and the expert count must
        # agree with config.json.
        "router_shape": (config, retyped(v3, "model.layers.1.mlp.gate.weight", shape=[16, 32])),
        "bias_shape": (config, retyped(v3, "model.layers.1.mlp.gate.e_score_correction_bias",
                                       shape=[2, 4])),
        "expert_count": (dict(config, n_routed_experts=16), v3),
        # MLA: the latent width, the RoPE width and the head count must agree
        # with the attention's weights.
        "kv_lora_rank": (dict(config, kv_lora_rank=24), v3),
        "rope_head_dim": (dict(config, qk_rope_head_dim=4), v3),
        "attention_heads": (dict(config, num_attention_heads=8, num_key_value_heads=8), v3),
    }
    for name, (layout_config, tensors) in layouts.items():
        write_tensors(os.path.join(folder(out, "bad_" + name, layout_config),
                                   "model.safetensors"), tensors)

    bad_configs = {
        "architecture": dict(config, architectures=["LlamaForCausalLM"]),
        "missing_field": {k: v for k, v in config.items() if k != "kv_lora_rank"},
        "field_type": dict(config, hidden_size="64"),
        "field_2_63": dict(config, hidden_size=2.0 ** 63),
        "field_too_large": dict(config, hidden_size=2 ** 62, num_attention_heads=2 ** 62),
        # At the limits (2^24; 2048 x (6 x 80 + 32) = 2^20 tensors) and one step over.
        "field_at_limit": dict(config, hidden_size=2 ** 24),
        "field_over_limit": dict(config, hidden_size=2 ** 24 + 1),
        "tensors_at_limit": dict(config, num_hidden_layers=2048, n_routed_experts=80,
                                 n_group=1, topk_group=1),
        "too_many_tensors": dict(config, num_hidden_layers=2048, n_routed_experts=81,
                                 n_group=1, topk_group=1),
        "topk_method": dict(config, topk_method="random"),
        "rope_type": dict(config, rope_scaling={"type": "linear", "factor": 2.0}),
        "quantization": dict(config, quantization_config={"quant_method": "gptq"}),
        "groups": dict(config, n_group=3),
        "k_over_experts": dict(config, num_experts_per_tok=9),
        "topk_group_over_groups": dict(config, topk_group=5),
        "kv_heads": dict(config, num_key_value_heads=2),
        "dtype": dict(config, torch_dtype="float64"),
    }
    for name, bad in bad_configs.items():
        raw(os.path.join(folder(out, "bad_config_" + name, bad), "model.safetensors"), {})

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
        # 2^63 as a double: llvm::json's getAsInteger would convert it out of range.
        "dim_2_63": lambda p: raw(p, b'{"w": {"dtype": "F32", "shape": [9223372036854775808.0], '
                                  b'"data_offsets": [0, 4]}}', bytes(4)),
        "count_overflow": lambda p: raw(p, {"w": entry("F32", [2**62, 2**62], 0, 4)}, bytes(4)),
        "size_mismatch": lambda p: raw(p, {"w": entry("F32", [3], 0, 8)}, bytes(8)),
        "past_end": lambda p: raw(p, {"w": entry("F32", [2], 0, 8)}, bytes(4)),
        "overlap": lambda p: raw(p, {"w": w, "v": entry("F32", [2], 4, 12)}, bytes(12)),
        "hole": lambda p: raw(p, {"w": w, "v": entry("F32", [1], 12, 16)}, bytes(16)),
        "trailing": lambda p: raw(p, {"w": w}, bytes(12)),
        # llvm::json recurses per level: this deep, it would overflow the stack.
        "deep_header": lambda p: raw(p, b'{"w": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
        "deep_header_at_limit": lambda p: raw(p, b'{"w": ' + b"[" * 63 + b"]" * 63 + b"}"),
        "duplicate": lambda p: raw(p, b'{"w": ' + json.dumps(w).encode() + b', "w": ' +
                                   json.dumps(entry("F32", [2], 8, 16)).encode() + b'}', bytes(16)),
    }
    for name, write in cases.items():
        write(os.path.join(folder(out, "bad_" + name, config), "model.safetensors"))

    # Folder-level defects.
    folder(out, "bad_no_weights", config)
    raw(os.path.join(folder(out, "bad_no_config", config=None), "model.safetensors"), {})
    bad_config = folder(out, "bad_config_json", config=None)
    open(os.path.join(bad_config, "config.json"), "w").write("{\"architectures\": ")
    raw(os.path.join(bad_config, "model.safetensors"), {})
    deep_config = folder(out, "bad_config_deep", config=None)
    open(os.path.join(deep_config, "config.json"), "w").write(
        '{"architectures": ' + "[" * 100_000 + "]" * 100_000 + "}")
    raw(os.path.join(deep_config, "model.safetensors"), {})
    for name, shard, extra in (("bad_index_escape", "../good_single/model.safetensors", None),
                               ("bad_index_missing_tensor", "model-1.safetensors", "lost.weight"),
                               ("bad_index_unlisted_tensor", "model-1.safetensors", None)):
        path = folder(out, name, config)
        weights = {"w": w} if name != "bad_index_unlisted_tensor" else {
            "w": w, "v": entry("F32", [2], 8, 16)}
        raw(os.path.join(path, "model-1.safetensors"), weights, bytes(8 * len(weights)))
        weight_map = {"w": shard}
        if extra:
            weight_map[extra] = shard
        with open(os.path.join(path, "model.safetensors.index.json"), "w") as f:
            json.dump({"weight_map": weight_map}, f)
    link = folder(out, "bad_symlink", config)
    os.symlink(os.path.abspath(os.path.join(out, "good_single", "model.safetensors")),
               os.path.join(link, "model.safetensors"))
    hard = folder(out, "bad_hard_link", config)
    raw(os.path.join(hard, "model.safetensors"), {})
    os.link(os.path.join(hard, "model.safetensors"), os.path.join(hard, "other.safetensors"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
