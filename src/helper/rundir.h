/* SPDX-License-Identifier: BSD-3-Clause */
/* runtime_dir (default /run/polyns) and its parts: root's, mode 0700. */
#ifndef POLYNS_RUNDIR_H
#define POLYNS_RUNDIR_H

#include <stddef.h>

/* Room for a reason rundir_open() gives: a path and what is wrong with it. */
#define RUNDIR_WHY_MAX 512

/*
 * runtime_dir/name, both made if missing; refused (-EPERM) unless each is
 * a root-owned directory that no one else may enter.  fd, or -errno with why
 * (len bytes, always written on failure) naming the path and what is wrong
 * with it.  Never logs.
 */
int rundir_open(const char *runtime_dir, const char *name, char *why, size_t len);

/*
 * rundir_open() of n names under one walk of runtime_dir: fds[i] is
 * runtime_dir/names[i].  0 with every fd open, or -errno with none (and why,
 * as above, for the first that failed).
 */
int rundir_open_each(const char *runtime_dir, const char *const *names, int *fds, size_t n,
		     char *why, size_t len);

/*
 * The same checks, making nothing (polyns-admin): -ENOENT when runtime_dir
 * or runtime_dir/name does not exist (why says which; the caller decides
 * whether that is worth a word).  fd or -errno with why, as above.
 */
int rundir_open_existing(const char *runtime_dir, const char *name, char *why, size_t len);

#endif
