#!/usr/bin/env python3
"""Prefill and greedy-decode speed of a DeepSeek checkpoint on the host: Tern
(one or more ternc builds) next to transformers, in the same run, on the same
weights and prompt, with the tokens each produced.

    /tmp/benchvenv/bin/python bench/decode_speed.py /tmp/v2l \
        --ternc new=build/bin/ternc --ternc old=/tmp/old/ternc,/tmp/old/tern-run \
        --ternc dense=build/bin/ternc --ternc-flag dense=--no-fusion \
        --tern-run build/bin/tern-run \
        --prompt-len 8 --new-tokens 4

    (--ternc fp8=build/bin/ternc --ternc-checkpoint fp8=/tmp/fp8mid compiles
    another checkpoint, such as an FP8 twin of a bf16 one, for that label.)

Needs torch and transformers (not in the project's .venv):
    python3 -m venv /tmp/benchvenv && /tmp/benchvenv/bin/pip install torch transformers safetensors

Each ternc (with its own tern-run after a comma when it writes another
plan format) compiles the checkpoint for decoding (--max-seq-len, by default prompt + new,
--dim seq=prompt) for the host; tern-run generates --new-tokens greedily and
reports prefill and decode times. Tern computes in ternc's default precision,
the checkpoint's own (bf16 for DeepSeek's bfloat16 checkpoints; --ternc-flag
LABEL=--precision=f32 for f32), and transformers runs the same model in bf16
(--torch-dtype float32 for f32; repeatable), prefill as one forward and then one
forward per token with its KV cache, with torch using --torch-threads
threads and Tern --tern-threads (tern-run's default: one per core). Prints a table of prefill ms and
decode ms per token, and each one's ratio to transformers.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import warnings

import torch
from transformers import AutoModelForCausalLM


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"decode_speed: {' '.join(cmd)} failed:\n{result.stderr}")
    return result.stdout


def tern(label, ternc, tern_run, flags, checkpoint, args, prompt, workdir):
    plan = os.path.join(workdir, f"{label}.tplan")
    start = time.perf_counter()
    max_seq_len = args.max_seq_len or len(prompt) + args.new_tokens
    run([ternc, checkpoint, "--target=host", "--max-seq-len", str(max_seq_len),
         "--dim", f"seq={len(prompt)}", "-o", plan] + flags)
    compile_s = time.perf_counter() - start
    threads = ["--threads", str(args.tern_threads)] if args.tern_threads else []
    out = run([tern_run, plan, "--prompt-ids", ",".join(map(str, prompt)),
               "--max-new-tokens", str(args.new_tokens)] + threads)
    tokens = [int(t) for t in re.search(r"generated \d+ tokens on [^:]*: ([\d ]+)", out)
              .group(1).split()]
    prefill_ms = float(re.search(r"prefill: .* in ([\d.]+) ms", out).group(1))
    decode = re.search(r"decode: (\d+) tokens in ([\d.]+) ms", out)
    decode_ms = float(decode.group(2)) / max(int(decode.group(1)), 1)
    return {"name": f"Tern ({label})", "prefill": prefill_ms, "decode": decode_ms,
            "tokens": tokens, "note": f"ternc {compile_s:.1f} s"}


def transformers_run(args, prompt, dtype):
    warnings.filterwarnings("ignore", message=".*past_key_values.*")
    torch.set_num_threads(args.torch_threads)
    model = AutoModelForCausalLM.from_pretrained(args.checkpoint,
                                                 dtype=getattr(torch, dtype)).eval()
    with torch.no_grad():
        ids = torch.tensor([prompt])
        model(ids)  # warm-up
        start = time.perf_counter()
        out = model(ids, use_cache=True)
        prefill_ms = (time.perf_counter() - start) * 1e3
        token = out.logits[0, -1].argmax()
        tokens, past = [int(token)], out.past_key_values
        start = time.perf_counter()
        for _ in range(args.new_tokens - 1):
            out = model(token.view(1, 1), past_key_values=past, use_cache=True)
            past = out.past_key_values
            token = out.logits[0, -1].argmax()
            tokens.append(int(token))
        decode_ms = (time.perf_counter() - start) * 1e3 / max(args.new_tokens - 1, 1)
    return {"name": f"transformers {dtype}, {args.torch_threads} thread(s)", "prefill": prefill_ms,
            "decode": decode_ms, "tokens": tokens, "note": f"torch {torch.__version__}"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint")
    parser.add_argument("--ternc", action="append", required=True,
                        metavar="LABEL=TERNC[,TERN_RUN]")
    parser.add_argument("--tern-run", required=True)
    parser.add_argument("--ternc-flag", action="append", default=[], metavar="LABEL=FLAG",
                        help="pass FLAG to the ternc labelled LABEL (e.g. dense=--no-fusion)")
    parser.add_argument("--ternc-checkpoint", action="append", default=[],
                        metavar="LABEL=DIR",
                        help="compile DIR instead of the checkpoint for the ternc labelled "
                             "LABEL (e.g. the FP8 twin of a bf16 checkpoint); transformers "
                             "still runs the checkpoint")
    parser.add_argument("--prompt-len", type=int, default=8)
    parser.add_argument("--new-tokens", type=int, default=4)
    parser.add_argument("--max-seq-len", type=int, default=0,
                        help="the KV cache's positions per sequence Tern compiles for "
                             "(default 0: the prompt plus the new tokens)")
    parser.add_argument("--torch-threads", type=int, default=1)
    parser.add_argument("--tern-threads", type=int, default=0,
                        help="tern-run --threads (default 0: tern-run's own, one per core)")
    parser.add_argument("--torch-dtype", action="append", choices=["float32", "bfloat16"],
                        help="transformers' precision; repeatable, the first is the reference "
                             "(default bfloat16, ternc's default for a bfloat16 checkpoint)")
    args = parser.parse_args()

    prompt = [(7 * i + 1) % 1000 for i in range(args.prompt_len)]
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        for item in args.ternc:
            label, paths = item.split("=", 1)
            ternc, _, tern_run = paths.partition(",")
            flags = [f.split("=", 1)[1] for f in args.ternc_flag if f.split("=", 1)[0] == label]
            checkpoints = [c.split("=", 1)[1] for c in args.ternc_checkpoint
                           if c.split("=", 1)[0] == label]
            rows.append(tern(label, ternc, tern_run or args.tern_run, flags,
                             (checkpoints or [args.checkpoint])[-1], args, prompt, workdir))
    dtypes = args.torch_dtype or ["bfloat16"]
    references = [transformers_run(args, prompt, dtype) for dtype in dtypes]
    reference = references[0]
    rows += references
    print(f"{args.checkpoint}: prompt of {len(prompt)} tokens, {args.new_tokens} new tokens")
    print("| run | prefill | decode per token | vs transformers (prefill, decode) | tokens | |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        same = "same" if row["tokens"] == reference["tokens"] else f"DIFFER: {row['tokens']}"
        print(f"| {row['name']} | {row['prefill']:.1f} ms | {row['decode']:.1f} ms | "
              f"{row['prefill'] / reference['prefill']:.1f}x, "
              f"{row['decode'] / reference['decode']:.1f}x | {same} | {row['note']} |")


if __name__ == "__main__":
    main()
