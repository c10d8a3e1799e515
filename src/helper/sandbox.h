/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef POLYNS_SANDBOX_H
#define POLYNS_SANDBOX_H

#include <stddef.h>
#include <stdio.h>

/*
 * Set no_new_privs and load the helper's seccomp allowlist (sandbox.c has
 * the table, one reason per syscall).  Anything not listed kills the whole
 * process.  selinux_fds (-1 entries skipped): the selinuxfs fds se_prepare()
 * opened, the only fds the helper may write() to.  0 or -errno.
 */
int sandbox_enter(const int *selinux_fds, size_t n);

/* The allowlist as reviewed text (policy/seccomp-allowlist.txt). */
void sandbox_write_policy(FILE *out);

#endif
