/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The names of pending records (runtime_dir/pending, pending.h): a tmpdir
 * instance to remove once the mount namespace it waits on has no process.
 * Each record is a directory named "PIDNS.INO.HEX": the pid namespace whose
 * /proc scan may judge it, the mount namespace's id, and the instance path
 * as hexname.h writes it.  It may hold one empty directory
 * "caller.PID.START", the caller of the session that made the instance.
 * No I/O here: the names alone.
 */
#ifndef POLYNS_PENDING_NAME_H
#define POLYNS_PENDING_NAME_H

#include <stddef.h>
#include <stdint.h>

#include "procid.h"

/* The record's name for path into name.  0 or -ENAMETOOLONG. */
int pending_name(uint64_t pidns, uint64_t ino, const char *path, char *name, size_t len);

/*
 * A record's name back into its parts (path: absolute, into len bytes).
 * 0.3.0's "INO.HEX" is taken as own_pidns's.  0 or -EINVAL.
 */
int pending_name_parse(const char *name, uint64_t own_pidns, uint64_t *pidns,
		       uint64_t *ino, char *path, size_t len);

/* The name of a record's caller fact.  0 or -ENAMETOOLONG. */
int pending_caller_name(const struct procid *caller, char *name, size_t len);

/*
 * A name found in a record: 1 with *caller (a caller fact), 0 (not one),
 * -EINVAL (a caller fact that does not parse).
 */
int pending_caller_parse(const char *name, struct procid *caller);

#endif
