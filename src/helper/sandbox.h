/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef POLYNS_SANDBOX_H
#define POLYNS_SANDBOX_H

#include <stdio.h>

/*
 * Set no_new_privs and load the helper's seccomp allowlist (sandbox.c has
 * the table, one reason per syscall).  Anything not listed kills the whole
 * process.  selinux_fd (or -1): the selinuxfs fd se_prepare() opened, the
 * only fd the helper may write() to.  0 or -errno.
 */
int sandbox_enter(int selinux_fd);

/* The allowlist as reviewed text (policy/seccomp-allowlist.txt). */
void sandbox_write_policy(FILE *out);

#endif
