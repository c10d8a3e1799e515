/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * polyns-admin list's output: a plain text table, or one JSON object
 * (polyns-admin(8), OUTPUT, names every field).
 */
#ifndef POLYNS_ADMIN_REPORT_H
#define POLYNS_ADMIN_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "release.h"

struct report {
	FILE *out;
	bool json;
	size_t n;
	int key_width; /* of the text table's first column */
};

/* longest_key: of the keys to come, so that the table's columns line up. */
void report_begin(struct report *rep, FILE *out, bool json, const char *runtime_dir,
		  size_t longest_key);

/* One set; v NULL when it could not be read (error: -errno, already logged). */
void report_set(struct report *rep, const char *key, const struct set_view *v, int error);

void report_end(struct report *rep);

#endif
