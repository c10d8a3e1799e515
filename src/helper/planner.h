/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The plan step: the configuration is read, parsed and planned in a child
 * of its own (forked before setup, at once: its start-up overlaps setup's),
 * with no capability, inside a Landlock domain
 * that may only read the config file and the drop-in directory, and under a
 * filter that allows reading and talking to the helper and nothing else.
 * Its plan comes back as one MSG_PLAN, checked field by field
 * (src/conf/plan_wire.c); its log lines and its one names query go through
 * the helper (child.c).
 */
#ifndef POLYNS_PLANNER_H
#define POLYNS_PLANNER_H

#include "child.h"
#include "session.h"
#include "wire.h"

/* Before setup: fork the plan child; it waits for the request.  0 or -errno. */
int planner_start(struct child *c);

/* Pass the request on to the plan child.  0 or -errno (logged). */
int planner_send(const struct child *c, const struct wire_request *req);

/*
 * Relay the child's messages until its plan, then fill st->jobs from it.
 * The status for the reply (every failure logged).  A child that gave no
 * usable plan is reaped here; else planner_end() reaps it after the reply,
 * so that its exit overlaps the helper's work.
 */
enum wire_status planner_finish(struct child *c, struct session_state *st);

/*
 * After the reply: reap the child (nothing if it was reaped): 0, or
 * -ECHILD (logged) if it failed after its plan, for the helper's exit
 * status (the module then refuses the session).
 */
int planner_end(struct child *c);

#endif
