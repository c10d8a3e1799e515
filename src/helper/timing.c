/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "timing.h"

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "hlog.h"
#include "util.h"

#define MAX_MARKS 16

static struct {
	const char *name;
	uint64_t us; /* monotonic_us(): the vDSO, no system call; 0 if it fails */
} marks[MAX_MARKS];
static size_t n_marks;

void timing_mark(const char *name)
{
	if (n_marks < ARRAY_SIZE(marks))
		marks[n_marks++] = (typeof(marks[0])){ name, monotonic_us() };
}

void timing_log(const char *op)
{
	char line[512];
	size_t len = 0;

	if (!hlog_debug_enabled() || n_marks < 2)
		return;
	for (size_t i = 1; i < n_marks && len < sizeof(line); i++) {
		int n = snprintf(line + len, sizeof(line) - len, "%s%s %llu", i > 1 ? ", " : "",
				 marks[i].name,
				 (unsigned long long)(marks[i].us - marks[0].us));

		if (n < 0)
			return;
		len += (size_t)n;
	}
	hlog_debug("timing of %s (us after main): %s", op, line);
}
