/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reading namespace.conf and the namespace.d drop-ins from disk, in pam_namespace's
 * order: the main file (mandatory), then the drop-ins sorted by name in byte
 * order.  Each file must be a regular file owned by root and not writable by
 * group or others; so must the drop-in directory, which is walked (walk.h,
 * WALK_FOLLOW_SAFE) and then read only through the fd the walk ends at.
 */
#ifndef POLYNS_CONF_LOAD_H
#define POLYNS_CONF_LOAD_H

#include <stdbool.h>

#include "conf.h"
#include "diag.h"

/*
 * Returns 0, -EINVAL when any diagnostic of level error was added, or -errno
 * for a failure that is not the configuration's fault (out of memory).
 */
int conf_load(struct conf *conf, const char *main_path, const char *dropin_dir,
	      bool ignore_errors, struct diag_list *diags);

#endif
