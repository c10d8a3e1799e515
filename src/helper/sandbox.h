/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef POLYNS_SANDBOX_H
#define POLYNS_SANDBOX_H

#include <stdbool.h>

/*
 * Set no_new_privs and load the helper's seccomp allowlist, compiled at
 * build time from the table in sandbox_rules.c.  Anything not listed kills
 * the whole process.  With selinux, the program that also lets the helper
 * write() to the selinuxfs member fds se_prepare() put at their fixed slots.
 * 0 or -errno.
 */
int sandbox_enter(bool selinux);

#endif
