/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "pending.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pending_name.h"
#include "util.h"
#include "walk.h"

int pending_record_name(uint64_t mntns, const char *path, char *name, size_t len)
{
	uint64_t pidns = 0;
	int r = procid_self_pidns(&pidns);

	return r < 0 ? r : pending_name(pidns, mntns, path, name, len);
}

/* fn(record_fd, fact) for every name in the record.  0 or -errno. */
static int each_fact(int pending_fd, const char *name,
		     int (*fn)(int fd, const char *fact, void *ctx), void *ctx)
{
	_cleanup_close_ int fd =
		openat(pending_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	return fd < 0 ? -errno : walk_each_name(fd, fn, ctx);
}

static int remove_fact(int fd, const char *fact, void *ctx)
{
	(void)ctx;
	return unlinkat(fd, fact, AT_REMOVEDIR) < 0 && errno != ENOENT ? -errno : 0;
}

/* The record of path; with caller, naming it, else without any. */
static int record(int pending_fd, uint64_t mntns, const char *path,
		  const struct procid *caller)
{
	char name[NAME_MAX + 1], fact[64];
	_cleanup_close_ int fd = -1;
	int r = pending_record_name(mntns, path, name, sizeof(name));

	if (r < 0)
		return r;
	if (mkdirat(pending_fd, name, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (!caller)
		return each_fact(pending_fd, name, remove_fact, NULL);
	r = pending_caller_name(caller, fact, sizeof(fact));
	if (r < 0)
		return r;
	fd = openat(pending_fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || (mkdirat(fd, fact, 0700) < 0 && errno != EEXIST))
		return -errno;
	return 0;
}

int pending_ahead(int pending_fd, uint64_t mntns, const char *path,
		  const struct procid *caller)
{
	return record(pending_fd, mntns, path, caller);
}

int pending_defer(int pending_fd, uint64_t mntns, const char *path)
{
	return record(pending_fd, mntns, path, NULL);
}

/* Remove the fact naming caller from the record name. */
static int remove_caller(int pending_fd, const char *name, const struct procid *caller)
{
	char fact[64];
	_cleanup_close_ int fd = openat(pending_fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW |
						  O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (pending_caller_name(caller, fact, sizeof(fact)) < 0)
		return -EINVAL;
	return remove_fact(fd, fact, NULL);
}

int pending_forget(int pending_fd, const char *name, const struct procid *caller)
{
	int r = caller ? remove_caller(pending_fd, name, caller)
		       : each_fact(pending_fd, name, remove_fact, NULL);

	if (r == -ENOENT)
		return 0;
	if (r == 0 && unlinkat(pending_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		r = -errno;
	return r;
}

static int find_caller(int fd, const char *fact, void *ctx)
{
	(void)fd;
	return pending_caller_parse(fact, ctx);
}

int pending_caller(int pending_fd, const char *name, struct procid *caller)
{
	return each_fact(pending_fd, name, find_caller, caller);
}
