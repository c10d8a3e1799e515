/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pending records: tmpdir instances whose mount namespace may still have
 * processes when their session or set ends, kept under runtime_dir/pending
 * for a later close to remove (cleanup.c reads and sweeps them).  Written
 * by the helper's close and by a set's release, the helper's or
 * polyns-admin's.
 */
#ifndef POLYNS_PENDING_H
#define POLYNS_PENDING_H

#include <stdint.h>

/* runtime_dir/pending, made if missing (runtime_dir root's, 0700).  fd or -errno. */
int pending_open(const char *runtime_dir);

/* Record path for removal once mount namespace ino has no process.  0 or -errno. */
int pending_defer(int pending_fd, uint64_t ino, const char *path);

#endif
