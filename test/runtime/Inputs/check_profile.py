"""Checks a `tern-run --profile` table against the plan's `--inspect` listing.

usage: check_profile.py INSPECT.txt PROFILE.txt ENTRY DEPTH

The table must account for every launch of ENTRY exactly once: its launch
counts sum to the entry's launches, and each row's count equals the number
of launches whose source, cut to DEPTH components ('.' or '/'), is the row's
source (unnamed launches as "(kernel NAME)"); the times sum to the total and
the rows come largest first.
"""
import collections
import re
import sys

inspect_path, profile_path, entry, depth = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def truncate(source):
    if depth == 0:
        return source
    components = 0
    for i, c in enumerate(source):
        starts = c not in "./" and (i == 0 or source[i - 1] in "./")
        if starts:
            components += 1
            if components > depth:
                return source[: i - 1]
    return source


expected = collections.Counter()
current = None
for line in open(inspect_path):
    header = re.match(r"entry point '([^']+)'", line)
    if header:
        current = header.group(1)
        continue
    launch = re.match(r"\s+launch \d+: (\S+) buffers[^(]*(?:\((.*)\))?$", line.rstrip("\n"))
    if launch and current == entry:
        kernel, source = launch.groups()
        expected[truncate(source) if source else f"(kernel {kernel})"] += 1

lines = open(profile_path).read().splitlines()
summary = next(l for l in lines if l.startswith("profile:"))
total_launches, total_ms = re.search(r"(\d+) launches, ([0-9.]+) ms in all", summary).groups()
rows = []
for line in lines[lines.index(summary) + 2 :]:
    row = re.match(r"\s*([0-9.]+)\s+([0-9.]+)%\s+(\d+)  (.*)$", line)
    if not row:  # tern-run's lines after the table
        break
    ms, share, launches, source = row.groups()
    rows.append((float(ms), float(share), int(launches), source))

errors = []
if sum(expected.values()) != int(total_launches):
    errors.append(f"the plan's entry has {sum(expected.values())} launches, the table says {total_launches}")
got = collections.Counter({source: launches for _, _, launches, source in rows})
if got != expected:
    errors.append(f"rows differ from the plan's sources: missing {dict(expected - got)}, extra {dict(got - expected)}")
if abs(sum(ms for ms, *_ in rows) - float(total_ms)) > 1e-4 * len(rows) + 1e-3:
    errors.append(f"row times sum to {sum(ms for ms, *_ in rows)}, total {total_ms}")
if abs(sum(share for _, share, *_ in rows) - 100.0) > 0.1 * len(rows):
    errors.append(f"shares sum to {sum(share for _, share, *_ in rows)}%")
if [ms for ms, *_ in rows] != sorted((ms for ms, *_ in rows), reverse=True):
    errors.append("rows are not largest first")
for error in errors:
    print("check_profile:", error)
print(f"{len(rows)} rows, {total_launches} launches: {'FAILED' if errors else 'ok'}")
sys.exit(1 if errors else 0)
