#!/usr/bin/env python3
"""take_pid.py MODE PID UID OUT

Give number PID to the next task of this pid namespace (through
/proc/sys/kernel/ns_last_pid: the test is alone in its pid namespace, so
nothing else takes it first), owned by UID, and keep it until killed.
MODE "thread": a thread that is not its group's leader, as a user gets by
creating threads until one has a dead caller's number; "process": a new
process (the number recycled, another start time).  Writes "tid=N tgid=M"
to OUT once the number is taken.
"""
import os
import signal
import sys
import threading


def main():
    mode, target, uid, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    report = open(out, "w")  # before dropping to the user
    with open("/proc/sys/kernel/ns_last_pid", "w") as f:
        f.write(str(target - 1))
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if mode == "thread":
        got = []
        ready = threading.Event()

        def hold():
            got.append(threading.get_native_id())
            ready.set()
            threading.Event().wait()

        threading.Thread(target=hold, daemon=True).start()
        ready.wait()
        tid = got[0]
    else:
        tid = os.fork()
        if tid == 0:
            signal.pause()
            os._exit(0)
    report.write(f"tid={tid} tgid={os.getpid()}\n")
    report.close()
    signal.pause()


main()
