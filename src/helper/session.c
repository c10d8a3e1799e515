/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "session.h"

#include <errno.h>
#include <selinux/selinux.h>
#include <string.h>

#include "conf.h"
#include "conf_expand.h"
#include "conf_load.h"
#include "conf_resolve.h"
#include "hlog.h"
#include "names.h"
#include "options.h"
#include "privs.h"

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

/* How many rules polyinstantiate this user; -EINVAL on a config error. */
static int count_polydirs(const struct conf *conf, const struct wire_request *req,
			  struct name_table *names, struct diag_list *diags)
{
	bool ignore = req->flags & POLYNS_OPT_IGNORE_CONFIG_ERROR;
	struct name_resolver res = names_resolver(names);
	struct session_user user, ruser;
	int count = 0, errors = 0;

	to_session_user(&req->user, &user);
	to_session_user(&req->ruser, &ruser);
	for (size_t i = 0; i < conf->n_rules; i++) {
		const struct conf_rule *rule = &conf->rules[i];
		struct resolved_rule rr;
		struct expanded_rule er;
		char err[256];
		int r = conf_resolve_rule(rule, &res, ignore, &rr, diags);

		if (r == 0 && conf_expand_rule(rule, &user, &ruser, &er, err, sizeof(err)) < 0) {
			diag_add(diags, ignore ? DIAG_WARNING : DIAG_ERROR, rule->file,
				 rule->line, "%s", err);
			r = -EINVAL;
		}
		if (r == 0 && conf_rule_applies(rule, rr.uids, rr.n_uids, user.uid))
			count++;
		resolved_rule_free(&rr);
		if (r == -EINVAL && !ignore)
			errors++;
		else if (r < 0 && r != -EINVAL)
			return r;
	}
	return errors ? -EINVAL : count;
}

static enum wire_status plan(int sock, const struct wire_request *req,
			     unsigned int *mask)
{
	bool ignore = req->flags & POLYNS_OPT_IGNORE_CONFIG_ERROR;
	struct conf conf = { 0 };
	struct diag_list diags = { 0 };
	struct name_table names;
	enum wire_status status = STATUS_OK;
	int r = conf_load(&conf, req->config, req->config_dir, ignore, &diags);

	if (r == 0) {
		r = names_resolve(sock, &conf, &names);
		if (r < 0)
			hlog(LOG_ERR, "resolving names in the configuration failed: %s",
			     strerror(-r));
		else
			r = count_polydirs(&conf, req, &names, &diags);
	}
	log_diags(&diags);
	if (r == -EINVAL)
		status = STATUS_SESSION_ERR;
	else if (r < 0)
		status = STATUS_SYSTEM_ERR;
	else if (r > 0) {
		/* Fail closed: never hand out a session without its polydirs. */
		hlog(LOG_ERR, "%d polyinstantiated directories apply to %s, but "
		     "polyinstantiation is not implemented in this build", r,
		     req->user.name);
		status = STATUS_SESSION_ERR;
	}
	*mask = req->ns_mask;
	conf_free(&conf);
	diag_list_free(&diags);
	return status;
}

enum wire_status session_open(int sock, const struct wire_request *req,
			      struct made_ns *made)
{
	enum wire_status status;
	unsigned int mask = 0;
	const char *stage = "";
	int r;

	*made = (struct made_ns){ 0 };
	if ((req->flags & POLYNS_OPT_REQUIRE_SELINUX) && is_selinux_enabled() != 1) {
		hlog(LOG_ERR, "require_selinux given and SELinux is disabled");
		return STATUS_SESSION_ERR;
	}
	status = plan(sock, req, &mask);
	if (status != STATUS_OK || mask == 0)
		return status;
	r = privs_enter(PHASE_NAMESPACES);
	if (r == 0) {
		r = ns_create(mask, req->flags & POLYNS_OPT_MOUNT_PRIVATE, made, &stage);
		if (r < 0)
			hlog(LOG_ERR, "creating namespaces for %s failed at %s: %s",
			     req->user.name, stage, strerror(-r));
	}
	if (r == 0)
		r = privs_enter(PHASE_REPLY);
	if (r < 0) {
		made_ns_close(made);
		return STATUS_SESSION_ERR;
	}
	hlog_debug("made %zu namespaces for %s", made->n, req->user.name);
	return STATUS_OK;
}
