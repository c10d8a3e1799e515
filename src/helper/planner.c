/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "planner.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "channel.h"
#include "child.h"
#include "hlog.h"
#include "landlock.h"
#include "plan_wire.h"
#include "sandbox.h"
#include "test_hook.h"

/* Landlock: read the config file, and beneath the drop-in directory; nothing else. */
static int confine(const struct wire_request *req)
{
	struct ll_beneath rules[2] = {
		{ open(req->config, O_PATH | O_CLOEXEC), LL_READ_FILE },
		{ open(req->config_dir, O_PATH | O_CLOEXEC), LL_READ_FILE | LL_READ_DIR },
	};
	int r = landlock_confine(rules, 2, true);

	for (size_t i = 0; i < 2; i++)
		if (rules[i].fd >= 0)
			(void)close(rules[i].fd);
	if (r == -EOPNOTSUPP) {
		hlog_debug("the kernel has no Landlock: the plan step is confined by its "
			   "filter and capabilities only");
		r = 0;
	}
	return r;
}

/*
 * The child, started before the helper's setup: its step first (no
 * capability, its own program), then the request, then its Landlock domain
 * (which needs the request's paths), then the plan.
 */
static int plan_main(int sock, void *arg)
{
	static struct wire_buf b;
	static struct wire_request req; /* its strings point into msg below */
	int r = step_begin(STEP_PLAN);

	(void)arg;
	if (r == 0) {
		static uint8_t msg[WIRE_MAX_MSG];

		/* the module's request, decoded and encoded again by the helper */
		r = channel_recv_request(sock, msg, &req);
		if (r == -EPIPE)
			return 0; /* the helper ended before a request: nothing to plan */
		/* Debug lines only when asked: each is a message the helper reads and drops. */
		if (r == 0)
			hlog_init(sock, req.flags & POLYNS_OPT_DEBUG);
	}
	if (r == 0)
		r = confine(&req);
	if (r < 0) {
		hlog(LOG_ERR, "entering the plan step failed: %s", strerror(-r));
		return r;
	}
	step_entered(STEP_PLAN); /* only now is the configuration read */
	session_plan(sock, &req, &b);
	r = channel_send(sock, &b, NULL, 0);
	if (r < 0)
		hlog(LOG_ERR, "sending the plan failed: %s", strerror(-r));
	else
		test_hook("planned", sock);
	return r;
}

static int take_plan(const uint8_t *msg, size_t len, enum wire_status *status,
		     struct session_state *st)
{
	struct wire_reader rd;
	uint32_t type;
	size_t n = 0;

	if (wire_open(msg, len, &type, &rd) < 0 || plan_wire_open(&rd, status, &n) < 0)
		return -EBADMSG;
	/* st is the helper's static state, zero: only what is not zero is set. */
	for (size_t i = 0; i < n; i++) {
		st->jobs[i].parent_fd = -1;
		if (plan_wire_get_job(&rd, &st->jobs[i].plan) < 0)
			return -EBADMSG;
	}
	if (wire_done(&rd) < 0)
		return -EBADMSG;
	st->n_jobs = n;
	return 0;
}

int planner_start(struct child *c)
{
	return child_start(c, plan_main, NULL);
}

int planner_send(const struct child *c, const struct wire_request *req)
{
	static struct wire_buf b;
	int r = wire_encode_request(&b, req);

	if (r == 0)
		r = channel_send(c->sock, &b, NULL, 0);
	if (r < 0)
		hlog(LOG_ERR, "passing the request to the plan child failed: %s", strerror(-r));
	return r;
}

enum wire_status planner_finish(struct child *c, struct session_state *st)
{
	/* The jobs' strings point into it: it lives as long as the helper. */
	static uint8_t msg[WIRE_MAX_MSG];
	enum wire_status status = STATUS_SYSTEM_ERR;
	size_t n_fds;
	ssize_t len = child_relay(c, MSG_PLAN, true, msg, NULL, 0, &n_fds);
	int r = len < 0 ? (int)len : take_plan(msg, (size_t)len, &status, st);

	/* A usable plan: the child exits while the helper goes on (planner_end()). */
	if (r == 0)
		return status;
	st->n_jobs = 0;
	(void)child_unusable(c, "plan", "plan", r);
	return STATUS_SYSTEM_ERR;
}

int planner_end(struct child *c)
{
	return child_end(c, "plan", "its plan");
}
