/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "pending.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "hexname.h"
#include "procid.h"
#include "rundir.h"

/* runtime_dir/pending: root-only, made on first use. */
int pending_open(const char *runtime_dir)
{
	return rundir_open(runtime_dir, "pending");
}

/*
 * A record is a directory named "<pid namespace>.<mount namespace id>.<instance
 * path in hex>": only a close in the same pid namespace, whose /proc scan
 * sees every process that could use the mount namespace, may sweep it.
 */
int pending_defer(int pending_fd, uint64_t ino, const char *path)
{
	char name[256];
	uint64_t pidns = 0;
	size_t n;
	int r = procid_self_pidns(&pidns);

	if (r < 0)
		return r;
	n = (size_t)snprintf(name, sizeof(name), "%llu.%llu.", (unsigned long long)pidns,
			     (unsigned long long)ino);
	if (hexname_encode(path, name + n, sizeof(name) - n) < 0)
		return -ENAMETOOLONG;
	if (mkdirat(pending_fd, name, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}
