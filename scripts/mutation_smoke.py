#!/usr/bin/env python3
"""Feeds randomly mutated copies of a model to ternc and reports crashes.

    python3 scripts/mutation_smoke.py --ternc build/bin/ternc --seed 7 --count 250 MODEL

Each copy has 1 to 8 random bytes replaced. ternc must exit 0 or 1; any other
status (a signal, a sanitizer abort) is a crash, and the input is kept as
crash-N.onnx in the working folder. A quick check until libFuzzer harnesses
run in CI.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--ternc", default="build/bin/ternc")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("ternc_args", nargs="*", help="extra ternc arguments (after --)")
    args = parser.parse_args()
    data = open(args.model, "rb").read()
    rng = random.Random(args.seed)
    crashes = 0
    with tempfile.TemporaryDirectory() as tmp:
        mutated = os.path.join(tmp, "mutated.onnx")
        for _ in range(args.count):
            copy = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                copy[rng.randrange(len(copy))] = rng.randrange(256)
            open(mutated, "wb").write(copy)
            result = subprocess.run([args.ternc, mutated, "-o", os.devnull, *args.ternc_args],
                                    capture_output=True)
            if result.returncode not in (0, 1):
                crashes += 1
                open(f"crash-{crashes}.onnx", "wb").write(copy)
                print(f"crash-{crashes}.onnx: exit {result.returncode}:",
                      result.stderr[-400:].decode("utf-8", "replace"))
    print(f"{args.count} mutated inputs, {crashes} crashes")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
