/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Opening paths that cross user-writable directories, with fds only.
 *
 * Like pam_namespace's secure_opendir (1.7.1+): the walk starts at "/" and
 * opens one component at a time relative to the previous fd.  Symlinks are
 * followed only while every directory so far is root-owned and not writable
 * by group or others; from the first directory that is not, every component
 * is opened with O_NOFOLLOW.  Every component must be a directory
 * (O_DIRECTORY): a FIFO or a file fails at once with ENOTDIR instead of
 * blocking (CVE-2024-22365).  Nothing is ever resolved by path again: callers
 * work on the returned fd.
 */
#ifndef POLYNS_FSWALK_H
#define POLYNS_FSWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct walk {
	int fd;             /* the last component: O_PATH or O_RDONLY, CLOEXEC */
	bool created;       /* the last component was made by this walk */
	bool safe_path;     /* every ancestor root-owned, not g/o-writable or sticky */
};

enum {
	WALK_FULL_FD = 1U << 0,  /* O_RDONLY instead of O_PATH for the last component */
	WALK_MKDIR = 1U << 1,    /* create a missing last component (mode given) */
};

/*
 * Returns 0 with w filled, or -errno with a message naming the component in
 * err.  With WALK_MKDIR, a missing last component is created with mode
 * (umask 0 applies in the helper: the caller fixes modes with fchmod).
 */
int walk_open(const char *path, unsigned int flags, mode_t mode, struct walk *w,
	      char *err, size_t errlen);

#endif
