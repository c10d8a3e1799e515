/* SPDX-License-Identifier: BSD-3-Clause */
/* The module's side of one conversation with the helper, under a deadline. */
#ifndef POLYNS_CONVERSE_H
#define POLYNS_CONVERSE_H

#include <security/pam_modules.h>

#include "spawn.h"
#include "wire.h"

struct helper_result {
	struct wire_reply reply;
	int fds[WIRE_MAX_FDS]; /* reply.n_ns of them, CLOEXEC */
};

/*
 * Send req, forward the helper's log lines, answer its name query, receive
 * the reply and its fds, and reap the helper, which must exit 0.  Anything
 * unexpected (deadline, death, garbage, wrong fd count) kills the helper and
 * fails.  Returns 0 with res filled (the caller owns the fds) or -errno;
 * every failure is logged with pam_syslog.
 */
int converse(pam_handle_t *pamh, struct helper_proc *h,
	     const struct wire_request *req, unsigned int timeout_sec,
	     struct helper_result *res);

void helper_result_close(struct helper_result *res);

#endif
