/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "diag.h"
#include "name_table.h"
#include "options.h"
#include "plan.h"

/* Known users: alice 1000, bob 1001 (group 100), root 0; groups users 100, wheel 10. */
static void answer(struct name_table *t)
{
	static const struct {
		const char *name;
		uint32_t uid, gid;
	} users[] = { { "alice", 1000, 1000 }, { "bob", 1001, 100 }, { "root", 0, 0 } };
	static const struct {
		const char *name;
		uint32_t gid;
	} groups[] = { { "users", 100 }, { "wheel", 10 } };

	memset(&t->answer, 0, sizeof(t->answer));
	t->answer.n_users = t->query.n_users;
	for (uint32_t i = 0; i < t->query.n_users; i++)
		for (size_t k = 0; k < sizeof(users) / sizeof(users[0]); k++)
			if (strcmp(t->query.users[i], users[k].name) == 0) {
				t->answer.users[i].found = 1;
				t->answer.users[i].uid = users[k].uid;
				t->answer.users[i].gid = users[k].gid;
			}
	t->answer.n_groups = t->query.n_groups;
	for (uint32_t i = 0; i < t->query.n_groups; i++)
		for (size_t k = 0; k < sizeof(groups) / sizeof(groups[0]); k++)
			if (strcmp(t->query.groups[i], groups[k].name) == 0) {
				t->answer.groups[i].found = 1;
				t->answer.groups[i].gid = groups[k].gid;
			}
}

static const struct session_user alice = { "alice", 1000, 1000, "/home/alice" };
static const struct session_user bob = { "bob", 1001, 100, "/home/bob" };

struct run {
	struct conf conf;
	struct name_table names;
	struct diag_list diags;
	struct plan plan;
	int query_ret, plan_ret;
};

static struct plan_input input(const struct session_user *u, const struct session_user *r)
{
	return (struct plan_input){
		.user = *u, .ruser = *r, .unmnt = POLYNS_UNMNT_NONE, .umask = 022,
		.init = "/etc/security/namespace.init",
	};
}

/* Parse text, ask plan_query, answer it, plan: as the helper does. */
static void run_plan(struct run *r, const char *text, const struct plan_input *in)
{
	bool ignore = in->flags & POLYNS_OPT_IGNORE_CONFIG_ERROR;
	struct name_resolver res;

	memset(r, 0, sizeof(*r));
	assert_int_equal(conf_parse_buffer(&r->conf, "t.conf", text, strlen(text),
					   "/etc/security/namespace.d", ignore, &r->diags), 0);
	r->query_ret = plan_query(&r->conf, &r->names.query, &r->diags);
	if (r->query_ret < 0)
		return;
	answer(&r->names);
	res = name_table_resolver(&r->names);
	r->plan_ret = plan_make(&r->conf, in, &res, &r->plan, &r->diags);
}

static void run_free(struct run *r)
{
	plan_free(&r->plan);
	conf_free(&r->conf);
	diag_list_free(&r->diags);
}

static bool has_diag(const struct diag_list *d, const char *text)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->v[i].text, text))
			return true;
	return false;
}

static void plan_exempts_user_in_list(void **state)
{
	struct plan_input in = input(&alice, &alice);
	struct run *r = malloc(sizeof(*r));

	(void)state;
	assert_non_null(r);
	run_plan(r, "/tmp /tmp-inst/ user alice,root\n", &in);
	assert_int_equal(r->plan_ret, 0);
	assert_int_equal(r->plan.n_jobs, 0);
	assert_int_equal(r->plan.verdicts[0], PLAN_RULE_NOT_LISTED);
	run_free(r);

	in = input(&bob, &bob);
	run_plan(r, "/tmp /tmp-inst/ user alice,root\n", &in);
	assert_int_equal(r->plan_ret, 0);
	assert_int_equal(r->plan.n_jobs, 1);
	assert_true(r->plan.jobs[0].setup);
	assert_false(r->plan.jobs[0].unmount_first);
	assert_string_equal(r->plan.jobs[0].name, "bob");
	run_free(r);
	free(r);
}

static void plan_tilde_list_polyinstantiates_only_listed(void **state)
{
	struct plan_input in = input(&alice, &alice);
	struct run *r = malloc(sizeof(*r));

	(void)state;
	assert_non_null(r);
	run_plan(r, "/tmp /tmp-inst/ user ~alice\n", &in);
	assert_int_equal(r->plan.n_jobs, 1);
	assert_string_equal(r->plan.jobs[0].dir, "/tmp");
	run_free(r);

	in = input(&bob, &bob);
	run_plan(r, "/tmp /tmp-inst/ user ~alice\n", &in);
	assert_int_equal(r->plan_ret, 0);
	assert_int_equal(r->plan.n_jobs, 0);
	assert_int_equal(r->plan.verdicts[0], PLAN_RULE_NOT_LISTED);
	run_free(r);
	free(r);
}

/* su from alice to bob with unmnt_remnt: alice's $HOME polydir first, then bob's. */
static void plan_unmnt_remnt_unmounts_requester_then_sets_up(void **state)
{
	struct plan_input in = input(&bob, &alice);
	struct run *r = malloc(sizeof(*r));

	(void)state;
	assert_non_null(r);
	in.unmnt = POLYNS_UNMNT_REMNT;
	run_plan(r, "$HOME/tmp $HOME/.inst/ user\n", &in);
	assert_int_equal(r->plan_ret, 0);
	assert_int_equal(r->plan.n_jobs, 1);
	assert_true(r->plan.jobs[0].unmount_first);
	assert_true(r->plan.jobs[0].setup);
	assert_true(r->plan.jobs[0].home_polydir);
	assert_string_equal(r->plan.jobs[0].rdir, "/home/alice/tmp");
	assert_string_equal(r->plan.jobs[0].dir, "/home/bob/tmp");
	run_free(r);
	free(r);
}

static void plan_unmnt_only_unmounts_and_sets_nothing_up(void **state)
{
	struct plan_input in = input(&bob, &alice);
	struct run *r = malloc(sizeof(*r));

	(void)state;
	assert_non_null(r);
	in.unmnt = POLYNS_UNMNT_ONLY;
	run_plan(r, "/tmp /tmp-inst/ user\n", &in);
	assert_int_equal(r->plan.n_jobs, 1);
	assert_true(r->plan.jobs[0].unmount_first);
	assert_false(r->plan.jobs[0].setup);
	run_free(r);
	free(r);
}

/* An exempt requester's polydir was never polyinstantiated: nothing to unmount. */
static void plan_unmnt_remnt_leaves_exempt_requester_mounted(void **state)
{
	struct plan_input in = input(&bob, &alice);
	struct run *r = malloc(sizeof(*r));

	(void)state;
	assert_non_null(r);
	in.unmnt = POLYNS_UNMNT_REMNT;
	run_plan(r, "/tmp /tmp-inst/ user alice\n", &in);
	assert_int_equal(r->plan.n_jobs, 1);
	assert_false(r->plan.jobs[0].unmount_first);
	assert_true(r->plan.jobs[0].setup);
	run_free(r);

	/* Both exempt: the rule does nothing. */
	in = input(&alice, &alice);
	in.unmnt = POLYNS_UNMNT_REMNT;
	run_plan(r, "/tmp /tmp-inst/ user alice\n", &in);
	assert_int_equal(r->plan.n_jobs, 0);
	run_free(r);
	free(r);
}

static char *names_conf(unsigned int n_list, const char *flags)
{
	size_t len = 64 + strlen(flags) + (size_t)n_list * 8;
	char *s = malloc(len);
	size_t o;

	assert_non_null(s);
	o = (size_t)snprintf(s, len, "/a /b/ user%s ", flags);
	for (unsigned int i = 0; i < n_list; i++)
		o += (size_t)snprintf(s + o, len - o, "%su%u", i ? "," : "", i);
	(void)snprintf(s + o, len - o, "\n");
	return s;
}

/* The reproduced bug: the create= owner is a name of the query too. */
static void plan_query_counts_create_owner_with_list_names(void **state)
{
	struct plan_input in = input(&alice, &alice);
	struct run *r = malloc(sizeof(*r));
	char *text = names_conf(256, ":create=0755,root");

	(void)state;
	assert_non_null(r);
	run_plan(r, text, &in);
	assert_int_equal(r->query_ret, -E2BIG);
	assert_true(has_diag(&r->diags, "t.conf:1: more than 256 distinct user names"));
	run_free(r);
	free(text);

	text = names_conf(255, ":create=0755,root");
	run_plan(r, text, &in);
	assert_int_equal(r->query_ret, 0);
	assert_int_equal(r->names.query.n_users, 256);
	assert_int_equal(r->plan_ret, 0);
	run_free(r);
	free(text);
	free(r);
}

static void plan_query_counts_each_name_once(void **state)
{
	struct plan_input in = input(&alice, &alice);
	struct run *r = malloc(sizeof(*r));

	(void)state;
	assert_non_null(r);
	run_plan(r, "/a /b/ user:create=0700,root,wheel root,alice\n"
		    "/c /d/ user:create=0700,alice,wheel alice,bob\n", &in);
	assert_int_equal(r->query_ret, 0);
	assert_int_equal(r->names.query.n_users, 3);
	assert_int_equal(r->names.query.n_groups, 1);
	run_free(r);
	free(r);
}

static void plan_query_limits_group_names(void **state)
{
	struct plan_input in = input(&alice, &alice);
	struct run *r = malloc(sizeof(*r));
	size_t len = 300 * 64, o = 0;
	char *text = malloc(len);

	(void)state;
	assert_non_null(r);
	assert_non_null(text);
	for (unsigned int i = 0; i < 257; i++)
		o += (size_t)snprintf(text + o, len - o, "/a%u /b/ user:create=0700,root,g%u\n",
				      i, i);
	run_plan(r, text, &in);
	assert_int_equal(r->query_ret, -E2BIG);
	assert_true(has_diag(&r->diags, "t.conf:257: more than 256 distinct group names"));
	run_free(r);
	free(text);
	free(r);
}

static void plan_refuses_more_polydirs_than_a_session_takes(void **state)
{
	struct plan_input in = input(&alice, &alice);
	struct run *r = malloc(sizeof(*r));
	size_t len = (PLAN_MAX_JOBS + 2) * 32, o = 0;
	char *text = malloc(len);
	size_t n_limit = 0;

	(void)state;
	assert_non_null(r);
	assert_non_null(text);
	for (unsigned int i = 0; i < PLAN_MAX_JOBS + 2; i++)
		o += (size_t)snprintf(text + o, len - o, "/p%u /i%u/ user\n", i, i);
	run_plan(r, text, &in);
	assert_int_equal(r->plan_ret, -E2BIG);
	assert_int_equal(r->plan.n_jobs, PLAN_MAX_JOBS);
	for (size_t i = 0; i < r->diags.n; i++)
		n_limit += strstr(r->diags.v[i].text, "polydirs apply to alice") != NULL;
	assert_int_equal(n_limit, 1);
	assert_true(has_diag(&r->diags, "t.conf:65: more than 64 polydirs"));
	run_free(r);

	/* Exactly at the limit is fine. */
	o = 0;
	for (unsigned int i = 0; i < PLAN_MAX_JOBS; i++)
		o += (size_t)snprintf(text + o, len - o, "/p%u /i%u/ user\n", i, i);
	run_plan(r, text, &in);
	assert_int_equal(r->plan_ret, 0);
	assert_int_equal(r->plan.n_jobs, PLAN_MAX_JOBS);
	run_free(r);
	free(text);
	free(r);
}

static void plan_reports_bad_rule_and_keeps_going(void **state)
{
	static const char text[] = "/a /a-inst/ user:create=0700,nosuchuser\n"
				   "/b /b-inst/ user\n";
	struct plan_input in = input(&alice, &alice);
	struct run *r = malloc(sizeof(*r));

	(void)state;
	assert_non_null(r);
	run_plan(r, text, &in);
	assert_int_equal(r->plan_ret, -EINVAL);
	assert_int_equal(r->plan.verdicts[0], PLAN_RULE_ERROR);
	assert_int_equal(r->plan.verdicts[1], PLAN_RULE_JOB);
	assert_true(has_diag(&r->diags, "t.conf:1: create=: unknown owner 'nosuchuser'"));
	run_free(r);
	free(r);
}

static void plan_ignore_config_error_skips_bad_rule(void **state)
{
	static const char text[] = "/a /a-inst/ user:create=0700,nosuchuser\n"
				   "$HOME/x relative/ user\n"
				   "/b /b-inst/ user\n";
	struct plan_input in = input(&alice, &alice);
	struct run *r = malloc(sizeof(*r));

	(void)state;
	assert_non_null(r);
	in.flags = POLYNS_OPT_IGNORE_CONFIG_ERROR;
	run_plan(r, text, &in);
	assert_int_equal(r->plan_ret, 0);
	assert_int_equal(r->diags.n_errors, 0);
	assert_int_equal(r->plan.n_jobs, 1);
	assert_string_equal(r->plan.jobs[0].dir, "/b");
	assert_int_equal(r->plan.jobs[0].rule_index, 2);
	assert_true(has_diag(&r->diags, "t.conf:2: warning: instance_prefix"));
	run_free(r);
	free(r);
}

static void plan_resolves_create_mode_owner_and_group(void **state)
{
	static const char text[] = "/a /a-inst/ user:create=0750,bob\n"
				   "/b /b-inst/ user:create=,,wheel\n"
				   "/c /c-inst/ user\n";
	struct plan_input in = input(&alice, &alice);
	struct run *r = malloc(sizeof(*r));

	(void)state;
	assert_non_null(r);
	in.umask = 027;
	run_plan(r, text, &in);
	assert_int_equal(r->plan_ret, 0);
	assert_int_equal(r->plan.n_jobs, 3);
	assert_int_equal(r->plan.jobs[0].create_mode, 0750);
	assert_int_equal(r->plan.jobs[0].create_uid, 1001);
	assert_int_equal(r->plan.jobs[0].create_gid, 100); /* bob's primary group */
	assert_int_equal(r->plan.jobs[1].create_mode, 0750); /* 0777 & ~umask */
	assert_int_equal(r->plan.jobs[1].create_uid, 1000);
	assert_int_equal(r->plan.jobs[1].create_gid, 10);
	assert_int_equal(r->plan.jobs[2].create_uid, 1000);
	assert_int_equal(r->plan.jobs[2].create_gid, 1000);
	run_free(r);
	free(r);
}

/* The jobs own their strings: usable after the config is freed (ASan checks). */
static void plan_jobs_outlive_config(void **state)
{
	static const char text[] =
		"/run/t /unused/ tmpfs:mntopts=size=1m,nosuid,mode=0700:iscript=/usr/lib/x.init\n"
		"/tmp /tmp-inst/ user:noinit\n"
		"/var/tmp /vt-inst/ tmpdir\n";
	struct plan_input in = input(&alice, &alice);
	struct run *r = malloc(sizeof(*r));
	struct plan p;

	(void)state;
	assert_non_null(r);
	run_plan(r, text, &in);
	assert_int_equal(r->plan_ret, 0);
	p = r->plan;
	r->plan = (struct plan){ 0 };
	run_free(r);
	memset(r, 0xa5, sizeof(*r));
	assert_int_equal(p.n_jobs, 3);
	assert_string_equal(p.jobs[0].file, "t.conf");
	assert_int_equal(p.jobs[0].line, 1);
	assert_string_equal(p.jobs[0].mount_data, "size=1m,mode=0700");
	assert_int_equal(p.jobs[0].iscript[0], '/');
	assert_string_equal(p.jobs[0].iscript, "/usr/lib/x.init");
	assert_string_equal(p.jobs[0].name, "");
	assert_string_equal(p.jobs[1].iscript, "");
	assert_true(p.jobs[1].rule_flags & RULE_NOINIT);
	assert_string_equal(p.jobs[2].iscript, "/etc/security/namespace.init");
	assert_string_equal(p.jobs[2].name, "XXXXXX");
	assert_string_equal(p.jobs[2].prefix, "/vt-inst/");
	plan_free(&p);
	free(r);
}

/*
 * The plan keeps its strings in chunks: 40 rules whose polydir and prefix
 * are about 2 KiB each fill several, and every job still reads its own.
 */
static void plan_strings_fill_many_chunks(void **state)
{
	enum { RULES = 40, LONG = 2000 };
	struct plan_input in = input(&alice, &alice);
	struct run *r = malloc(sizeof(*r));
	char *text = malloc((size_t)RULES * (2 * LONG + 64));
	char dir[LONG + 16], prefix[LONG + 16];
	size_t at = 0;

	(void)state;
	assert_non_null(r);
	assert_non_null(text);
	for (int i = 0; i < RULES; i++)
		at += (size_t)sprintf(text + at, "/%0*d /i%0*d/ user\n", LONG, i, LONG, i);
	run_plan(r, text, &in);
	assert_int_equal(r->plan_ret, 0);
	assert_int_equal(r->plan.n_jobs, RULES);
	for (int i = 0; i < RULES; i++) {
		(void)snprintf(dir, sizeof(dir), "/%0*d", LONG, i);
		(void)snprintf(prefix, sizeof(prefix), "/i%0*d/", LONG, i);
		assert_string_equal(r->plan.jobs[i].dir, dir);
		assert_string_equal(r->plan.jobs[i].prefix, prefix);
		assert_string_equal(r->plan.jobs[i].name, "alice");
		assert_string_equal(r->plan.jobs[i].rdir, "");
		assert_string_equal(r->plan.jobs[i].file, "t.conf");
	}
	run_free(r);
	free(text);
	free(r);
}

/*
 * A rule that makes no job leaves nothing in the plan: 200 shared level
 * rules, skipped without SELinux after their strings were kept, keep none.
 */
static void plan_keeps_no_strings_for_rules_without_jobs(void **state)
{
	enum { RULES = 200 };
	struct plan_input in = input(&alice, &alice);
	struct run *r = malloc(sizeof(*r));
	char *text = malloc((size_t)RULES * 64);
	size_t at = 0;

	(void)state;
	assert_non_null(r);
	assert_non_null(text);
	for (int i = 0; i < RULES; i++)
		at += (size_t)sprintf(text + at, "/srv%d /srv%d-inst/ level:shared\n", i, i);
	at += (size_t)sprintf(text + at, "/tmp /tmp-inst/ user\n");
	run_plan(r, text, &in);
	assert_int_equal(r->plan_ret, 0);
	assert_int_equal(r->plan.verdicts[0], PLAN_RULE_SKIPPED);
	assert_int_equal(r->plan.n_jobs, 1);
	assert_string_equal(r->plan.jobs[0].dir, "/tmp");
	assert_non_null(r->plan.strings);
	run_free(r);

	text[at - strlen("/tmp /tmp-inst/ user\n")] = '\0';
	run_plan(r, text, &in);
	assert_int_equal(r->plan_ret, 0);
	assert_int_equal(r->plan.n_jobs, 0);
	assert_int_equal(r->plan.verdicts[RULES - 1], PLAN_RULE_SKIPPED);
	assert_null(r->plan.strings);
	run_free(r);
	free(text);
	free(r);
}

static void plan_context_method_names_later_with_selinux(void **state)
{
	static const char text[] = "/tmp /tmp-inst/ context\n"
				   "/srv /srv-inst/ level:shared\n";
	struct plan_input in = input(&alice, &alice);
	struct run *r = malloc(sizeof(*r));

	(void)state;
	assert_non_null(r);
	in.context = "user_u:user_r:user_t:s0";
	run_plan(r, text, &in);
	assert_int_equal(r->plan.n_jobs, 2);
	assert_true(r->plan.jobs[0].name_later);
	assert_true(r->plan.jobs[1].name_later);
	run_free(r);

	/* Without a context: context falls back to user, a shared level is skipped. */
	in.context = NULL;
	run_plan(r, text, &in);
	assert_int_equal(r->plan_ret, 0);
	assert_int_equal(r->plan.n_jobs, 1);
	assert_false(r->plan.jobs[0].name_later);
	assert_string_equal(r->plan.jobs[0].name, "alice");
	assert_int_equal(r->plan.verdicts[1], PLAN_RULE_SKIPPED);
	run_free(r);
	free(r);
}

static void name_table_answers_only_what_was_asked(void **state)
{
	static struct name_table t;
	struct name_resolver res = name_table_resolver(&t);
	uid_t uid = 0;
	gid_t gid = 0;

	(void)state;
	t.query.n_users = 2;
	t.query.users[0] = "alice";
	t.query.users[1] = "ghost";
	answer(&t);
	assert_int_equal(res.user(res.ctx, "alice", &uid, &gid), 0);
	assert_int_equal(uid, 1000);
	assert_int_equal(res.user(res.ctx, "ghost", &uid, &gid), -ENOENT);
	assert_int_equal(res.user(res.ctx, "bob", &uid, &gid), -ENOENT);
	assert_int_equal(res.group(res.ctx, "wheel", &gid), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plan_exempts_user_in_list),
		cmocka_unit_test(plan_tilde_list_polyinstantiates_only_listed),
		cmocka_unit_test(plan_unmnt_remnt_unmounts_requester_then_sets_up),
		cmocka_unit_test(plan_unmnt_only_unmounts_and_sets_nothing_up),
		cmocka_unit_test(plan_unmnt_remnt_leaves_exempt_requester_mounted),
		cmocka_unit_test(plan_query_counts_create_owner_with_list_names),
		cmocka_unit_test(plan_query_counts_each_name_once),
		cmocka_unit_test(plan_query_limits_group_names),
		cmocka_unit_test(plan_refuses_more_polydirs_than_a_session_takes),
		cmocka_unit_test(plan_reports_bad_rule_and_keeps_going),
		cmocka_unit_test(plan_ignore_config_error_skips_bad_rule),
		cmocka_unit_test(plan_resolves_create_mode_owner_and_group),
		cmocka_unit_test(plan_jobs_outlive_config),
		cmocka_unit_test(plan_strings_fill_many_chunks),
		cmocka_unit_test(plan_keeps_no_strings_for_rules_without_jobs),
		cmocka_unit_test(plan_context_method_names_later_with_selinux),
		cmocka_unit_test(name_table_answers_only_what_was_asked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
