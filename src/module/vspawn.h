/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Starting a child that only execs, without copying the caller: the caller
 * may be an sshd session process with tens of MiB mapped, and fork() copies
 * its page tables (about 4 ms for 64 MiB here; docs/benchmarks.md).
 */
#ifndef POLYNS_VSPAWN_H
#define POLYNS_VSPAWN_H

#include <sys/types.h>

/*
 * Run fn(arg) in a child that shares our memory (CLONE_VM|CLONE_VFORK, on a
 * stack of its own) with every signal blocked; we resume once it has
 * exec'd or exited.  fn must end in exec or _exit and, until then, may only
 * make system calls: no malloc, no stdio, no glibc wrapper that acts on all
 * threads (setuid and friends), no library with thread-local caches.  Its
 * writes to errno land in ours.  The child's pid, with *pidfd set (CLOEXEC),
 * or -errno with *call naming what failed (its stack's mmap or mprotect, or
 * clone).  SIGCHLD is sent at its exit.
 */
pid_t vspawn(int (*fn)(void *arg), void *arg, int *pidfd, const char **call);

#endif
