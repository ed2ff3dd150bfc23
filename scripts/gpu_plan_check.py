#!/usr/bin/env python3
"""Checks that a model which compiles for the host also compiles to a plan for
each GPU target, and that each plan is whole: tern-run --inspect reads it and
the PTX inside (tern-run --extract-ptx) assembles with ptxas for its chip.

    .venv/bin/python scripts/gpu_plan_check.py MODEL --ternc build/bin/ternc \
        --tern-run build/bin/tern-run --ptxas /usr/local/cuda/bin/ptxas \
        --workdir /tmp/gpu --target sm_90a --target sm_80 [--ternc-arg=--dim --ternc-arg=seq=8]

MODEL is an ONNX file or a checkpoint folder; --ternc-arg adds ternc
arguments (the prompt length, --max-seq-len, specializations). Prints one line
per target; exits 1 naming every target the model compiles for on the host
but not for (with ternc's error), or whose plan tern-run or ptxas refuses.
e2e_compare.py and hf_compare.py call check_gpu_plans on the models they run
on the host (their --gpu-plan option), so that no model the tests run on the
host can lose its GPU plan unnoticed.
"""
import argparse
import os
import re
import subprocess
import sys

import ptxas_check
import tern_tools


def check_target(model, ternc_args, target, tools, workdir):
    """(ok, report line) for one GPU target."""
    plan = os.path.join(workdir, f"gpu.{target}.tplan")

    def run(cmd):
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            return None, f"exit {result.returncode}: {' '.join(cmd)}\n{result.stderr.rstrip()}"
        return result.stdout, None

    _, error = run([tools.ternc, model, "--target", target, "-o", plan] + ternc_args)
    if error:
        return False, f"{target}: ternc failed, {error}"
    inspection, error = run([tools.tern_run, plan, "--inspect"])
    if error:
        return False, f"{target}: tern-run --inspect failed, {error}"
    kernels = re.search(r"^kernels: .*$", inspection, re.M)
    launches = sum(int(n) for n in re.findall(r"^entry point .*, (\d+) launches$", inspection,
                                              re.M))
    if f"target: {target}\n" not in inspection or not kernels:
        return False, f"{target}: tern-run --inspect does not describe an {target} plan:\n{inspection}"
    ptx = os.path.join(workdir, f"gpu.{target}.ptx")
    _, error = run([tools.tern_run, plan, "--extract-ptx", ptx])
    if error:
        return False, f"{target}: tern-run --extract-ptx failed, {error}"
    modules = ptxas_check.split_modules(open(ptx).read())
    lines, summary, ok = ptxas_check.check_modules(modules, tools.ptxas, target)
    if not ok:
        failed = "\n".join(line for line in lines if "FAILED" in line)
        return False, f"{target}: {summary}\n{failed}"
    tensor_cores = sum(1 for _, text in modules if "mma.sync" in text or "wgmma" in text)
    return True, (f"{target} plan: {kernels.group(0)}, {launches} launches; {summary}; "
                  f"tensor-core instructions in {tensor_cores}")


def check_gpu_plans(script, model, ternc_args, targets, tools, workdir):
    """Prints a line per target; exits 1 after listing every target that fails."""
    if targets and not tools.ptxas:
        sys.exit(f"{script}: --gpu-plan needs --ptxas")
    os.makedirs(workdir, exist_ok=True)
    failed = []
    for target in targets:
        ok, line = check_target(model, ternc_args, target, tools, workdir)
        print(line, file=sys.stdout if ok else sys.stderr, flush=True)
        if not ok:
            failed.append(target)
    if failed:
        sys.exit(f"{script}: {model} compiles for the host but not to a working plan for "
                 f"{', '.join(failed)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--ternc", required=True)
    parser.add_argument("--tern-run", required=True)
    parser.add_argument("--ptxas", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--target", action="append", required=True,
                        help="a GPU target (sm_80, sm_89, sm_90a; repeatable)")
    parser.add_argument("--ternc-arg", action="append", default=[],
                        help="an extra argument for ternc (repeatable)")
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    host_plan = os.path.join(args.workdir, "host.tplan")
    tern_tools.run_tool("gpu_plan_check", "ternc (host)",
                        [args.ternc, args.model, "--target", "host", "-o", host_plan] +
                        args.ternc_arg)
    print("host plan: ok", flush=True)
    check_gpu_plans("gpu_plan_check", args.model, args.ternc_arg, args.target, args,
                    args.workdir)


if __name__ == "__main__":
    main()
