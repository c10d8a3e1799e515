/* SPDX-License-Identifier: BSD-3-Clause */
/* RELRO for the static PIE helper (relro.c). */
#ifndef POLYNS_RELRO_H
#define POLYNS_RELRO_H

/* Make the PT_GNU_RELRO segment read-only.  0 or -errno. */
int relro_seal(void);

#endif
