/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "registrar.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "channel.h"
#include "hlog.h"
#include "landlock.h"
#include "options.h"
#include "procid.h"
#include "reg_wire.h"
#include "rundir.h"
#include "sandbox.h"
#include "test_hook.h"
#include "util.h"

#define MAKE_FDS 2 /* the registry directory, the key's lock */

static int reg_msg_send(int sock, const struct reg_msg *m, const int *fds, size_t n_fds)
{
	static struct wire_buf b;
	int r = reg_msg_encode(&b, m);

	return r < 0 ? r : channel_send(sock, &b, fds, n_fds);
}

/*
 * Landlock: the registry, the pending records and /proc; no signal out of
 * it.  The registry and pending fds stay open for the step (*shared_fd,
 * *pending_fd): what it reads is what was checked here.  0 or -errno, logged.
 */
static int confine(const struct wire_request *req, int *shared_fd, int *pending_fd)
{
	static const char *const parts[] = { "shared", "pending" };
	char why[RUNDIR_WHY_MAX];
	int fds[ARRAY_SIZE(parts)];
	int r = rundir_open_each(req->runtime_dir, parts, fds, ARRAY_SIZE(parts), why,
				 sizeof(why));
	struct ll_beneath rules[] = {
		{ fds[0], LL_READ_FILE | LL_READ_DIR | LL_MAKE_DIR | LL_REMOVE_DIR },
		{ fds[1], LL_READ_DIR | LL_MAKE_DIR | LL_REMOVE_DIR },
		{ procid_proc_fd(), LL_READ_FILE | LL_READ_DIR },
	};

	if (r < 0) {
		/* why names the part: the sets (shared) or the pending records */
		hlog(LOG_ERR, "cannot open the registry: %s", why);
		return r;
	}
	r = landlock_confine(rules, ARRAY_SIZE(rules), true);
	if (r == -EOPNOTSUPP) {
		hlog_debug("the kernel has no Landlock: the registry step is confined by its "
			   "filter and capabilities only");
		r = 0;
	} else if (r < 0) {
		hlog(LOG_ERR, "entering the registry step's Landlock domain failed: %s",
		     strerror(-r));
	}
	if (r < 0) {
		(void)close(rules[0].fd);
		(void)close(rules[1].fd);
		return r;
	}
	*shared_fd = rules[0].fd;
	*pending_fd = rules[1].fd;
	return 0;
}

/* In the child: the answer, or -errno after saying why (child_start()). */
static int answer_helper(int sock, const struct reg_msg *m, const int *fds, size_t n_fds)
{
	int r = reg_msg_send(sock, m, fds, n_fds);

	if (r < 0)
		hlog(LOG_ERR, "the registry child cannot answer: %s", strerror(-r));
	return r;
}

/*
 * The child: confined at once, while the helper makes the namespaces and
 * waits for the plan; then the set the helper names, looked up; the answer
 * with its fds.
 */
static int registrar_main(int sock, void *arg)
{
	static uint8_t msg[WIRE_MAX_MSG];
	static struct shared_ctx c;
	const struct wire_request *req = arg;
	struct reg_msg go = { 0 }, answer = { .plan = "", .key = "", .token = "" };
	size_t n_fds;
	int shared_fd = -1, pending_fd = -1;
	/* Our own /proc fd (child_start closed the helper's), in the same namespaces. */
	int r = procid_reopen();
	ssize_t len;

	/* Debug lines only when asked: each is a message the helper reads and drops. */
	hlog_init(sock, req->flags & POLYNS_OPT_DEBUG);
	if (r < 0)
		hlog(LOG_ERR, "opening /proc: %s", strerror(-r));
	if (r == 0)
		r = confine(req, &shared_fd, &pending_fd);
	if (r == 0 && (r = step_enter(STEP_REGISTRY)) < 0)
		hlog(LOG_ERR, "entering the registry step failed: %s", strerror(-r));
	len = channel_recv(sock, msg, NULL, 0, &n_fds);
	if (len == -EPIPE)
		return 0; /* the helper needs no set after all */
	if (len < 0 || reg_msg_decode(msg, (size_t)len, &go) < 0) {
		hlog(LOG_ERR, "the registry child got no usable question: %s",
		     strerror(len < 0 ? (int)-len : EBADMSG));
		return -EBADMSG;
	}
	if (r < 0) {
		answer.result = r; /* logged here: the helper does not log it again */
		return answer_helper(sock, &answer, NULL, 0);
	}
	c = (struct shared_ctx){ .shared_fd = shared_fd, .lock_fd = -1, .pending_fd = pending_fd,
				 .caller = go.caller, .holder = { .pidfd = -1, .ctl = -1 } };
	(void)snprintf(c.key, sizeof(c.key), "%s", go.key);
	(void)snprintf(c.plan, sizeof(c.plan), "%s", go.plan);
	answer.result = shared_begin(req, &c);
	if (answer.result == 0) {
		const int fds[MAKE_FDS] = { c.shared_fd, c.lock_fd };

		r = answer_helper(sock, &answer, fds, MAKE_FDS);
		/* One open file: the helper's copy holds the lock now. */
		(void)close(c.lock_fd);
		c.lock_fd = -1;
	} else {
		if (answer.result == 1) {
			/* The holder and its namespaces, as recorded: the helper opens them. */
			answer.token = c.token;
			answer.caller = c.entry.holder;
			answer.n_ns = (uint32_t)c.entry.n_ns;
			memcpy(answer.ns, c.entry.ns, sizeof(c.entry.ns[0]) * c.entry.n_ns);
		}
		r = answer_helper(sock, &answer, NULL, 0);
		shared_unlock(&c);
	}
	if (answer.result >= 0)
		test_hook("answered", sock);
	/*
	 * Other keys' stale sets, after a make answer: the helper makes the set
	 * meanwhile, and reads what this logs when it reaps us (child_end()).
	 * A join ends here, so that the helper, and the module waiting for its
	 * exit, are not held up: every close sweeps as well.
	 */
	if (r == 0 && answer.result == 0)
		shared_sweep(c.shared_fd, c.key, c.pending_fd);
	shared_end(&c);
	return r;
}

int registrar_start(const struct wire_request *req, struct child *c)
{
	int r = child_start(c, registrar_main, (void *)req);

	if (r < 0)
		hlog(LOG_ERR, "starting the registry child failed: %s", strerror(-r));
	return r;
}

/* fd is the directory at path under at: same device and inode. */
static int same_dir(int fd, int at, const char *path)
{
	struct stat a, b;

	if (fstat(fd, &a) < 0 || fstatat(at, path, &b, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	return S_ISDIR(a.st_mode) && a.st_dev == b.st_dev && a.st_ino == b.st_ino ? 0 : -EPERM;
}

/*
 * A make answer's fds must be the registry and this key's lock, nothing
 * else.  0, -EPERM (other directories), or -errno with why saying what
 * could not be looked at.
 */
static int check_make_fds(const struct wire_request *req, const struct shared_ctx *c,
			  char *why, size_t len)
{
	char lock[REG_KEY_MAX + 8];
	/* Looked at only: the child made runtime_dir and shared, and a check makes nothing. */
	_cleanup_close_ int shared = rundir_open_existing(req->runtime_dir, "shared", why, len);
	int r = shared < 0 ? shared : same_dir(c->shared_fd, shared, ".");

	if (r == 0 && (size_t)snprintf(lock, sizeof(lock), "%s.lock", c->key) >= sizeof(lock))
		r = -ENAMETOOLONG;
	if (r == 0)
		r = same_dir(c->lock_fd, shared, lock);
	if (r < 0 && shared >= 0)
		(void)snprintf(why, len, "the registry child handed over fds that are not the "
			       "registry's and the lock of %s (%s)", c->key, strerror(-r));
	return r;
}

/* An answer: 1 joined, 0 make, or -errno after logging (here, or by the child). */
static int take_answer(const struct reg_msg *m, const int *fds, size_t n_fds,
		       const struct wire_request *req, unsigned int mask, struct shared_ctx *c,
		       struct made_ns *made)
{
	int r;

	if (m->result < 0 && n_fds == 0)
		return m->result; /* a refusal: the child said why */
	if (m->result == 0 && n_fds == MAKE_FDS && m->n_ns == 0) {
		char why[RUNDIR_WHY_MAX];

		c->shared_fd = fds[0];
		c->lock_fd = fds[1];
		r = check_make_fds(req, c, why, sizeof(why));
		if (r < 0)
			hlog(LOG_ERR, "the registry child's answer cannot be used: %s", why);
		return r;
	}
	if (m->result != 1 || n_fds != 0 || reg_msg_join_ok(m, c->key, mask, sizeof(c->token)) < 0) {
		hlog(LOG_ERR, "the registry child's answer is malformed (result %d, %zu fds)",
		     (int)m->result, n_fds);
		return -EBADMSG;
	}
	c->entry.holder = m->caller;
	c->entry.n_ns = m->n_ns;
	memcpy(c->entry.ns, m->ns, sizeof(m->ns[0]) * m->n_ns);
	(void)snprintf(c->token, sizeof(c->token), "%s", m->token);
	r = shared_open_joined(c, mask, made);
	return r < 0 ? r : 1;
}

int registrar_ask(struct child *child, const struct wire_request *req, unsigned int mask,
		  struct shared_ctx *c, struct made_ns *made)
{
	const struct reg_msg go = { .mask = mask, .plan = c->plan, .key = c->key, .token = "",
				    .caller = c->caller };
	struct reg_msg answer = { 0 };
	int fds[WIRE_MAX_FDS];
	size_t n_fds = 0;
	int r = reg_msg_send(child->sock, &go, NULL, 0), told;

	/*
	 * A child that ended before the question (it enters its step first)
	 * may have said why: its lines are read, then its end (-ECHILD).
	 */
	if (r == 0 || r == -EPIPE || r == -ECONNRESET) {
		/* static: answer's strings point into it until the token is copied */
		static uint8_t msg[WIRE_MAX_MSG];
		ssize_t len = child_relay(child, MSG_REGISTRY, false, msg, fds, WIRE_MAX_FDS,
					  &n_fds);

		r = len < 0 ? (int)len : reg_msg_decode(msg, (size_t)len, &answer);
	}
	told = r == 0;
	if (told)
		r = take_answer(&answer, fds, n_fds, req, mask, c, made);
	/* The child sweeps and ends while we go on; registrar_end() reaps it after the reply. */
	if (r == 0 || r == 1)
		return r;
	/* The key's lock first, if the answer carried it: nobody waits for our reaping. */
	for (size_t i = 0; i < n_fds; i++)
		(void)close(fds[i]);
	/* Refused (the child or take_answer() said why): how it ended, and its late lines. */
	if (told)
		(void)child_end(child, "registry", "its answer");
	else
		(void)child_unusable(child, "registry", "answer", r);
	c->shared_fd = c->lock_fd = -1;
	made->n = 0;
	return r;
}

int registrar_end(struct child *child)
{
	return child_end(child, "registry", "its answer");
}
