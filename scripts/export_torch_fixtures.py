#!/usr/bin/env python3
"""Exports a tiny DeepSeek-style block with torch.onnx (both exporters).

Not run by CI (torch is large): run it in any environment with torch,
onnxscript and onnx to regenerate the checked-in fixtures, e.g.

    python3 -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch onnxscript onnx==1.18.0
    /tmp/torchenv/bin/python scripts/export_torch_fixtures.py

Writes test/frontend/onnx/Inputs/torch_block_{torchscript,dynamo}.onnx. The
sequence length is dynamic ("seq"), so the exporters emit the shape arithmetic
(Shape, Gather, Range, Concat, Expand, Where on shapes) that Tern folds once
`ternc --dim seq=N` pins it.
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


def main():
    torch.manual_seed(0)
    model = Block().eval()
    example = torch.randn(1, 5, HIDDEN)
    names = dict(input_names=["x"], output_names=["y", "expert_weights", "expert_ids"])
    path = os.path.join(OUT, "torch_block_torchscript.onnx")
    torch.onnx.export(model, (example,), path, dynamo=False, opset_version=17,
                      dynamic_axes={"x": {1: "seq"}}, **names)
    print("wrote", os.path.relpath(path, ROOT))
    path = os.path.join(OUT, "torch_block_dynamo.onnx")
    seq = torch.export.Dim("seq", min=2, max=4096)
    program = torch.onnx.export(model, (example,), dynamo=True, dynamic_shapes={"x": {1: seq}},
                                **names)
    program.save(path)
    print("wrote", os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
