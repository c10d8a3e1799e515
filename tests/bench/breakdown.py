#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The open path's breakdown from the debug lines of pam_polyns (`debug`):
each session logs the helper's "timing of open (us after main): NAME T, ..."
and then the module's "timing of open (us): spawn S, helper H, ...".  A
close that starts the helper logs the same pair for "close" (the module's
parts: before the helper, spawn, helper, total); its medians follow on a
line of their own.
Prints the median of each part over the sessions found:
  spawn      clone to the helper's exec (the module's vspawn)
  exec+reply (open) the helper's time the helper cannot see: exec to main,
             and its reply step until the module has read the reply (module's
             "helper" - helper's "done"); its exit overlaps the module's
             setns calls, and waiting for it is in "join"
  exec+exit  (close) the same, with the helper's exit and reaping
  A>B        from the helper's mark A to mark B (each step's mark is taken as
             it is entered, so A>B is step A's work plus entering B)
  join, init scripts, total   the module's figures

  breakdown.py SYSLOG_FILE"""
import re
import statistics
import sys

HELPER = re.compile(r"helper: timing of (open|close) \(us after main\): (.*)$")
MODULE = re.compile(r"\btiming of (open|close) \(us\): (.*)$")


def pairs(text):
    return [(k, int(v)) for k, v in (p.rsplit(" ", 1) for p in text.split(", "))]


def row_of(op, helper, mod):
    """One session's parts, in order."""
    if op == "open":
        row = [("spawn", mod["spawn"]), ("exec+reply", mod["helper"] - helper[-1][1])]
    else:
        row = [("before the helper", mod["before the helper"]), ("spawn", mod["spawn"]),
               ("exec+exit", mod["helper"] - helper[-1][1])]
    prev = ("main", 0)
    for name, t in helper:
        row.append((f"{prev[0]}>{name}", t - prev[1]))
        prev = (name, t)
    if op == "open":
        row += [("join", mod["join"]), ("init scripts", mod["init scripts"])]
    return row + [("total", mod["total"])]


def main():
    parts = {"open": {}, "close": {}}
    order = {"open": [], "close": []}
    helper = {}
    with open(sys.argv[1], errors="replace") as f:
        for line in f:
            m = HELPER.search(line)
            if m:
                helper[m.group(1)] = pairs(m.group(2))
                continue
            m = MODULE.search(line)
            if not m or m.group(1) not in helper:
                continue
            op = m.group(1)
            for k, v in row_of(op, helper.pop(op), dict(pairs(m.group(2)))):
                if k not in parts[op]:
                    parts[op][k] = []
                    order[op].append(k)
                parts[op][k].append(v)
    if not order["open"] and not order["close"]:
        print("no timing lines")
        return 1
    for op in ("open", "close"):
        if order[op]:
            n = len(parts[op]["total"])
            print(("" if op == "open" else "close: ") + f"({n} sessions) " + ", ".join(
                f"{k} {int(statistics.median(parts[op][k]))}" for k in order[op]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
