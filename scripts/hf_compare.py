#!/usr/bin/env python3
"""Compiles a HuggingFace checkpoint fixture with ternc for its reference
prompt, runs the plan with tern-run and compares the logits with the ones
transformers computed (reference.json, from scripts/make_hf_fixtures.py).

    .venv/bin/python scripts/hf_compare.py test/frontend/hf/fixtures/tiny_v3_dense \
        --ternc build/bin/ternc --tern-run build/bin/tern-run --workdir /tmp/hf

Prints the largest absolute and relative errors, and at how many positions
the highest logit is the same token; exits 1 when a logit is outside
np.allclose(tern, reference, rtol, atol) or a tool fails.

With --decode N it also compiles the checkpoint for decoding (--max-seq-len,
two sequences, a prefill longer than the prompt so that padding is
exercised), has tern-run generate N tokens with the KV cache, and checks
that they are transformers' greedy continuation and that the logits of every
step equal those of one plan recomputing the whole sequence (rtol = atol =
--decode-tol). With --fusion-check it also compiles the prompt plan with
--no-fusion and checks that both plans' logits agree within --fusion-tol
(the fused ops add in another order, so not always to the bit), and counts
the fused ops in the plan's tern IR; each --fusion-prompt-len N repeats that
check on a random prompt of N tokens. With both, decoding is compared too:
the same tokens, step logits within --decode-tol, and each plan's KV cache
per token. With --precision bf16 every plan is compiled so and compared
with the fixture's bf16 reference (transformers with the model in bf16).
With --weights fp8-block (or bf16) ternc converts the weights (to FP8 blocks,
or FP8 to bf16): the logits' distance from the reference is printed, and
their cosine similarity must reach --min-cosine. --gpu-plan TARGET compiles the prompt and decoding plans for
that GPU too and checks them (scripts/gpu_plan_check.py).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

import numpy as np

import gpu_plan_check
import tern_tools


def run_tool(name, cmd):
    return tern_tools.run_tool("hf_compare", name, cmd)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint")
    tern_tools.add_tool_arguments(parser)
    parser.add_argument("--rtol", type=float, default=1e-3)
    parser.add_argument("--atol", type=float, default=1e-3)
    parser.add_argument("--decode", type=int, default=0, metavar="N",
                        help="also generate N tokens with prefill, decode and the KV cache")
    parser.add_argument("--decode-tol", type=float, default=1e-4)
    parser.add_argument("--fusion-check", action="store_true",
                        help="also compare with a plan compiled --no-fusion")
    parser.add_argument("--fusion-tol", type=float, default=1e-5)
    parser.add_argument("--precision", choices=("f32", "bf16"), default="f32",
                        help="ternc --precision; bf16 compares with the bf16 reference")
    parser.add_argument("--weights", choices=("as-stored", "fp8-block", "bf16"),
                        default="as-stored",
                        help="ternc --weights; other than as-stored, reports the logits' distance "
                        "from the reference and checks their cosine similarity (--min-cosine)")
    parser.add_argument("--min-cosine", type=float, default=0.99)
    parser.add_argument("--vs-f32-factor", type=float, default=1.5,
                        help="with --precision bf16: how many times transformers' bf16 error "
                        "against its f32 logits Tern's may be")
    parser.add_argument("--fusion-prompt-len", type=int, action="append", default=[],
                        metavar="N",
                        help="with --fusion-check, also compare on a random prompt of N tokens "
                        "(seeded ids over the vocabulary; longer prompts group more tokens per "
                        "expert); repeatable")
    args = parser.parse_args()
    if args.fusion_prompt_len and not args.fusion_check:
        parser.error("--fusion-prompt-len needs --fusion-check")

    reference = json.load(open(os.path.join(args.checkpoint, "reference.json")))
    exact = np.array(reference["logits"], np.float32)
    if args.precision != "f32":
        if args.precision not in reference:
            sys.exit(f"hf_compare: {args.checkpoint} has no {args.precision} reference")
        reference = dict(reference, **reference[args.precision])
    prompt = np.array(reference["prompt"], np.int64)
    want = np.array(reference["logits"], np.float32)
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    ids = os.path.join(args.workdir, "input_ids.npy")
    np.save(ids, prompt)
    prompt_form = ["--dim", f"seq={len(prompt)}"]
    got = run_plan(args, [], prompt_form, ids, "model")
    if got.shape != want.shape:
        sys.exit(f"hf_compare: logits are {list(got.shape)}, the reference {list(want.shape)}")
    if args.weights != "as-stored":
        return quantized_check(args, got, want)
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
    if args.precision != "f32":
        # Each bf16 computation's distance from the f32 one: Tern's may be
        # at most --vs-f32-factor times transformers'.
        def distance(logits):
            cosine = float((logits * exact).sum() / np.linalg.norm(logits) / np.linalg.norm(exact))
            return np.abs(logits - exact).max(), cosine
        (tern_err, tern_cos), (hf_err, hf_cos) = distance(got), distance(want)
        within = tern_err <= args.vs_f32_factor * hf_err
        print(f"vs transformers in f32: tern {args.precision} max abs err {tern_err:.2f}, "
              f"cosine {tern_cos:.6f}; transformers {args.precision} max abs err {hf_err:.2f}, "
              f"cosine {hf_cos:.6f}: "
              f"{'ok' if within else f'MISMATCH: more than {args.vs_f32_factor}x'}")
        if not within:
            sys.exit(1)
    if not close.all():
        sys.exit(1)
    if args.fusion_check:
        fusion_check(args, prompt_form, ids, got, "the reference prompt")
        vocab = json.load(open(os.path.join(args.checkpoint, "config.json")))["vocab_size"]
        for length in args.fusion_prompt_len:
            random_ids = os.path.join(args.workdir, f"random_ids_{length}.npy")
            np.save(random_ids, np.random.RandomState(length).randint(
                0, vocab, length).astype(np.int64))
            form = ["--dim", f"seq={length}"]
            fused = run_plan(args, [], form, random_ids, f"fused_{length}")
            fusion_check(args, form, random_ids, fused, f"a random {length}-token prompt")
    forms = {"gpu_prompt": prompt_form}
    if args.decode:
        forms["gpu_decode"] = decode(args, prompt, reference["greedy"][:args.decode])
    # --gpu-plan: the same plans compile for each GPU target too.
    for name, form in forms.items():
        gpu_plan_check.check_gpu_plans("hf_compare", args.checkpoint, form, args.gpu_plan, args,
                                       os.path.join(args.workdir, name))


def ternc_command(args, flags):
    """ternc on the checkpoint with `flags` and the chosen --precision and
    --weights."""
    return [args.ternc, args.checkpoint, "--precision", args.precision,
            "--weights", args.weights] + flags


def quantized_check(args, got, want):
    """Weights quantized by ternc compute another model: how far its logits
    are from the reference; exits 1 under --min-cosine."""
    cosine = float((got * want).sum() / np.linalg.norm(got) / np.linalg.norm(want))
    err = np.abs(got.astype(np.float64) - want).max()
    agree = int((got.argmax(-1) == want.argmax(-1)).sum())
    ok = cosine >= args.min_cosine
    print(f"--weights={args.weights} logits {list(got.shape)}: max abs err {err:.2f} "
          f"({err / np.abs(want).max():.3f} of the largest logit), cosine {cosine:.6f}: "
          f"{'ok' if ok else f'MISMATCH: under {args.min_cosine}'}")
    print(f"next token: {agree} of {len(want)} positions agree with transformers")
    if not ok:
        sys.exit(1)


def run_plan(args, flags, prompt_form, ids, name):
    """The logits of the checkpoint compiled with `flags` for `prompt_form`
    and run on the ids in the file `ids`."""
    plan = os.path.join(args.workdir, f"{name}.tplan")
    out_dir = os.path.join(args.workdir, f"{name}_out")
    run_tool("ternc", ternc_command(args, ["--target", args.target, "-o", plan] + flags +
                                    prompt_form))
    run_tool("tern-run", [args.tern_run, plan, "--device", args.device,
                          "--input", f"input_ids={ids}", "--output-dir", out_dir])
    return np.load(os.path.join(out_dir, "logits.npy"))


def fusion_check(args, prompt_form, ids, fused, what):
    """Exits 1 unless the plan compiled --no-fusion computes `fused`'s logits
    within --fusion-tol."""
    tern_ir = subprocess.run(ternc_command(args, ["--emit=tern", "--elide-weights", "-o", "-"] +
                                           prompt_form), check=True, capture_output=True,
                             text=True).stdout
    fused_ops = ("moe_route", "moe_experts", "block_scaled_matmul")
    counts = ", ".join("%d tern.%s" % (tern_ir.count(f" = tern.{op} "), op) for op in fused_ops)
    unfused = run_plan(args, ["--no-fusion"], prompt_form, ids, "unfused")
    err = np.abs(fused.astype(np.float64) - unfused).max()
    close = np.allclose(fused, unfused, rtol=args.fusion_tol, atol=args.fusion_tol)
    print(f"fused ({counts}) vs unfused on {what}: max abs err {err:.1e}: "
          f"{'ok' if close else 'MISMATCH'}")
    if not close:
        sys.exit(1)


def decode(args, prompt, want):
    """Generates len(want) tokens with the KV cache; exits 1 unless they are
    `want` and every step's logits equal recomputation's. Returns the ternc
    arguments of the decoding plan."""
    n, steps = len(prompt), len(want)
    plan = os.path.join(args.workdir, "decode.tplan")
    prefill_len = min(n + 3, n + steps)  # padding past the prompt
    decode_form = ["--max-seq-len", str(n + steps), "--max-batch", "2", "--dim",
                   f"seq={prefill_len}"]
    out_dir, cache = generate(args, plan, decode_form, prompt, steps, [], "decode")
    got = [int(t) for t in np.load(os.path.join(out_dir, "tokens.npy"))[0]]
    step_logits = np.load(os.path.join(out_dir, "logits.npy"))[0]
    agree = next((i for i, (g, w) in enumerate(zip(got, want)) if g != w), len(want))
    print(f"decode: {agree} of {steps} tokens agree with transformers (prefill, then "
          f"{steps - 1} decode steps with the KV cache)")
    if agree != steps:
        sys.exit(f"hf_compare: decoded token {agree} is {got[agree]}, transformers chose "
                 f"{want[agree]}; tern decoded {got}, transformers {want}")

    # The same logits from one pass over the prompt and the tokens chosen.
    length = n + steps - 1
    recompute = os.path.join(args.workdir, "recompute.tplan")
    run_tool("ternc", ternc_command(args, ["--dim", f"seq={length}", "--target", args.target,
                                           "-o", recompute]))
    ids = os.path.join(args.workdir, "recompute_ids.npy")
    np.save(ids, np.array(list(prompt) + got[:-1], np.int64))
    recompute_dir = os.path.join(args.workdir, "recompute_out")
    run_tool("tern-run", [args.tern_run, recompute, "--device", args.device,
                          "--input", f"input_ids={ids}", "--output-dir", recompute_dir])
    full = np.load(os.path.join(recompute_dir, "logits.npy"))[n - 1:]
    err = np.abs(step_logits.astype(np.float64) - full).max()
    close = np.allclose(step_logits, full, rtol=args.decode_tol, atol=args.decode_tol)
    print(f"decode: step logits vs recomputing the sequence: max abs err {err:.1e}: "
          f"{'ok' if close else 'MISMATCH'}")
    if not close:
        sys.exit(1)
    if args.fusion_check:
        decode_fusion_check(args, decode_form, prompt, steps, got, step_logits, cache)
    return decode_form


def generate(args, plan, decode_form, prompt, steps, flags, name):
    """Compiles `plan` for decoding with `flags` and generates `steps` tokens
    after `prompt`; returns the output folder and tern-run's KV cache line."""
    run_tool("ternc", ternc_command(args, ["--target", args.target, "-o", plan] + decode_form +
                                    flags))
    out_dir = os.path.join(args.workdir, f"{name}_out")
    stdout = run_tool("tern-run", [args.tern_run, plan, "--device", args.device, "--prompt-ids",
                                   ",".join(map(str, prompt)), "--max-new-tokens", str(steps),
                                   "--output-dir", out_dir])
    cache = next((line.split(" (")[0] for line in stdout.splitlines()
                  if line.startswith("KV cache: ")), "KV cache: ?")
    return out_dir, cache


def decode_fusion_check(args, decode_form, prompt, steps, got, step_logits, cache):
    """Exits 1 unless decoding compiled --no-fusion generates the same tokens
    with step logits within --decode-tol (latent attention adds in another
    order), and prints both plans' KV cache per token."""
    tern_ir = subprocess.run(ternc_command(args, ["--emit=tern", "--elide-weights", "-o", "-"] +
                                           decode_form), check=True, capture_output=True,
                             text=True).stdout
    attention = tern_ir.count(" = tern.mla_attention ")
    plan = os.path.join(args.workdir, "decode_unfused.tplan")
    out_dir, unfused_cache = generate(args, plan, decode_form, prompt, steps, ["--no-fusion"],
                                      "decode_unfused")
    unfused_tokens = [int(t) for t in np.load(os.path.join(out_dir, "tokens.npy"))[0]]
    unfused_logits = np.load(os.path.join(out_dir, "logits.npy"))[0]
    err = np.abs(step_logits.astype(np.float64) - unfused_logits).max()
    close = unfused_tokens == got and np.allclose(step_logits, unfused_logits,
                                                  rtol=args.decode_tol, atol=args.decode_tol)
    print(f"decode fused ({attention} tern.mla_attention, {cache[len('KV cache: '):]}) vs "
          f"unfused ({unfused_cache[len('KV cache: '):]}): same tokens "
          f"{unfused_tokens == got}, max abs err {err:.1e}: {'ok' if close else 'MISMATCH'}")
    if not close:
        sys.exit(1)


if __name__ == "__main__":
    main()
