#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The open path's breakdown from the debug lines of pam_polyns (`debug`):
each session logs the helper's "timing of open (us after main): NAME T, ..."
and then the module's "timing of open (us): spawn S, helper H, ...".
Prints the median of each part over the sessions found:
  spawn      clone to the helper's exec (the module's vspawn)
  exec+exit  the helper's time the helper cannot see: exec to main, and its
             reply step, exit and reaping (module's "helper" - helper's "done")
  A>B        from the helper's mark A to mark B (each step's mark is taken as
             it is entered, so A>B is step A's work plus entering B)
  join, init scripts, total   the module's figures

  breakdown.py SYSLOG_FILE"""
import re
import statistics
import sys

HELPER = re.compile(r"helper: timing of open \(us after main\): (.*)$")
MODULE = re.compile(r"\btiming of open \(us\): (.*)$")


def pairs(text):
    return [(k, int(v)) for k, v in (p.rsplit(" ", 1) for p in text.split(", "))]


def main():
    parts, order, helper = {}, [], None
    with open(sys.argv[1], errors="replace") as f:
        for line in f:
            m = HELPER.search(line)
            if m:
                helper = pairs(m.group(1))
                continue
            m = MODULE.search(line)
            if not m or helper is None:
                continue
            mod = dict(pairs(m.group(1)))
            row = [("spawn", mod["spawn"]),
                   ("exec+exit", mod["helper"] - helper[-1][1])]
            prev = ("main", 0)
            for name, t in helper:
                row.append((f"{prev[0]}>{name}", t - prev[1]))
                prev = (name, t)
            row += [("join", mod["join"]), ("init scripts", mod["init scripts"]),
                    ("total", mod["total"])]
            for k, v in row:
                if k not in parts:
                    parts[k] = []
                    order.append(k)
                parts[k].append(v)
            helper = None
    if not order:
        print("no timing lines")
        return 1
    n = len(parts["total"])
    print(f"({n} sessions) " + ", ".join(
        f"{k} {int(statistics.median(parts[k]))}" for k in order))
    return 0


if __name__ == "__main__":
    sys.exit(main())
