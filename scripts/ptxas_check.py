#!/usr/bin/env python3
"""Assembles every PTX module in `ternc --emit=ptx` output with ptxas.

    python3 scripts/ptxas_check.py model.ptx --ptxas /usr/local/cuda/bin/ptxas --arch sm_90a

Each module (ternc separates them with "// ---- kernel module @name" lines)
goes through `ptxas -v`; the script prints one line per kernel with its
registers and spills, then a summary, and exits 1 if ptxas rejects a module
or a kernel spills.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ptx")
    parser.add_argument("--ptxas", required=True)
    parser.add_argument("--arch", default="sm_90a")
    args = parser.parse_args()

    text = open(args.ptx).read()
    modules = re.split(r"^// ---- kernel module @(\S+)\n", text, flags=re.M)[1:]
    if not modules:
        sys.exit(f"{args.ptx}: no kernel modules found")
    failures = 0
    max_registers = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, ptx in zip(modules[0::2], modules[1::2]):
            path = os.path.join(tmp, name + ".ptx")
            with open(path, "w") as f:
                f.write(ptx)
            result = subprocess.run([args.ptxas, f"-arch={args.arch}", "-v", path, "-o", os.devnull],
                                    capture_output=True, text=True)
            log = result.stdout + result.stderr
            registers = re.search(r"Used (\d+) registers", log)
            spills = re.search(r"(\d+) bytes spill stores, (\d+) bytes spill loads", log)
            spilled = spills and (int(spills.group(1)) or int(spills.group(2)))
            if result.returncode != 0 or spilled or not registers:
                failures += 1
                print(f"kernel {name}: FAILED\n{log}")
                continue
            max_registers = max(max_registers, int(registers.group(1)))
            print(f"kernel {name}: {registers.group(1)} registers, no spills")
    count = len(modules) // 2
    if failures:
        sys.exit(f"ptxas: {failures} of {count} modules failed for {args.arch}")
    print(f"ptxas: {count} modules assemble for {args.arch}, at most {max_registers} registers, no spills")


if __name__ == "__main__":
    main()
