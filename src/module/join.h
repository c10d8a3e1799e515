/* SPDX-License-Identifier: BSD-3-Clause */
/* Checking the helper's namespace fds, then joining them all or none. */
#ifndef POLYNS_JOIN_H
#define POLYNS_JOIN_H

#include <security/pam_modules.h>

#include "converse.h"

/*
 * Every fd must be an nsfs file of the announced type and identity, owned by
 * our own user namespace, not one we are already in, one per type, and the
 * set must cover want_mask (and nothing beyond want_mask | allowed_extra).
 * Then setns() each in a fixed order (mnt last); if one fails, the ones
 * already joined are undone.  0 or -errno; failures are logged.
 */
int join_namespaces(pam_handle_t *pamh, const struct helper_result *res,
		    unsigned int want_mask, unsigned int allowed_extra);

#endif
