/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Diagnostics of the configuration reader: each one is a ready-to-print line
 * "FILE:LINE: message" (or "FILE: message" for whole-file problems), so every
 * consumer, polyns-check, the helper's log forwarding and the tests, prints
 * the same text.
 */
#ifndef POLYNS_DIAG_H
#define POLYNS_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#define DIAG_MAX 1000 /* later ones are counted, not stored */

enum diag_level {
	DIAG_ERROR,
	DIAG_WARNING,
};

struct diag {
	enum diag_level level;
	char *text;
};

struct diag_list {
	struct diag *v;
	size_t n;
	size_t n_errors;  /* including ones not stored */
	size_t n_dropped; /* not stored: over DIAG_MAX or out of memory */
};

/* line 0 means "the whole file". */
__attribute__((format(printf, 5, 6))) void
diag_add(struct diag_list *dl, enum diag_level level, const char *file,
	 unsigned int line, const char *fmt, ...);

void diag_list_free(struct diag_list *dl);

#endif
