/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef POLYNS_SANDBOX_H
#define POLYNS_SANDBOX_H

/*
 * Set no_new_privs and load the helper's seccomp allowlist (sandbox.c has
 * the table, one reason per syscall).  Anything not listed kills the whole
 * process.  0 or -errno.
 */
int sandbox_enter(void);

#endif
