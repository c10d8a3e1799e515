#!/bin/bash
# A short run of the soak (tests/soak/run.sh; `make soak` runs 10,000 logins):
# 600 logins of four users by three workers, one a long-lived caller, in
# share=session, share=user and share=group sets with a pid namespace and in
# plain sessions, while callers, helpers, their children and holders are
# SIGKILLed at random points.  Nothing may leak (mounts, registry entries,
# pending records, instances, holders, pid namespaces, processes, the
# long-lived caller's fds) and every login must succeed or fail with a log
# line.  SOAK_SEED changes the run; a failure prints what was left.
export SOAK_LOGINS=${SOAK_LOGINS:-600} SOAK_WORKERS=${SOAK_WORKERS:-3}
exec bash "$(dirname "$0")/../soak/run.sh"
