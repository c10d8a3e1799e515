/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "rundir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "walk.h"

/* 0, or -EPERM unless fd is a root_only_dir(). */
static int check_root_only(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	return root_only_dir(&st) ? 0 : -EPERM;
}

/* make: WALK_MKDIR or 0. */
static int open_part(const char *runtime_dir, const char *name, unsigned int make, char *why,
		     size_t len)
{
	char msg[RUNDIR_WHY_MAX];
	struct walk top, sub;
	_cleanup_close_ int top_fd = -1, sub_fd = -1;
	int fd, r = walk_open(runtime_dir, WALK_FOLLOW_SAFE | WALK_DIRECTORY | make, 0700, &top);

	if (r < 0) {
		(void)snprintf(why, len, "runtime directory %s",
			       walk_describe(msg, sizeof(msg), runtime_dir, &top, r));
		return r;
	}
	top_fd = top.fd;
	if (check_root_only(top_fd) < 0) {
		(void)snprintf(why, len, "runtime directory %s must be root's, mode 0700",
			       runtime_dir);
		return -EPERM;
	}
	r = walk_openat(top_fd, name, WALK_NO_SYMLINKS | WALK_DIRECTORY | make, 0700, &sub);
	if (r < 0) {
		(void)snprintf(why, len, "runtime directory %s: %s", runtime_dir,
			       walk_describe(msg, sizeof(msg), name, &sub, r));
		return r;
	}
	sub_fd = sub.fd;
	/* Looked at through O_PATH first: the steps that use it cannot open another's. */
	if (check_root_only(sub_fd) < 0) {
		(void)snprintf(why, len, "%s/%s must be root's, mode 0700", runtime_dir, name);
		return -EPERM;
	}
	/* The same inode, opened for reading: nothing is looked up by name again. */
	fd = openat(sub_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		(void)snprintf(why, len, "opening %s/%s: %s", runtime_dir, name, strerror(-r));
	}
	return fd < 0 ? r : fd;
}

int rundir_open(const char *runtime_dir, const char *name, char *why, size_t len)
{
	return open_part(runtime_dir, name, WALK_MKDIR, why, len);
}

int rundir_open_existing(const char *runtime_dir, const char *name, char *why, size_t len)
{
	return open_part(runtime_dir, name, 0, why, len);
}
