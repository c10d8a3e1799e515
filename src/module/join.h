/* SPDX-License-Identifier: BSD-3-Clause */
/* Checking the helper's namespace fds, then joining them all or none. */
#ifndef POLYNS_JOIN_H
#define POLYNS_JOIN_H

#include <security/pam_modules.h>

#include "converse.h"

/* The namespaces we left, so that a later failure can still undo the join. */
struct join_saved {
	int orig[8]; /* by position in the join order; -1 where not joined */
};

/*
 * Every fd must be an nsfs file of the announced type and identity, owned by
 * our own user namespace, not one we are already in, one per type, and the
 * set must cover want_mask (and nothing beyond want_mask | allowed_extra).
 * Then setns() each in a fixed order (mnt last); if one fails, the ones
 * already joined are undone.  0 or -errno; failures are logged.  On success
 * saved holds fds to the namespaces left: join_undo() or join_saved_close().
 */
int join_namespaces(pam_handle_t *pamh, const struct helper_result *res,
		    unsigned int want_mask, unsigned int allowed_extra,
		    struct join_saved *saved);

/* Go back to every namespace in saved (and close them). */
void join_undo(pam_handle_t *pamh, struct join_saved *saved);

/* The fd of the mount namespace we left (-1 if none); still owned by saved. */
int join_saved_fd(const struct join_saved *saved, unsigned int ns_bit);

void join_saved_close(struct join_saved *saved);

#endif
