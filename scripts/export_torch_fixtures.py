#!/usr/bin/env python3
"""Exports tiny DeepSeek-style modules with torch.onnx (both exporters).

Not run by CI (torch is large): run it in any environment with torch,
onnxscript and onnx to regenerate the checked-in fixtures, e.g.

    python3 -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch onnxscript onnx==1.18.0
    /tmp/torchenv/bin/python scripts/export_torch_fixtures.py

Writes, into test/frontend/onnx/Inputs:

  torch_block_{torchscript,dynamo}.onnx   a decoder block with a top-k gate
  torch_moe_v3_{torchscript,dynamo}.onnx  a DeepSeek-V3 MoE block: noaux_tc
      routing (sigmoid, correction bias, groups scored by their two best,
      group-limited top-k, renormalised, scaled), every expert computed and
      combined through the dense [tokens, experts] weight matrix, one shared
      expert
  torch_moe_v2_{torchscript,dynamo}.onnx  the same with DeepSeek-V2's
      group_limited_greedy routing (softmax, groups scored by their best)
  torch_moe_v3_functions.onnx  the V3 MoE block by the TorchScript exporter
      with its experts (the Expert submodules, routed and shared) written as
      one model-local function (export_modules_as_functions), called once
      per expert
  torch_mla_v3_{torchscript,dynamo}.onnx  DeepSeek's latent attention, V3's
      form (query LoRA) with DeepSeek's interleaved RoPE layout, causal
  torch_mla_v2_half_{torchscript,dynamo}.onnx  V2-Lite's form (one query
      projection) with the half-split RoPE layout

    python3 scripts/export_torch_fixtures.py mla   # only the MLA fixtures

The sequence length is dynamic ("seq"), so the exporters emit the shape
arithmetic (Shape, Gather, Range, Concat, Expand, Where on shapes) that Tern
folds once `ternc --dim seq=N` pins it. The MoE blocks route as DeepSeek's
HF modeling code does (top-k with sorted=False, group masks by scatter and
expand, masked_fill); they combine the experts densely because the sparse
form (index_add over torch.where) exports as NonZero, whose output size
depends on the data.
"""
import argparse
import os

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "frontend", "onnx", "Inputs")
HIDDEN, HEADS, FFN, EXPERTS, TOPK = 32, 2, 64, 8, 2
HEAD_DIM = HIDDEN // HEADS


class RMSNorm(torch.nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(dim) * 0.1 + 1)

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * self.weight


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.attn_norm, self.mlp_norm = RMSNorm(HIDDEN), RMSNorm(HIDDEN)
        self.qkv = torch.nn.Linear(HIDDEN, 3 * HIDDEN, bias=False)
        self.o = torch.nn.Linear(HIDDEN, HIDDEN, bias=False)
        self.gate = torch.nn.Linear(HIDDEN, FFN, bias=False)
        self.up = torch.nn.Linear(HIDDEN, FFN, bias=False)
        self.down = torch.nn.Linear(FFN, HIDDEN, bias=False)
        self.router = torch.nn.Linear(HIDDEN, EXPERTS, bias=False)
        self.register_buffer("inv_freq", 1.0 / (10000 ** (torch.arange(0, HEAD_DIM, 2).float() / HEAD_DIM)))

    def forward(self, x):
        batch, seq, _ = x.shape
        h = self.attn_norm(x)
        q, k, v = self.qkv(h).split(HIDDEN, dim=-1)
        q, k, v = (t.view(batch, seq, HEADS, HEAD_DIM).transpose(1, 2) for t in (q, k, v))
        positions = torch.arange(seq, dtype=torch.float32)
        freqs = torch.outer(positions, self.inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos(), emb.sin()
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        scores = q @ k.transpose(-1, -2) / HEAD_DIM ** 0.5
        mask = torch.triu(torch.ones(seq, seq, dtype=torch.bool), diagonal=1)
        scores = scores.masked_fill(mask, float("-inf"))
        attn = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, seq, HIDDEN)
        x = x + self.o(attn)
        h = self.mlp_norm(x)
        x = x + self.down(torch.nn.functional.silu(self.gate(h)) * self.up(h))
        weights, ids = self.router(h).sigmoid().topk(TOPK, dim=-1)
        return x, weights / weights.sum(-1, keepdim=True), ids


MOE_FFN, N_GROUP, TOPK_GROUP = 16, 4, 2


class Expert(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.gate = torch.nn.Linear(HIDDEN, MOE_FFN, bias=False)
        self.up = torch.nn.Linear(HIDDEN, MOE_FFN, bias=False)
        self.down = torch.nn.Linear(MOE_FFN, HIDDEN, bias=False)

    def forward(self, x):
        return self.down(torch.nn.functional.silu(self.gate(x)) * self.up(x))


class MoE(torch.nn.Module):
    """DeepSeek's MoE block; `v3` picks noaux_tc routing, else V2's
    group_limited_greedy."""

    def __init__(self, v3):
        super().__init__()
        self.v3 = v3
        self.router = torch.nn.Linear(HIDDEN, EXPERTS, bias=False)
        self.register_buffer("correction_bias", torch.randn(EXPERTS) * 0.1)
        self.experts = torch.nn.ModuleList(Expert() for _ in range(EXPERTS))
        self.shared = Expert()

    def route(self, h):
        logits = self.router(h)
        per_group = EXPERTS // N_GROUP
        if self.v3:
            scores = logits.sigmoid()
            choice = scores + self.correction_bias
            groups = choice.view(-1, N_GROUP, per_group).topk(2, dim=-1)[0].sum(dim=-1)
        else:
            scores = choice = logits.softmax(dim=-1)
            groups = choice.view(-1, N_GROUP, per_group).max(dim=-1).values
        best = groups.topk(TOPK_GROUP, dim=-1, sorted=False)[1]
        group_mask = torch.zeros_like(groups).scatter_(1, best, 1)
        mask = group_mask.unsqueeze(-1).expand(-1, N_GROUP, per_group).reshape(-1, EXPERTS)
        choice = choice.masked_fill(~mask.bool(), 0.0)
        weights, ids = choice.topk(TOPK, dim=-1, sorted=False)
        if self.v3:
            weights = scores.gather(1, ids)
            weights = weights / (weights.sum(dim=-1, keepdim=True) + 1e-20) * 2.5
        return ids, weights

    def forward(self, x):
        h = x.view(-1, HIDDEN)
        ids, weights = self.route(h)
        dense = torch.zeros(h.shape[0], EXPERTS, dtype=h.dtype).scatter(1, ids, weights)
        out = self.shared(h)
        for e, expert in enumerate(self.experts):
            out = out + expert(h) * dense[:, e:e + 1]
        return out.view_as(x)


# Latent attention's sizes (DeepSeek's names): a query LoRA of Q_LORA (V3's
# form; V2-Lite projects the query directly), a latent of KV_LORA, per-head
# query/key parts without and with RoPE, value heads.
Q_LORA, KV_LORA, NOPE, ROPE, V_HEAD = 24, 16, 8, 4, 8


def rope_interleaved(x, cos, sin):
    """DeepSeek's RoPE layout (HF modeling_deepseek): the pairs (x0, x1),
    (x2, x3), ... are de-interleaved into halves, then rotated as halves."""
    b, h, s, d = x.shape
    x = x.view(b, h, s, d // 2, 2).transpose(4, 3).reshape(b, h, s, d)
    return x * cos + rotate_half(x) * sin


def rope_half(x, cos, sin):
    """The half-split layout (Llama's): the first half rotated against the
    second."""
    return x * cos + rotate_half(x) * sin


class MLA(torch.nn.Module):
    """DeepSeek's Multi-head Latent Attention as its modeling code writes it
    (prefill, causal): query through a LoRA (q_lora) or one projection; keys
    and values from a normalised latent through kv_b; RoPE on the rope parts
    only, the key's shared by all heads; softmax scale 1/sqrt(NOPE + ROPE)."""

    def __init__(self, q_lora, interleaved):
        super().__init__()
        self.q_lora, self.rope = q_lora, rope_interleaved if interleaved else rope_half
        q_out = HEADS * (NOPE + ROPE)
        if q_lora:
            self.q_a = torch.nn.Linear(HIDDEN, Q_LORA, bias=False)
            self.q_a_norm = RMSNorm(Q_LORA)
            self.q_b = torch.nn.Linear(Q_LORA, q_out, bias=False)
        else:
            self.q_proj = torch.nn.Linear(HIDDEN, q_out, bias=False)
        self.kv_a = torch.nn.Linear(HIDDEN, KV_LORA + ROPE, bias=False)
        self.kv_norm = RMSNorm(KV_LORA)
        self.kv_b = torch.nn.Linear(KV_LORA, HEADS * (NOPE + V_HEAD), bias=False)
        self.o = torch.nn.Linear(HEADS * V_HEAD, HIDDEN, bias=False)
        self.register_buffer("inv_freq", 1.0 / (10000 ** (torch.arange(0, ROPE, 2).float() / ROPE)))

    def forward(self, x):
        b, s, _ = x.shape
        q = self.q_b(self.q_a_norm(self.q_a(x))) if self.q_lora else self.q_proj(x)
        q = q.view(b, s, HEADS, NOPE + ROPE).transpose(1, 2)
        q_nope, q_pe = q.split([NOPE, ROPE], dim=-1)
        latent, k_pe = self.kv_a(x).split([KV_LORA, ROPE], dim=-1)
        k_pe = k_pe.view(b, s, 1, ROPE).transpose(1, 2)
        kv = self.kv_b(self.kv_norm(latent)).view(b, s, HEADS, NOPE + V_HEAD).transpose(1, 2)
        k_nope, v = kv.split([NOPE, V_HEAD], dim=-1)
        freqs = torch.outer(torch.arange(s, dtype=torch.float32), self.inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos(), emb.sin()
        q_pe, k_pe = self.rope(q_pe, cos, sin), self.rope(k_pe, cos, sin)
        q = torch.cat((q_nope, q_pe), dim=-1)
        k = torch.cat((k_nope, k_pe.expand(b, HEADS, s, ROPE)), dim=-1)
        scores = q @ k.transpose(-1, -2) * (NOPE + ROPE) ** -0.5
        mask = torch.triu(torch.ones(s, s, dtype=torch.bool), diagonal=1)
        scores = scores.masked_fill(mask, float("-inf"))
        attn = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, s, HEADS * V_HEAD)
        return self.o(attn)


def export(model, name, output_names):
    example = torch.randn(1, 5, HIDDEN)
    names = dict(input_names=["x"], output_names=output_names)
    path = os.path.join(OUT, f"{name}_torchscript.onnx")
    torch.onnx.export(model, (example,), path, dynamo=False, opset_version=17,
                      dynamic_axes={"x": {1: "seq"}}, **names)
    print("wrote", os.path.relpath(path, ROOT))
    path = os.path.join(OUT, f"{name}_dynamo.onnx")
    seq = torch.export.Dim("seq", min=2, max=4096)
    program = torch.onnx.export(model, (example,), dynamo=True, dynamic_shapes={"x": {1: seq}},
                                **names)
    program.save(path)
    print("wrote", os.path.relpath(path, ROOT))


def export_with_functions(model, name, output_names, modules):
    """The TorchScript export with `modules` as model-local functions."""
    example = torch.randn(1, 5, HIDDEN)
    path = os.path.join(OUT, f"{name}_functions.onnx")
    torch.onnx.export(model, (example,), path, dynamo=False, opset_version=17,
                      dynamic_axes={"x": {1: "seq"}}, input_names=["x"],
                      output_names=output_names, export_modules_as_functions=modules)
    print("wrote", os.path.relpath(path, ROOT))


def export_block():
    torch.manual_seed(0)
    export(Block().eval(), "torch_block", ["y", "expert_weights", "expert_ids"])


def export_moe():
    torch.manual_seed(0)
    export(MoE(v3=True).eval(), "torch_moe_v3", ["y"])
    torch.manual_seed(0)
    export(MoE(v3=False).eval(), "torch_moe_v2", ["y"])
    torch.manual_seed(0)
    export_with_functions(MoE(v3=True).eval(), "torch_moe_v3", ["y"], {Expert})


def export_mla():
    """V3's form (query LoRA) with DeepSeek's interleaved RoPE and V2-Lite's
    (direct query) with the half-split layout."""
    torch.manual_seed(0)
    export(MLA(q_lora=True, interleaved=True).eval(), "torch_mla_v3", ["y"])
    torch.manual_seed(0)
    export(MLA(q_lora=False, interleaved=False).eval(), "torch_mla_v2_half", ["y"])


FIXTURES = {"block": export_block, "moe": export_moe, "mla": export_mla}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", choices=sorted(FIXTURES),
                        help="export only these groups (default: all)")
    for name in parser.parse_args().only or FIXTURES:
        FIXTURES[name]()


if __name__ == "__main__":
    main()
