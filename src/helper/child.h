/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The helper's short-lived children (the plan and tree steps): forked in
 * setup, before the parent narrows, each with nothing but its end of a
 * socketpair.  A child logs through hlog() on that socket; the parent
 * checks each message and forwards logs (and, for the plan child, the names
 * query and its answer) to the module.  A child never holds the module's
 * socket, so it cannot speak for the helper.
 */
#ifndef POLYNS_CHILD_H
#define POLYNS_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct child {
	pid_t pid;
	int sock; /* the parent's end */
};

/*
 * Fork a child that runs fn(sock, arg) and exits with its return value.
 * In the child every fd but its socket is closed first (fd 3 included) and
 * hlog() goes to the socket.  0 or -errno.
 */
int child_start(struct child *c, int (*fn)(int sock, void *arg), void *arg);

/*
 * Read the child's messages until one of type want: logs are forwarded to
 * the module, a names query is answered through the module (only with
 * names_allowed).  The wanted message is left in buf (WIRE_MAX_MSG bytes),
 * its fds in fds.  Returns its length, or -errno (-ECHILD when the child
 * ended without sending it).
 */
ssize_t child_relay(struct child *c, uint32_t want, bool names_allowed, uint8_t *buf,
		    int *fds, size_t max_fds, size_t *n_fds);

/*
 * Close our end and reap the child.  0 if it exited with 0; -ECHILD if not
 * (a signal is logged, naming the child as what); -errno if it cannot be reaped.
 */
int child_finish(struct child *c, const char *what);

#endif
