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
	uint64_t ns;
} marks[MAX_MARKS];
static size_t n_marks;

static uint64_t now_ns(void)
{
	struct timespec ts;

	/* The vDSO, no system call; a failure shows as a mark at 0. */
	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000U + (uint64_t)ts.tv_nsec;
}

void timing_mark(const char *name)
{
	if (n_marks < ARRAY_SIZE(marks))
		marks[n_marks++] = (typeof(marks[0])){ name, now_ns() };
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
				 (unsigned long long)((marks[i].ns - marks[0].ns) / 1000));

		if (n < 0)
			return;
		len += (size_t)n;
	}
	hlog_debug("timing of %s (us after main): %s", op, line);
}
