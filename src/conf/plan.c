/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instance_name.h"
#include "options.h"

/* 0, or -E2BIG when a new name would not fit in the query. */
static int add_name(const char **v, uint32_t *n, const char *name)
{
	if (!name || !*name)
		return 0;
	for (uint32_t i = 0; i < *n; i++)
		if (strcmp(v[i], name) == 0)
			return 0;
	if (*n == PLAN_MAX_NAMES)
		return -E2BIG;
	v[(*n)++] = name;
	return 0;
}

int plan_query(const struct conf *conf, struct wire_names *q, struct diag_list *diags)
{
	memset(q, 0, sizeof(*q));
	for (size_t i = 0; i < conf->n_rules; i++) {
		const struct conf_rule *rule = &conf->rules[i];
		const char *what = "user";
		int r = add_name(q->users, &q->n_users, rule->create_owner);

		for (size_t u = 0; r == 0 && u < rule->n_users; u++)
			r = add_name(q->users, &q->n_users, rule->users[u]);
		if (r == 0) {
			what = "group";
			r = add_name(q->groups, &q->n_groups, rule->create_group);
		}
		if (r < 0) {
			diag_add(diags, DIAG_ERROR, rule->file, rule->line,
				 "more than %u distinct %s names in the configuration; a "
				 "session resolves at most %u", PLAN_MAX_NAMES, what,
				 PLAN_MAX_NAMES);
			return r;
		}
	}
	return 0;
}

/* out = s, or -ENAMETOOLONG. */
/* An empty string is not written over an empty buffer: its page stays untouched. */
static int copy_string(char *out, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (n >= len)
		return -ENAMETOOLONG;
	if (n > 0 || out[0] != '\0')
		memcpy(out, s, n + 1);
	return 0;
}

/*
 * pam_namespace's per-directory decision: set up for the user unless
 * exempt; with unmnt_*, first undo the requesting user's mount unless the
 * requester is exempt.  Returns false when the rule has nothing to do.
 */
static bool decide(const struct conf_rule *rule, const struct resolved_rule *ids,
		   const struct plan_input *in, struct plan_job *job)
{
	bool user_in = conf_rule_applies(rule, ids->uids, ids->n_uids, in->user.uid);
	bool ruser_in = conf_rule_applies(rule, ids->uids, ids->n_uids, in->ruser.uid);
	bool unmnt = in->unmnt != POLYNS_UNMNT_NONE && ruser_in;

	job->unmount_first = unmnt;
	job->setup = user_in && in->unmnt != POLYNS_UNMNT_ONLY;
	return user_in || unmnt;
}

/* The rule's instance name; INSTANCE_SKIP when skipped, -errno on errors. */
static int name_job(const struct plan_input *in, struct plan_job *job)
{
	if ((job->method == METHOD_CONTEXT || job->method == METHOD_LEVEL) && in->context) {
		job->name_later = true; /* from the polydir's label, once it is open */
		return 0;
	}
	return instance_name(job->method, job->rule_flags & RULE_SHARED, in->user.name, NULL,
			     in->flags & POLYNS_OPT_GEN_HASH, job->name, sizeof(job->name));
}

/* What the steps after the plan take from the rule, resolved. */
static int fill_job(const struct conf_rule *rule, const struct resolved_rule *ids,
		    const struct plan_input *in, struct plan_job *job)
{
	const char *script = rule->iscript ? rule->iscript : (in->init ? in->init : "");

	/* The file name only labels messages: a cut one does no harm. */
	(void)snprintf(job->file, sizeof(job->file), "%s", rule->file);
	job->line = rule->line;
	job->method = rule->method;
	job->rule_flags = rule->flags;
	job->home_polydir = strstr(rule->polydir, "$HOME") != NULL;
	job->create_mode = rule->create_mode_set ? rule->create_mode : 0777 & ~in->umask;
	job->create_uid = ids->owner_set ? ids->owner : in->user.uid;
	job->create_gid = ids->group_set ? ids->group : in->user.gid;
	job->mount_flags = rule->mount_flags;
	if (copy_string(job->iscript, sizeof(job->iscript),
			rule->flags & RULE_NOINIT ? "" : script) < 0)
		return -ENAMETOOLONG;
	return copy_string(job->mount_data, sizeof(job->mount_data),
			   rule->mount_data ? rule->mount_data : "");
}

/*
 * p->jobs[p->n_jobs] zeroed for the next rule.  A job is about 28 KiB of
 * mostly unused path buffers, so the array is allocated once (plan_build())
 * with calloc: its pages come zeroed and only those a job writes become
 * resident; nothing is copied or cleared as the plan grows.  Only a slot a
 * rule wrote without making a job is cleared again.
 */
static void job_slot(struct plan *p, size_t rule)
{
	if (rule > 0 && p->verdicts[rule - 1] != PLAN_RULE_JOB)
		memset(&p->jobs[p->n_jobs], 0, sizeof(p->jobs[0]));
}

/*
 * One rule into p->jobs[p->n_jobs] (not yet counted).  Returns its verdict,
 * or -EINVAL after a diagnostic, or another -errno.
 */
static int plan_rule(const struct conf_rule *rule, const struct plan_input *in,
		     const struct name_resolver *res, struct plan_job *job,
		     struct diag_list *diags)
{
	bool ignore = in->flags & POLYNS_OPT_IGNORE_CONFIG_ERROR;
	enum diag_level level = ignore ? DIAG_WARNING : DIAG_ERROR;
	struct resolved_rule ids;
	char err[256];
	int r = conf_resolve_rule(rule, res, ignore, &ids, diags);

	if (r < 0)
		return r;
	if (conf_expand_rule(rule, &in->user, &in->ruser, &job->x, err, sizeof(err)) < 0) {
		diag_add(diags, level, rule->file, rule->line, "%s", err);
		r = -EINVAL;
	} else if (!decide(rule, &ids, in, job)) {
		r = PLAN_RULE_NOT_LISTED;
	} else if (fill_job(rule, &ids, in, job) < 0) {
		diag_add(diags, level, rule->file, rule->line,
			 "the init script path or the mount options are longer than %d bytes",
			 CONF_PATH_MAX - 1);
		r = -EINVAL;
	} else if (job->setup) {
		r = name_job(in, job);
		if (r == INSTANCE_SKIP) {
			r = PLAN_RULE_SKIPPED;
		} else if (r < 0) {
			diag_add(diags, level, rule->file, rule->line,
				 "no valid instance name for user %s", in->user.name);
			r = -EINVAL;
		}
	}
	resolved_rule_free(&ids);
	return r == 0 ? PLAN_RULE_JOB : r;
}

/* A context-method instance whose context the helper computes (with SELinux). */
static bool computes_context(const struct plan_job *job)
{
	return job->setup && job->name_later && job->method == METHOD_CONTEXT;
}

int plan_make(const struct conf *conf, const struct plan_input *in,
	      const struct name_resolver *res, struct plan *p, struct diag_list *diags)
{
	bool ignore = in->flags & POLYNS_OPT_IGNORE_CONFIG_ERROR;
	unsigned int contexts = 0;
	int ret = 0;

	*p = (struct plan){ 0 };
	if (conf->n_rules) {
		/* No more jobs than rules, and one slot more to find the plan full. */
		size_t room = (conf->n_rules < PLAN_MAX_JOBS ? conf->n_rules : PLAN_MAX_JOBS) + 1;

		p->verdicts = calloc(conf->n_rules, sizeof(*p->verdicts));
		p->jobs = calloc(room, sizeof(*p->jobs));
		if (!p->verdicts || !p->jobs) {
			plan_free(p);
			return -ENOMEM;
		}
	}
	p->n_rules = conf->n_rules;
	for (size_t i = 0; i < conf->n_rules; i++) {
		const struct conf_rule *rule = &conf->rules[i];
		int r;

		job_slot(p, i);
		r = plan_rule(rule, in, res, &p->jobs[p->n_jobs], diags);
		if (r == PLAN_RULE_JOB && p->n_jobs == PLAN_MAX_JOBS) {
			if (ret != -E2BIG)
				diag_add(diags, DIAG_ERROR, rule->file, rule->line,
					 "more than %u polydirs apply to %s; a session takes "
					 "at most %u", PLAN_MAX_JOBS, in->user.name, PLAN_MAX_JOBS);
			r = -E2BIG;
		} else if (r == PLAN_RULE_JOB && computes_context(&p->jobs[p->n_jobs]) &&
			   ++contexts > PLAN_MAX_CONTEXT_JOBS) {
			if (ret != -E2BIG)
				diag_add(diags, DIAG_ERROR, rule->file, rule->line,
					 "more than %u context polydirs apply to %s; a session "
					 "computes at most %u instance contexts",
					 PLAN_MAX_CONTEXT_JOBS, in->user.name, PLAN_MAX_CONTEXT_JOBS);
			r = -E2BIG;
		}
		p->verdicts[i] = r > 0 ? (enum plan_verdict)r : PLAN_RULE_ERROR;
		if (r == PLAN_RULE_JOB) {
			p->jobs[p->n_jobs].rule_index = i;
			p->n_jobs++;
		} else if (r == -E2BIG || (r == -EINVAL && !ignore && ret == 0)) {
			ret = r; /* the other rules are still looked at, for their diagnostics */
		} else if (r < 0 && r != -EINVAL) {
			return r;
		}
	}
	return ret;
}

void plan_free(struct plan *p)
{
	free(p->jobs);
	free(p->verdicts);
	*p = (struct plan){ 0 };
}
