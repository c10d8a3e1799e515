/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <md5.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_load.h"
#include "hlog.h"
#include "names.h"
#include "options.h"
#include "plan_wire.h"
#include "planner.h"
#include "procid.h"
#include "registrar.h"
#include "rundir.h"
#include "shared.h"
#include "util.h"

static void log_diags(const struct diag_list *diags)
{
	for (size_t i = 0; i < diags->n; i++)
		hlog(diags->v[i].level == DIAG_ERROR ? LOG_ERR : LOG_WARNING, "%s",
		     diags->v[i].text);
	if (diags->n_dropped)
		hlog(LOG_ERR, "%zu more configuration messages not shown",
		     diags->n_dropped);
}

static struct session_user to_session_user(const struct wire_user *w)
{
	return (struct session_user){ w->name, w->uid, w->gid, w->home };
}

/* Debug lines for shared context/level rules, skipped without SELinux. */
static void log_skipped(const struct conf *conf, const struct plan *p)
{
	for (size_t i = 0; i < p->n_rules; i++)
		if (p->verdicts[i] == PLAN_RULE_SKIPPED)
			hlog_debug("%s:%u: shared %s instance without SELinux: skipped",
				   conf->rules[i].file, conf->rules[i].line,
				   conf_method_name(conf->rules[i].method));
}

void session_plan(int sock, const struct wire_request *req, struct wire_buf *b)
{
	static struct name_table names;
	const struct plan_input in = {
		.user = to_session_user(&req->user),
		.ruser = to_session_user(&req->ruser),
		.flags = req->flags,
		.unmnt = req->unmnt,
		.context = req->context[0] ? req->context : NULL,
		.umask = (mode_t)req->umask,
		.init = req->init,
	};
	bool ignore = req->flags & POLYNS_OPT_IGNORE_CONFIG_ERROR;
	struct name_resolver res = name_table_resolver(&names);
	struct diag_list diags = { 0 };
	struct conf conf = { 0 };
	struct plan p = { 0 };
	int ret = conf_load(&conf, req->config, req->config_dir, ignore, &diags);

	if (ret == 0)
		ret = plan_query(&conf, &names.query, &diags);
	if (ret == 0) {
		ret = names_resolve(sock, &names);
		if (ret < 0)
			hlog(LOG_ERR, "resolving names in the configuration failed: %s",
			     strerror(-ret));
	}
	if (ret == 0)
		ret = plan_make(&conf, &in, &res, &p, &diags);
	if (ret == 0)
		ret = plan_wire_encode(b, STATUS_OK, &p, in.user.name, &diags);
	if (ret == 0)
		log_skipped(&conf, &p);
	if (ret < 0) {
		enum wire_status status = ret == -EINVAL ? STATUS_SESSION_ERR : STATUS_SYSTEM_ERR;

		(void)plan_wire_encode(b, status, &p, in.user.name, &diags); /* no job: fits */
	}
	plan_free(&p);
	log_diags(&diags);
	diag_list_free(&diags);
	conf_free(&conf);
}

int session_prepare_polydirs(const struct wire_request *req, struct session_state *st)
{
	char why[RUNDIR_WHY_MAX];
	_cleanup_close_ int mnt = -1;
	bool tmpdirs = false;
	int pidfd = -1, r;

	st->env = (struct polydir_env){
		.uid = req->user.uid, .gid = req->user.gid,
		.ignore_parent_mode = req->flags & POLYNS_OPT_IGNORE_INSTANCE_PARENT_MODE,
		.gen_hash = req->flags & POLYNS_OPT_GEN_HASH,
		.user_name = req->user.name,
		.scon = req->context[0] ? req->context : NULL,
		.pending_fd = -1, .caller = &st->caller,
	};
	for (size_t i = 0; i < st->n_jobs; i++)
		tmpdirs = tmpdirs ||
			  (st->jobs[i].plan.setup && st->jobs[i].plan.method == METHOD_TMPDIR);
	if (!tmpdirs)
		return 0;
	mnt = openat(procid_proc_fd(), "self/ns/mnt", O_RDONLY | O_CLOEXEC);
	r = mnt < 0 ? -errno : ns_mntns_id(mnt, &st->env.mntns);
	if (r == 0)
		r = procid_open(getppid(), &st->caller, &pidfd);
	if (r < 0) {
		hlog(LOG_ERR, "cannot record the tmpdir instances of %s: %s", req->user.name,
		     strerror(-r));
		return r;
	}
	(void)close(pidfd);
	st->env.pending_fd = rundir_open(req->runtime_dir, "pending", why, sizeof(why));
	if (st->env.pending_fd < 0)
		hlog(LOG_ERR, "cannot record the tmpdir instances of %s: %s", req->user.name, why);
	return st->env.pending_fd < 0 ? st->env.pending_fd : 0;
}

int session_polydirs(struct session_state *st)
{
	int ret = 0;

	for (size_t i = 0; ret == 0 && i < st->n_jobs; i++) {
		struct polydir_job *job = &st->jobs[i];

		if (job->plan.unmount_first)
			ret = polydir_unmount_rdir(job);
		if (ret == 0 && job->plan.setup)
			ret = polydir_setup(job, &st->env);
	}
	return ret; /* on failure session_sets() undoes the tmpdirs made so far */
}

static void fill_reply(struct session_state *st, bool shared)
{
	struct wire_reply *rp = &st->reply;

	rp->n_ns = (uint32_t)st->made.n;
	memcpy(rp->ns, st->made.id, sizeof(st->made.id[0]) * st->made.n);
	rp->registry = shared ? st->shared.token : "";
	for (size_t i = 0; i < st->n_jobs; i++) {
		const struct polydir_job *job = &st->jobs[i];

		if (!job->plan.setup)
			continue;
		rp->polydirs[rp->n_polydirs++] = job->plan.dir;
		/* A shared set's tmpdirs belong to its registry entry. */
		if (job->made_tmpdir && !shared)
			rp->tmpdirs[rp->n_tmpdirs++] = job->instance;
		if (job->plan.rule_flags & RULE_NOINIT)
			continue;
		rp->inits[rp->n_inits++] = (struct wire_init){
			.script = job->plan.iscript,
			.polydir = job->plan.dir, .instance = job->instance,
			.newdir = job->newdir, .safe_polydir = job->safe_polydir,
			.safe_instance = job->plan.method != METHOD_TMPFS && job->safe_instance,
		};
	}
}

/*
 * What a shared set's sessions must agree on: the polydirs and the instance
 * each one mounts.  A user-method /tmp in a group's set differs per user.
 */
static void plan_digest(const struct wire_request *req, const struct session_state *st,
			char out[MD5_DIGEST_STRING_LENGTH])
{
	MD5_CTX md;

	MD5Init(&md);
	for (size_t i = 0; i < st->n_jobs; i++) {
		const struct polydir_job *job = &st->jobs[i];
		const char *name = job->plan.name_later ? req->context : job->plan.name;
		uint32_t method = job->plan.method;

		if (!job->plan.setup)
			continue;
		MD5Update(&md, (const uint8_t *)job->plan.dir, strlen(job->plan.dir) + 1);
		MD5Update(&md, (const uint8_t *)&method, sizeof(method));
		MD5Update(&md, (const uint8_t *)name, strlen(name) + 1);
	}
	MD5End(&md, out);
}

static void undo_tmpdirs(struct session_state *st)
{
	for (size_t i = 0; i < st->n_jobs; i++)
		polydir_undo_tmpdir(&st->jobs[i], &st->env);
}

/* Polydirs need a mount namespace of their own; so does a pid namespace's /proc. */
unsigned int session_mask(const struct wire_request *req, const struct session_state *st)
{
	unsigned int mask = req->ns_mask;

	if (st->n_jobs || (mask & POLYNS_NS_PID))
		mask |= POLYNS_NS_MNT;
	return mask;
}

int session_check(const struct wire_request *req, unsigned int mask)
{
	if (shared_needed(req, mask) && req->unmnt != POLYNS_UNMNT_NONE) {
		hlog(LOG_ERR, "unmnt_remnt and unmnt_only cannot change a shared set");
		return -EINVAL;
	}
	return 0;
}

int session_namespaces(const struct wire_request *req, unsigned int mask)
{
	const char *stage = "";
	/* Always a mount namespace of our own: nothing later can touch the host's mounts. */
	int r = ns_unshare(mask | POLYNS_NS_MNT, req->flags & POLYNS_OPT_MOUNT_PRIVATE, &stage);

	if (r < 0)
		hlog(LOG_ERR, "creating namespaces for %s failed at %s: %s", req->user.name,
		     stage, strerror(-r));
	return r;
}

int session_registry(const struct wire_request *req, struct session_state *st,
		     unsigned int mask, struct child *registry)
{
	char digest[MD5_DIGEST_STRING_LENGTH];
	int r;

	plan_digest(req, st, digest);
	r = shared_name(req, mask, digest, &st->shared);
	if (r < 0) {
		char why[CHILD_WHY_MAX];

		(void)child_finish(registry, "registry", why, sizeof(why)); /* no question: it exits */
		return r;
	}
	r = registrar_ask(registry, req, mask, &st->shared, &st->made);
	if (r != 0)
		shared_end(&st->shared); /* joined, or failed: nothing more to record */
	return r;
}

/*
 * The reply is one message of at most WIRE_MAX_MSG bytes, which many
 * polydirs with long paths can pass: found out before a set is recorded or
 * namespaces are opened, while what was made can still be undone.  It is
 * measured with as many namespaces and as long a registry name as a reply
 * can have.  0 or -EMSGSIZE (logged).
 */
static int reply_fits(struct session_state *st, bool shared)
{
	static struct wire_buf b;
	static char token[sizeof(st->shared.token)];
	int r;

	memset(token, 'x', sizeof(token) - 1);
	fill_reply(st, shared);
	st->reply.n_ns = WIRE_MAX_FDS;
	st->reply.registry = shared ? token : "";
	r = wire_encode_reply(&b, &st->reply);
	st->reply = (struct wire_reply){ 0 };
	if (r < 0)
		hlog(LOG_ERR, "the reply for %zu polydirs would not fit in one message of %u "
		     "bytes (paths too long): refusing the session", st->n_jobs, WIRE_MAX_MSG);
	return r;
}

int session_sets(struct session_state *st,
		 unsigned int mask, bool shared, int r)
{
	const char *tmpdirs[WIRE_MAX_POLYDIRS];
	size_t n_tmpdirs = 0;

	for (size_t i = 0; r == 0 && i < st->n_jobs; i++)
		if (st->jobs[i].made_tmpdir)
			tmpdirs[n_tmpdirs++] = st->jobs[i].instance;
	if (r == 0)
		r = reply_fits(st, shared);
	if (r == 0 && shared) {
		r = shared_create(&st->shared, mask, tmpdirs, n_tmpdirs, &st->made);
	} else if (r == 0) {
		r = ns_open_fds(mask, &st->made);
		if (r < 0)
			hlog(LOG_ERR, "opening the new namespaces failed: %s", strerror(-r));
	}
	if (r < 0)
		undo_tmpdirs(st);
	if (st->env.pending_fd >= 0)
		(void)close(st->env.pending_fd); /* every record is made or undone */
	st->env.pending_fd = -1;
	if (shared)
		shared_end(&st->shared);
	return r;
}

void session_fill_reply(const struct wire_request *req, struct session_state *st,
			bool shared, bool joined)
{
	if (joined) {
		/* A live set: its polydirs are mounted and were initialised. */
		st->reply.n_ns = (uint32_t)st->made.n;
		memcpy(st->reply.ns, st->made.id, sizeof(st->made.id[0]) * st->made.n);
		st->reply.registry = st->shared.token;
		return;
	}
	fill_reply(st, shared);
	hlog_debug("made %zu namespaces and %zu polydirs for %s", st->made.n, st->n_jobs,
		   req->user.name);
}

void session_state_free(struct session_state *st)
{
	if (st->env.pending_fd >= 0)
		(void)close(st->env.pending_fd);
	st->env.pending_fd = -1;
	made_ns_close(&st->made);
	for (size_t i = 0; i < st->n_jobs; i++) {
		polydir_job_release(&st->jobs[i]);
		free(st->jobs[i].label);
	}
}
