/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "walk.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

#define GROUP_OTHER_WRITE (S_IWGRP | S_IWOTH)

bool root_only_dir(const struct stat *st)
{
	return S_ISDIR(st->st_mode) && st->st_uid == 0 && !(st->st_mode & 077);
}

bool root_safe_dir(const struct stat *st, bool sticky_ok)
{
	return S_ISDIR(st->st_mode) && st->st_uid == 0 &&
	       (!(st->st_mode & GROUP_OTHER_WRITE) || (sticky_ok && (st->st_mode & S_ISVTX)));
}

bool root_safe_file(const struct stat *st)
{
	return S_ISREG(st->st_mode) && st->st_uid == 0 && !(st->st_mode & GROUP_OTHER_WRITE);
}

bool root_sealed_dir(const struct stat *st)
{
	return S_ISDIR(st->st_mode) && st->st_uid == 0 && (st->st_mode & 0777) == 0;
}

bool user_controlled(const struct stat *st)
{
	return st->st_uid != 0 || (st->st_mode & GROUP_OTHER_WRITE);
}

static int check_flags(unsigned int flags)
{
	unsigned int links = flags & (WALK_NO_SYMLINKS | WALK_FOLLOW_SAFE);

	if (links != WALK_NO_SYMLINKS && links != WALK_FOLLOW_SAFE)
		return -EINVAL;
	if ((flags & WALK_DIRECTORY) && (flags & WALK_REGULAR))
		return -EINVAL;
	/* O_RDONLY on a FIFO would block: only a directory is reopened. */
	if ((flags & (WALK_MKDIR | WALK_READ)) && !(flags & WALK_DIRECTORY))
		return -EINVAL;
	return 0;
}

/* A directory on the way (the start included). */
static int check_dir(const struct stat *st, unsigned int flags)
{
	if (!S_ISDIR(st->st_mode))
		return -ENOTDIR;
	if ((flags & WALK_ROOT_OWNED) && !root_safe_dir(st, true))
		return -EPERM;
	return 0;
}

/* What the walk ends at. */
static int check_last(const struct stat *st, unsigned int flags)
{
	if ((flags & WALK_DIRECTORY) && !S_ISDIR(st->st_mode))
		return -ENOTDIR;
	if ((flags & WALK_REGULAR) && !S_ISREG(st->st_mode))
		return S_ISDIR(st->st_mode) ? -EISDIR : -EBADFD;
	if ((flags & WALK_ROOT_OWNED) && !root_safe_dir(st, true) && !root_safe_file(st))
		return -EPERM;
	return 0;
}

/* The component at path[*pos] (slashes skipped): its length, 0 at the end. */
static size_t next_component(const char *path, size_t *pos, size_t *start)
{
	while (path[*pos] == '/')
		(*pos)++;
	*start = *pos;
	while (path[*pos] && path[*pos] != '/')
		(*pos)++;
	return *pos - *start;
}

static bool is_last(const char *path, size_t pos)
{
	while (path[pos] == '/')
		pos++;
	return path[pos] == '\0';
}

/* 1 if made, 0 if it was there, -errno. */
static int make_dir(int dir, const char *name, mode_t mode)
{
	if (mkdirat(dir, name, mode) == 0)
		return 1;
	return errno == EEXIST ? 0 : -errno;
}

/* Open name in *dir, then make the new fd *dir (closing the old one). */
static int step_into(int *dir, const char *name, bool nofollow, struct stat *st)
{
	int fd = openat(*dir, name, O_PATH | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));

	if (fd < 0)
		return -errno;
	(void)close(*dir);
	*dir = fd;
	if (fstat(fd, st) < 0)
		return -errno;
	/* O_PATH | O_NOFOLLOW opens a symlink itself rather than failing. */
	return S_ISLNK(st->st_mode) ? -ELOOP : 0;
}

/* The result: the O_PATH fd, or the directory reopened for reading. */
static int finish(int *dir, unsigned int flags, struct walk *w)
{
	if (flags & WALK_READ) {
		int fd = openat(*dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (fd < 0)
			return -errno;
		w->fd = fd;
		return 0;
	}
	w->fd = take_fd(dir);
	return 0;
}

/* The walk proper; dir (owned) is the start, already open. */
static int walk_from(int start, const char *path, unsigned int flags, mode_t mode,
		     struct walk *w)
{
	_cleanup_close_ int dir = start;
	size_t pos = 0, comp = 0, len;
	bool unsafe;
	struct stat st;
	int r;

	w->failed_len = 0; /* the start itself */
	if (fstat(dir, &st) < 0)
		return -errno;
	r = check_dir(&st, flags);
	if (r < 0)
		return r;
	unsafe = user_controlled(&st);
	w->safe_path = root_safe_dir(&st, true);
	len = next_component(path, &pos, &comp);
	if (len == 0) {
		w->failed_len = pos;
		return -EINVAL; /* the start itself is never the result */
	}
	for (;;) {
		char name[NAME_MAX + 1];
		bool last = is_last(path, pos);
		bool nofollow = (flags & WALK_NO_SYMLINKS) || unsafe;

		w->failed_len = pos;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(name, path + comp, len);
		name[len] = '\0';
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			return -EINVAL;
		if (last && (flags & WALK_MKDIR)) {
			r = make_dir(dir, name, mode);
			if (r < 0)
				return r;
			w->created = r == 1;
			nofollow = nofollow || w->created; /* what we made: no link followed */
		}
		r = step_into(&dir, name, nofollow, &st);
		if (r < 0)
			return r;
		if (last)
			break;
		r = check_dir(&st, flags);
		if (r < 0)
			return r;
		unsafe = unsafe || user_controlled(&st);
		w->safe_path = w->safe_path && root_safe_dir(&st, true);
		len = next_component(path, &pos, &comp);
	}
	r = check_last(&st, flags);
	return r < 0 ? r : finish(&dir, flags, w);
}

/* Before any syscall: the flags, the length, and w reset (fd -1, the whole path failed). */
static int walk_prepare(const char *path, unsigned int flags, bool absolute, struct walk *w)
{
	size_t n = strnlen(path, PATH_MAX);

	*w = (struct walk){ .fd = -1, .failed_len = n };
	if (n >= PATH_MAX)
		return -ENAMETOOLONG;
	if ((path[0] == '/') != absolute)
		return -EINVAL;
	return check_flags(flags);
}

/* start: an O_PATH fd of the start directory, or -1 with errno set. */
static int walk_start(int start, const char *path, unsigned int flags, mode_t mode,
		      struct walk *w)
{
	int r;

	if (start < 0) {
		w->failed_len = 0;
		return -errno;
	}
	r = walk_from(start, path, flags, mode, w);
	if (r == 0)
		w->failed_len = 0;
	return r;
}

int walk_open(const char *path, unsigned int flags, mode_t mode, struct walk *w)
{
	int r = walk_prepare(path, flags, true, w);

	if (r < 0)
		return r;
	/* openat, not open: musl's open() adds an fcntl(FD_CLOEXEC) call to every walk */
	return walk_start(openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC), path, flags,
			  mode, w);
}

int walk_openat(int dir_fd, const char *path, unsigned int flags, mode_t mode,
		struct walk *w)
{
	int r = walk_prepare(path, flags, false, w);

	if (r < 0)
		return r;
	return walk_start(openat(dir_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC), path, flags,
			  mode, w);
}

/* The walker's own refusals, as the end of "'PREFIX' ..."; NULL for other errors. */
static const char *refusal(int r)
{
	switch (r) {
	case -ELOOP:
		return "is a symlink where none may be followed, or a symlink loop";
	case -EPERM:
		return "is not root-owned, or group or others may write to it";
	case -ENOTDIR:
		return "is not a directory";
	case -EISDIR:
		return "is a directory, not a regular file";
	case -EBADFD:
		return "is not a regular file";
	case -ENOEXEC:
		return "is not executable";
	case -EINVAL:
		return "is refused: the path must be absolute (or relative to a directory), "
		       "name something below it, and hold no '.' or '..'";
	default:
		return NULL;
	}
}

const char *walk_reason(char *buf, size_t len, const char *path, const struct walk *w, int r)
{
	size_t n = strnlen(path, w->failed_len);
	const char *prefix = path, *why = refusal(r);

	if (n == 0) {
		prefix = path[0] == '/' ? "/" : ".";
		n = 1;
	}
	if (why)
		(void)snprintf(buf, len, "'%.*s' %s", (int)n, prefix, why);
	else
		(void)snprintf(buf, len, "'%.*s': %s", (int)n, prefix, strerror(-r));
	return buf;
}

const char *walk_describe(char *buf, size_t len, const char *path, const struct walk *w,
			  int r)
{
	char why[PATH_MAX + 128];

	(void)snprintf(buf, len, "%s: %s", path, walk_reason(why, sizeof(why), path, w, r));
	return buf;
}

/*
 * A getdents64(2) record: inode (8 bytes), offset (8), the record's length
 * (2), the type (1), then the name and its NUL, padded to 8 bytes.
 */
#define RECORD_LENGTH_AT 16
#define RECORD_NAME_AT 19

/* One buffer of records: fn for each name, 0 or fn's first error. */
static int each_record(const unsigned char *buf, size_t n, int dir_fd,
		       int (*fn)(int dir_fd, const char *name, void *ctx), void *ctx)
{
	for (size_t at = 0; at < n;) {
		const char *name;
		uint16_t reclen;
		int r;

		if (n - at <= RECORD_NAME_AT)
			return -EIO; /* never from the kernel */
		name = (const char *)buf + at + RECORD_NAME_AT;
		memcpy(&reclen, buf + at + RECORD_LENGTH_AT, sizeof(reclen));
		if (reclen <= RECORD_NAME_AT || reclen > n - at ||
		    !memchr(name, '\0', reclen - RECORD_NAME_AT))
			return -EIO;
		at += reclen;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		r = fn(dir_fd, name, ctx);
		if (r != 0)
			return r;
	}
	return 0;
}

/*
 * getdents64(2) itself rather than readdir(3): no DIR to allocate and free,
 * no fcntl() calls, one syscall per buffer.
 */
int walk_each_name(int dir_fd, int (*fn)(int dir_fd, const char *name, void *ctx), void *ctx)
{
	_Alignas(8) unsigned char buf[4096];
	int own = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), r = 0;

	if (own < 0)
		return -errno;
	while (r == 0) {
		long n = syscall(SYS_getdents64, own, buf, sizeof(buf));

		if (n <= 0) {
			r = n < 0 ? -errno : 0;
			break;
		}
		r = each_record(buf, (size_t)n, dir_fd, fn, ctx);
	}
	(void)close(own);
	return r;
}
