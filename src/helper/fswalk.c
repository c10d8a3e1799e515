/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "fswalk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "util.h"

/* Could someone other than root change what this directory holds? */
static bool user_controlled(const struct stat *st)
{
	return st->st_uid != 0 || (st->st_mode & (S_IWGRP | S_IWOTH));
}

/* For the init script's safety arguments: sticky, root-owned counts as safe. */
static bool script_safe(const struct stat *st)
{
	return st->st_uid == 0 &&
	       (!(st->st_mode & (S_IWGRP | S_IWOTH)) || (st->st_mode & S_ISVTX));
}

static int open_component(int dirfd, const char *comp, int flags, bool nofollow,
			  const char *path, char *err, size_t errlen)
{
	int fd = openat(dirfd, comp, flags | O_DIRECTORY | O_CLOEXEC |
				     (nofollow ? O_NOFOLLOW : 0));
	struct stat st;

	if (fd >= 0)
		return fd;
	/* With O_DIRECTORY a symlink shows as ENOTDIR: say which it was. */
	if (errno == ENOTDIR && nofollow && fstatat(dirfd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode))
		errno = ELOOP;
	if (errno == ELOOP && nofollow)
		(void)snprintf(err, errlen, "%s: '%s' is a symlink in a directory "
			       "others can write to", path, comp);
	else if (errno == ENOTDIR)
		(void)snprintf(err, errlen, "%s: '%s' is not a directory", path, comp);
	else
		(void)snprintf(err, errlen, "%s: cannot open '%s': %s", path, comp,
			       strerror(errno));
	return -errno;
}

static int make_last(int dirfd, const char *comp, mode_t mode, const char *path,
		     char *err, size_t errlen)
{
	if (mkdirat(dirfd, comp, mode) == 0)
		return 1;
	if (errno == EEXIST)
		return 0;
	(void)snprintf(err, errlen, "%s: cannot create '%s': %s", path, comp,
		       strerror(errno));
	return -errno;
}

int walk_open(const char *path, unsigned int flags, mode_t mode, struct walk *w,
	      char *err, size_t errlen)
{
	char buf[CONF_PATH_MAX], *save = NULL, *comp, *next;
	_cleanup_close_ int dir = -1;
	bool nofollow = false;
	struct stat st;

	*w = (struct walk){ .fd = -1, .safe_path = true };
	if (path[0] != '/' || strlen(path) >= sizeof(buf)) {
		(void)snprintf(err, errlen, "%s: not an absolute path", path);
		return -EINVAL;
	}
	memcpy(buf, path, strlen(path) + 1);
	dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -errno;
	comp = strtok_r(buf, "/", &save);
	if (!comp) {
		(void)snprintf(err, errlen, "%s: refusing the root directory", path);
		return -EINVAL;
	}
	for (; comp; comp = next) {
		int fd;

		next = strtok_r(NULL, "/", &save);
		if (strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0) {
			(void)snprintf(err, errlen, "%s: '.' and '..' are refused", path);
			return -EINVAL;
		}
		if (!next && (flags & WALK_MKDIR)) {
			int r = make_last(dir, comp, mode, path, err, errlen);
			if (r < 0)
				return r;
			w->created = r == 1;
			/* What we made is opened without following anything. */
			nofollow = nofollow || w->created;
		}
		fd = open_component(dir, comp, next || !(flags & WALK_FULL_FD) ? O_PATH : O_RDONLY,
				    nofollow, path, err, errlen);
		if (fd < 0)
			return fd;
		(void)close(dir);
		dir = fd;
		if (!next)
			break;
		if (fstat(dir, &st) < 0)
			return -errno;
		nofollow = nofollow || user_controlled(&st);
		w->safe_path = w->safe_path && script_safe(&st);
	}
	w->fd = take_fd(&dir);
	return 0;
}
