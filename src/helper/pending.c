/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "pending.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hexname.h"
#include "rundir.h"
#include "util.h"

#define CALLER_PREFIX "caller."

int pending_open(const char *runtime_dir)
{
	return rundir_open(runtime_dir, "pending");
}

int pending_name(uint64_t mntns, const char *path, char *name, size_t len)
{
	uint64_t pidns = 0;
	int r = procid_self_pidns(&pidns);
	int n;

	if (r < 0)
		return r;
	n = snprintf(name, len, "%" PRIu64 ".%" PRIu64 ".", pidns, mntns);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return hexname_encode(path, name + n, len - (size_t)n);
}

/* fn(record_fd, fact) for every name in the record.  0 or -errno. */
static int each_fact(int pending_fd, const char *name,
		     int (*fn)(int fd, const char *fact, void *ctx), void *ctx)
{
	int fd = openat(pending_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct dirent *de;
	DIR *d;
	int r = 0;

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		r = -errno;
		(void)close(fd);
		return r;
	}
	while (r == 0 && (errno = 0, de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			r = fn(dirfd(d), de->d_name, ctx);
	if (r == 0 && errno)
		r = -errno;
	(void)closedir(d);
	return r;
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
	char name[NAME_MAX + 1], fact[64], id[48];
	_cleanup_close_ int fd = -1;
	int r = pending_name(mntns, path, name, sizeof(name));

	if (r < 0)
		return r;
	if (mkdirat(pending_fd, name, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (!caller)
		return each_fact(pending_fd, name, remove_fact, NULL);
	r = procid_format(caller, id, sizeof(id));
	if (r < 0)
		return r;
	(void)snprintf(fact, sizeof(fact), CALLER_PREFIX "%s", id);
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

/*
 * Only a close in the same pid namespace, whose /proc scan sees every
 * process that could use the mount namespace, may sweep the record.
 */
int pending_defer(int pending_fd, uint64_t mntns, const char *path)
{
	return record(pending_fd, mntns, path, NULL);
}

/* Remove the fact naming caller from the record name. */
static int remove_caller(int pending_fd, const char *name, const struct procid *caller)
{
	char fact[64], id[48];
	_cleanup_close_ int fd = openat(pending_fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW |
						  O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (procid_format(caller, id, sizeof(id)) < 0)
		return -EINVAL;
	(void)snprintf(fact, sizeof(fact), CALLER_PREFIX "%s", id);
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
	if (strncmp(fact, CALLER_PREFIX, strlen(CALLER_PREFIX)) != 0)
		return 0;
	return procid_parse(fact + strlen(CALLER_PREFIX), ctx) < 0 ? -EINVAL : 1;
}

int pending_caller(int pending_fd, const char *name, struct procid *caller)
{
	return each_fact(pending_fd, name, find_caller, caller);
}
