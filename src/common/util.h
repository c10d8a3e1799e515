/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Small helpers both halves use: scope-bound cleanup and the error convention.
 *
 * Error convention (one for the whole tree): functions return 0 (or a
 * non-negative count) on success and -errno on failure.  The caller that knows
 * the context logs once; callees never log.
 */
#ifndef POLYNS_UTIL_H
#define POLYNS_UTIL_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* CLOCK_MONOTONIC in microseconds, for the debug timing lines (0 if it fails). */
static inline uint64_t monotonic_us(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000U + (uint64_t)ts.tv_nsec / 1000U;
}

static inline void freep(void *p)
{
	free(*(void **)p);
}

static inline void closep(const int *fd)
{
	if (*fd >= 0) {
		int saved = errno;

		(void)close(*fd);
		errno = saved;
	}
}

#define _cleanup_free_ __attribute__((cleanup(freep)))
#define _cleanup_close_ __attribute__((cleanup(closep)))

/* Hand ownership out of a _cleanup_ variable. */
#define TAKE_PTR(p)                                                            \
	({                                                                     \
		__typeof__(p) take_ptr_tmp_ = (p);                             \
		(p) = NULL;                                                    \
		take_ptr_tmp_;                                                 \
	})

/* Hand an fd out of a _cleanup_close_ variable. */
static inline int take_fd(int *fd)
{
	int r = *fd;

	*fd = -1;
	return r;
}

#endif
