/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef POLYNS_PREFLIGHT_H
#define POLYNS_PREFLIGHT_H

#include <stddef.h>

/*
 * Can this process join namespaces at all?  It must be single-threaded
 * (setns into a mount namespace fails otherwise) and hold CAP_SYS_ADMIN and
 * CAP_SYS_CHROOT.  0, or -errno with a reason in why.
 */
int preflight_check(char *why, size_t why_len);

#endif
