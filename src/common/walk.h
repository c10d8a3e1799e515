/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one path walker, and the trust predicates it and its callers judge
 * directories and files by.  The module (the helper binary, init scripts) and
 * the helper (polydirs, instance parents, runtime_dir, cleanup) open paths
 * only through walk_open()/walk_openat().
 *
 * The walk starts at "/" (or at a directory fd) and opens one component at a
 * time with openat(O_PATH | O_CLOEXEC) relative to the previous fd, then
 * fstat()s what it got: the decision for each component is made on the
 * opened inode, never on a path resolved again.  "." and ".." are refused.
 * Every intermediate component must be a directory.  A FIFO or device is
 * never opened for reading (O_PATH does not block; WALK_READ reopens only a
 * directory), so a planted FIFO cannot hang a login (CVE-2024-22365).
 *
 * openat per component, not openat2: every flag needs each directory's
 * owner and mode anyway, and the helper's seccomp filter can check openat's
 * flags (a register) but not openat2's (behind a pointer).
 *
 * Never logs.  Returns an fd (in w->fd) or -errno; on failure w->failed_len
 * says which component failed (walk_describe() turns that into a message).
 */
#ifndef POLYNS_WALK_H
#define POLYNS_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

enum walk_flag {
	/* Exactly one of these two: */
	WALK_NO_SYMLINKS = 1U << 0, /* a symlink anywhere, the last component too: -ELOOP */
	WALK_FOLLOW_SAFE = 1U << 1, /* a symlink is followed only while every directory so
				       far, the start included, is not user_controlled();
				       after the first that is, and for what the walk made,
				       a symlink is -ELOOP.  A followed link sits where only
				       root could have put it; the kernel resolves its
				       target, and only where it ends is checked */

	WALK_ROOT_OWNED = 1U << 2, /* every directory, the start included, root_safe_dir(sticky
				      ok); the last component root_safe_dir(sticky ok) or
				      root_safe_file(): else -EPERM */
	WALK_DIRECTORY = 1U << 3,  /* the last component is a directory: else -ENOTDIR */
	WALK_REGULAR = 1U << 4,	   /* the last component is a regular file: else -EISDIR
				      (a directory) or -EBADFD (anything else) */
	WALK_MKDIR = 1U << 5,	   /* with WALK_DIRECTORY: a missing last component is made
				      with mkdirat(mode) (the umask applies) */
	WALK_READ = 1U << 6,	   /* with WALK_DIRECTORY: the result is O_RDONLY (for fchmod,
				      fchown, reading entries), not O_PATH */
};

struct walk {
	int fd;		   /* the last component, O_PATH (or O_RDONLY) | O_CLOEXEC; -1 */
	bool created;	   /* WALK_MKDIR made the last component */
	bool safe_path;	   /* every directory above the last, the start included, is
			      root_safe_dir(sticky ok): pam_namespace's "safe" init arguments */
	size_t failed_len; /* on failure: the failing component ends at path[failed_len]
			      (0: the start directory; strlen(path): the whole path) */
};

/*
 * Walk the absolute path from "/".  0 with w filled (the caller owns w->fd),
 * or -errno: -EINVAL for a relative path, "/" itself, "." or ".." or a bad
 * flag combination; -ENAMETOOLONG for a path of PATH_MAX or more or a
 * component longer than NAME_MAX; -ELOOP, -EPERM, -ENOTDIR, -EISDIR, -EBADFD
 * as the flags above say; anything openat, fstat or mkdirat return.
 */
int walk_open(const char *path, unsigned int flags, mode_t mode, struct walk *w);

/*
 * The same, from the directory dir_fd (not closed; checked like "/" is)
 * along the relative path.
 */
int walk_openat(int dir_fd, const char *path, unsigned int flags, mode_t mode,
		struct walk *w);

/*
 * "PATH: 'PREFIX' REASON" for a failed walk (or a check of its result that
 * failed with -ENOEXEC), in buf, which is returned.  Always writes buf.
 */
const char *walk_describe(char *buf, size_t len, const char *path, const struct walk *w,
			  int r);

/*
 * fn(dir_fd, name, ctx) for every name in dir_fd but "." and "..", listed
 * through an open file description of its own (a dup() would share the
 * directory offset with dir_fd, and every other listing of it).  Stops at
 * fn's first error and returns it; 0, or -errno of the listing.
 */
int walk_each_name(int dir_fd, int (*fn)(int dir_fd, const char *name, void *ctx), void *ctx);

/* walk_describe() without "PATH: " in front, for a message that names path itself. */
const char *walk_reason(char *buf, size_t len, const char *path, const struct walk *w, int r);

/* The trust predicates; every owner and mode check in the walk's callers is one of these. */

/* Root's, and no one else may even enter it (runtime_dir, the registry): 0700 or less. */
bool root_only_dir(const struct stat *st);

/* Root's, and only root may change its entries (sticky_ok: or it is sticky, like /tmp). */
bool root_safe_dir(const struct stat *st, bool sticky_ok);

/* A root-owned regular file no one else may write to (a program root runs). */
bool root_safe_file(const struct stat *st);

/* Root's, mode 000: an instance parent, as pam_namespace wants it. */
bool root_sealed_dir(const struct stat *st);

/* Could someone other than root change what this directory holds? */
bool user_controlled(const struct stat *st);

#endif
