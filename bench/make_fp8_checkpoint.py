#!/usr/bin/env python3
"""A mid-sized DeepSeek-V3-shaped FP8 checkpoint for host benchmarks.

Two layers (one dense, one MoE with 16 experts, 4 chosen), hidden 1024,
every projection FP8 E4M3 with one f32 scale per 128x128 block, as
DeepSeek-V3 ships them (the embedding, router and LM head stay bf16); about
62 M parameters, 70 MB. Built from random weights by transformers and
quantized as the test fixtures are (scripts/make_hf_fixtures.py), so it
needs torch and transformers (a benchmark venv, never CI).

  python3 bench/make_fp8_checkpoint.py /tmp/fp8mid [--bf16-twin /tmp/bf16mid]

--bf16-twin also writes the same model before quantization, in bf16 with no
quantization_config: the same shapes for a side-by-side comparison.
--v3-head-dims gives the attention DeepSeek-V3's head dimensions (128 key,
64 RoPE and 128 value values per head, a latent of 512), so that kv_b_proj's
128x128 blocks hold whole key or value rows of a head, as in the real model.
"""
import argparse
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import make_hf_fixtures as fixtures  # noqa: E402
from safetensors.torch import load_file, save_file  # noqa: E402

CONFIG = dict(fixtures.TINY_V3_FP8, hidden_size=1024, intermediate_size=2816,
              moe_intermediate_size=768, q_lora_rank=768, kv_lora_rank=256,
              num_hidden_layers=2, num_attention_heads=8, num_key_value_heads=8,
              qk_nope_head_dim=64, qk_rope_head_dim=32, v_head_dim=64, n_routed_experts=16,
              num_experts_per_tok=4, n_group=4, topk_group=2, vocab_size=4096,
              max_position_embeddings=256)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bf16-twin", metavar="DIR",
                        help="also write the unquantized bf16 model to DIR")
    parser.add_argument("--v3-head-dims", action="store_true",
                        help="DeepSeek-V3's attention head dimensions (128 / 64 / 128, latent 512)")
    args = parser.parse_args()
    config = dict(CONFIG)
    if args.v3_head_dims:
        config.update(qk_nope_head_dim=128, qk_rope_head_dim=64, v_head_dim=128,
                      kv_lora_rank=512)
    os.makedirs(args.out, exist_ok=True)
    model = fixtures.build(config, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        model.save_pretrained(tmp)
        weights = load_file(os.path.join(tmp, "model.safetensors"))
    weights = {k: v.float() if k.endswith("e_score_correction_bias") else v
               for k, v in weights.items()}
    stored, _ = fixtures.quantize_fp8(weights)
    save_file(stored, os.path.join(args.out, "model.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    print(f"{args.out}: {len(stored)} tensors, "
          f"{sum(v.numel() for v in stored.values())} values")
    if args.bf16_twin:
        os.makedirs(args.bf16_twin, exist_ok=True)
        save_file(weights, os.path.join(args.bf16_twin, "model.safetensors"),
                  metadata={"format": "pt"})
        twin = {k: v for k, v in config.items() if k != "quantization_config"}
        with open(os.path.join(args.bf16_twin, "config.json"), "w") as f:
            json.dump(twin, f, indent=2)
        print(f"{args.bf16_twin}: {len(weights)} tensors (bf16 twin)")


if __name__ == "__main__":
    main()
