#!/usr/bin/env python3
"""Regenerates the tiny DeepSeek checkpoints in test/frontend/hf/fixtures/ and
their reference outputs, with transformers' own DeepSeek-V2/V3 code.

Not run by the tests, which only read what it wrote (CI has no torch). It
needs torch and transformers, which the project's .venv does not carry:

    python3 -m venv /tmp/fixvenv && /tmp/fixvenv/bin/pip install torch transformers safetensors
    /tmp/fixvenv/bin/python scripts/make_hf_fixtures.py test/frontend/hf/fixtures

Each fixture folder holds what a user has (config.json in the published
DeepSeek form, model.safetensors in bf16, or FP8 E4M3 with weight_scale_inv
blocks) and reference.json: a prompt, transformers' logits for it (f32, the
weights as stored: bf16 widened, FP8 dequantized in f32), the greedy continuation
of 16 tokens, and by how much each greedy choice led (at least 0.05: seeds
with closer calls are skipped); and under "bf16" the same with the model in
bf16, for ternc --precision=bf16 (not for the FP8 fixture; --bf16-only adds
them to existing fixtures).

  tiny_v3       sigmoid scores, noaux_tc in 2 of 4 groups with the correction
                bias, query LoRA, one dense layer then MoE with a shared
                expert, YaRN
  tiny_v2_lite  softmax greedy routing, no query LoRA, 2 shared experts, YaRN
  tiny_v3_fp8   tiny_v3's shapes, every projection FP8 E4M3 with one f32
                scale per 128x128 block (dims above 128 so blocks are partial)
  tiny_v3_dense tiny_v3 with dense MLPs in every layer: attention and MLP
                without routing, the first stage an importer can match
"""
import argparse
import json
import os
import tempfile

import torch
from safetensors.torch import load_file, save_file
from transformers import (DeepseekV2Config, DeepseekV2ForCausalLM, DeepseekV3Config,
                          DeepseekV3ForCausalLM)

YARN = {"type": "yarn", "factor": 4.0, "original_max_position_embeddings": 64,
        "beta_fast": 32, "beta_slow": 1, "mscale": 1.0, "mscale_all_dim": 1.0}

TINY_V3 = {
    "architectures": ["DeepseekV3ForCausalLM"], "model_type": "deepseek_v3",
    "vocab_size": 256, "hidden_size": 64, "intermediate_size": 128, "moe_intermediate_size": 32,
    "num_hidden_layers": 3, "num_attention_heads": 4, "num_key_value_heads": 4,
    "max_position_embeddings": 256, "q_lora_rank": 48, "kv_lora_rank": 32,
    "qk_nope_head_dim": 16, "qk_rope_head_dim": 8, "v_head_dim": 16, "n_routed_experts": 8,
    "n_shared_experts": 1, "num_experts_per_tok": 2, "n_group": 4, "topk_group": 2,
    "topk_method": "noaux_tc", "scoring_func": "sigmoid", "norm_topk_prob": True,
    "routed_scaling_factor": 2.5, "first_k_dense_replace": 1, "moe_layer_freq": 1,
    "rope_theta": 10000.0, "rope_scaling": YARN, "rms_norm_eps": 1e-6,
    "tie_word_embeddings": False, "hidden_act": "silu", "attention_bias": False,
    "bos_token_id": 0, "eos_token_id": 1, "torch_dtype": "bfloat16",
}

TINY_V2_LITE = dict(
    TINY_V3, architectures=["DeepseekV2ForCausalLM"], model_type="deepseek_v2", q_lora_rank=None,
    n_group=1, topk_group=1, topk_method="greedy", scoring_func="softmax", norm_topk_prob=False,
    routed_scaling_factor=1.0, n_shared_experts=2, num_experts_per_tok=3,
    rope_scaling=dict(YARN, mscale=0.707, mscale_all_dim=0.707))

# Dense layers only (no experts): the attention and MLP path on their own.
TINY_V3_DENSE = dict(TINY_V3, first_k_dense_replace=3)

# Wider than one 128-value block, so scales cover partial blocks.
TINY_V3_FP8 = dict(TINY_V3, hidden_size=160, intermediate_size=192, moe_intermediate_size=136,
                   q_lora_rank=144, kv_lora_rank=136,
                   quantization_config={"quant_method": "fp8", "fmt": "e4m3",
                                        "activation_scheme": "dynamic",
                                        "weight_block_size": [128, 128]})

PROMPT = [0, 17, 42, 99, 3, 250, 128, 7]
BLOCK = 128
FP8_MAX = 448.0


def build(config, seed):
    """transformers' model for `config` (the published form), bf16 weights."""
    fields = {k: v for k, v in config.items()
              if k not in ("architectures", "model_type", "quantization_config", "torch_dtype")}
    if config["model_type"] == "deepseek_v3":
        model = DeepseekV3ForCausalLM(DeepseekV3Config(**fields))
    else:
        model = DeepseekV2ForCausalLM(DeepseekV2Config(**fields))
    torch.manual_seed(seed)
    with torch.no_grad():
        for name, tensor in model.named_parameters():
            # Wider than the default init, so routing and attention are not
            # near-uniform and a wrong choice shows in the logits.
            tensor.normal_(0.0, 0.5 if tensor.dim() == 1 else 0.08)
            if name.endswith("norm.weight"):
                tensor.add_(1.0)
            if name == "lm_head.weight":
                tensor.mul_(4.0)  # logits spread out: greedy choices are clear
    return model.to(torch.bfloat16).eval()


def quantize_fp8(weights):
    """FP8 E4M3 weights with one f32 weight_scale_inv per 128x128 block, for
    every 2-D weight but the embedding, the router and the LM head (as
    DeepSeek-V3's checkpoints); returns the stored tensors and the dequantized
    ones the reference computes with."""
    stored, dequantized = {}, {}
    for name, w in weights.items():
        quantize = (w.dim() == 2 and name.endswith(".weight") and "embed_tokens" not in name
                    and not name.endswith("mlp.gate.weight") and name != "lm_head.weight")
        if not quantize:
            stored[name] = w
            dequantized[name] = w
            continue
        rows, cols = w.shape
        nr, nc = -(-rows // BLOCK), -(-cols // BLOCK)
        scale = torch.empty(nr, nc, dtype=torch.float32)
        q = torch.empty(rows, cols, dtype=torch.float8_e4m3fn)
        wf = w.float()
        for i in range(nr):
            for j in range(nc):
                block = wf[i * BLOCK:(i + 1) * BLOCK, j * BLOCK:(j + 1) * BLOCK]
                s = max(block.abs().max().item(), 1e-12) / FP8_MAX
                scale[i, j] = s
                q[i * BLOCK:(i + 1) * BLOCK, j * BLOCK:(j + 1) * BLOCK] = \
                    (block / s).to(torch.float8_e4m3fn)
        stored[name] = q
        stored[name + "_scale_inv"] = scale
        expanded = scale.repeat_interleave(BLOCK, 0)[:rows].repeat_interleave(BLOCK, 1)[:, :cols]
        # In f32: block-scaled FP8 values are not all bf16 values.
        dequantized[name] = q.float() * expanded
    return stored, dequantized


MIN_MARGIN = 0.05


def write(out, name, config, seed):
    """Writes the fixture from the first seed from `seed` on whose greedy
    choices all lead their runner-up by MIN_MARGIN, so that a correct
    implementation cannot differ from the reference by a near-tie."""
    while not write_seed(out, name, config, seed):
        seed += 1


def write_seed(out, name, config, seed):
    path = os.path.join(out, name)
    os.makedirs(path, exist_ok=True)
    model = build(config, seed)
    with tempfile.TemporaryDirectory() as tmp:
        # save_pretrained writes the published layout (one tensor per expert
        # and projection), which transformers 5 fuses in memory.
        model.save_pretrained(tmp)
        weights = load_file(os.path.join(tmp, "model.safetensors"))
        # DeepSeek-V3 stores the correction bias in f32 (its values are bf16's).
        weights = {k: v.float() if k.endswith("e_score_correction_bias") else v
                   for k, v in weights.items()}
        if "quantization_config" in config:
            stored, dequantized = quantize_fp8(weights)
            save_file(dequantized, os.path.join(tmp, "model.safetensors"),
                      metadata={"format": "pt"})
            model = type(model).from_pretrained(tmp, dtype=torch.float32).eval()
        else:
            stored = weights
    save_file(stored, os.path.join(path, "model.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(path, "config.json"), "w") as f:
        json.dump(config, f, indent=2)

    reference = model.float()
    with torch.no_grad():
        ids = torch.tensor([PROMPT])
        forward = reference(ids, output_hidden_states=True)
        logits = forward.logits[0]
        # An explicit mask: generate would otherwise take the prompt's token 0
        # for padding (pad_token_id) and mask it out.
        generated = reference.generate(ids, attention_mask=torch.ones_like(ids),
                                       max_new_tokens=16, do_sample=False,
                                       eos_token_id=None, pad_token_id=0,
                                       output_scores=True, return_dict_in_generate=True)
    # How far each greedy choice is ahead of the runner-up: a comparison can
    # tell a real divergence from a near-tie.
    margins = [float(top[0] - top[1]) for top in
               (torch.topk(step[0], 2).values for step in generated.scores)]
    if min(margins) < MIN_MARGIN:
        return False
    with open(os.path.join(path, "reference.json"), "w") as f:
        json.dump({"prompt": PROMPT, "logits": [[float(x) for x in row] for row in logits],
                   "greedy": generated.sequences[0, len(PROMPT):].tolist(),
                   "greedy_margins": margins,
                   # The embedding output, then each decoder layer's (the last
                   # after the final norm): for finding where an import departs.
                   "hidden_states": [[[float(x) for x in row] for row in h[0]]
                                     for h in forward.hidden_states],
                   "note": "transformers' forward in f32 on the stored weights"}, f)
    size = sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))
    print(f"{name}: seed {seed}, {len(stored)} tensors, {size} bytes, "
          f"smallest greedy margin {min(margins):.3f}")
    return True


def add_bf16_reference(out, name):
    """Adds to an existing fixture's reference.json what transformers computes
    with the model in bf16 (its own precision policy: bf16 activations, f32
    norms, softmax and router), for ternc --precision=bf16: the prompt's
    logits, the greedy continuation and its margins. The weights and the f32
    reference stay as they are."""
    path = os.path.join(out, name)
    model_class = {"deepseek_v3": DeepseekV3ForCausalLM, "deepseek_v2": DeepseekV2ForCausalLM}
    with open(os.path.join(path, "config.json")) as f:
        config = json.load(f)
    # Eager attention: PyTorch's fused CPU attention kernels differ by build.
    model = model_class[config["model_type"]].from_pretrained(
        path, dtype=torch.bfloat16, attn_implementation="eager").eval()
    with torch.no_grad():
        ids = torch.tensor([PROMPT])
        logits = model(ids).logits[0].float()
        generated = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=16,
                                   do_sample=False, eos_token_id=None, pad_token_id=0,
                                   output_scores=True, return_dict_in_generate=True)
    margins = [float(top[0] - top[1]) for top in
               (torch.topk(step[0].float(), 2).values for step in generated.scores)]
    with open(os.path.join(path, "reference.json")) as f:
        reference = json.load(f)
    reference["bf16"] = {
        "logits": [[float(x) for x in row] for row in logits],
        "greedy": generated.sequences[0, len(PROMPT):].tolist(),
        "greedy_margins": margins,
        "note": "transformers' forward with the model in bf16 (eager attention), "
                f"torch {torch.__version__}"}
    with open(os.path.join(path, "reference.json"), "w") as f:
        json.dump(reference, f)
    print(f"{name}: bf16 reference, smallest greedy margin {min(margins):.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--bf16-only", action="store_true",
                        help="only add the bf16 references to the fixtures in OUT")
    args = parser.parse_args()
    if args.bf16_only:
        for name in ("tiny_v3", "tiny_v2_lite", "tiny_v3_dense"):
            add_bf16_reference(args.out, name)
        return
    write(args.out, "tiny_v3", TINY_V3, seed=1)
    write(args.out, "tiny_v2_lite", TINY_V2_LITE, seed=2)
    write(args.out, "tiny_v3_fp8", TINY_V3_FP8, seed=3)
    write(args.out, "tiny_v3_dense", TINY_V3_DENSE, seed=4)
    for name in ("tiny_v3", "tiny_v2_lite", "tiny_v3_dense"):
        add_bf16_reference(args.out, name)


if __name__ == "__main__":
    main()
