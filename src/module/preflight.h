/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef POLYNS_PREFLIGHT_H
#define POLYNS_PREFLIGHT_H

/*
 * Can this process join namespaces at all?  It must be single-threaded
 * (setns into a mount namespace fails otherwise) and hold CAP_SYS_ADMIN and
 * CAP_SYS_CHROOT.  Open and close both ask.  proc_fd: a procfs that shows
 * us (at close in a pid-namespace set, the session's own /proc does not),
 * or -1 for /proc.  0, or -errno (-EBUSY: threads, -EPERM: capabilities)
 * with *what saying what is wrong.  Never logs.
 */
int preflight_check(int proc_fd, const char **what);

#endif
