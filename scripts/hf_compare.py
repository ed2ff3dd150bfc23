#!/usr/bin/env python3
"""Compiles a HuggingFace checkpoint fixture with ternc for its reference
prompt, runs the plan with tern-run and compares the logits with the ones
transformers computed (reference.json, from scripts/make_hf_fixtures.py).

    .venv/bin/python scripts/hf_compare.py test/frontend/hf/fixtures/tiny_v3_dense \
        --ternc build/bin/ternc --tern-run build/bin/tern-run --workdir /tmp/hf

Prints the largest absolute and relative errors, and at how many positions
the highest logit is the same token; exits 1 when a logit is outside
np.allclose(tern, reference, rtol, atol) or a tool fails.

With --greedy N it also decodes N tokens greedily and compares them with
transformers' continuation. Without a KV cache yet, it compiles one plan for
the prompt plus N tokens and reruns it for each step with the tokens so far
(the rest padded with 0): attention is causal and routing per token, so the
logits at the last real position do not depend on the padding.
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np

import tern_tools


def run_tool(name, cmd):
    tern_tools.run_tool("hf_compare", name, cmd)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint")
    tern_tools.add_tool_arguments(parser)
    parser.add_argument("--rtol", type=float, default=1e-3)
    parser.add_argument("--atol", type=float, default=1e-3)
    parser.add_argument("--greedy", type=int, default=0, metavar="N",
                        help="also decode N tokens greedily and compare the continuation")
    args = parser.parse_args()

    reference = json.load(open(os.path.join(args.checkpoint, "reference.json")))
    prompt = np.array(reference["prompt"], np.int64)
    want = np.array(reference["logits"], np.float32)
    shutil.rmtree(args.workdir, ignore_errors=True)
    out_dir = os.path.join(args.workdir, "out")
    os.makedirs(out_dir)
    plan = os.path.join(args.workdir, "model.tplan")
    ids = os.path.join(args.workdir, "input_ids.npy")
    np.save(ids, prompt)
    run_tool("ternc", [args.ternc, args.checkpoint, "--dim", f"seq={len(prompt)}",
                       "--target", args.target, "-o", plan])
    run_tool("tern-run", [args.tern_run, plan, "--device", args.device,
                          "--input", f"input_ids={ids}", "--output-dir", out_dir])
    got = np.load(os.path.join(out_dir, "logits.npy"))
    if got.shape != want.shape:
        sys.exit(f"hf_compare: logits are {list(got.shape)}, the reference {list(want.shape)}")
    err = np.abs(got.astype(np.float64) - want)
    rel = err / np.maximum(np.abs(want), 1e-30)
    agree = int((got.argmax(-1) == want.argmax(-1)).sum())
    close = np.isclose(got, want, rtol=args.rtol, atol=args.atol)
    verdict = "ok" if close.all() else (
        f"MISMATCH: {int((~close).sum())} of {close.size} outside rtol={args.rtol} "
        f"atol={args.atol}")
    print(f"logits {list(got.shape)}: max abs err {err.max():.1e}, max rel err {rel.max():.1e}: "
          f"{verdict}")
    print(f"next token: {agree} of {len(prompt)} positions agree with transformers")
    if not close.all():
        sys.exit(1)
    if args.greedy:
        greedy(args, prompt, reference["greedy"][:args.greedy])


def greedy(args, prompt, want):
    """Decodes len(want) tokens after `prompt` by recomputation; exits 1 on
    the first token that differs."""
    length = len(prompt) + len(want)
    plan = os.path.join(args.workdir, "greedy.tplan")
    run_tool("ternc", [args.ternc, args.checkpoint, "--dim", f"seq={length}",
                       "--target", args.target, "-o", plan])
    tokens = list(prompt)
    ids = os.path.join(args.workdir, "greedy_ids.npy")
    out_dir = os.path.join(args.workdir, "greedy_out")
    while len(tokens) < length:
        padded = np.zeros(length, np.int64)
        padded[:len(tokens)] = tokens
        np.save(ids, padded)
        run_tool("tern-run", [args.tern_run, plan, "--device", args.device,
                              "--input", f"input_ids={ids}", "--output-dir", out_dir])
        logits = np.load(os.path.join(out_dir, "logits.npy"))
        tokens.append(int(logits[len(tokens) - 1].argmax()))
    got = tokens[len(prompt):]
    agree = next((i for i, (g, w) in enumerate(zip(got, want)) if g != w), len(want))
    print(f"greedy: {agree} of {len(want)} tokens agree with transformers "
          f"(recomputing the whole sequence each step)")
    if agree != len(want):
        sys.exit(f"hf_compare: token {agree} is {got[agree]}, transformers chose {want[agree]}; "
                 f"tern continued {got}, transformers {want}")


if __name__ == "__main__":
    main()
