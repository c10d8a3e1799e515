/* SPDX-License-Identifier: BSD-3-Clause */
/* What one session gets: the plan from the config and the request, carried out. */
#ifndef POLYNS_SESSION_H
#define POLYNS_SESSION_H

#include "nsmake.h"
#include "polydir.h"
#include "shared.h"
#include "wire.h"

struct session_state {
	struct polydir_job jobs[PLAN_MAX_JOBS];
	size_t n_jobs;
	struct made_ns made;
	struct shared_ctx shared; /* share=user/group, or a set with a holder */
	struct wire_reply reply; /* points into jobs and the request */
};

/*
 * Read the configuration, ask the module about names, decide which
 * namespaces and polydirs the session gets, and make them.  Fills st->reply
 * (status, namespaces, init script runs, tmpdirs) and st->made (the fds).
 * Every problem is logged.
 */
void session_open(int sock, const struct wire_request *req, struct session_state *st);

void session_state_free(struct session_state *st);

#endif
