#!/usr/bin/env python3
"""Writes a DeepSeek-V2-Lite-shaped HuggingFace checkpoint with random bf16
weights, for benchmarks (the full shapes never in CI): 27 layers, 64
routed experts (6 per token) and 2 shared, hidden 2048, MLA with kv_lora_rank
512 and no query LoRA; about 31 GB, in shards with an index, written by
streaming (memory stays at one chunk).

    .venv/bin/python bench/make_v2_lite_checkpoint.py OUT [--layers 4] [--seed 0]
    build/bin/ternc OUT --inspect-checkpoint     # validates what was written

--layers keeps the published shapes with fewer layers (4: 4.5 GB). --tiny
scales them down for tests (2 layers, hidden 256, 8 experts of 256, 2 chosen,
vocab 512; about 5 MB) with every MLP and expert input a multiple of 128, the
FP8 block (test/e2e/fp8-activations-moe.test).
Weights are N(0, 0.02) (norms 1), rounded to bf16; the router is scaled so
that expert choices differ from token to token.
"""
import argparse
import json
import os
import struct

import numpy as np

CONFIG = {
    "architectures": ["DeepseekV2ForCausalLM"], "model_type": "deepseek_v2",
    "vocab_size": 102400, "hidden_size": 2048, "intermediate_size": 10944,
    "moe_intermediate_size": 1408, "num_hidden_layers": 27, "num_attention_heads": 16,
    "num_key_value_heads": 16, "n_shared_experts": 2, "n_routed_experts": 64,
    "routed_scaling_factor": 1.0, "kv_lora_rank": 512, "q_lora_rank": None,
    "qk_rope_head_dim": 64, "v_head_dim": 128, "qk_nope_head_dim": 128, "topk_method": "greedy",
    "n_group": 1, "topk_group": 1, "num_experts_per_tok": 6, "moe_layer_freq": 1,
    "first_k_dense_replace": 1, "norm_topk_prob": False, "scoring_func": "softmax",
    "hidden_act": "silu", "max_position_embeddings": 163840, "rms_norm_eps": 1e-6,
    "bos_token_id": 100000, "eos_token_id": 100001, "tie_word_embeddings": False,
    "rope_theta": 10000,
    "rope_scaling": {"beta_fast": 32, "beta_slow": 1, "factor": 40, "mscale": 0.707,
                     "mscale_all_dim": 0.707, "original_max_position_embeddings": 4096,
                     "type": "yarn"},
    "attention_bias": False, "torch_dtype": "bfloat16",
}
SHARD_BYTES = 5 * 1000**3
CHUNK = 1 << 24  # values per generated chunk (64 MiB of f32)


def tensors(c):
    """(name, shape, std) of every tensor, in HuggingFace order and naming
    (frontend/hf/DeepSeekWeights.cpp lists the same; ternc checks it)."""
    h, heads = c["hidden_size"], c["num_attention_heads"]
    qk = c["qk_nope_head_dim"] + c["qk_rope_head_dim"]
    out = [("model.embed_tokens.weight", (c["vocab_size"], h), 0.02)]

    def mlp(prefix, width):
        return [(prefix + ".gate_proj.weight", (width, h), 0.02),
                (prefix + ".up_proj.weight", (width, h), 0.02),
                (prefix + ".down_proj.weight", (h, width), 0.02)]

    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}"
        out += [(p + ".input_layernorm.weight", (h,), None),
                (p + ".self_attn.q_proj.weight", (heads * qk, h), 0.02),
                (p + ".self_attn.kv_a_proj_with_mqa.weight",
                 (c["kv_lora_rank"] + c["qk_rope_head_dim"], h), 0.02),
                (p + ".self_attn.kv_a_layernorm.weight", (c["kv_lora_rank"],), None),
                (p + ".self_attn.kv_b_proj.weight",
                 (heads * (c["qk_nope_head_dim"] + c["v_head_dim"]), c["kv_lora_rank"]), 0.02),
                (p + ".self_attn.o_proj.weight", (h, heads * c["v_head_dim"]), 0.02),
                (p + ".post_attention_layernorm.weight", (h,), None)]
        if i < c["first_k_dense_replace"]:
            out += mlp(p + ".mlp", c["intermediate_size"])
            continue
        out.append((p + ".mlp.gate.weight", (c["n_routed_experts"], h), 0.2))
        for e in range(c["n_routed_experts"]):
            out += mlp(f"{p}.mlp.experts.{e}", c["moe_intermediate_size"])
        out += mlp(p + ".mlp.shared_experts", c["moe_intermediate_size"] * c["n_shared_experts"])
    out += [("model.norm.weight", (h,), None), ("lm_head.weight", (c["vocab_size"], h), 0.02)]
    return out


def to_bf16(values):
    """float32 -> bf16 bits, rounding to nearest even."""
    bits = values.view(np.uint32)
    return ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)


def write_shard(path, members, rng):
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, shape, _ in members:
        size = 2 * int(np.prod(shape))
        header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)  # data starts 8-byte aligned, as the reference writer does
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for _, shape, std in members:
            count = int(np.prod(shape))
            if std is None:
                f.write(to_bf16(np.ones(count, np.float32)).tobytes())
                continue
            for start in range(0, count, CHUNK):
                n = min(CHUNK, count - start)
                f.write(to_bf16(rng.standard_normal(n, dtype=np.float32) * np.float32(std)).tobytes())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--layers", type=int, default=27)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tiny", action="store_true", help="test shapes (see above)")
    args = parser.parse_args()
    config = dict(CONFIG, num_hidden_layers=args.layers)
    if args.tiny:
        config.update(num_hidden_layers=2, vocab_size=512, hidden_size=256, intermediate_size=512,
                      moe_intermediate_size=256, num_attention_heads=2, num_key_value_heads=2,
                      n_shared_experts=1, n_routed_experts=8, num_experts_per_tok=2,
                      kv_lora_rank=128, qk_rope_head_dim=32, qk_nope_head_dim=64, v_head_dim=64,
                      max_position_embeddings=4096)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)

    shards, current, size = [], [], 0
    for tensor in tensors(config):
        nbytes = 2 * int(np.prod(tensor[1]))
        if current and size + nbytes > SHARD_BYTES:
            shards.append(current)
            current, size = [], 0
        current.append(tensor)
        size += nbytes
    shards.append(current)

    rng = np.random.default_rng(args.seed)
    weight_map, total = {}, 0
    for i, members in enumerate(shards):
        name = f"model-{i + 1:05d}-of-{len(shards):05d}.safetensors"
        write_shard(os.path.join(args.out, name), members, rng)
        for tensor, shape, _ in members:
            weight_map[tensor] = name
            total += 2 * int(np.prod(shape))
        print(f"{name}: {len(members)} tensors", flush=True)
    with open(os.path.join(args.out, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=1)
    print(f"{args.out}: {config['num_hidden_layers']} layers, {len(weight_map)} tensors, "
          f"{total / 1e9:.1f} GB in {len(shards)} shards")


if __name__ == "__main__":
    main()
