/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "session.h"

#include <errno.h>
#include <md5.h>
#include <selinux/selinux.h>
#include <stdlib.h>
#include <string.h>

#include "conf_expand.h"
#include "conf_load.h"
#include "hlog.h"
#include "options.h"
#include "shared.h"

static void log_diags(const struct diag_list *diags)
{
	for (size_t i = 0; i < diags->n; i++)
		hlog(diags->v[i].level == DIAG_ERROR ? LOG_ERR : LOG_WARNING, "%s",
		     diags->v[i].text);
	if (diags->n_dropped)
		hlog(LOG_ERR, "%zu more configuration messages not shown",
		     diags->n_dropped);
}

static void to_session_user(const struct wire_user *w, struct session_user *u)
{
	*u = (struct session_user){ w->name, w->uid, w->gid, w->home };
}

/*
 * pam_namespace's per-directory decision: set up for the user unless
 * exempt; with unmnt_*, first undo the requesting user's mount unless the
 * requester is exempt.  Returns false when the rule has nothing to do.
 */
static bool decide(const struct wire_request *req, struct polydir_job *job)
{
	const struct conf_rule *r = job->rule;
	bool user_in = conf_rule_applies(r, job->ids.uids, job->ids.n_uids, req->user.uid);
	bool ruser_in = conf_rule_applies(r, job->ids.uids, job->ids.n_uids, req->ruser.uid);
	bool unmnt = req->unmnt != POLYNS_UNMNT_NONE && ruser_in;

	job->unmount_first = unmnt;
	job->setup = user_in && req->unmnt != POLYNS_UNMNT_ONLY;
	if (!user_in && !unmnt)
		return false;
	return true;
}

/* The rule's instance name; 1 when the rule is skipped, -errno on errors. */
static int name_job(const struct wire_request *req, struct polydir_job *job)
{
	const struct conf_rule *r = job->rule;
	int ret;

	if ((r->method == METHOD_CONTEXT || r->method == METHOD_LEVEL) && req->context[0]) {
		job->name_later = true; /* from the polydir's label, once it is open */
		return 0;
	}
	ret = instance_name(r->method, r->flags & RULE_SHARED, req->user.name, NULL,
			    req->flags & POLYNS_OPT_GEN_HASH, job->name, sizeof(job->name));
	if (ret == INSTANCE_SKIP)
		hlog_debug("%s:%u: shared %s instance without SELinux: skipped", r->file,
			   r->line, conf_method_name(r->method));
	else if (ret < 0)
		hlog(LOG_ERR, "%s:%u: no valid instance name for user %s", r->file, r->line,
		     req->user.name);
	return ret;
}

/* One rule into a job; 1 if it applies, 0 if not, -EINVAL on a config error. */
static int plan_rule(const struct wire_request *req, struct session_state *st,
		     const struct conf_rule *rule, struct diag_list *diags)
{
	bool ignore = req->flags & POLYNS_OPT_IGNORE_CONFIG_ERROR;
	struct name_resolver res = names_resolver(&st->names);
	struct polydir_job *job = &st->jobs[st->n_jobs];
	struct session_user user, ruser;
	char err[256];
	int ret;

	memset(job, 0, sizeof(*job));
	job->rule = rule;
	to_session_user(&req->user, &user);
	to_session_user(&req->ruser, &ruser);
	ret = conf_resolve_rule(rule, &res, ignore, &job->ids, diags);
	if (ret == 0 && conf_expand_rule(rule, &user, &ruser, &job->x, err, sizeof(err)) < 0) {
		diag_add(diags, ignore ? DIAG_WARNING : DIAG_ERROR, rule->file, rule->line,
			 "%s", err);
		ret = -EINVAL;
	}
	if (ret == 0 && !decide(req, job))
		ret = 1;
	if (ret == 0 && job->setup)
		ret = name_job(req, job);
	if (ret != 0) {
		resolved_rule_free(&job->ids);
		return ret == 1 || ret == INSTANCE_SKIP || (ret == -EINVAL && ignore) ? 0 : ret;
	}
	if (st->n_jobs == WIRE_MAX_POLYDIRS) {
		hlog(LOG_ERR, "more than %u polydirs apply to %s", WIRE_MAX_POLYDIRS,
		     req->user.name);
		resolved_rule_free(&job->ids);
		return -E2BIG;
	}
	st->n_jobs++;
	return 1;
}

enum wire_status session_plan(int sock, const struct wire_request *req,
			     struct session_state *st)
{
	bool ignore = req->flags & POLYNS_OPT_IGNORE_CONFIG_ERROR;
	struct diag_list diags = { 0 };
	int ret = conf_load(&st->conf, req->config, req->config_dir, ignore, &diags);
	int errors = 0;

	if (ret == 0) {
		ret = names_resolve(sock, &st->conf, &st->names);
		if (ret < 0)
			hlog(LOG_ERR, "resolving names in the configuration failed: %s",
			     strerror(-ret));
	}
	for (size_t i = 0; ret == 0 && i < st->conf.n_rules; i++) {
		int r = plan_rule(req, st, &st->conf.rules[i], &diags);

		if (r == -EINVAL)
			errors++;
		else if (r < 0)
			ret = r;
	}
	log_diags(&diags);
	diag_list_free(&diags);
	if (ret == -EINVAL || errors)
		return STATUS_SESSION_ERR;
	return ret < 0 ? STATUS_SYSTEM_ERR : STATUS_OK;
}

static int run_jobs(const struct wire_request *req, struct session_state *st)
{
	const struct polydir_env env = {
		.uid = req->user.uid, .gid = req->user.gid, .umask = req->umask,
		.ignore_parent_mode = req->flags & POLYNS_OPT_IGNORE_INSTANCE_PARENT_MODE,
		.gen_hash = req->flags & POLYNS_OPT_GEN_HASH,
		.user_name = req->user.name,
		.scon = req->context[0] ? req->context : NULL,
	};
	int ret = 0;

	for (size_t i = 0; ret == 0 && i < st->n_jobs; i++) {
		struct polydir_job *job = &st->jobs[i];

		if (job->unmount_first)
			ret = polydir_unmount_rdir(job);
		if (ret == 0 && job->setup)
			ret = polydir_setup(job, &env);
	}
	return ret; /* on failure session_sets() undoes the tmpdirs made so far */
}


static void fill_reply(const struct wire_request *req, struct session_state *st,
		       bool shared)
{
	struct wire_reply *rp = &st->reply;

	rp->n_ns = (uint32_t)st->made.n;
	memcpy(rp->ns, st->made.id, sizeof(st->made.id[0]) * st->made.n);
	rp->registry = shared ? st->shared.token : "";
	for (size_t i = 0; i < st->n_jobs; i++) {
		const struct polydir_job *job = &st->jobs[i];

		if (!job->setup)
			continue;
		rp->polydirs[rp->n_polydirs++] = job->x.dir;
		/* A shared set's tmpdirs belong to its registry entry. */
		if (job->made_tmpdir && !shared)
			rp->tmpdirs[rp->n_tmpdirs++] = job->instance;
		if (job->rule->flags & RULE_NOINIT)
			continue;
		rp->inits[rp->n_inits++] = (struct wire_init){
			.script = job->rule->iscript ? job->rule->iscript : req->init,
			.polydir = job->x.dir, .instance = job->instance,
			.newdir = job->newdir, .safe_polydir = job->safe_polydir,
			.safe_instance = job->rule->method != METHOD_TMPFS && job->safe_instance,
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
		const char *name = job->name_later ? req->context : job->name;
		uint32_t method = job->rule->method;

		if (!job->setup)
			continue;
		MD5Update(&md, (const uint8_t *)job->x.dir, strlen(job->x.dir) + 1);
		MD5Update(&md, (const uint8_t *)&method, sizeof(method));
		MD5Update(&md, (const uint8_t *)name, strlen(name) + 1);
	}
	MD5End(&md, out);
}

static void undo_tmpdirs(struct session_state *st)
{
	for (size_t i = 0; i < st->n_jobs; i++)
		polydir_undo_tmpdir(&st->jobs[i]);
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
	if ((req->flags & POLYNS_OPT_REQUIRE_SELINUX) && is_selinux_enabled() != 1) {
		hlog(LOG_ERR, "require_selinux given and SELinux is disabled");
		return -EPERM;
	}
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
		     unsigned int mask)
{
	char digest[MD5_DIGEST_STRING_LENGTH];

	int r;

	plan_digest(req, st, digest);
	r = shared_begin(req, mask, digest, &st->shared, &st->made);
	if (r != 0)
		shared_end(&st->shared); /* joined, or failed: nothing more to record */
	return r;
}

int session_polydirs(const struct wire_request *req, struct session_state *st)
{
	int r = run_jobs(req, st);

	if (r < 0)
		hlog(LOG_ERR, "setting up polydirs for %s failed: %s", req->user.name,
		     strerror(-r));
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
	if (r == 0 && shared) {
		r = shared_create(&st->shared, mask, tmpdirs, n_tmpdirs, &st->made);
	} else if (r == 0) {
		r = ns_open_fds(mask, &st->made);
		if (r < 0)
			hlog(LOG_ERR, "opening the new namespaces failed: %s", strerror(-r));
	}
	if (r < 0)
		undo_tmpdirs(st);
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
	fill_reply(req, st, shared);
	hlog_debug("made %zu namespaces and %zu polydirs for %s", st->made.n, st->n_jobs,
		   req->user.name);
}

void session_state_free(struct session_state *st)
{
	made_ns_close(&st->made);
	for (size_t i = 0; i < st->n_jobs; i++) {
		polydir_job_release(&st->jobs[i]);
		resolved_rule_free(&st->jobs[i].ids);
		free(st->jobs[i].label);
	}
	conf_free(&st->conf);
}
