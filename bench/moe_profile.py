#!/usr/bin/env python3
"""Where a DeepSeek checkpoint's host time goes, fused against dense: the MoE
layers' parts (router, routed experts, shared experts) from `tern-run
--profile`, for one plan compiled with the MoE fusions and one with
--no-fusion, in the same run.

    python3 bench/moe_profile.py /tmp/v2l --ternc build/bin/ternc --tern-run build/bin/tern-run

Both plans are compiled for decoding (--max-seq-len, --dim seq=PROMPT) and
each entry point is profiled --rounds times, alternating the plans, each
round --runs runs per plan; a part's time is its smallest over the rounds
(this machine's timings swing between minutes). Prints, per entry point,
the parts of `model.layers.N.mlp` (profile depth 5, and the whole MLP block
at depth 4) with the dense time, the fused time and their ratio.
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"moe_profile: {' '.join(cmd)} failed:\n{result.stderr}")
    return result.stdout


def profile(tern_run, plan, entry, runs, depth):
    """{source: (ms, launches)} of one `tern-run --profile` table, and the total."""
    out = run([tern_run, plan, "--entry", entry, "--random-inputs", "--profile",
               "--bench", str(runs), "--profile-depth", str(depth)])
    total = float(re.search(r"launches, ([\d.]+) ms in all", out).group(1))
    rows = {}
    for ms, launches, source in re.findall(r"^\s*([\d.]+)\s+[\d.]+%\s+(\d+)  (.*)$", out, re.M):
        rows[source] = (float(ms), int(launches))
    return rows, total


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkpoint")
    parser.add_argument("--ternc", default="build/bin/ternc")
    parser.add_argument("--tern-run", default="build/bin/tern-run")
    parser.add_argument("--prompt-len", type=int, default=8)
    parser.add_argument("--max-seq-len", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--runs", type=int, default=8)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="moe_profile.") as workdir:
        plans = {}
        for label, flags in (("fused", []), ("dense", ["--no-fusion"])):
            plans[label] = os.path.join(workdir, f"{label}.tplan")
            run([args.ternc, args.checkpoint, "--target=host", "--max-seq-len",
                 str(args.max_seq_len), "--dim", f"seq={args.prompt_len}", "-o", plans[label]]
                + flags)
        # best[entry][depth][label][source] = (ms, launches); totals alike.
        best = collections.defaultdict(lambda: collections.defaultdict(dict))
        totals = collections.defaultdict(dict)
        for _ in range(args.rounds):
            for entry in ("decode", "prefill"):
                for depth in (4, 5):
                    for label, plan in plans.items():
                        rows, total = profile(args.tern_run, plan, entry, args.runs, depth)
                        kept = best[entry][depth].setdefault(label, {})
                        for source, (ms, launches) in rows.items():
                            if source not in kept or ms < kept[source][0]:
                                kept[source] = (ms, launches)
                        if depth == 5:
                            totals[entry][label] = min(total, totals[entry].get(label, total))

    for entry in ("decode", "prefill"):
        print(f"\n{entry} (prompt {args.prompt_len}; smallest of {args.rounds} rounds x "
              f"{args.runs} runs, median per launch)")
        print("| part | dense ms (launches) | fused ms (launches) | dense / fused |")
        print("|---|---:|---:|---:|")
        for depth in (5, 4):
            dense, fused = best[entry][depth]["dense"], best[entry][depth]["fused"]
            parts = sorted(s for s in dense if re.search(r"\.mlp(\.|$)", s) and s in fused
                           and (depth == 4 or re.search(r"\.mlp\.(gate|experts|shared_experts)$", s)))
            for source in parts:
                (d, dl), (f, fl) = dense[source], fused[source]
                print(f"| {source} | {d:.2f} ({dl}) | {f:.2f} ({fl}) | {d / f:.1f}x |")
        d, f = totals[entry]["dense"], totals[entry]["fused"]
        print(f"| whole {entry} step | {d:.2f} | {f:.2f} | {d / f:.1f}x |")


if __name__ == "__main__":
    main()
