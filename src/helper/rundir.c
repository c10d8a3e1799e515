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

/* runtime_dir itself: fd, or -errno with why.  make: WALK_MKDIR or 0. */
static int open_top(const char *runtime_dir, unsigned int make, char *why, size_t len)
{
	struct walk top;
	int r = walk_open(runtime_dir, WALK_FOLLOW_SAFE | WALK_DIRECTORY | make, 0700, &top);

	if (r < 0) {
		char msg[RUNDIR_WHY_MAX];

		(void)snprintf(why, len, "runtime directory %s",
			       walk_describe(msg, sizeof(msg), runtime_dir, &top, r));
		return r;
	}
	if (check_root_only(top.fd) < 0) {
		(void)close(top.fd);
		(void)snprintf(why, len, "runtime directory %s must be root's, mode 0700",
			       runtime_dir);
		return -EPERM;
	}
	return top.fd;
}

/* runtime_dir/name, from top_fd (runtime_dir): fd, or -errno with why. */
static int open_sub(int top_fd, const char *runtime_dir, const char *name, unsigned int make,
		    char *why, size_t len)
{
	struct walk sub;
	_cleanup_close_ int sub_fd = -1;
	int fd, r = walk_openat(top_fd, name, WALK_NO_SYMLINKS | WALK_DIRECTORY | make, 0700, &sub);

	if (r < 0) {
		char msg[RUNDIR_WHY_MAX];

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

int rundir_open_each(const char *runtime_dir, const char *const *names, int *fds, size_t n,
		     char *why, size_t len)
{
	_cleanup_close_ int top_fd = open_top(runtime_dir, WALK_MKDIR, why, len);
	size_t i;

	for (i = 0; i < n; i++)
		fds[i] = -1;
	if (top_fd < 0)
		return top_fd;
	for (i = 0; i < n; i++) {
		int r = open_sub(top_fd, runtime_dir, names[i], WALK_MKDIR, why, len);

		if (r < 0) {
			while (i-- > 0) {
				(void)close(fds[i]);
				fds[i] = -1;
			}
			return r;
		}
		fds[i] = r;
	}
	return 0;
}

int rundir_open(const char *runtime_dir, const char *name, char *why, size_t len)
{
	int fd, r = rundir_open_each(runtime_dir, &name, &fd, 1, why, len);

	return r < 0 ? r : fd;
}

int rundir_open_existing(const char *runtime_dir, const char *name, char *why, size_t len)
{
	_cleanup_close_ int top_fd = open_top(runtime_dir, 0, why, len);

	return top_fd < 0 ? top_fd : open_sub(top_fd, runtime_dir, name, 0, why, len);
}
