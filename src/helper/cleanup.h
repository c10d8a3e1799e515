/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Close: removing the tmpdir instances a session made.  The module runs the
 * helper in the mount namespace the session started from, so instance paths
 * are not shadowed by the session's own mounts.  Removal works on fds,
 * never follows a symlink and never crosses into another filesystem.
 */
#ifndef POLYNS_CLEANUP_H
#define POLYNS_CLEANUP_H

#include "wire.h"

/*
 * Close: unmount req->unmount (unmount_on_close), remove req->cleanup,
 * record req->defer (instances a live namespace still uses) under
 * runtime_dir, and remove recorded instances whose namespace is not in
 * req->live any more.  Logs what fails.  Wire status.
 */
enum wire_status close_session(const struct wire_request *req);

#endif
