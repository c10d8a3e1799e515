/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "child.h"

#include <errno.h>
#include <stdio.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "channel.h"
#include "hlog.h"
#include "wire.h"

/* Only the child's socket stays open, moved to nothing else. */
static int close_all_but(int keep)
{
	if (keep > 0 && syscall(SYS_close_range, 0, keep - 1, 0) < 0)
		return -errno;
	if (syscall(SYS_close_range, keep + 1, ~0U, 0) < 0)
		return -errno;
	return 0;
}

int child_start(struct child *c, int (*fn)(int sock, void *arg), void *arg)
{
	int sv[2], pidfd = -1;
	pid_t pid;

	*c = (struct child){ .pid = -1, .sock = -1 };
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	/* A raw clone: no atfork handlers run in the child. */
	pid = (pid_t)syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, NULL, &pidfd, NULL, NULL);
	if (pid == 0) {
		if (close_all_but(sv[1]) < 0)
			_exit(3);
		hlog_init(sv[1], true); /* the parent forwards debug lines only with debug */
		_exit(fn(sv[1], arg) < 0 ? CHILD_SAID_WHY : 0);
	}
	(void)close(sv[1]);
	if (pid < 0) {
		int e = errno;

		(void)close(sv[0]);
		return -e;
	}
	(void)close(pidfd); /* the child is ours to reap; wait4 names it */
	c->pid = pid;
	c->sock = sv[0];
	return 0;
}

/* A log line from the child: checked, re-encoded, sent on to the module. */
static int forward_log(const uint8_t *msg, size_t len)
{
	static struct wire_buf out;
	struct wire_reader rd;
	struct wire_log l;
	uint32_t type;

	if (wire_open(msg, len, &type, &rd) < 0 || wire_decode_log(&rd, &l) < 0)
		return -EBADMSG;
	if (l.priority == LOG_DEBUG && !hlog_debug_enabled())
		return 0;
	if (wire_encode_log(&out, &l) < 0)
		return -EBADMSG;
	return channel_send(WIRE_FD_SLOT, &out, NULL, 0);
}

/* The plan child's names query to the module, and its answer back, each re-encoded. */
static int forward_names(const struct child *c, const uint8_t *msg, size_t len)
{
	static uint8_t answer[WIRE_MAX_MSG];
	static struct wire_buf b;
	static struct wire_names q;
	static struct wire_answer a;
	struct wire_reader rd;
	uint32_t type;
	int r;

	if (wire_open(msg, len, &type, &rd) < 0 || wire_decode_names(&rd, &q) < 0 ||
	    wire_encode_names(&b, &q) < 0)
		return -EBADMSG;
	r = channel_ask(WIRE_FD_SLOT, &b, answer, MSG_NAMES_ANSWER, &rd);
	if (r == 0 && (wire_decode_answer(&rd, &a) < 0 || wire_encode_answer(&b, &a) < 0))
		r = -EBADMSG;
	return r < 0 ? r : channel_send(c->sock, &b, NULL, 0);
}

ssize_t child_relay(struct child *c, uint32_t want, bool names_allowed, uint8_t *buf,
		    int *fds, size_t max_fds, size_t *n_fds)
{
	for (;;) {
		struct wire_reader rd;
		uint32_t type;
		ssize_t len = channel_recv(c->sock, buf, fds, max_fds, n_fds);
		int r;

		/* Its end: closed, or closed with our last message unread. */
		if (len == -EPIPE || len == -ECONNRESET)
			return -ECHILD;
		if (len < 0)
			return len;
		if (wire_open(buf, (size_t)len, &type, &rd) < 0)
			return -EBADMSG;
		if (type == want)
			return len;
		if (*n_fds > 0)
			return -EBADMSG; /* only the wanted message may carry fds */
		if (type == MSG_LOG)
			r = forward_log(buf, (size_t)len);
		else if (type == MSG_NAMES_QUERY && names_allowed)
			r = forward_names(c, buf, (size_t)len);
		else
			r = -EBADMSG;
		if (r < 0)
			return r;
	}
}

int child_finish(struct child *c, const char *what, char *why, size_t len)
{
	int status = 0;

	if (len > 0)
		why[0] = '\0';
	if (c->sock >= 0)
		(void)close(c->sock);
	c->sock = -1;
	if (c->pid <= 0)
		return 0;
	if (wait4(c->pid, &status, 0, NULL) < 0) {
		int r = -errno;

		(void)snprintf(why, len, "waiting for the %s child failed: %s", what, strerror(-r));
		return r;
	}
	c->pid = -1;
	if (WIFSIGNALED(status)) {
		(void)snprintf(why, len, "the %s child was killed by signal %d (%s)%s", what,
			       WTERMSIG(status), strsignal(WTERMSIG(status)),
			       WTERMSIG(status) == SIGSYS ? ": a syscall outside its seccomp "
							    "allowlist" : "");
		return -ECHILD;
	}
	if (WEXITSTATUS(status) == 0)
		return 0;
	/* 1: it failed and said why itself (child_start); anything else, it could not. */
	if (WEXITSTATUS(status) != CHILD_SAID_WHY)
		(void)snprintf(why, len, "the %s child exited with status %d", what,
			       WEXITSTATUS(status));
	return -ECHILD;
}

const char *child_failure(char *buf, size_t len, int r, int end, const char *why)
{
	if (r != -ECHILD)
		(void)snprintf(buf, len, "%s", strerror(-r));
	else if (end < 0 && !why[0])
		return NULL; /* it said why itself */
	else
		(void)snprintf(buf, len, "%s", end < 0 ? why : "the child ended without answering");
	return buf;
}

/*
 * A child's flood after its answer stays small: the first lines go on, the
 * rest are only counted, so that one child cannot spend the session's log
 * budget (the module reads on while the helper exits, and drops what is
 * past its budget).
 */
#define LATE_LINES_MAX 32

/*
 * What a child logs after its answer, up to its end: 0, or -EBADMSG (logged)
 * when it sends anything but log lines.  A failure to forward (the module
 * gone) just stops the reading: child_finish() then closes the socket.
 */
static int relay_late(struct child *c, const char *what, const char *after)
{
	static uint8_t msg[WIRE_MAX_MSG];
	unsigned int forwarded = 0, dropped = 0;

	if (c->sock < 0)
		return 0; /* reaped already */
	for (;;) {
		struct wire_reader rd;
		uint32_t type;
		size_t n_fds;
		ssize_t len = channel_recv(c->sock, msg, NULL, 0, &n_fds);

		if (len == -EPIPE || len == -ECONNRESET)
			break; /* its end */
		if (len >= 0 && (wire_open(msg, (size_t)len, &type, &rd) < 0 || type != MSG_LOG))
			len = -EBADMSG;
		if (len == -EBADMSG) {
			hlog(LOG_ERR, "the %s child sent something other than log lines after %s",
			     what, after);
			return -EBADMSG;
		}
		if (len < 0)
			break;
		if (forwarded == LATE_LINES_MAX)
			dropped++;
		else if (forward_log(msg, (size_t)len) < 0)
			break;
		else
			forwarded++;
	}
	if (dropped > 0)
		hlog(LOG_WARNING, "%u more lines the %s child logged after %s were dropped",
		     dropped, what, after);
	return 0;
}

int child_unusable(struct child *c, const char *what, const char *noun, int r)
{
	char why[CHILD_WHY_MAX], buf[CHILD_WHY_MAX];
	int end = child_finish(c, what, why, sizeof(why));
	const char *failure = child_failure(buf, sizeof(buf), r, end, why);

	if (failure)
		hlog(LOG_ERR, "the %s child gave no usable %s: %s", what, noun, failure);
	return r;
}

int child_end(struct child *c, const char *what, const char *after)
{
	char why[CHILD_WHY_MAX], buf[CHILD_WHY_MAX];
	int late = relay_late(c, what, after);
	int end = child_finish(c, what, why, sizeof(why));
	const char *failure = end < 0 ? child_failure(buf, sizeof(buf), -ECHILD, end, why) : NULL;

	if (failure)
		hlog(LOG_ERR, "the %s child failed after %s: %s", what, after, failure);
	return end < 0 || late < 0 ? -ECHILD : 0;
}
