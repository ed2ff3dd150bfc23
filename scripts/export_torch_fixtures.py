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

The sequence length is dynamic ("seq"), so the exporters emit the shape
arithmetic (Shape, Gather, Range, Concat, Expand, Where on shapes) that Tern
folds once `ternc --dim seq=N` pins it. The MoE blocks route as DeepSeek's
HF modeling code does (top-k with sorted=False, group masks by scatter and
expand, masked_fill); they combine the experts densely because the sparse
form (index_add over torch.where) exports as NonZero, whose output size
depends on the data.
"""
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


def main():
    torch.manual_seed(0)
    export(Block().eval(), "torch_block", ["y", "expert_weights", "expert_ids"])
    torch.manual_seed(0)
    export(MoE(v3=True).eval(), "torch_moe_v3", ["y"])
    torch.manual_seed(0)
    export(MoE(v3=False).eval(), "torch_moe_v2", ["y"])
    torch.manual_seed(0)
    export_with_functions(MoE(v3=True).eval(), "torch_moe_v3", ["y"], {Expert})


if __name__ == "__main__":
    main()
