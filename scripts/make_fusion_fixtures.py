#!/usr/bin/env python3
"""Writes the fusion passes' input fixtures: the tern IR of one MoE layer,
its router and one MLA attention block, cut from what the HuggingFace
importer writes for the tiny checkpoints (ternc --emit=tern after cleanup),
with the weights elided (dense_resource handles without data, which parse).

    .venv/bin/python scripts/make_fusion_fixtures.py --ternc build/bin/ternc \
        [--out test/passes/Inputs/fusion]

For each checkpoint in test/frontend/hf/fixtures (V3 with noaux_tc routing
and a query LoRA, V2-Lite with greedy softmax routing and none, V3 with FP8
block-scaled weights) it writes OUT/NAME/:
  moe.mlir         @moe(x) -> y: layer 1's MoE block (router, every routed
                   expert weighted by its share, shared experts), from the
                   post-attention RMSNorm's output to what is added to the
                   residual; prompt of 4 tokens
  routing.mlir     @routing(x) -> weights: the router alone, up to the dense
                   [tokens, experts] combine weights the experts are scaled by
  mla.prompt.mlir  @mla(x) -> y: layer 1's attention, from the input
                   RMSNorm's output to o_proj, for a 4-token prompt
  mla.decode.mlir  @mla_decode(x, positions, caches) -> (y, caches): the same
                   for a decode step of 2 sequences with a 16-position KV cache
test/passes/fusion-fixtures.test regenerates them and fails when they differ
from the importer's output.
"""
import argparse
import os
import re
import subprocess
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKPOINTS = ["tiny_v3", "tiny_v2_lite", "tiny_v3_fp8"]
LAYER = 1  # the first MoE layer of every tiny checkpoint
VALUE = re.compile(r"%[\w.]+")


class Op:
    """One line of a function body: its results, operands and types."""

    def __init__(self, line):
        self.line = line
        lhs, _, rhs = line.partition(" = ")
        self.results = VALUE.findall(lhs) if rhs else []
        body = rhs or line
        # Operands are the values before the attribute dictionary or type
        # signature; names inside them (%arg) are operands too.
        self.operands = VALUE.findall(body.split(" : ")[0])
        signature = body.rsplit(" : ", 1)[-1]
        if "->" in signature:
            types = signature.split("->", 1)[1].strip()
        elif " to " in signature:
            types = signature.split(" to ", 1)[1].strip()
        else:
            types = signature.strip()
        types = types.strip("()")
        self.result_types = split_types(types) if self.results else []
        if len(self.result_types) == 1 and len(self.results) > 1:
            self.result_types *= len(self.results)


def split_types(text):
    """Top-level comma-separated types of `text`."""
    types, depth, start = [], 0, 0
    for i, c in enumerate(text):
        depth += c in "<(["
        depth -= c in ">)]"
        if c == "," and depth == 0:
            types.append(text[start:i].strip())
            start = i + 1
    types.append(text[start:].strip())
    return [t for t in types if t]


def parse_function(text, name):
    """(arguments [(name, type, attrs)], [Op]) of func.func @name."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip().startswith(f"func.func @{name}("))
    header = lines[start]
    arguments = re.findall(r"(%arg\d+): (tensor<[^>]*>)", header.split(") ->")[0])
    ops = []
    for line in lines[start + 1:]:
        stripped = line.strip()
        if stripped == "}":
            break
        if stripped.startswith("return"):
            continue
        ops.append(Op(stripped))
    return arguments, ops


def find(ops, predicate, what):
    for op in ops:
        if predicate(op):
            return op
    sys.exit(f"make_fusion_fixtures: cannot find {what}")


def normed_input(ops, weight):
    """(rms_norm op, its input) for the RMSNorm scaled by checkpoint `weight`."""
    constant = find(ops, lambda o: f"dense_resource<hf.{weight}>" in o.line, weight)
    widened = find(ops, lambda o: o.line.startswith(f"{o.results[0]} = tern.cast {constant.results[0]} ")
                   if o.results else False, f"the cast of {weight}")
    norm = find(ops, lambda o: "tern.rms_norm" in o.line and widened.results[0] in o.operands,
                f"the RMSNorm scaled by {weight}")
    return norm, norm.operands[0]


def slice_function(ops, arguments, name, inputs, outputs, header, states=None):
    """A function computing `outputs` from `inputs` (values of the model),
    with every op on the way and the function's own arguments it reads.
    `states` names the state (tern.state) of arguments and outputs that
    carry one, by value."""
    states = states or {}

    def attrs(value):
        state = states.get(value)
        return f' {{tern.name = "{state}", tern.state = "{state}"}}' if state else ""

    defining = {r: op for op in ops for r in op.results}
    types = {r: t for op in ops for r, t in zip(op.results, op.result_types)}
    types.update({a: t for a, t in arguments})
    needed, stack = set(), list(outputs)
    params = []
    while stack:
        value = stack.pop()
        if value in needed:
            continue
        needed.add(value)
        if value in inputs or value not in defining:
            if value not in params:
                params.append(value)
            continue
        stack.extend(defining[value].operands)
    ordered = [v for v in inputs if v in params] + sorted(
        (p for p in params if p not in inputs), key=lambda v: int(v[4:]))
    body = [op.line for op in ops if any(r in needed and r not in inputs for r in op.results)]
    signature = ", ".join(f"{v}: {types[v]}{attrs(v)}" for v in ordered)
    result_types = ", ".join(types[v] + attrs(v) for v in outputs)
    if len(outputs) > 1:
        result_types = f"({result_types})"
    text = header + f"func.func @{name}({signature}) -> {result_types} {{\n"
    text += "".join(f"  {line}\n" for line in body)
    text += f"  return {', '.join(outputs)} : {', '.join(types[v] for v in outputs)}\n}}\n"
    return text


def compile_tern(ternc, checkpoint, extra):
    # The importer's f32 graph, which the fusion passes see before any precision policy.
    result = subprocess.run([ternc, checkpoint, "--emit=tern", "--no-fusion", "--precision=f32",
                             "--elide-weights", "-o", "-"] + extra,
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"make_fusion_fixtures: ternc failed on {checkpoint}:\n{result.stderr}")
    return result.stdout.split("{-#")[0]  # the elided resource section does not parse


def header(checkpoint, what, command):
    what = "".join(f"// {line}\n" for line in textwrap.wrap(what, 96))
    return (what +
            f"// Cut from `ternc test/frontend/hf/fixtures/{checkpoint} {command} --emit=tern` by\n"
            f"// scripts/make_fusion_fixtures.py; weights elided. Do not edit: regenerate.\n")


def write_fixtures(ternc, out, checkpoint):
    path = os.path.join(ROOT, "test", "frontend", "hf", "fixtures", checkpoint)
    folder = os.path.join(out, checkpoint)
    os.makedirs(folder, exist_ok=True)
    layer = f"model.layers.{LAYER}"

    prompt = compile_tern(ternc, path, ["--dim", "seq=4"])
    arguments, ops = parse_function(prompt, "main")
    norm, residual = normed_input(ops, f"{layer}.post_attention_layernorm.weight")
    x = norm.results[0]
    after = ops[ops.index(norm) + 1:]
    add = find(after, lambda o: "tern.add" in o.line and residual in o.operands,
               "the residual add after the MoE block")
    y = next(v for v in add.operands if v != residual)
    files = {}
    files["moe.mlir"] = slice_function(
        ops, arguments, "moe", [x], [y],
        header(checkpoint, f"Layer {LAYER}'s MoE block as the HF importer writes it.",
               "--dim seq=4"))
    # The router's output: the dense [tokens, experts] weights the experts'
    # outputs are scaled by, each expert's column taken by a tern.slice.
    sliced = {o.operands[0] for o in after if o.line.partition(" = ")[2].startswith("tern.slice")}
    moe_values = set(VALUE.findall(files["moe.mlir"]))
    combine = find(after, lambda o: o.results and o.results[0] in sliced and
                   o.results[0] in moe_values, "the router's combine weights")
    files["routing.mlir"] = slice_function(
        ops, arguments, "routing", [x], [combine.results[0]],
        header(checkpoint, f"Layer {LAYER}'s router as the HF importer writes it.",
               "--dim seq=4"))

    norm, _ = normed_input(ops, f"{layer}.input_layernorm.weight")
    o_proj = f"{layer}.self_attn.o_proj.weight"
    files["mla.prompt.mlir"] = slice_function(
        ops, arguments, "mla", [norm.results[0]], [output_of(ops, o_proj)],
        header(checkpoint, f"Layer {LAYER}'s attention (MLA) for a prompt, as the HF "
               "importer writes it.", "--dim seq=4"))

    decode = compile_tern(ternc, path, ["--max-seq-len", "16", "--max-batch", "2", "--dim",
                                        "seq=4"])
    arguments, ops = parse_function(decode, "decode")
    norm, _ = normed_input(ops, f"{layer}.input_layernorm.weight")
    caches, states = cache_states(decode, "decode", LAYER)
    files["mla.decode.mlir"] = slice_function(
        ops, arguments, "mla_decode", [norm.results[0]], [output_of(ops, o_proj)] + caches,
        header(checkpoint, f"Layer {LAYER}'s attention (MLA) for a decode step "
               "of 2 sequences with a 16-position KV cache, as the HF importer writes it; the "
               "caches come in as state arguments and go out updated.",
               "--max-seq-len 16 --max-batch 2 --dim seq=4"), states)
    for name, text in files.items():
        with open(os.path.join(folder, name), "w") as f:
            f.write(text)
    return sorted(files)


def output_of(ops, weight):
    """The result of the projection by checkpoint matrix `weight`."""
    constant = find(ops, lambda o: f"dense_resource<hf.{weight}>" in o.line, weight)
    # Widened (bf16) or dequantized with its block scales (FP8).
    widened = find(ops, lambda o: o.results and constant.results[0] in o.operands and
                   ("tern.cast" in o.line or "tern.dequantize" in o.line), f"the cast of {weight}")
    gemm = find(ops, lambda o: widened.results[0] in o.operands, f"the projection by {weight}")
    return gemm.results[0]


def cache_states(text, function, layer):
    """The values `function` returns as layer `layer`'s key and value caches,
    and {value: state name} for them and the arguments they update."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip().startswith(f"func.func @{function}("))
    header = lines[start]
    result_names = re.findall(r'tensor<[^>]*> \{tern.name = "([^"]*)"', header.split(") ->", 1)[1])
    body = lines[start:]
    ret = next(l for l in body if l.strip().startswith("return "))
    values = VALUE.findall(ret.split(" : ")[0])
    wanted = [f"layers.{layer}.key_cache", f"layers.{layer}.value_cache"]
    results = [values[result_names.index(name)] for name in wanted]
    states = dict(zip(results, wanted))
    for arg, state in re.findall(r'(%arg\d+): tensor<[^>]*> \{tern.name = "[^"]*", '
                                 r'tern.state = "([^"]*)"\}', header.split(") ->", 1)[0]):
        if state in wanted:
            states[arg] = state
    return results, states


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ternc", required=True)
    parser.add_argument("--out", default=os.path.join(ROOT, "test", "passes", "Inputs", "fusion"))
    args = parser.parse_args()
    for checkpoint in CHECKPOINTS:
        names = write_fixtures(args.ternc, args.out, checkpoint)
        print(f"{checkpoint}: {', '.join(names)}")


if __name__ == "__main__":
    main()
