/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pending records: tmpdir instances to remove once no process is left in
 * the mount namespace that uses them.  runtime_dir/pending (root's, 0700;
 * opened with rundir_open() before a step is confined, and handed down
 * here as pending_fd) holds one directory per instance, named as
 * pending_name.h says, that may name the caller of the session that made
 * it, while that session is being opened or used.
 *
 * The open records an instance, with its caller, before it makes it: no
 * helper, caller or close killed half-way can leave an instance nobody
 * knows of.  A close that removes it forgets the record; one that cannot (or
 * must wait for the session's other processes), and a set's release, defer
 * it: the record stays, without the caller.  cleanup.c removes a deferred
 * instance at a later close once its namespace has no process, and one
 * whose record still names a caller once that caller is gone too (between
 * the open helper's exit and its caller's join, the namespace has no
 * process).  Nothing here logs: 0 or -errno, for the caller to say.
 */
#ifndef POLYNS_PENDING_H
#define POLYNS_PENDING_H

#include <stddef.h>
#include <stdint.h>

#include "procid.h"

/*
 * The record's name for path in mount namespace mntns, in our pid namespace.
 * 0 or -errno (-ENAMETOOLONG: the path does not fit a record).
 */
int pending_record_name(uint64_t mntns, const char *path, char *name, size_t len);

/*
 * Before an open makes path, in mount namespace mntns: record it, naming
 * the session's caller.  0 or -errno (-ENAMETOOLONG: the path does not fit
 * a record).
 */
int pending_ahead(int pending_fd, uint64_t mntns, const char *path,
		  const struct procid *caller);

/*
 * Record path for removal once mount namespace mntns has no process; a
 * caller the record named is dropped (its session is over).  0 or -errno.
 */
int pending_defer(int pending_fd, uint64_t mntns, const char *path);

/*
 * Remove the record name and the caller it names: caller, when known (the
 * helper that made it), or whichever it names.  Gone already is fine.
 * 0 or -errno.
 */
int pending_forget(int pending_fd, const char *name, const struct procid *caller);

/*
 * The caller a record names: 1 with *caller filled, 0 when it names none,
 * -errno when the record cannot be read.
 */
int pending_caller(int pending_fd, const char *name, struct procid *caller);

#endif
