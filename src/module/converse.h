/* SPDX-License-Identifier: BSD-3-Clause */
/* The module's side of one conversation with the helper, under a deadline. */
#ifndef POLYNS_CONVERSE_H
#define POLYNS_CONVERSE_H

#include <security/pam_modules.h>

#include "spawn.h"
#include "wire.h"

/*
 * The module's working memory for one PAM call (the messages are too large
 * for the stack): one per call, never a function-level static that two PAM
 * handles in one process would share.  Kept with pam_set_data as well, so
 * that pam_end frees it should a path ever miss conv_state_free().
 */
struct conv_state {
	uint8_t msg[WIRE_MAX_MSG]; /* the last message read; the reply's strings point here */
	struct wire_buf out;
	struct wire_names names;
	struct wire_answer answer;
	struct wire_request close_req;
};

/* A zeroed state for this PAM call, or NULL (out of memory; nothing to free). */
struct conv_state *conv_state_new(pam_handle_t *pamh);

/* Free the state of this PAM call. */
void conv_state_free(pam_handle_t *pamh);

struct helper_result {
	struct wire_reply reply; /* its strings point into the conv_state's msg */
	int fds[WIRE_MAX_FDS]; /* reply.n_ns of them, CLOEXEC */
};

/*
 * Send req, forward the helper's log lines, answer its name query, receive
 * the reply and its fds, and reap the helper, which must exit 0.  Anything
 * unexpected (deadline, death, garbage, wrong fd count) kills the helper and
 * fails.  Returns 0 with res filled (the caller owns the fds) or -errno;
 * every failure is logged with pam_syslog.
 */
int converse(pam_handle_t *pamh, struct conv_state *st, struct helper_proc *h,
	     const struct wire_request *req, unsigned int timeout_sec,
	     struct helper_result *res);

/*
 * converse() in two halves, so that the caller can work while the helper
 * exits: converse_reply() until the reply (a failure reaps the helper, as
 * converse() does); then converse_end(), which reaps it and fails unless it
 * exited 0 (nothing to do if it was reaped).  Both 0 or -errno, logged.
 */
int converse_reply(pam_handle_t *pamh, struct conv_state *st, struct helper_proc *h,
		   const struct wire_request *req, unsigned int timeout_sec,
		   struct helper_result *res);
int converse_end(pam_handle_t *pamh, struct helper_proc *h, unsigned int timeout_sec);

void helper_result_close(struct helper_result *res);

#endif
