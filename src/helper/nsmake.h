/* SPDX-License-Identifier: BSD-3-Clause */
/* Making the session's namespaces, in the helper's own process. */
#ifndef POLYNS_NSMAKE_H
#define POLYNS_NSMAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "wire.h"

struct made_ns {
	size_t n;
	int fds[WIRE_MAX_FDS];
	struct wire_ns id[WIRE_MAX_FDS]; /* type and (dev, ino) of each fd */
};

/*
 * unshare() every namespace in mask (POLYNS_NS_*) at once; then, for a new
 * mount namespace, make "/" recursively slave (private with mount_private)
 * before anything else; for a new network namespace, bring lo up.  Opens one
 * fd per namespace.  0 or -errno; *stage names the step that failed.
 */
int ns_create(unsigned int mask, bool mount_private, struct made_ns *out,
	      const char **stage);

void made_ns_close(struct made_ns *m);

#endif
