/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The seccomp allowlist as a table (sandbox_rules.c), for the build-time
 * compiler (seccomp_gen.c) and the policy text; never linked into the helper.
 */
#ifndef POLYNS_SANDBOX_RULES_H
#define POLYNS_SANDBOX_RULES_H

#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>

#include "steps.h"

/*
 * A libseccomp context for step s: every rule that s or a later step needs
 * (with polydirs ahead, write() on the selinuxfs member fds' fixed slots;
 * for the test build, futex for its hang hook).  NULL on failure.
 */
scmp_filter_ctx sandbox_rules_build(enum step s, bool test_hooks);

/* The table, for the unit tests: its size, and whether rule i is in step s's program. */
size_t sandbox_rules_count(void);
bool sandbox_rule_in_program(size_t i, enum step s);
/* Rule i's syscall number and its first argument condition's value (0 if none). */
int sandbox_rule_syscall(size_t i, unsigned long long *arg1);

/* The allowlist as reviewed text (policy/seccomp-allowlist.txt). */
void sandbox_rules_write_policy(FILE *out);

#endif
