/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Close: removing the tmpdir instances a session made.  The module runs the
 * helper in the mount namespace the session started from, so instance paths
 * are not shadowed by the session's own mounts.  Removal works on fds,
 * never follows a symlink and never crosses into another filesystem.
 */
#ifndef POLYNS_CLEANUP_H
#define POLYNS_CLEANUP_H

#include <stdbool.h>
#include <stdint.h>

#include "child.h"
#include "wire.h"

/*
 * Whether runtime_dir/pending holds any record: a cheap look in setup, so
 * that a close with nothing to remove starts no tree child.  true when it
 * cannot tell.
 */
bool cleanup_pending_exist(const char *runtime_dir);

/*
 * Close: remove req->cleanup (each kept as a pending record until it is
 * gone), record req->defer (instances a live namespace still uses) in
 * pending (runtime_dir/pending from close_confine(), or -1), and with
 * req->sweep_pending remove recorded instances whose namespace the module
 * says has no process any more (one MSG_LIVE_QUERY on the module's socket,
 * naming only the records' ones) and whose session's caller, if the record
 * names one, is gone (see pending.h).  The trees are emptied by the tree
 * child (tree.h); this removes each emptied instance from its parent.  Logs
 * what fails.  Wire status.
 */
enum wire_status close_session(const struct wire_request *req, struct child *tree,
			       int pending);

/*
 * After the close's last unmount: a Landlock domain in which the helper may
 * read and change only runtime_dir's registry and pending records and read
 * /proc; elsewhere it may only list directories and remove empty ones (the
 * instances the tree child emptied), and it cannot signal anything outside
 * it.  Without Landlock, 0 (a debug line).  The registry (with a shared
 * set) and the pending records (with one, or anything to remove, defer or
 * sweep) are opened first and handed over in *shared_fd and *pending_fd, -1
 * where not needed or not opened (logged here: the close goes on without
 * them).
 * 0 or -errno (logged).
 */
int close_confine(const struct wire_request *req, int *shared_fd, int *pending_fd);

/* unmount_on_close: detach req->unmount.  The number that failed (logged). */
int close_unmount(const struct wire_request *req);

#endif
