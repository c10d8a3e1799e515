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

/* A child's exit status when it failed and logged why (see child_start()). */
#define CHILD_SAID_WHY 1

/* Room for what child_finish() says. */
#define CHILD_WHY_MAX 160

/*
 * Fork a child that runs fn(sock, arg) and exits 0, or CHILD_SAID_WHY when
 * fn returns -errno: fn returns -errno only after logging why, once (hlog()
 * goes to the socket), so the parent need not say it again.  In the child
 * every fd but its socket is closed first (fd 3 included).  0 or -errno.
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
 * Close our end and reap the child.  0 if it exited with 0; -ECHILD if not,
 * -errno if it cannot be reaped.  Never logs: on failure why (len bytes)
 * says how the child, named by what, ended (a signal, an exit status), or
 * is "" when the child said why itself (CHILD_SAID_WHY).
 */
int child_finish(struct child *c, const char *what, char *why, size_t len);

/*
 * Why a child gave nothing usable, for the caller's one log line, in buf:
 * r is what reading its message gave (-ECHILD: it ended without sending
 * it), end and why what child_finish() gave.  NULL when there is nothing
 * to add: the child failed and said why itself.
 */
const char *child_failure(char *buf, size_t len, int r, int end, const char *why);

/*
 * Reap a child that gave nothing usable (r: what reading its message gave,
 * or why it was refused) and log "the WHAT child gave no usable NOUN: " and
 * how it ended, unless it said why itself.  Returns r.
 */
int child_unusable(struct child *c, const char *what, const char *noun, int r);

/*
 * Reap a child that already gave what it was asked for (nothing if it was
 * reaped), forwarding what it logs until its end: 0, or -ECHILD after
 * logging "the WHAT child failed after AFTER" and how (unless it said why
 * itself), or that it sent more than log lines.
 */
int child_end(struct child *c, const char *what, const char *after);

#endif
