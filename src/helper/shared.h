/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Namespace sets that outlive one helper: share=user and share=group, and
 * any set with a pid namespace (whose PID 1 is a holder).  One lock per key;
 * see registry.h for what is kept and holder.h for what keeps the set alive.
 */
#ifndef POLYNS_SHARED_H
#define POLYNS_SHARED_H

#include <stdbool.h>

#include "holder.h"
#include "nsmake.h"
#include "registry.h"
#include "wire.h"

struct shared_ctx {
	int shared_fd, lock_fd;
	char key[REG_KEY_MAX];
	char plan[REG_PLAN_LEN + 1];
	struct procid caller;
	char token[REG_KEY_MAX + 64]; /* KEY/session.PID.START.N, for the reply */
	struct reg_entry entry;
	struct holder holder;
};

/* Does this session's set need the registry and a holder? */
bool shared_needed(const struct wire_request *req, unsigned int mask);

/*
 * Lock the set's key and look at its entry.  1: joined a live set (made is
 * filled; nothing else to make), 0: the caller makes a new set and then calls
 * shared_create(), -errno: refused (logged).  plan: digest of the polydirs.
 */
int shared_begin(const struct wire_request *req, unsigned int mask, const char *plan,
		 struct shared_ctx *c, struct made_ns *made);

/*
 * In the new namespaces (capabilities of the polydir phase still held):
 * start the holder, open the set's fds from it, write the entry with the
 * tmpdir instances made, and let the holder live on.  0 or -errno (logged;
 * the holder is gone again).
 */
int shared_create(struct shared_ctx *c, unsigned int mask, const char *const *tmpdirs,
		  size_t n_tmpdirs, struct made_ns *made);

/*
 * Unlock (removing the lock of a key left without an entry) and close the
 * registry.  Always after shared_begin; shared_begin has already released
 * other keys' stale sets (while signals to holders were still allowed).
 */
void shared_end(struct shared_ctx *c);

/* Close: end the session named by req->registry; release the set if last. */
enum wire_status shared_close(const struct wire_request *req);

#endif
