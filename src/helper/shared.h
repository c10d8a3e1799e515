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
	int pending_fd; /* runtime_dir/pending, for a released set's tmpdirs; -1 */
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
 * In the helper, while the plan child works: start c with the caller, our
 * parent, that the session is counted by.  0 or -errno (logged).
 */
int shared_caller(struct shared_ctx *c);

/*
 * Then, with the plan: name the set (its key, from the request and the
 * mask; random for share=session) and its plan (digest of the polydirs).
 * 0 or -errno (logged).
 */
int shared_name(const struct wire_request *req, unsigned int mask, const char *plan,
		struct shared_ctx *c);

/*
 * In the registry child, with c from shared_name() and c->shared_fd,
 * c->pending_fd the registry and runtime_dir/pending (rundir_open(), before
 * the step was confined; shared_end() closes them): check the registry is
 * ours, lock the set's key and look at its entry.  1: joined a live set (the session is
 * recorded; c->token names it, c->entry the holder and its namespaces), 0:
 * the caller makes a new set (c->shared_fd and c->lock_fd hold the registry
 * and the key's lock) and then calls shared_create(), -errno: refused
 * (logged).
 */
int shared_begin(const struct wire_request *req, struct shared_ctx *c);

/*
 * In the helper, after a join: open the set's namespaces from the holder c
 * names, only while it is that process and they are the ones recorded.
 * 0 or -errno (logged).
 */
int shared_open_joined(const struct shared_ctx *c, unsigned int mask, struct made_ns *made);

/*
 * After shared_begin() said 0 (a new set), before the polydirs are made:
 * fork the set's holder now, so that it readies itself (drops its fds, takes
 * its own step) while they are made.  Not for a pid namespace: its holder
 * mounts /proc, and the polydirs step still resolves /proc/self paths; that
 * holder is forked by shared_create().  0 or -errno (logged).
 */
int shared_spawn_holder(struct shared_ctx *c, unsigned int mask);

/*
 * In the new namespaces (capabilities of the polydir phase still held):
 * start the holder (or wait for the one shared_spawn_holder() forked), open the set's fds from it, write the entry with the
 * tmpdir instances made, and let the holder live on.  0 or -errno (logged;
 * the holder is gone again).
 */
int shared_create(struct shared_ctx *c, unsigned int mask, const char *const *tmpdirs,
		  size_t n_tmpdirs, struct made_ns *made);

/*
 * Release other keys' stale sets (release.h has the rule): every key of
 * the registry, or a random sample of about 16 when there are more; never
 * skip (the caller's own key), never a key whose lock is taken.  Logs what it
 * releases and what fails.
 */
void shared_sweep(int shared_fd, const char *skip, int pending_fd);

/*
 * Unlock the key: its lock goes with it if the key has no entry (a first
 * session that failed).  Nothing if it is not locked.
 */
void shared_unlock(struct shared_ctx *c);

/* shared_unlock(), then close the registry.  Always after shared_begin. */
void shared_end(struct shared_ctx *c);

/*
 * Close: end the session named by req->registry; release the set if last.
 * shared_fd is the registry (rundir_open(); closed here), pending_fd
 * runtime_dir/pending or -1 (a released set's tmpdirs are then not recorded;
 * whoever failed to open it said so).  Failures are logged.
 */
enum wire_status shared_close(const struct wire_request *req, int shared_fd, int pending_fd);

#endif
