/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * polyns-helper: started by pam_polyns.so with its socket at fd 3, an empty
 * environment, no other fds, uid/gid 0.  Never run by hand.
 *
 * Its work is the step table of steps.h, driven here top to bottom: each
 * step_enter() drops what no later step needs and stacks the step's filter,
 * so everything below a step_enter() line runs with that step's privileges.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>

#include "channel.h"
#include "cleanup.h"
#include "hlog.h"
#include "landlock.h"
#include "nsmake.h"
#include "options.h"
#include "peer.h"
#include "planner.h"
#include "registrar.h"
#include "privs.h"
#include "relro.h"
#include "procid.h"
#include "sandbox.h"
#include "selinux_label.h"
#include "session.h"
#include "shared.h"
#include "test_hook.h"
#include "timing.h"
#include "tree.h"
#include "util.h"
#include "wire.h"

#define SOCK WIRE_FD_SLOT

/* The last step of either path: nothing on disk, no capability, then send. */
static int reply(enum step s, const struct wire_reply *reply, const struct made_ns *made)
{
	static struct wire_buf b;
	int r;

	/* Nothing reads /proc from here on: one fd fewer for a caller short of them. */
	procid_close();
	r = landlock_confine(NULL, 0, true);

	if (r == -EOPNOTSUPP) {
		hlog_debug("the kernel has no Landlock: the reply is confined by its filter "
			   "and capabilities only");
		r = 0; /* the reply filter alone opens nothing; Landlock is a second wall */
	}
	if (r == 0)
		r = step_enter(s);
	if (r < 0) {
		/* Still under the step before's filter, which may send. */
		hlog(LOG_ERR, "entering the %s step failed: %s", step_info(s)->name, strerror(-r));
		return r;
	}
	r = wire_encode_reply(&b, reply);
	if (r == 0)
		r = channel_send(SOCK, &b, made->fds, made->n);
	if (r == 0)
		test_hook("replied", SOCK);
	return r;
}

static int fail(const char *what, int r)
{
	static const struct made_ns none;
	static const struct wire_reply error = { .status = STATUS_SYSTEM_ERR };

	hlog(LOG_ERR, "%s: %s", what, strerror(-r));
	(void)reply(STEP_REPLY, &error, &none); /* best effort: we are about to exit anyway */
	return 1;
}

/* What this session will not use, so that no step keeps it. */
static uint64_t unneeded_caps(const struct session_state *st)
{
	uint64_t caps = 0;

	if (st->n_jobs == 0)
		caps |= CAP_BIT(CAP_CHOWN) | CAP_BIT(CAP_FOWNER) | CAP_BIT(CAP_DAC_OVERRIDE);
	return caps;
}

/*
 * Open: the steps after setup.  The plan child, started before setup, gets
 * the request and parses the configuration while this process makes the
 * namespaces (they do not depend on it).  Returns the reply's status.
 */
static enum wire_status open_session(const struct wire_request *req, struct session_state *st,
				     struct child *plan, struct child *registry)
{
	char why[CHILD_WHY_MAX];
	enum wire_status status;
	bool shared = shared_needed(req, req->ns_mask);
	unsigned int mask;
	int r;

	if ((req->flags & POLYNS_OPT_REQUIRE_SELINUX) && !se_get_ops()->enabled()) {
		hlog(LOG_ERR, "require_selinux given and SELinux is disabled");
		(void)child_finish(plan, "plan", why, sizeof(why)); /* it ends at the closed socket */
		return STATUS_SESSION_ERR;
	}
	if (!(req->ns_mask & POLYNS_NS_NET))
		step_unneeded(CAP_BIT(CAP_NET_ADMIN));
	r = planner_send(plan, req);
	if (r == 0 && shared)
		r = registrar_start(req, registry);
	if (r < 0) {
		(void)child_finish(plan, "plan", why, sizeof(why));
		return STATUS_SYSTEM_ERR;
	}
	r = step_enter(STEP_NAMESPACES);
	if (r == 0)
		r = session_namespaces(req, req->ns_mask);
	if (r == 0 && shared)
		r = shared_caller(&st->shared); /* while the plan child works */
	status = planner_finish(plan, st);
	timing_mark("plan");
	mask = session_mask(req, st);
	if (status != STATUS_OK || mask == 0 || r < 0 || session_check(req, mask) < 0) {
		(void)child_finish(registry, "registry", why, sizeof(why)); /* no question: it exits */
		return status != STATUS_OK || mask == 0 ? status : STATUS_SESSION_ERR;
	}
	step_unneeded(unneeded_caps(st));

	if (shared) {
		r = session_registry(req, st, mask, registry);
		if (r == 1) {
			session_fill_reply(req, st, true, true);
			return STATUS_OK;
		}
		if (r == 0)
			r = shared_spawn_holder(&st->shared, mask);
	}

	if (r == 0 && st->n_jobs) {
		r = session_prepare_polydirs(req, st);
		if (r == 0)
			r = step_enter(STEP_POLYDIRS);
		if (r == 0)
			r = session_polydirs(st);
	}

	/* Only a pid namespace's holder mounts anything after the polydirs. */
	if (!(mask & POLYNS_NS_PID))
		step_unneeded(CAP_BIT(CAP_SYS_ADMIN));
	if (step_enter(STEP_SETS) < 0)
		return STATUS_SYSTEM_ERR; /* the undo below needs this step's privileges */
	r = session_sets(st, mask, shared, r);
	if (r < 0) {
		made_ns_close(&st->made);
		/*
		 * A session the registry counted in (a join refused after the
		 * registry child recorded it): the refusal names it, and the
		 * module counts it out again.
		 */
		st->reply.registry = st->shared.token;
		return STATUS_SESSION_ERR;
	}
	session_fill_reply(req, st, shared, false);
	return STATUS_OK;
}

/* Close: the steps after setup; tree is the tree child, if one was started. */
static enum wire_status close_steps(const struct wire_request *req, struct child *tree)
{
	enum wire_status status = STATUS_OK;
	_cleanup_close_ int shared = -1, pending = -1;
	int r = 0;

	if (req->n_unmount > 0) {
		r = step_enter(STEP_UNMOUNT);
		if (r == 0 && close_unmount(req) > 0)
			status = STATUS_SESSION_ERR;
	}
	step_unneeded(CAP_BIT(CAP_SYS_ADMIN));
	/* Nothing mounts from here on: Landlock can hold the rest of the close. */
	if (r == 0 && close_confine(req, &shared, &pending) < 0)
		return STATUS_SYSTEM_ERR; /* logged */

	if (r == 0 && req->registry[0]) {
		r = step_enter(STEP_CLOSE_REGISTRY);
		/* Without the registry (close_confine said why), the session stays counted. */
		if (r == 0 && (shared < 0 || shared_close(req, take_fd(&shared), pending) != STATUS_OK))
			status = STATUS_SESSION_ERR;
	}

	/*
	 * Nothing to remove (no tree child: no tmpdir of ours, no pending
	 * record seen in setup) and nothing to defer: no cleanup step.  A record
	 * written since goes at a later close.
	 */
	if (r == 0 && (tree->pid > 0 || req->n_defer > 0)) {
		r = step_enter(STEP_CLEANUP);
		if (r == 0 && close_session(req, tree, pending) != STATUS_OK)
			status = STATUS_SESSION_ERR;
	}
	if (r < 0) {
		hlog(LOG_ERR, "changing capabilities or filters failed: %s", strerror(-r));
		return STATUS_SYSTEM_ERR;
	}
	return status;
}

/* The operation the module started us for (our only argument), or 0. */
static enum wire_op op_of(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "open") == 0)
		return OP_OPEN;
	if (argc == 2 && strcmp(argv[1], "close") == 0)
		return OP_CLOSE;
	return 0;
}

int main(int argc, char **argv)
{
	static uint8_t msg[WIRE_MAX_MSG];
	static struct wire_request req;
	static struct session_state st;
	struct child tree = { .pid = -1, .sock = -1 }, plan = { .pid = -1, .sock = -1 };
	struct child registry = { .pid = -1, .sock = -1 };
	enum wire_op op = op_of(argc, argv);
	int r;

	if (relro_seal() < 0)
		return 2; /* before anything: no half-protected helper runs */
	timing_mark("main");
	st.env.pending_fd = -1;
	if (op == 0) {
		(void)fprintf(stderr, "polyns-helper is started by pam_polyns.so as "
				      "\"polyns-helper open\" or \"polyns-helper close\" "
				      "(see polyns-helper(8))\n");
		return 2;
	}
	holder_keep_cmdline(argc, argv);
	test_hook_load();
	test_hook("start", SOCK);
	r = peer_check(SOCK);
	if (r < 0) {
		(void)fprintf(stderr, "polyns-helper: fd %d is not a socket from a "
				      "root parent: %s\n", SOCK, strerror(-r));
		return 2;
	}
	hlog_init(SOCK, false);
	/* /proc as we find it: a session's pid namespace may mount its own later. */
	r = procid_init();
	if (r < 0)
		return fail("opening /proc", r);
	r = privs_init();
	if (r < 0)
		return fail("locking the capability state", r);
	r = se_prepare();
	if (r < 0)
		return fail("preparing SELinux", r);
	/* Its start overlaps setup's: it confines itself, then waits for the request. */
	if (op == OP_OPEN) {
		r = planner_start(&plan);
		if (r < 0)
			return fail("starting the plan child", r);
	}

	r = step_enter(STEP_SETUP);
	if (r < 0)
		return fail("entering the sandbox", r);
	test_hook("sandboxed", SOCK);
	r = channel_recv_request(SOCK, msg, &req);
	if (r < 0)
		return fail("reading the request", r);
	hlog_init(SOCK, req.flags & POLYNS_OPT_DEBUG);
	if (req.op != op)
		return fail("the request is not for the operation the helper was started for",
			    -EPROTO);
	timing_mark("request");
	test_hook("request", SOCK);
	test_hook_selinux(&req.context);

	if (req.op == OP_OPEN) {
		st.reply.status = open_session(&req, &st, &plan, &registry);
	} else {
		char why[CHILD_WHY_MAX];

		if (req.n_cleanup > 0 ||
		    (req.sweep_pending && cleanup_pending_exist(req.runtime_dir))) {
			r = tree_start(&tree);
			if (r < 0)
				return fail("starting the tree child", r);
		}
		st.reply.status = close_steps(&req, &tree);
		r = child_finish(&tree, "tree", why, sizeof(why));
		if (r < 0 && why[0])
			hlog(LOG_ERR, "%s", why);
		if (r != 0 && st.reply.status == STATUS_OK)
			st.reply.status = STATUS_SESSION_ERR;
	}
	timing_mark("done");
	timing_log(req.op == OP_OPEN ? "open" : "close");
	r = reply(req.op == OP_OPEN ? STEP_REPLY : STEP_CLOSE_REPLY, &st.reply, &st.made);
	/*
	 * The children ended meanwhile, or end while the module joins (after a
	 * make answer the registry child sweeps other keys): a failure after
	 * the plan or the answer fails our exit status, so the module refuses
	 * the session and counts it out of a shared set again.  Without a
	 * reply we are not in the reply step, whose program reaps them: they
	 * end at their closed sockets when we exit.
	 */
	if (r == 0 && planner_end(&plan) < 0)
		r = -ECHILD;
	if (r == 0 && registrar_end(&registry) < 0)
		r = -ECHILD;
	session_state_free(&st);
	return r < 0 ? 1 : 0;
}
