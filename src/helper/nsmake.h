/* SPDX-License-Identifier: BSD-3-Clause */
/* Making the session's namespaces, in the helper's own process. */
#ifndef POLYNS_NSMAKE_H
#define POLYNS_NSMAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nsid.h" /* ns_mntns_id() */
#include "procid.h"
#include "wire.h"

struct made_ns {
	size_t n;
	int fds[WIRE_MAX_FDS];
	struct wire_ns id[WIRE_MAX_FDS]; /* type and (dev, ino) of each fd */
};

/*
 * unshare() every namespace in mask (POLYNS_NS_*) at once; then, for a new
 * mount namespace, make "/" recursively slave (private with mount_private)
 * before anything else; for a new network namespace, bring lo up.
 * 0 or -errno; *stage names the step that failed.
 */
int ns_unshare(unsigned int mask, bool mount_private, const char **stage);

/* One fd per namespace in mask, from /proc/self/ns.  0 or -errno. */
int ns_open_fds(unsigned int mask, struct made_ns *out);

/*
 * One fd per namespace in mask that the holder is in, read through the /proc
 * fd (see procid.h) while pidfd shows it is still that process, and only if
 * it is root's.  0 or -errno.
 */
int ns_open_held(const struct procid *holder, int pidfd, unsigned int mask,
		 struct made_ns *out);

void made_ns_close(struct made_ns *m);

#endif
