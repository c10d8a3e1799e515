/* SPDX-License-Identifier: BSD-3-Clause */
/* runtime_dir (default /run/polyns) and its parts: root's, mode 0700. */
#ifndef POLYNS_RUNDIR_H
#define POLYNS_RUNDIR_H

/*
 * runtime_dir/name, both made if missing; refused (-EPERM, logged) unless
 * each is a root-owned directory that no one else may enter.  fd or -errno.
 */
int rundir_open(const char *runtime_dir, const char *name);

/*
 * The same checks, making nothing (polyns-admin): -ENOENT, not logged, when
 * runtime_dir/name does not exist.  fd or -errno.
 */
int rundir_open_existing(const char *runtime_dir, const char *name);

#endif
