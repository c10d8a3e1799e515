/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "converse.h"

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <security/pam_ext.h>
#include <security/pam_modutil.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "channel.h"
#include "close_data.h"

#define MAX_LOG_LINES 512
#define STATE_KEY "pam_polyns:conv_state"

static void free_state(pam_handle_t *pamh, void *data, int error_status)
{
	(void)pamh;
	(void)error_status;
	free(data);
}

struct conv_state *conv_state_new(pam_handle_t *pamh)
{
	struct conv_state *st = calloc(1, sizeof(*st));

	if (st && pam_set_data(pamh, STATE_KEY, st, free_state) != PAM_SUCCESS) {
		free(st);
		return NULL;
	}
	return st;
}

void conv_state_free(pam_handle_t *pamh)
{
	/* Replacing the data runs free_state on the old. */
	(void)pam_set_data(pamh, STATE_KEY, NULL, NULL);
}

struct conv {
	pam_handle_t *pamh;
	struct conv_state *st;
	struct helper_proc *h;
	struct timespec deadline;
	unsigned int timeout_sec;
	unsigned int log_lines;
	bool answered;
};

static int remaining_ms(const struct conv *c)
{
	struct timespec now;
	long long ms;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (c->deadline.tv_sec - now.tv_sec) * 1000LL +
	     (c->deadline.tv_nsec - now.tv_nsec) / 1000000LL;
	return ms < 0 ? 0 : (int)ms;
}

/* Wait until fd is readable or the deadline passes: 1, 0 (deadline) or -errno. */
static int wait_readable(const struct conv *c, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;

	do
		r = poll(&p, 1, remaining_ms(c));
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

static void log_death(const struct conv *c, int status)
{
	if (WIFSIGNALED(status))
		pam_syslog(c->pamh, LOG_ERR, "helper killed by signal %d (%s)%s",
			   WTERMSIG(status), strsignal(WTERMSIG(status)),
			   WTERMSIG(status) == SIGSYS ? ": a syscall outside its seccomp "
			   "allowlist" : "");
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && c->h->start_step)
		pam_syslog(c->pamh, LOG_ERR, "helper could not be started: %s: %s",
			   c->h->start_step, strerror(c->h->start_errno));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		pam_syslog(c->pamh, LOG_ERR, "helper exited with status 127 (it could not be "
			   "started, or its program failed early)");
	else if (WIFEXITED(status))
		pam_syslog(c->pamh, LOG_ERR, "helper exited with status %d",
			   WEXITSTATUS(status));
}

static int answer_names(struct conv *c, struct wire_reader *rd)
{
	struct wire_names *q = &c->st->names;
	struct wire_answer *a = &c->st->answer;
	int r;

	if (c->answered || wire_decode_names(rd, q) < 0)
		return -EBADMSG;
	c->answered = true;
	memset(a, 0, sizeof(*a));
	a->n_users = q->n_users;
	for (uint32_t i = 0; i < q->n_users; i++) {
		struct passwd *pw = pam_modutil_getpwnam(c->pamh, q->users[i]);

		if (pw)
			a->users[i].found = 1, a->users[i].uid = pw->pw_uid,
			a->users[i].gid = pw->pw_gid;
	}
	a->n_groups = q->n_groups;
	for (uint32_t i = 0; i < q->n_groups; i++) {
		struct group *gr = pam_modutil_getgrnam(c->pamh, q->groups[i]);

		if (gr)
			a->groups[i].found = 1, a->groups[i].gid = gr->gr_gid;
	}
	r = wire_encode_answer(&c->st->out, a);
	return r < 0 ? r : channel_send(c->h->sock, &c->st->out, NULL, 0);
}

static int forward_log(struct conv *c, struct wire_reader *rd)
{
	struct wire_log l;

	if (wire_decode_log(rd, &l) < 0 || ++c->log_lines > MAX_LOG_LINES)
		return -EBADMSG;
	pam_syslog(c->pamh, (int)l.priority, "helper: %s", l.text);
	return 0;
}

/* One message; fds may come only with the reply, exactly one per namespace. */
static int dispatch(struct conv *c, uint32_t type, struct wire_reader *rd,
		    size_t n_fds, struct helper_result *res)
{
	int r;

	switch (type) {
	case MSG_REPLY:
		r = wire_decode_reply(rd, &res->reply);
		return (r == 0 && n_fds != res->reply.n_ns) ? -EBADMSG : r;
	case MSG_LOG:
		return n_fds ? -EBADMSG : forward_log(c, rd);
	case MSG_NAMES_QUERY:
		return n_fds ? -EBADMSG : answer_names(c, rd);
	case MSG_LIVE_QUERY:
		return n_fds ? -EBADMSG : close_data_answer_live(c->pamh, c->h->sock, rd,
								    &c->st->out);
	default:
		return -EBADMSG;
	}
}

/* Read messages until the reply: 0 with res filled, or -errno. */
static int read_until_reply(struct conv *c, struct helper_result *res)
{
	uint8_t *msg = c->st->msg;

	for (;;) {
		struct wire_reader rd;
		size_t n_fds = 0;
		uint32_t type = 0;
		ssize_t len;
		int r = wait_readable(c, c->h->sock);

		if (r == 0)
			return -ETIMEDOUT;
		if (r < 0)
			return r;
		len = channel_recv(c->h->sock, msg, res->fds, WIRE_MAX_FDS, &n_fds);
		if (len < 0)
			return (int)len;
		r = wire_open(msg, (size_t)len, &type, &rd);
		if (r == 0)
			r = dispatch(c, type, &rd, n_fds, res);
		if (r < 0 || type == MSG_REPLY) {
			if (r < 0)
				for (size_t i = 0; i < n_fds; i++)
					(void)close(res->fds[i]);
			return r;
		}
	}
}

/*
 * One line the helper logged after its reply, forwarded (past the log
 * budget, read and dropped, so that the helper never waits on us): 0, or -1
 * when the socket gives nothing more (its end, an error, anything but a log
 * line).  *msg: a buffer of its own, made on first use, since the reply's
 * strings point into the conversation's.
 */
static int late_line(struct conv *c, uint8_t **msg)
{
	int fds[WIRE_MAX_FDS];
	struct wire_reader rd;
	uint32_t type = 0;
	size_t n_fds = 0;
	ssize_t len;

	if (!*msg && !(*msg = malloc(WIRE_MAX_MSG)))
		return -1;
	len = channel_recv(c->h->sock, *msg, fds, WIRE_MAX_FDS, &n_fds);
	for (size_t i = 0; i < n_fds; i++)
		(void)close(fds[i]);
	if (len < 0 || n_fds > 0 || wire_open(*msg, (size_t)len, &type, &rd) < 0 ||
	    type != MSG_LOG)
		return -1;
	(void)forward_log(c, &rd);
	return 0;
}

/*
 * Wait for the helper's exit under the deadline, reading what it logs
 * meanwhile: after its reply it only logs (why it then fails its exit
 * status, its children's last lines), and a socket left unread would hold
 * it once full.  >0 exited, 0 deadline, -errno.
 */
static int wait_exit(struct conv *c, uint8_t **msg)
{
	struct pollfd p[2] = { { .fd = c->h->pidfd, .events = POLLIN },
			       { .fd = c->h->sock, .events = POLLIN } };
	nfds_t n = 2;

	for (;;) {
		int r = poll(p, n, remaining_ms(c));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : 0;
		if (p[0].revents)
			return 1;
		if (late_line(c, msg) < 0)
			n = 1; /* nothing more from it: its exit only */
	}
}

/* What was still queued when it exited: the last lines and the exit come together. */
static void forward_late_logs(struct conv *c, uint8_t **msg)
{
	struct pollfd p = { .fd = c->h->sock, .events = POLLIN };

	while (poll(&p, 1, 0) == 1 && (p.revents & POLLIN) && late_line(c, msg) == 0)
		;
}

/* The helper exits right after its reply; wait for that, under the deadline. */
static int reap_clean_exit(struct conv *c)
{
	uint8_t *msg = NULL;
	int r = wait_exit(c, &msg);
	int status;

	if (r > 0)
		forward_late_logs(c, &msg);
	free(msg);
	status = helper_reap(c->h, r <= 0);

	if (r == 0) {
		pam_syslog(c->pamh, LOG_ERR, "helper did not exit within %u s; killed",
			   c->timeout_sec);
		return -ETIMEDOUT;
	}
	if (status < 0) {
		pam_syslog(c->pamh, LOG_ERR, "waiting for the helper failed: %s",
			   strerror(-status));
		return status;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_death(c, status);
		return -ECHILD;
	}
	return 0;
}

/* Log why the conversation ended early, and make sure the helper is gone. */
static void fail_conversation(struct conv *c, int r)
{
	if (r == -EPIPE || r == -ECONNRESET) {
		/* The helper closed its end: it is exiting; see how it ended. */
		int exited = wait_readable(c, c->h->pidfd);
		int status = helper_reap(c->h, exited <= 0);

		if (exited <= 0)
			pam_syslog(c->pamh, LOG_ERR, "helper closed the connection but did "
				   "not exit; killed");
		else if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
			pam_syslog(c->pamh, LOG_ERR, "helper exited without a reply");
		else if (status >= 0)
			log_death(c, status);
		else
			pam_syslog(c->pamh, LOG_ERR, "helper closed the connection; waiting "
				   "for it failed: %s", strerror(-status));
		return;
	}
	(void)helper_reap(c->h, 1);
	if (r == -ETIMEDOUT)
		pam_syslog(c->pamh, LOG_ERR, "helper did not answer within %u s; killed",
			   c->timeout_sec);
	else if (r == -EBADMSG)
		pam_syslog(c->pamh, LOG_ERR, "helper sent a malformed message; killed");
	else
		pam_syslog(c->pamh, LOG_ERR, "talking to the helper failed: %s; killed",
			   strerror(-r));
}

int converse_reply(pam_handle_t *pamh, struct conv_state *st, struct helper_proc *h,
		   const struct wire_request *req, unsigned int timeout_sec,
		   struct helper_result *res)
{
	struct conv c = { .pamh = pamh, .st = st, .h = h, .timeout_sec = timeout_sec };
	int r;

	memset(res, 0, sizeof(*res));
	(void)clock_gettime(CLOCK_MONOTONIC, &c.deadline);
	c.deadline.tv_sec += timeout_sec;
	r = wire_encode_request(&st->out, req);
	if (r == 0)
		r = channel_send(h->sock, &st->out, NULL, 0);
	if (r == 0)
		r = read_until_reply(&c, res);
	if (r < 0) {
		fail_conversation(&c, r);
		memset(res, 0, sizeof(*res));
	}
	h->deadline = c.deadline;
	h->log_lines = c.log_lines;
	return r;
}

int converse_end(pam_handle_t *pamh, struct helper_proc *h, unsigned int timeout_sec)
{
	/* Under the deadline and log budget of the conversation, not new ones. */
	struct conv c = { .pamh = pamh, .h = h, .timeout_sec = timeout_sec,
			  .deadline = h->deadline, .log_lines = h->log_lines };

	if (h->pid <= 0)
		return 0; /* reaped already */
	return reap_clean_exit(&c);
}

int converse(pam_handle_t *pamh, struct conv_state *st, struct helper_proc *h,
	     const struct wire_request *req, unsigned int timeout_sec,
	     struct helper_result *res)
{
	int r = converse_reply(pamh, st, h, req, timeout_sec, res);

	if (r == 0)
		r = converse_end(pamh, h, timeout_sec);
	if (r < 0)
		helper_result_close(res);
	return r;
}

void helper_result_close(struct helper_result *res)
{
	for (uint32_t i = 0; i < res->reply.n_ns; i++)
		(void)close(res->fds[i]);
	res->reply.n_ns = 0;
}
