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

/*
 * The plan's strings, in chunks that never move (a job points into them)
 * and are freed with the plan.  A chunk holds any string a job can have
 * (shorter than CONF_PATH_MAX); its pages are touched only as it fills.
 */
struct plan_chunk {
	struct plan_chunk *next;
	size_t used;
	char data[4 * CONF_PATH_MAX];
};

/* The first n bytes of s, kept with the plan; NULL when out of memory. */
static const char *keep(struct plan *p, const char *s, size_t n)
{
	struct plan_chunk *c = p->strings;
	char *out;

	if (n == 0)
		return "";
	if (!c || sizeof(c->data) - c->used < n + 1) {
		c = malloc(sizeof(*c));
		if (!c)
			return NULL;
		c->next = p->strings;
		c->used = 0;
		p->strings = c;
	}
	out = c->data + c->used;
	memcpy(out, s, n);
	out[n] = '\0';
	c->used += n + 1;
	return out;
}

/* *out = a copy of s kept with the plan: 0, -ENAMETOOLONG or -ENOMEM. */
static int keep_path(struct plan *p, const char *s, const char **out)
{
	size_t n = strlen(s);

	if (n >= CONF_PATH_MAX)
		return -ENAMETOOLONG;
	*out = keep(p, s, n);
	return *out ? 0 : -ENOMEM;
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
static int name_job(const struct plan_input *in, struct plan *p, struct plan_job *job)
{
	char name[CONF_PATH_MAX];
	int r;

	if ((job->method == METHOD_CONTEXT || job->method == METHOD_LEVEL) && in->context) {
		job->name_later = true; /* from the polydir's label, once it is open */
		return 0;
	}
	r = instance_name(job->method, job->rule_flags & RULE_SHARED, in->user.name, NULL,
			  in->flags & POLYNS_OPT_GEN_HASH, name, sizeof(name));
	return r == 0 ? keep_path(p, name, &job->name) : r;
}

/*
 * The expanded paths, kept with the plan (the requester's only when used).
 * They come from CONF_PATH_MAX buffers, so they fit: only -ENOMEM.
 */
static int keep_paths(struct plan *p, const struct expanded_rule *x, struct plan_job *job)
{
	job->dir = keep(p, x->dir, strlen(x->dir));
	job->prefix = keep(p, x->prefix, strlen(x->prefix));
	job->rdir = job->unmount_first ? keep(p, x->rdir, strlen(x->rdir)) : "";
	return job->dir && job->prefix && job->rdir ? 0 : -ENOMEM;
}

/* What the steps after the plan take from the rule, resolved. */
static int fill_job(const struct conf_rule *rule, const struct resolved_rule *ids,
		    const struct plan_input *in, const struct expanded_rule *x,
		    struct plan *p, struct plan_job *job)
{
	const char *script = rule->iscript ? rule->iscript : (in->init ? in->init : "");
	int r;

	/* The file name only labels messages: a cut one does no harm. */
	job->file = keep(p, rule->file, strnlen(rule->file, CONF_PATH_MAX - 1));
	if (!job->file)
		return -ENOMEM;
	job->line = rule->line;
	job->method = rule->method;
	job->rule_flags = rule->flags;
	job->home_polydir = strstr(rule->polydir, "$HOME") != NULL;
	job->create_mode = rule->create_mode_set ? rule->create_mode : 0777 & ~in->umask;
	job->create_uid = ids->owner_set ? ids->owner : in->user.uid;
	job->create_gid = ids->group_set ? ids->group : in->user.gid;
	job->mount_flags = rule->mount_flags;
	r = keep_path(p, rule->flags & RULE_NOINIT ? "" : script, &job->iscript);
	if (r == 0)
		r = keep_path(p, rule->mount_data ? rule->mount_data : "", &job->mount_data);
	return r == 0 ? keep_paths(p, x, job) : r;
}

/*
 * One rule into job.  Returns its verdict, or -EINVAL after a diagnostic,
 * or another -errno.
 */
static int plan_rule(const struct conf_rule *rule, const struct plan_input *in,
		     const struct name_resolver *res, struct plan *p, struct plan_job *job,
		     struct diag_list *diags)
{
	bool ignore = in->flags & POLYNS_OPT_IGNORE_CONFIG_ERROR;
	enum diag_level level = ignore ? DIAG_WARNING : DIAG_ERROR;
	struct expanded_rule x;
	struct resolved_rule ids;
	char err[256];
	int r = conf_resolve_rule(rule, res, ignore, &ids, diags);

	if (r < 0)
		return r;
	if (conf_expand_rule(rule, &in->user, &in->ruser, &x, err, sizeof(err)) < 0) {
		diag_add(diags, level, rule->file, rule->line, "%s", err);
		r = -EINVAL;
	} else if (!decide(rule, &ids, in, job)) {
		r = PLAN_RULE_NOT_LISTED;
	} else {
		r = fill_job(rule, &ids, in, &x, p, job);
		if (r == -ENAMETOOLONG) {
			diag_add(diags, level, rule->file, rule->line,
				 "the init script path or the mount options are longer "
				 "than %d bytes", CONF_PATH_MAX - 1);
			r = -EINVAL;
		}
	}
	if (r == 0 && job->setup) {
		r = name_job(in, p, job);
		if (r == INSTANCE_SKIP) {
			r = PLAN_RULE_SKIPPED;
		} else if (r < 0 && r != -ENOMEM) {
			diag_add(diags, level, rule->file, rule->line,
				 "no valid instance name for user %s", in->user.name);
			r = -EINVAL;
		}
	}
	resolved_rule_free(&ids);
	return r == 0 ? PLAN_RULE_JOB : r;
}

/*
 * Back to where the strings were before a rule that made no job: what the
 * plan keeps is bounded by its jobs, whatever the configuration's length.
 */
static void forget_strings(struct plan *p, struct plan_chunk *mark, size_t used)
{
	while (p->strings != mark) {
		struct plan_chunk *next = p->strings->next;

		free(p->strings);
		p->strings = next;
	}
	if (mark)
		mark->used = used;
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
		size_t room = conf->n_rules < PLAN_MAX_JOBS ? conf->n_rules : PLAN_MAX_JOBS;

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
		struct plan_job job = { .rule_index = i, .file = "", .dir = "", .rdir = "",
					.prefix = "", .name = "", .iscript = "",
					.mount_data = "" };
		struct plan_chunk *mark = p->strings;
		size_t used = mark ? mark->used : 0;
		int r = plan_rule(rule, in, res, p, &job, diags);

		if (r == PLAN_RULE_JOB && p->n_jobs == PLAN_MAX_JOBS) {
			if (ret != -E2BIG)
				diag_add(diags, DIAG_ERROR, rule->file, rule->line,
					 "more than %u polydirs apply to %s; a session takes "
					 "at most %u", PLAN_MAX_JOBS, in->user.name, PLAN_MAX_JOBS);
			r = -E2BIG;
		} else if (r == PLAN_RULE_JOB && computes_context(&job) &&
			   ++contexts > PLAN_MAX_CONTEXT_JOBS) {
			if (ret != -E2BIG)
				diag_add(diags, DIAG_ERROR, rule->file, rule->line,
					 "more than %u context polydirs apply to %s; a session "
					 "computes at most %u instance contexts",
					 PLAN_MAX_CONTEXT_JOBS, in->user.name, PLAN_MAX_CONTEXT_JOBS);
			r = -E2BIG;
		}
		p->verdicts[i] = r > 0 ? (enum plan_verdict)r : PLAN_RULE_ERROR;
		if (r != PLAN_RULE_JOB)
			forget_strings(p, mark, used);
		if (r == PLAN_RULE_JOB) {
			p->jobs[p->n_jobs++] = job;
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
	while (p->strings) {
		struct plan_chunk *next = p->strings->next;

		free(p->strings);
		p->strings = next;
	}
	free(p->jobs);
	free(p->verdicts);
	*p = (struct plan){ 0 };
}
