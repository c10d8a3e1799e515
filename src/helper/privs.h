/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capabilities, through the kernel's interface (capset, prctl) directly.
 * The helper stays uid 0 but holds only what its step table (steps.c)
 * allows; the bounding and ambient sets are emptied at once and the
 * securebits locked so that uid 0 can never regain what was dropped.
 */
#ifndef POLYNS_PRIVS_H
#define POLYNS_PRIVS_H

#include <stdint.h>

/* Lock the securebits, empty bounding/ambient/inheritable.  0 or -errno. */
int privs_init(void);

/*
 * effective and permitted become these CAP_BITs (inheritable stays empty).
 * capset() refuses to raise permitted, so this only ever drops.  0 or -errno.
 */
int privs_set(uint64_t effective, uint64_t permitted);

/* "sys_admin" for CAP_SYS_ADMIN, for the policy text; "?" if unknown here. */
const char *privs_cap_name(unsigned int cap);

#endif
