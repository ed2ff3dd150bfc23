#!/usr/bin/env python3
"""Assembles every PTX module in `ternc --emit=ptx` output with ptxas.

    python3 scripts/ptxas_check.py model.ptx --ptxas /usr/local/cuda/bin/ptxas --arch sm_90a

Each module (ternc, and tern-run --extract-ptx, separate them with
"// ---- kernel module @name" lines) goes through `ptxas -v`, several at once;
the script prints one line per kernel with its registers and spills, then a
summary, and exits 1 if ptxas rejects a module or a kernel spills.
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile


def split_modules(text):
    """[(name, ptx)] of ternc's PTX output."""
    parts = re.split(r"^// ---- kernel module @(\S+)\n", text, flags=re.M)[1:]
    return list(zip(parts[0::2], parts[1::2]))


def assemble(ptxas, arch, name, ptx, tmp):
    """(registers or None, ptxas's log) of one module; None when ptxas fails or it spills."""
    path = os.path.join(tmp, name + ".ptx")
    with open(path, "w") as f:
        f.write(ptx)
    result = subprocess.run([ptxas, f"-arch={arch}", "-v", path, "-o", os.devnull],
                            capture_output=True, text=True)
    log = result.stdout + result.stderr
    registers = re.search(r"Used (\d+) registers", log)
    spills = re.search(r"(\d+) bytes spill stores, (\d+) bytes spill loads", log)
    spilled = spills and (int(spills.group(1)) or int(spills.group(2)))
    if result.returncode != 0 or spilled or not registers:
        return None, log
    return int(registers.group(1)), log


def check_modules(modules, ptxas, arch):
    """(per-kernel lines, summary, ok) for [(name, ptx)] assembled for `arch`."""
    lines, failures, max_registers = [], 0, 0
    with tempfile.TemporaryDirectory() as tmp, \
            concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        results = pool.map(lambda m: assemble(ptxas, arch, m[0], m[1], tmp), modules)
        for (name, _), (registers, log) in zip(modules, results):
            if registers is None:
                failures += 1
                lines.append(f"kernel {name}: FAILED\n{log}")
                continue
            max_registers = max(max_registers, registers)
            lines.append(f"kernel {name}: {registers} registers, no spills")
    if failures:
        return lines, f"ptxas: {failures} of {len(modules)} modules failed for {arch}", False
    return lines, (f"ptxas: {len(modules)} modules assemble for {arch}, at most {max_registers} "
                   f"registers, no spills"), True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ptx")
    parser.add_argument("--ptxas", required=True)
    parser.add_argument("--arch", default="sm_90a")
    args = parser.parse_args()

    modules = split_modules(open(args.ptx).read())
    if not modules:
        sys.exit(f"{args.ptx}: no kernel modules found")
    lines, summary, ok = check_modules(modules, args.ptxas, args.arch)
    print("\n".join(lines))
    if not ok:
        sys.exit(summary)
    print(summary)


if __name__ == "__main__":
    main()
