/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Landlock for the steps that never mount again (plan, tree, the close
 * path after its unmounts, reply): a
 * domain that handles every filesystem right the running kernel knows, with
 * only the given hierarchies opened up, and (ABI 6 and later) no signals or
 * abstract unix sockets to anything outside the domain.  A domain cannot be
 * left; a process that has one can no longer mount.
 */
#ifndef POLYNS_LANDLOCK_H
#define POLYNS_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Rights, as the kernel numbers them (linux/landlock.h; Debian 12's stops at ABI 2). */
#define LL_READ_FILE (1ULL << 2)
#define LL_READ_DIR (1ULL << 3)
#define LL_REMOVE_DIR (1ULL << 4)
#define LL_REMOVE_FILE (1ULL << 5)
#define LL_MAKE_DIR (1ULL << 7)

struct ll_beneath {
	int fd;          /* an O_PATH fd of the hierarchy's top; -1: skipped */
	uint64_t rights; /* LL_* allowed beneath it (file fds: file rights only) */
};

/*
 * Enter a domain allowing only rules[0..n) (none: no filesystem access at
 * all); with scope, also no signals or abstract unix sockets out of it
 * (ABI 6; older kernels: filesystem only).  0; -EOPNOTSUPP when the kernel
 * has no Landlock; -errno otherwise.
 */
int landlock_confine(const struct ll_beneath *rules, size_t n, bool scope);

#endif
