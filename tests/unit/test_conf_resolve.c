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
#include "conf_resolve.h"
#include "diag.h"

/* ---- an in-memory name service ---- */

struct fake_user {
	const char *name;
	uid_t uid;
	gid_t gid;
};

struct fake_group {
	const char *name;
	gid_t gid;
};

struct fake_ns {
	const struct fake_user *users;
	size_t n_users;
	const struct fake_group *groups;
	size_t n_groups;
	const char *fail_name; /* this name fails with fail_errno */
	int fail_errno;
	unsigned int user_calls;
	unsigned int group_calls;
	unsigned int empty_lookups;
};

static const struct fake_user fake_users[] = {
	{ "root", 0, 0 },
	{ "adm", 3, 4 },
	{ "alice", 1000, 1000 },
	{ "bob", 1001, 100 },
	{ "alias", 1000, 1000 }, /* same uid as alice */
};

static const struct fake_group fake_groups[] = {
	{ "root", 0 },
	{ "users", 100 },
	{ "wheel", 10 },
};

static int fake_user(void *ctx, const char *name, uid_t *uid, gid_t *gid)
{
	struct fake_ns *ns = ctx;

	ns->user_calls++;
	if (name[0] == '\0')
		ns->empty_lookups++;
	if (ns->fail_name && strcmp(name, ns->fail_name) == 0)
		return -ns->fail_errno;
	for (size_t i = 0; i < ns->n_users; i++) {
		if (strcmp(ns->users[i].name, name) == 0) {
			*uid = ns->users[i].uid;
			*gid = ns->users[i].gid;
			return 0;
		}
	}
	return -ENOENT;
}

static int fake_group(void *ctx, const char *name, gid_t *gid)
{
	struct fake_ns *ns = ctx;

	ns->group_calls++;
	if (name[0] == '\0')
		ns->empty_lookups++;
	if (ns->fail_name && strcmp(name, ns->fail_name) == 0)
		return -ns->fail_errno;
	for (size_t i = 0; i < ns->n_groups; i++) {
		if (strcmp(ns->groups[i].name, name) == 0) {
			*gid = ns->groups[i].gid;
			return 0;
		}
	}
	return -ENOENT;
}

struct fixture {
	struct fake_ns ns;
	struct name_resolver res;
	struct conf conf;
	struct diag_list diags;
	struct resolved_rule rr;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->ns.users = fake_users;
	f->ns.n_users = sizeof(fake_users) / sizeof(fake_users[0]);
	f->ns.groups = fake_groups;
	f->ns.n_groups = sizeof(fake_groups) / sizeof(fake_groups[0]);
	f->res = (struct name_resolver){
		.user = fake_user, .group = fake_group, .ctx = &f->ns,
	};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	resolved_rule_free(&f->rr);
	conf_free(&f->conf);
	diag_list_free(&f->diags);
	free(f);
	return 0;
}

/* Parse text (must be valid) and return rule i; parse warnings are cleared. */
static const struct conf_rule *parse_rule(struct fixture *f, const char *text,
					  size_t i)
{
	assert_int_equal(conf_parse_buffer(&f->conf, "ns.conf", text, strlen(text),
					   "/etc/security/namespace.d", false,
					   &f->diags),
			 0);
	assert_int_equal(f->diags.n_errors, 0);
	assert_true(i < f->conf.n_rules);
	diag_list_free(&f->diags);
	return &f->conf.rules[i];
}

/* ---- create= owner and group ---- */

static void resolve_no_create_no_list(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r = parse_rule(f, "/tmp /tmp-inst/ user\n", 0);

	memset(&f->rr, 0x5a, sizeof(f->rr));
	assert_int_equal(conf_resolve_rule(r, &f->res, false, &f->rr, &f->diags), 0);
	assert_false(f->rr.owner_set);
	assert_false(f->rr.group_set);
	assert_int_equal(f->rr.n_uids, 0);
	assert_null(f->rr.uids);
	assert_int_equal(f->diags.n, 0);
	assert_int_equal(f->ns.user_calls + f->ns.group_calls, 0);
}

static void resolve_create_without_names_sets_nothing(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r = parse_rule(f, "/tmp /tmp-inst/ user:create=0700\n", 0);

	assert_int_equal(conf_resolve_rule(r, &f->res, false, &f->rr, &f->diags), 0);
	assert_false(f->rr.owner_set);
	assert_false(f->rr.group_set);
	assert_int_equal(f->ns.user_calls + f->ns.group_calls, 0);
}

static void resolve_create_owner_and_group(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r =
		parse_rule(f, "/tmp /tmp-inst/ user:create=0700,bob,wheel\n", 0);

	assert_int_equal(conf_resolve_rule(r, &f->res, false, &f->rr, &f->diags), 0);
	assert_true(f->rr.owner_set);
	assert_int_equal(f->rr.owner, 1001);
	assert_true(f->rr.group_set);
	assert_int_equal(f->rr.group, 10);
	assert_int_equal(f->diags.n, 0);
}

static void resolve_group_defaults_to_owner_primary_gid(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r = parse_rule(
		f, "/tmp /tmp-inst/ user:create=0700,bob\n"
		   "/var/tmp /vti/ user:create=,bob,\n"
		   "/srv /srv-inst/ user:create=0700,adm\n",
		0);

	assert_int_equal(conf_resolve_rule(r, &f->res, false, &f->rr, &f->diags), 0);
	assert_true(f->rr.owner_set);
	assert_int_equal(f->rr.owner, 1001);
	assert_true(f->rr.group_set);
	assert_int_equal(f->rr.group, 100);
	assert_int_equal(f->ns.group_calls, 0);
	resolved_rule_free(&f->rr);

	/* An empty group is the same as none. */
	assert_int_equal(conf_resolve_rule(&f->conf.rules[1], &f->res, false, &f->rr,
					   &f->diags), 0);
	assert_true(f->rr.group_set);
	assert_int_equal(f->rr.group, 100);
	assert_int_equal(f->ns.group_calls, 0);
	resolved_rule_free(&f->rr);

	assert_int_equal(conf_resolve_rule(&f->conf.rules[2], &f->res, false, &f->rr,
					   &f->diags), 0);
	assert_int_equal(f->rr.owner, 3);
	assert_int_equal(f->rr.group, 4);
	assert_int_equal(f->diags.n, 0);
}

static void resolve_group_without_owner(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r =
		parse_rule(f, "/tmp /tmp-inst/ user:create=0700,,users\n", 0);

	assert_int_equal(conf_resolve_rule(r, &f->res, false, &f->rr, &f->diags), 0);
	assert_false(f->rr.owner_set);
	assert_true(f->rr.group_set);
	assert_int_equal(f->rr.group, 100);
	assert_int_equal(f->ns.user_calls, 0);
}

static void resolve_unknown_owner_is_error(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r = parse_rule(
		f, "# comment\n/tmp /tmp-inst/ user:create=0700,ghost,users alice\n", 0);

	assert_int_equal(r->line, 2);
	assert_int_equal(conf_resolve_rule(r, &f->res, false, &f->rr, &f->diags),
			 -EINVAL);
	assert_int_equal(f->diags.n, 1);
	assert_int_equal(f->diags.n_errors, 1);
	assert_int_equal(f->diags.v[0].level, DIAG_ERROR);
	assert_string_equal(f->diags.v[0].text,
			    "ns.conf:2: create=: unknown owner 'ghost'");
	/* Nothing half-filled is handed back. */
	assert_false(f->rr.owner_set);
	assert_false(f->rr.group_set);
	assert_null(f->rr.uids);
	assert_int_equal(f->rr.n_uids, 0);
}

static void resolve_unknown_group_is_error(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r =
		parse_rule(f, "\n\n\n/tmp /tmp-inst/ user:create=0700,alice,nogroup\n", 0);

	assert_int_equal(conf_resolve_rule(r, &f->res, false, &f->rr, &f->diags),
			 -EINVAL);
	assert_int_equal(f->diags.n, 1);
	assert_int_equal(f->diags.n_errors, 1);
	assert_int_equal(f->diags.v[0].level, DIAG_ERROR);
	assert_string_equal(f->diags.v[0].text,
			    "ns.conf:4: create=: unknown group 'nogroup'");
	assert_false(f->rr.owner_set);
	assert_false(f->rr.group_set);
}

static void resolve_unknown_owner_warning_with_ignore_errors(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r = parse_rule(
		f, "/tmp /tmp-inst/ user:create=0700,ghost\n"
		   "/var/tmp /vti/ user:create=0700,,nogroup\n",
		0);

	assert_int_equal(conf_resolve_rule(r, &f->res, true, &f->rr, &f->diags),
			 -EINVAL);
	assert_int_equal(conf_resolve_rule(&f->conf.rules[1], &f->res, true, &f->rr,
					   &f->diags), -EINVAL);
	assert_int_equal(f->diags.n, 2);
	assert_int_equal(f->diags.n_errors, 0);
	assert_int_equal(f->diags.v[0].level, DIAG_WARNING);
	assert_string_equal(f->diags.v[0].text,
			    "ns.conf:1: warning: create=: unknown owner 'ghost'");
	assert_int_equal(f->diags.v[1].level, DIAG_WARNING);
	assert_string_equal(f->diags.v[1].text,
			    "ns.conf:2: warning: create=: unknown group 'nogroup'");
}

/* ---- list_of_uids ---- */

static void resolve_list_names_to_uids(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r = parse_rule(f, "/tmp /tmp-inst/ user root,adm,bob\n", 0);

	assert_int_equal(conf_resolve_rule(r, &f->res, false, &f->rr, &f->diags), 0);
	assert_int_equal(f->rr.n_uids, 3);
	assert_non_null(f->rr.uids);
	assert_int_equal(f->rr.uids[0], 0);
	assert_int_equal(f->rr.uids[1], 3);
	assert_int_equal(f->rr.uids[2], 1001);
	assert_int_equal(f->diags.n, 0);
	assert_int_equal(f->ns.user_calls, 3);
}

static void resolve_aliases_keep_both_uids(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r = parse_rule(f, "/tmp /tmp-inst/ user ~alice,alias\n", 0);

	assert_int_equal(conf_resolve_rule(r, &f->res, false, &f->rr, &f->diags), 0);
	assert_true(r->flags & RULE_EXCLUSIVE);
	assert_int_equal(f->rr.n_uids, 2);
	assert_int_equal(f->rr.uids[0], 1000);
	assert_int_equal(f->rr.uids[1], 1000);
}

static void resolve_unknown_list_users_warn_and_drop(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r =
		parse_rule(f, "\n/tmp /tmp-inst/ user ghost,alice,0,bob,spook\n", 0);

	assert_int_equal(conf_resolve_rule(r, &f->res, false, &f->rr, &f->diags), 0);
	assert_int_equal(f->rr.n_uids, 2);
	assert_int_equal(f->rr.uids[0], 1000);
	assert_int_equal(f->rr.uids[1], 1001);
	assert_int_equal(f->diags.n_errors, 0);
	assert_int_equal(f->diags.n, 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(f->diags.v[i].level, DIAG_WARNING);
	assert_string_equal(f->diags.v[0].text,
			    "ns.conf:2: warning: unknown user 'ghost' in the user list");
	/* No numeric uid syntax: "0" is a name. */
	assert_string_equal(f->diags.v[1].text,
			    "ns.conf:2: warning: unknown user '0' in the user list");
	assert_string_equal(f->diags.v[2].text,
			    "ns.conf:2: warning: unknown user 'spook' in the user list");
}

static void resolve_unknown_list_users_warn_even_without_ignore(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r = parse_rule(f, "/tmp /tmp-inst/ user ~ghost\n", 0);

	/* Not an error in either mode; the exclusive list ends up empty. */
	assert_int_equal(conf_resolve_rule(r, &f->res, true, &f->rr, &f->diags), 0);
	assert_int_equal(f->rr.n_uids, 0);
	assert_int_equal(f->diags.n, 1);
	assert_int_equal(f->diags.n_errors, 0);
	assert_string_equal(f->diags.v[0].text,
			    "ns.conf:1: warning: unknown user 'ghost' in the user list");
}

static void resolve_empty_names_skipped(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r = parse_rule(f, "/tmp /tmp-inst/ user ,alice,,bob,\n", 0);

	assert_int_equal(r->n_users, 5);
	assert_int_equal(conf_resolve_rule(r, &f->res, false, &f->rr, &f->diags), 0);
	assert_int_equal(f->rr.n_uids, 2);
	assert_int_equal(f->rr.uids[0], 1000);
	assert_int_equal(f->rr.uids[1], 1001);
	assert_int_equal(f->ns.user_calls, 2);
	assert_int_equal(f->ns.empty_lookups, 0);
	assert_int_equal(f->diags.n, 0); /* conf_parse warned already */
}

static void resolve_tilde_alone_gives_empty_exclusive_list(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r = parse_rule(f, "/tmp /tmp-inst/ user ~\n", 0);

	assert_true(r->flags & RULE_EXCLUSIVE);
	assert_int_equal(conf_resolve_rule(r, &f->res, false, &f->rr, &f->diags), 0);
	assert_int_equal(f->rr.n_uids, 0);
	assert_int_equal(f->ns.user_calls, 0);
	assert_int_equal(f->diags.n, 0);
}

static void resolve_create_and_list_together(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r =
		parse_rule(f, "/tmp /tmp-inst/ user:create=0755,alice,users root,ghost\n", 0);

	assert_int_equal(conf_resolve_rule(r, &f->res, false, &f->rr, &f->diags), 0);
	assert_int_equal(f->rr.owner, 1000);
	assert_int_equal(f->rr.group, 100);
	assert_int_equal(f->rr.n_uids, 1);
	assert_int_equal(f->rr.uids[0], 0);
	assert_int_equal(f->diags.n, 1);
	assert_int_equal(f->diags.n_errors, 0);
}

/* ---- resolver failures ---- */

static void resolve_owner_lookup_failure_propagates(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r =
		parse_rule(f, "/tmp /tmp-inst/ user:create=0700,alice alice\n", 0);

	f->ns.fail_name = "alice";
	f->ns.fail_errno = EIO;
	assert_int_equal(conf_resolve_rule(r, &f->res, false, &f->rr, &f->diags), -EIO);
	assert_int_equal(f->diags.n, 0);
	assert_int_equal(f->diags.n_errors, 0);
	assert_false(f->rr.owner_set);
	assert_null(f->rr.uids);
}

static void resolve_group_lookup_failure_propagates(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r =
		parse_rule(f, "/tmp /tmp-inst/ user:create=0700,alice,wheel bob\n", 0);

	f->ns.fail_name = "wheel";
	f->ns.fail_errno = EAGAIN;
	assert_int_equal(conf_resolve_rule(r, &f->res, true, &f->rr, &f->diags),
			 -EAGAIN);
	assert_int_equal(f->diags.n, 0);
	/* The half-resolved owner is not handed back. */
	assert_false(f->rr.owner_set);
	assert_false(f->rr.group_set);
	assert_null(f->rr.uids);
}

static void resolve_list_lookup_failure_propagates(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r =
		parse_rule(f, "/tmp /tmp-inst/ user:create=0700,alice root,ghost,bob,adm\n", 0);

	f->ns.fail_name = "bob";
	f->ns.fail_errno = ENOMEM;
	assert_int_equal(conf_resolve_rule(r, &f->res, false, &f->rr, &f->diags),
			 -ENOMEM);
	/* Stopped at bob: adm was never looked up. */
	assert_int_equal(f->ns.user_calls, 4);
	assert_null(f->rr.uids);
	assert_int_equal(f->rr.n_uids, 0);
	assert_false(f->rr.owner_set);
	assert_int_equal(f->diags.n_errors, 0);
}

static void resolved_rule_free_resets(void **state)
{
	struct fixture *f = *state;
	const struct conf_rule *r =
		parse_rule(f, "/tmp /tmp-inst/ user:create=0700,alice bob\n", 0);

	assert_int_equal(conf_resolve_rule(r, &f->res, false, &f->rr, &f->diags), 0);
	assert_non_null(f->rr.uids);
	resolved_rule_free(&f->rr);
	assert_null(f->rr.uids);
	assert_int_equal(f->rr.n_uids, 0);
	assert_false(f->rr.owner_set);
	assert_false(f->rr.group_set);
	resolved_rule_free(&f->rr); /* twice is harmless */
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(resolve_no_create_no_list),
		T(resolve_create_without_names_sets_nothing),
		T(resolve_create_owner_and_group),
		T(resolve_group_defaults_to_owner_primary_gid),
		T(resolve_group_without_owner),
		T(resolve_unknown_owner_is_error),
		T(resolve_unknown_group_is_error),
		T(resolve_unknown_owner_warning_with_ignore_errors),
		T(resolve_list_names_to_uids),
		T(resolve_aliases_keep_both_uids),
		T(resolve_unknown_list_users_warn_and_drop),
		T(resolve_unknown_list_users_warn_even_without_ignore),
		T(resolve_empty_names_skipped),
		T(resolve_tilde_alone_gives_empty_exclusive_list),
		T(resolve_create_and_list_together),
		T(resolve_owner_lookup_failure_propagates),
		T(resolve_group_lookup_failure_propagates),
		T(resolve_list_lookup_failure_propagates),
		T(resolved_rule_free_resets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
