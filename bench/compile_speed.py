#!/usr/bin/env python3
"""Compile time and peak memory of ternc on DeepSeek-V2-Lite-shaped
checkpoints, per target and per --emit stage, and the size of an IR dump.

    .venv/bin/python bench/compile_speed.py --ternc build/bin/ternc \
        --checkpoints /tmp/ckpts [--layers 2 --layers 27] [--target host --target sm_90a] \
        [--cold]

For each --layers N it uses CHECKPOINTS/v2_lite_N, writing it first with
make_v2_lite_checkpoint.py when it is missing (27 layers, the published
shapes: 31.4 GB, about 3 minutes). For each target it runs ternc once per
--emit stage (tern, linalg, llvm, then ptx on a GPU target, then plan) with
--dim seq=16, and once with --dump-ir-dir (the stage files' total size),
and prints wall time and peak resident set (the child's own rusage) in a
Markdown table. Outputs go to a temporary folder beside the checkpoints and
are deleted after each run (a full plan is as large as the checkpoint).
--cold drops the page cache before each run (needs root), so runs do not
depend on what earlier ones left cached.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_measured(cmd):
    """(seconds, peak RSS in MiB) of `cmd`; exits on failure."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"compile_speed: {' '.join(cmd)} failed:\n{stderr}")
    return seconds, usage.ru_maxrss / 1024.0


def drop_caches():
    subprocess.run(["sync"], check=True)
    try:
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
    except OSError as e:
        sys.exit(f"compile_speed: --cold needs to write /proc/sys/vm/drop_caches: {e}")


def folder_bytes(path):
    return sum(os.path.getsize(os.path.join(root, name))
               for root, _, names in os.walk(path) for name in names)


def checkpoint(args, layers):
    path = os.path.join(args.checkpoints, f"v2_lite_{layers}")
    if not os.path.exists(os.path.join(path, "config.json")):
        print(f"writing {path} ({layers} layers) ...", file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(HERE, "make_v2_lite_checkpoint.py"), path,
                        "--layers", str(layers)], check=True, stdout=subprocess.DEVNULL)
    size = folder_bytes(path)
    return path, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ternc", required=True)
    parser.add_argument("--checkpoints", required=True,
                        help="folder of the generated checkpoints (reused when present)")
    parser.add_argument("--layers", type=int, action="append",
                        help="checkpoint layer counts (default: 2 and 27)")
    parser.add_argument("--target", action="append", help="ternc targets (default: host, sm_90a)")
    parser.add_argument("--cold", action="store_true", help="drop the page cache before each run")
    args = parser.parse_args()
    os.makedirs(args.checkpoints, exist_ok=True)

    rows = []
    for layers in args.layers or [2, 27]:
        path, size = checkpoint(args, layers)
        for target in args.target or ["host", "sm_90a"]:
            stages = ["tern", "linalg", "llvm"] + ([] if target == "host" else ["ptx"]) + ["plan"]
            runs = [(f"--emit={stage}", ["--emit", stage]) for stage in stages]
            runs.append(("plan with --dump-ir-dir", ["--dump-ir-dir", "DUMP"]))
            for label, flags in runs:
                work = tempfile.mkdtemp(dir=args.checkpoints, prefix="compile_speed.")
                try:
                    flags = [os.path.join(work, "ir") if f == "DUMP" else f for f in flags]
                    out = os.path.join(work, "out.tplan" if "--emit" not in flags or
                                       "plan" in flags else "out.txt")
                    if args.cold:
                        drop_caches()
                    seconds, peak = run_measured(
                        [args.ternc, path, "--dim", "seq=16", "--target", target, "--quiet",
                         "-o", out] + flags)
                    dump = folder_bytes(os.path.join(work, "ir")) if "--dump-ir-dir" in flags \
                        else None
                    output = os.path.getsize(out)
                finally:
                    shutil.rmtree(work)
                rows.append((layers, size, target, label, seconds, peak, output, dump))
                print(f"{layers} layers, {target}, {label}: {seconds:.1f} s, {peak:.0f} MiB",
                      file=sys.stderr)

    print("| checkpoint | target | run | time | peak RSS | output | IR dump |")
    print("|---|---|---|---:|---:|---:|---:|")
    for layers, size, target, label, seconds, peak, output, dump in rows:
        dump_text = f"{dump / 1e6:.1f} MB" if dump is not None else ""
        print(f"| {layers} layers, {size / 1e9:.1f} GB | {target} | {label} | {seconds:.1f} s | "
              f"{peak:.0f} MiB | {output / 1e6:,.1f} MB | {dump_text} |")


if __name__ == "__main__":
    main()
