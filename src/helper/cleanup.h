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

/* Remove each instance in req->cleanup; logs what fails.  Wire status. */
enum wire_status cleanup_tmpdirs(const struct wire_request *req);

#endif
