#!/usr/bin/env python3
"""report.py OUTDIR SYSLOG LOGINS WORKERS SEED FAULTS [REPORT.md]

The soak's verdict: reads the driver's results.N and summary, run.sh's
checks, and the syslog lines the module wrote for each login (its caller
opens syslog as "soak-ID"); prints TAP lines (one per promise) and a table
of figures; with REPORT.md, writes the table there.  Exit status 1 if a
promise was broken.
"""
import collections
import datetime
import os
import platform
import re
import sys

LINE = re.compile(r"^<(\d+)>.*? (soak-(?:sweep-)?\d+)\[\d+\]: pam_polyns\([^)]*\): (.*)$")
FAULTS = ["caller-open", "caller-session", "caller-close", "helper-open", "helper-close",
          "helper-child", "holder"]
LOG_ERR, LOG_WARNING = 3, 4


def keyvals(path):
    out = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            out.setdefault(k, v)
    return out


def results(outdir):
    """One dict per login; and the long-lived callers' last lines."""
    rows, callers = [], []
    for name in sorted(os.listdir(outdir)):
        if name.startswith("results."):
            with open(os.path.join(outdir, name)) as f:
                for line in f:
                    d = dict(kv.split("=", 1) for kv in line.split())
                    (callers if "long_lived_caller" in d else rows).append(d)
    return rows, callers


def normalize(msg):
    """One reason per kind of line: numbers, paths and keys made generic."""
    msg = re.sub(r"(user|group|session)-[0-9a-f-]+", r"\1-KEY", msg)
    msg = re.sub(r"/[^\s:,()']+", "PATH", msg)
    msg = re.sub(r"\d+", "N", msg)
    return msg


def logs(path):
    """ident -> [(level, message)]; and counts of the lines that tell of piles"""
    by_ident = collections.defaultdict(list)
    piles = collections.Counter()
    with open(path, errors="replace") as f:
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if m:
                by_ident[m.group(2)].append((int(m.group(1)) & 7, m.group(3)))
                if "releasing the stale shared namespaces" in m.group(3):
                    piles["stale sets released by another login or close"] += 1
                elif "goes at a later close" in m.group(3):
                    piles["tmpdir instances kept at close for a later one"] += 1
    return by_ident, piles


def reason(lines):
    """The module's own first error line, and what the helper said first."""
    errs = [m for lvl, m in lines if lvl <= LOG_WARNING]
    own = [m for m in errs if not m.startswith("helper: ")]
    helper = [m[len("helper: "):] for m in errs if m.startswith("helper: ")]
    text = normalize(own[0]) if own else "(no line of the module's own)"
    if helper:
        text += " / helper: " + normalize(helper[0])
    return text


def main():
    outdir, syslog = sys.argv[1], sys.argv[2]
    logins, workers, seed, faults = sys.argv[3:7]
    report_path = sys.argv[7] if len(sys.argv) > 7 else None
    rows, callers = results(outdir)
    summary = keyvals(os.path.join(outdir, "summary")) if os.path.exists(
        os.path.join(outdir, "summary")) else {}
    checks = keyvals(os.path.join(outdir, "checks"))
    by_ident, piles = logs(syslog)

    sent = collections.Counter()
    missed = collections.Counter()
    killed_in = collections.Counter()
    fail_reasons = collections.Counter()
    close_reasons = collections.Counter()
    unfaulted_errors = collections.Counter()
    services = collections.Counter()
    ok = failed = killed = 0
    broken = collections.defaultdict(list)  # promise -> login ids
    fds = collections.defaultdict(list)     # long-lived worker -> fd counts
    for r in rows:
        ident = "soak-" + r["id"]
        lines = by_ident.get(ident, [])
        services[r["service"]] += 1
        fault = r["fault"]
        if fault != "none":
            (sent if r["sent"] == "1" else missed)[fault] += 1
        if r["mode"] == "long" and r["fds"] != "-1":
            fds[r["worker"]].append(int(r["fds"]))
        if r["hang"] == "1":
            broken["a login hung"].append(r["id"])
        if r["failopen"] == "1":
            broken["a failed open changed the caller's namespaces"].append(r["id"])
        if r["pidns_kept"] == "1":
            broken["close did not give back the children's pid namespace"].append(r["id"])
        if r["caller_killed"] == "1":
            killed += 1
            killed_in[r["died_in"]] += 1
            continue
        if r["open"] == "-1":
            broken["a caller ended without a result (not killed)"].append(r["id"])
        elif r["open"] == "0":
            ok += 1
            if r["close"] != "0":
                broken["close did not return PAM_SUCCESS"].append(r["id"])
            errs = [m for lvl, m in lines if lvl <= LOG_ERR]
            if errs and fault == "none":
                unfaulted_errors[reason(lines)] += 1
            elif errs:
                close_reasons[reason(lines)] += 1
        else:
            failed += 1
            if not any(lvl <= LOG_ERR for lvl, _ in lines):
                broken["a login failed without a log line"].append(r["id"])
            fail_reasons[reason(lines)] += 1
            if fault == "none":
                unfaulted_errors[reason(lines)] += 1

    leaks = [
        ("mounts left in the soak's mount namespace", checks.get("mounts_left")),
        ("mounts of the soak's namespace gone", checks.get("mounts_gone")),
        ("registry entries, locks or half entries left", checks.get("registry_dir_left")),
        ("pending records left", checks.get("pending_dir_left")),
        ("tmpdir instances left", checks.get("tmpdir_instances_left")),
        ("unexpected user-method instances", checks.get("user_instances_unexpected")),
        ("holders or other children of the driver left", summary.get("children_left", "?")),
        ("processes left in the soak's pid namespace", checks.get("processes_left")),
        ("pid namespaces left (processes in them)", checks.get("pidns_left")),
    ]
    fd_growth = sum(max(0, v[-1] - v[0]) for v in fds.values() if v)
    leaks.append(("fds leaked by the long-lived caller (last minus first)", str(fd_growth)))

    # TAP, one line per promise.
    n = 0
    failures = 0

    def tap(good, name, *diag):
        nonlocal n, failures
        n += 1
        print(("ok" if good else "not ok") + f" {n} - {name}")
        if not good:
            failures += 1
            for d in diag:
                print("#   " + d)

    tap(checks.get("driver_status") == "0", "soak_driver_ran", "status " + checks.get("driver_status", "?"))
    tap(len(rows) == int(logins), "every_login_has_a_result", f"{len(rows)} of {logins}")
    for name, v in leaks:
        tap(v == "0", "no_leak: " + name, f"{v}; see leftovers below")
    for promise in ["a login hung", "a failed open changed the caller's namespaces",
                    "close did not give back the children's pid namespace",
                    "a caller ended without a result (not killed)",
                    "close did not return PAM_SUCCESS", "a login failed without a log line"]:
        ids = broken.get(promise, [])
        tap(not ids, "never: " + promise, f"{len(ids)} logins, e.g. {' '.join(ids[:10])}")
    sigsys = sorted(i for i, lines in by_ident.items()
                    if any("seccomp allowlist" in m for _, m in lines))
    broken["a helper was killed by its own seccomp filter"] = sigsys
    tap(not sigsys, "never: a helper was killed by its own seccomp filter",
        f"{len(sigsys)} logins, e.g. {' '.join(sigsys[:10])}")
    tap(sum(sent.values()) > 0 or faults == "0", "faults_were_injected")
    if failures:
        with open(os.path.join(outdir, "leftovers")) as f:
            for line in f.read().splitlines()[:40]:
                print("#   " + line)
        with open(os.path.join(outdir, "summary")) as f:
            for line in f.read().splitlines()[:40]:
                print("#   " + line)

    # The table.
    md = []
    secs = float(checks.get("seconds", "0"))
    md.append(f"Run of {datetime.date.today().isoformat()}: SOAK_LOGINS={logins} "
              f"SOAK_WORKERS={workers} (one a long-lived caller) SOAK_SEED={seed} "
              f"SOAK_FAULTS={faults}%; {secs:.0f} s in all "
              f"({summary.get('logins_seconds', '?')} s of logins, "
              f"{summary.get('sweep_logins', '?')} sweep logins after them); "
              f"{os.cpu_count()} CPUs, Linux {platform.release()}.")
    md.append("")
    md.append("| logins | count |")
    md.append("|---|---|")
    md.append(f"| logins | {len(rows)} |")
    for s, c in sorted(services.items()):
        md.append(f"| service {s} | {c} |")
    md.append(f"| succeeded (opened and closed) | {ok} |")
    md.append(f"| failed, closed, with a log line | {failed} |")
    md.append(f"| caller killed by the injector | {killed} |")
    for p in ["start", "open", "session", "close", "end"]:
        if killed_in[p]:
            md.append(f"| caller killed during {p} | {killed_in[p]} |")
    for what, c in sorted(piles.items()):
        md.append(f"| {what} | {c} |")
    md.append("")
    md.append("| fault | injected | missed (its phase ended first) |")
    md.append("|---|---|---|")
    for f in FAULTS:
        md.append(f"| {f} | {sent[f]} | {missed[f]} |")
    md.append(f"| all | {sum(sent.values())} | {sum(missed.values())} |")
    md.append("")
    md.append("| failed logins by reason (the module's line / the helper's first) | count |")
    md.append("|---|---|")
    for m, c in fail_reasons.most_common():
        md.append(f"| {m} | {c} |")
    if close_reasons:
        md.append("")
        md.append("| errors logged at close of a successful login, by reason | count |")
        md.append("|---|---|")
        for m, c in close_reasons.most_common():
            md.append(f"| {m} | {c} |")
    if unfaulted_errors:
        md.append("")
        md.append("| errors in logins without a fault of their own (another worker's fault: "
                  "a holder killed, a set left by a killed caller), by reason | count |")
        md.append("|---|---|")
        for m, c in unfaulted_errors.most_common():
            md.append(f"| {m} | {c} |")
    md.append("")
    md.append("| leak | found |")
    md.append("|---|---|")
    for name, v in leaks:
        md.append(f"| {name} | {v} |")
    for name, ids in broken.items():
        md.append(f"| {name} | {len(ids)} |")
    md.append("")
    left_counted = sum(int(c["sets_left_counted"]) for c in callers)
    md.append(f"Sets that still counted a failed session of the long-lived caller when its "
              f"last login ended (known limit, SECURITY.md; released by the first login "
              f"after it exited): {left_counted}.")
    md.append("")
    md.append(f"Holders reaped by the driver (sets whose holder outlived its helper): "
              f"{summary.get('reaped_holders', '?')}; long-lived caller fds after each "
              f"login: " + ", ".join(f"first {v[0]}, max {max(v)}, last {v[-1]}"
                                     for v in fds.values() if v) + ".")
    print()
    print("\n".join(md))
    if report_path:
        with open(report_path) as f:
            doc = f.read()
        begin, end = "<!-- soak:begin -->", "<!-- soak:end -->"
        if begin in doc and end in doc:
            doc = doc[:doc.index(begin) + len(begin)] + "\n" + "\n".join(md) + "\n" + doc[doc.index(end):]
        with open(report_path, "w") as f:
            f.write(doc)
    print(f"1..{n}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
