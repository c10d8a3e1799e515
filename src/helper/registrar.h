/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The registry step, in a child of its own (forked in setup, only for a
 * session whose set lives in the registry): it reads the registry's on-disk
 * names and /proc, so it runs with no capability, in a Landlock domain that
 * may read and change only runtime_dir/shared and runtime_dir/pending and
 * read /proc and cannot signal anything outside it, under a filter of
 * registry calls.  Releasing a stale set needs no signal: its holder ends
 * with its entry.
 *
 * The helper names the set (shared_caller(), shared_name(): caller, key,
 * plan digest) and sends it; the child either joins the live set
 * (it records the session and sends its token, the holder and the
 * namespaces recorded; the helper opens them from the holder, since a
 * Landlock domain may not look into another process's /proc/PID/ns) or
 * locks the key for the helper to make the set (it sends the registry and
 * lock fds, which the helper checks are the registry's and the key's).
 * After a make answer it releases other keys' stale sets while the helper
 * makes the set (the helper forwards what it logs when it reaps it); after
 * a join it ends at once, since nothing of the join waits for a sweep.
 */
#ifndef POLYNS_REGISTRAR_H
#define POLYNS_REGISTRAR_H

#include "child.h"
#include "nsmake.h"
#include "shared.h"
#include "wire.h"

/* In setup: fork the registry child.  0 or -errno (logged). */
int registrar_start(const struct wire_request *req, struct child *c);

/*
 * Ask it about the set c names (c from shared_name()).  1: joined (made
 * holds the set, c->token the session), 0: make the set (c->shared_fd and
 * c->lock_fd are ours), -errno: refused (logged).  The child is reaped
 * after a refusal; else registrar_end() reaps it after the reply, so that
 * its exit (and any sweep of other keys) overlaps other work.
 */
int registrar_ask(struct child *child, const struct wire_request *req, unsigned int mask,
		  struct shared_ctx *c, struct made_ns *made);

/*
 * Reap the child (nothing if it was reaped), after the reply: 0, or -ECHILD
 * (logged) if it failed after its answer, for the helper's exit status (the
 * module then refuses the session and counts it out of the set again).
 */
int registrar_end(struct child *child);

#endif
