#!/usr/bin/env python3
"""What a function's resident memory belongs to, from the maps `fdk_bench --smaps DIR` keeps.

    bench/smaps_summary.py DIR [DIR...]      (one DIR per benchmark run)

For each target and moment (idle after start, after load) it prints the resident KiB per kind of
mapping: each shared object's and the binary's code, its other file pages (read-only data,
relocations, .data) and its .bss, the main heap, the other threads' malloc arenas, the thread
stacks, the rest. With several runs it prints the median of each figure, and the runs' totals.

The kinds come from the layout glibc gives them (glibc 2.36, x86-64):
  - a thread stack is an anonymous rw mapping right above its 4 KiB no-access guard page;
  - a thread's malloc arena is an anonymous rw mapping that starts on a 64 MiB boundary
    (HEAP_MAX_SIZE), with the rest of its 64 MiB reserved without access;
  - a .bss beyond the last file page is the anonymous mapping right after the file's rw part.
"""
import os
import re
import statistics
import sys
from collections import defaultdict

ARENA_ALIGNMENT = 64 * 1024 * 1024
HEADER = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \d+\s*(.*)$")


def read_mappings(path):
    """[(start, end, perms, name, rss_kib)] in address order."""
    mappings = []
    with open(path) as smaps:
        for line in smaps:
            header = HEADER.match(line)
            if header:
                start, end, perms, name = header.groups()
                mappings.append([int(start, 16), int(end, 16), perms, name.strip(), 0])
            elif line.startswith("Rss:"):
                mappings[-1][4] = int(line.split()[1])
    return mappings


def kind_of(index, mappings):
    start, end, perms, name, _ = mappings[index]
    before = mappings[index - 1] if index > 0 else None
    if name.startswith("/"):
        file = os.path.basename(name)
        return f"{file}: code" if "x" in perms else f"{file}: data, relocations, read-only"
    if name == "[heap]":
        return "heap (main malloc arena)"
    if name == "[stack]":
        return "main thread stack"
    if name.startswith("["):
        return "kernel ([vdso], [vvar])"
    if before and before[1] == start and before[3].startswith("/") and before[2] == "rw-p":
        return f"{os.path.basename(before[3])}: data, relocations, read-only"
    if perms == "rw-p" and start % ARENA_ALIGNMENT == 0:
        return "malloc arenas of other threads"
    if perms == "rw-p" and before and before[1] == start and before[2] == "---p" and before[1] - before[0] == 4096:
        return "thread stacks (besides main)"
    return "other anonymous (TLS, libuv, ld.so)"


def summarise(path):
    mappings = read_mappings(path)
    kib = defaultdict(int)
    for index, mapping in enumerate(mappings):
        kib[kind_of(index, mappings)] += mapping[4]
    return kib


def main(directories):
    runs = defaultdict(list)  # (target, moment) -> [kib per kind], one per run
    for directory in directories:
        for entry in sorted(os.listdir(directory)):
            match = re.match(r"(.+)-(idle|loaded)\.smaps$", entry)
            if match:
                runs[match.groups()].append(summarise(os.path.join(directory, entry)))
    for target in sorted({target for target, _ in runs}):
        idle, loaded = runs.get((target, "idle"), []), runs.get((target, "loaded"), [])
        kinds = sorted({kind for run in idle + loaded for kind in run},
                       key=lambda kind: -statistics.median([run.get(kind, 0) for run in loaded or idle]))
        print(f"\n{target} ({len(idle)} run(s); medians in KiB)")
        print(f"{'mapping kind':52} {'idle':>7} {'loaded':>7}")
        for kind in kinds:
            figures = [statistics.median([run.get(kind, 0) for run in runs_]) if runs_ else 0 for runs_ in (idle, loaded)]
            if any(figures):
                print(f"{kind:52} {figures[0]:>7g} {figures[1]:>7g}")
        totals = [[sum(run.values()) for run in runs_] for runs_ in (idle, loaded)]
        print(f"{'total (runs: ' + ', '.join(map(str, totals[0])) + ' / ' + ', '.join(map(str, totals[1])) + ')':52}"
              f" {statistics.median(totals[0]) if totals[0] else 0:>7g} {statistics.median(totals[1]) if totals[1] else 0:>7g}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
