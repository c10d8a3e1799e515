/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A plan on the wire (MSG_PLAN): how the helper's plan child hands its
 * result to the helper.  The child parses untrusted text, so the decoder
 * takes nothing on faith: counts, enums, flags, booleans and every string's
 * length and form are checked, and a bad message is refused whole.
 */
#ifndef POLYNS_PLAN_WIRE_H
#define POLYNS_PLAN_WIRE_H

#include <stddef.h>

#include "diag.h"
#include "plan.h"
#include "wire.h"

/*
 * Writing: plan_wire_begin(), one plan_wire_put_job() per job, then
 * wire_finish() (-EMSGSIZE when the plan does not fit one message).
 * Reading: plan_wire_open() after wire_open() said MSG_PLAN, one
 * plan_wire_get_job() per job, then wire_done().  Each returns 0 or -EBADMSG.
 * A decoded job's strings point into the message: it must outlive the job.
 */
void plan_wire_begin(struct wire_buf *b, enum wire_status status, size_t n_jobs);
void plan_wire_put_job(struct wire_buf *b, const struct plan_job *job);
int plan_wire_open(struct wire_reader *rd, enum wire_status *status, size_t *n_jobs);

/*
 * The whole of p, with status, as one message into b (a plan that failed
 * goes with no job).  0, or -EMSGSIZE with an error diagnostic naming the
 * entry with which the plan for user stops fitting: the helper's plan child
 * and polyns-check say the same.
 */
int plan_wire_encode(struct wire_buf *b, enum wire_status status, const struct plan *p,
		     const char *user, struct diag_list *diags);
int plan_wire_get_job(struct wire_reader *rd, struct plan_job *job);

#endif
