#!/usr/bin/env python3
"""Edits a plan manifest in protobuf text format (tern-plan-manifest print)
for the loader tests: each --replace OLD NEW N replaces the Nth occurrence of
OLD (1-based); --copy-entry I appends a copy of entry point I (0-based);
--drop-dims I removes entry point I's dims; --append TEXT adds TEXT at the
end. Operations apply in order.

    edit_manifest.py IN OUT [--replace OLD NEW N]... [--copy-entry I] [--drop-dims I]
                     [--append TEXT]
"""
import re
import sys


def entry_blocks(text):
    """(start, end) of each top-level 'entry_points { ... }' block."""
    blocks, start = [], 0
    while (start := text.find("\nentry_points {\n", start)) >= 0:
        end = text.index("\n}\n", start) + 3
        blocks.append((start + 1, end))
        start = end - 1
    return blocks


def main():
    src, dst, ops = sys.argv[1], sys.argv[2], sys.argv[3:]
    text = "\n" + open(src).read()
    while ops:
        op = ops.pop(0)
        if op == "--replace":
            old, new, nth = ops.pop(0), ops.pop(0), int(ops.pop(0))
            at = -1
            for _ in range(nth):
                at = text.find(old, at + 1)
                if at < 0:
                    sys.exit(f"edit_manifest: '{old}' occurs fewer than {nth} times")
            text = text[:at] + new + text[at + len(old):]
        elif op == "--copy-entry":
            start, end = entry_blocks(text)[int(ops.pop(0))]
            text += text[start:end]
        elif op == "--drop-dims":
            start, end = entry_blocks(text)[int(ops.pop(0))]
            block = re.sub(r"\n  dims \{\n[^}]*\n  \}", "", text[start:end])
            text = text[:start] + block + text[end:]
        elif op == "--append":
            text += ops.pop(0) + "\n"
        else:
            sys.exit(f"edit_manifest: unknown operation {op}")
    open(dst, "w").write(text[1:])


if __name__ == "__main__":
    main()
