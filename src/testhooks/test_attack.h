/* SPDX-License-Identifier: BSD-3-Clause */
/* Test-only: one hostile operation from inside the helper (see test_attack.c). */
#ifndef POLYNS_TEST_ATTACK_H
#define POLYNS_TEST_ATTACK_H

/* Try op ("read", "fchmod", ...); arg is a uid or pid where the op needs one. */
void test_attack(const char *op, long arg);

#endif
