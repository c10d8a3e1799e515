#!/usr/bin/env python3
"""many_mntns.py N

What any user can do (`unshare -Urm sleep`, N times), cheaply: N processes,
each in a new user and mount namespace of its own, kept until killed (they
also die with this process).  Prints their pids, one a line, once all of
them are in their namespaces.
"""
import ctypes
import os
import signal
import sys

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
PR_SET_PDEATHSIG = 1


def main():
    n = int(sys.argv[1])
    libc = ctypes.CDLL(None, use_errno=True)
    r, w = os.pipe()
    pids = []
    for _ in range(n):
        pid = os.fork()
        if pid == 0:
            os.close(r)
            ok = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0 and \
                libc.unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0
            os.write(w, b"y" if ok else b"n")
            os.close(w)
            if ok:
                signal.pause()
            os._exit(0 if ok else 1)
        pids.append(pid)
    os.close(w)
    got = b""
    while len(got) < n:
        chunk = os.read(r, n)
        if not chunk:
            break
        got += chunk
    if got.count(b"y") != n:
        sys.exit(f"many_mntns: only {got.count(b'y')} of {n} namespaces made")
    sys.stdout.write("".join(f"{p}\n" for p in pids))
    sys.stdout.flush()
    signal.pause()


main()
