/* SPDX-License-Identifier: BSD-3-Clause */
/* What one session gets: the plan from the config and the request, carried out. */
#ifndef POLYNS_SESSION_H
#define POLYNS_SESSION_H

#include "child.h"
#include "nsmake.h"
#include "polydir.h"
#include "shared.h"
#include "wire.h"

struct session_state {
	struct polydir_job jobs[PLAN_MAX_JOBS];
	size_t n_jobs;
	struct made_ns made;
	struct shared_ctx shared; /* share=user/group, or a set with a holder */
	struct polydir_env env;   /* for every job; env.pending_fd -1 when unused */
	struct procid caller;     /* env.caller */
	struct wire_reply reply; /* points into jobs, the plan message and the request */
};

/*
 * The open path's steps, driven by main.c in the order of the step table.
 * Each logs what fails.  st is static storage, zero at start.
 */

/*
 * Read the configuration, ask about names on sock, plan the polydirs, and
 * encode the plan into b as the message for the helper (the plan child's
 * work): its status, and its jobs only with STATUS_OK.  Every problem is
 * logged here.
 */
void session_plan(int sock, const struct wire_request *req, struct wire_buf *b);

/* The namespace types the session gets (polydirs and pid imply mnt). */
unsigned int session_mask(const struct wire_request *req, const struct session_state *st);

/* Requests the helper refuses before doing anything.  0 or -errno. */
int session_check(const struct wire_request *req, unsigned int mask);

/* namespaces: unshare (always a mount namespace), propagation, lo.  0 or -errno. */
int session_namespaces(const struct wire_request *req, unsigned int mask);

/*
 * registry: name the set and ask the registry child (registrar.h) about
 * it.  1 joined a live set (st->made holds it), 0 make one (st->shared
 * holds the registry and the key's lock), -errno.  Either way the child is
 * reaped after the reply (registrar_end()), like the plan child.
 */
int session_registry(const struct wire_request *req, struct session_state *st,
		     unsigned int mask, struct child *registry);

/*
 * namespaces, before polydirs: what the jobs need to know of the session,
 * and for tmpdir instances, which are recorded before they are made
 * (pending.h), the pending records (opened here, before the polydirs step
 * is entered), the session's mount namespace (ours now) and its caller (our
 * parent).  0 or -errno (logged).
 */
int session_prepare_polydirs(const struct wire_request *req, struct session_state *st);

/* polydirs: every job.  0 or -errno (logged, by polydir.c). */
int session_polydirs(struct session_state *st);

/*
 * sets: with r == 0, record the shared set (holder, entry) or open our own
 * namespace fds; undo tmpdirs if that or an earlier step (r < 0) failed.
 * 0 or -errno.
 */
int session_sets(struct session_state *st,
		 unsigned int mask, bool shared, int r);

/* Fill st->reply from what was made (or joined). */
void session_fill_reply(const struct wire_request *req, struct session_state *st,
			bool shared, bool joined);

void session_state_free(struct session_state *st);

#endif
