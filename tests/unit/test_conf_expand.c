/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf_expand.h"

static const struct session_user alice = {
	.name = "alice", .uid = 1000, .gid = 1000, .home = "/home/alice",
};
static const struct session_user bob = {
	.name = "bob", .uid = 1001, .gid = 1001, .home = "/home/bob",
};

/* ---- conf_expand_vars ---- */

static void expand_vars_home_and_user(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(conf_expand_vars("$HOME/tmp", "alice", "/home/alice", out,
					  sizeof(out)), 0);
	assert_string_equal(out, "/home/alice/tmp");
	assert_int_equal(conf_expand_vars("/tmp-inst/$USER/", "alice", "/home/alice",
					  out, sizeof(out)), 0);
	assert_string_equal(out, "/tmp-inst/alice/");
	assert_int_equal(conf_expand_vars("$HOME/$USER/$HOME", "al", "/h", out,
					  sizeof(out)), 0);
	assert_string_equal(out, "/h/al//h");
	assert_int_equal(conf_expand_vars("/plain/path", "alice", "/home/alice", out,
					  sizeof(out)), 0);
	assert_string_equal(out, "/plain/path");
}

static void expand_vars_prefix_match_without_boundary(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(conf_expand_vars("/x/$USERx", "alice", "/home/alice", out,
					  sizeof(out)), 0);
	assert_string_equal(out, "/x/alicex");
	assert_int_equal(conf_expand_vars("$HOMEDIR", "alice", "/home/alice", out,
					  sizeof(out)), 0);
	assert_string_equal(out, "/home/aliceDIR");
	assert_int_equal(conf_expand_vars("$USER$USER", "ab", "/h", out, sizeof(out)), 0);
	assert_string_equal(out, "abab");
	assert_int_equal(conf_expand_vars("$$USER", "ab", "/h", out, sizeof(out)), 0);
	assert_string_equal(out, "$ab");
}

static void expand_vars_other_dollars_literal(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(conf_expand_vars("/srv/$FOO/$", "alice", "/home/alice", out,
					  sizeof(out)), 0);
	assert_string_equal(out, "/srv/$FOO/$");
	assert_int_equal(conf_expand_vars("$USE/$HOM/${USER}/$user/$Home", "alice",
					  "/home/alice", out, sizeof(out)), 0);
	assert_string_equal(out, "$USE/$HOM/${USER}/$user/$Home");
}

static void expand_vars_never_rescans_substitutions(void **state)
{
	char out[256];

	(void)state;
	/* Values that look like variables stay as they are. */
	assert_int_equal(conf_expand_vars("$HOME/$USER", "$HOME", "/h/$USER", out,
					  sizeof(out)), 0);
	assert_string_equal(out, "/h/$USER/$HOME");
	/* A value ending in '$' does not join with the following text. */
	assert_int_equal(conf_expand_vars("$USERUSER", "$", "/h", out, sizeof(out)), 0);
	assert_string_equal(out, "$USER");
}

static void expand_vars_empty_values(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(conf_expand_vars("$HOME/x", "alice", "", out, sizeof(out)), 0);
	assert_string_equal(out, "/x");
	assert_int_equal(conf_expand_vars("", "alice", "/h", out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

static void expand_vars_overflow_at_exact_boundary(void **state)
{
	char out[16];

	(void)state;
	/* Literal text: 5 bytes need 6. */
	memset(out, 'Z', sizeof(out));
	assert_int_equal(conf_expand_vars("/abcd", "u", "/h", out, 6), 0);
	assert_string_equal(out, "/abcd");
	assert_int_equal(out[6], 'Z'); /* nothing written past outlen */
	assert_int_equal(conf_expand_vars("/abcd", "u", "/h", out, 5), -ENAMETOOLONG);

	/* Substitution as the last thing: "/" + "alice" = 6 bytes. */
	memset(out, 'Z', sizeof(out));
	assert_int_equal(conf_expand_vars("/$USER", "alice", "/h", out, 7), 0);
	assert_string_equal(out, "/alice");
	assert_int_equal(out[7], 'Z');
	assert_int_equal(conf_expand_vars("/$USER", "alice", "/h", out, 6),
			 -ENAMETOOLONG);

	/* Substitution first, literal last. */
	assert_int_equal(conf_expand_vars("$HOME/", "/home", "/home", out, 7), 0);
	assert_string_equal(out, "/home/");
	assert_int_equal(conf_expand_vars("$HOME/", "/home", "/home", out, 6),
			 -ENAMETOOLONG);

	/* An empty value at the very end still needs room for the NUL only. */
	assert_int_equal(conf_expand_vars("ab$HOME", "u", "", out, 3), 0);
	assert_string_equal(out, "ab");
	assert_int_equal(conf_expand_vars("ab$HOME", "u", "", out, 2), -ENAMETOOLONG);

	/* Nothing fits in zero bytes, not even "". */
	assert_int_equal(conf_expand_vars("", "u", "/h", out, 1), 0);
	assert_string_equal(out, "");
	assert_int_equal(conf_expand_vars("", "u", "/h", out, 0), -ENAMETOOLONG);
	assert_int_equal(conf_expand_vars("$USER", "", "/h", out, 0), -ENAMETOOLONG);
}

static void expand_vars_overflow_at_path_max(void **state)
{
	char *home = malloc(CONF_PATH_MAX + 1);
	char *out = malloc(CONF_PATH_MAX);

	(void)state;
	assert_non_null(home);
	assert_non_null(out);
	/* home of 4093 bytes + "/x" = 4095: fits CONF_PATH_MAX. */
	home[0] = '/';
	memset(home + 1, 'h', CONF_PATH_MAX - 4);
	home[CONF_PATH_MAX - 3] = '\0';
	assert_int_equal(conf_expand_vars("$HOME/x", "u", home, out, CONF_PATH_MAX), 0);
	assert_int_equal(strlen(out), CONF_PATH_MAX - 1);
	assert_string_equal(out + CONF_PATH_MAX - 3, "/x");
	/* One byte more does not. */
	home[CONF_PATH_MAX - 3] = 'h';
	home[CONF_PATH_MAX - 2] = '\0';
	assert_int_equal(conf_expand_vars("$HOME/x", "u", home, out, CONF_PATH_MAX),
			 -ENAMETOOLONG);
	free(home);
	free(out);
}

/* ---- conf_expand_rule ---- */

static void rule_init(struct conf_rule *r, const char *polydir,
		      const char *prefix, enum conf_method method)
{
	*r = (struct conf_rule){ 0 };
	r->polydir = strdup(polydir);
	r->instance_prefix = strdup(prefix);
	r->method = method;
	assert_non_null(r->polydir);
	assert_non_null(r->instance_prefix);
}

static void rule_fini(struct conf_rule *r)
{
	free(r->polydir);
	free(r->instance_prefix);
}

/* Expand for (user, ruser); returns the result, error text in err. */
static int expand(const char *polydir, const char *prefix, enum conf_method m,
		  const struct session_user *u, const struct session_user *ru,
		  struct expanded_rule *out, char *err, size_t errlen)
{
	struct conf_rule r;
	int ret;

	rule_init(&r, polydir, prefix, m);
	err[0] = '\0';
	ret = conf_expand_rule(&r, u, ru, out, err, errlen);
	rule_fini(&r);
	return ret;
}

static void expand_rule_user_and_ruser(void **state)
{
	struct expanded_rule er;
	char err[256];

	(void)state;
	assert_int_equal(expand("$HOME/tmp", "$HOME/.inst/inst-", METHOD_USER, &alice,
				&bob, &er, err, sizeof(err)), 0);
	assert_string_equal(er.dir, "/home/alice/tmp");
	assert_string_equal(er.rdir, "/home/bob/tmp");
	assert_string_equal(er.prefix, "/home/alice/.inst/inst-");
	assert_string_equal(err, "");

	assert_int_equal(expand("/tmp/$USER", "/tmp-inst/", METHOD_USER, &bob, &alice,
				&er, err, sizeof(err)), 0);
	assert_string_equal(er.dir, "/tmp/bob");
	assert_string_equal(er.rdir, "/tmp/alice");
	assert_string_equal(er.prefix, "/tmp-inst/");
}

static void expand_rule_strips_trailing_slashes(void **state)
{
	struct expanded_rule er;
	char err[256];

	(void)state;
	assert_int_equal(expand("/tmp///", "/tmp-inst//", METHOD_USER, &alice, &alice,
				&er, err, sizeof(err)), 0);
	assert_string_equal(er.dir, "/tmp");
	assert_string_equal(er.rdir, "/tmp");
	/* instance_prefix keeps its slashes: they are part of the instance path. */
	assert_string_equal(er.prefix, "/tmp-inst//");

	assert_int_equal(expand("$HOME/", "/i/", METHOD_USER, &alice, &bob, &er, err,
				sizeof(err)), 0);
	assert_string_equal(er.dir, "/home/alice");
	assert_string_equal(er.rdir, "/home/bob");
}

static void expand_rule_rejects_root_polydir(void **state)
{
	const struct session_user rooty = {
		.name = "r", .uid = 5, .gid = 5, .home = "/",
	};
	struct expanded_rule er;
	char err[256];

	(void)state;
	assert_int_equal(expand("/", "/inst/", METHOD_USER, &alice, &alice, &er, err,
				sizeof(err)), -EINVAL);
	assert_string_equal(er.dir, "/"); /* "/" is kept, not stripped to "" */
	assert_string_equal(err, "polydir must not be '/'");
	assert_int_equal(expand("///", "/inst/", METHOD_TMPFS, &alice, &alice, &er,
				err, sizeof(err)), -EINVAL);
	assert_string_equal(er.dir, "/");
	assert_string_equal(err, "polydir must not be '/'");
	/* A home of "/" makes "$HOME" the root too. */
	assert_int_equal(expand("$HOME", "/inst/", METHOD_USER, &rooty, &rooty, &er,
				err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "polydir must not be '/'");
	assert_int_equal(expand("$HOME/", "/inst/", METHOD_USER, &rooty, &rooty, &er,
				err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "polydir must not be '/'");
}

static void expand_rule_rejects_empty_polydir(void **state)
{
	const struct session_user nohome = {
		.name = "n", .uid = 6, .gid = 6, .home = "",
	};
	struct expanded_rule er;
	char err[256];

	(void)state;
	assert_int_equal(expand("$HOME", "/inst/", METHOD_USER, &nohome, &alice, &er,
				err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "polydir is empty");
	/* Empty for the requesting user alone is an error too. */
	assert_int_equal(expand("$HOME", "/inst/", METHOD_USER, &alice, &nohome, &er,
				err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "polydir is empty");
}

static void expand_rule_rejects_relative_polydir(void **state)
{
	const struct session_user relhome = {
		.name = "rel", .uid = 7, .gid = 7, .home = "home/rel",
	};
	struct expanded_rule er;
	char err[256];

	(void)state;
	assert_int_equal(expand("tmp", "/inst/", METHOD_USER, &alice, &alice, &er, err,
				sizeof(err)), -EINVAL);
	assert_string_equal(err, "polydir 'tmp' must start with '/'");
	assert_int_equal(expand("tmp/", "/inst/", METHOD_TMPFS, &alice, &alice, &er,
				err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "polydir 'tmp' must start with '/'");
	assert_int_equal(expand("$HOME/tmp", "/inst/", METHOD_USER, &relhome,
				&relhome, &er, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "polydir 'home/rel/tmp' must start with '/'");
	/* The polydir is reported before a bad prefix. */
	assert_int_equal(expand("tmp", "inst", METHOD_USER, &alice, &alice, &er, err,
				sizeof(err)), -EINVAL);
	assert_string_equal(err, "polydir 'tmp' must start with '/'");
}

static void expand_rule_rejects_relative_prefix_except_tmpfs(void **state)
{
	static const enum conf_method non_tmpfs[] = {
		METHOD_USER, METHOD_CONTEXT, METHOD_LEVEL, METHOD_TMPDIR,
	};
	struct expanded_rule er;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(non_tmpfs) / sizeof(non_tmpfs[0]); i++) {
		assert_int_equal(expand("/tmp", "inst/", non_tmpfs[i], &alice, &alice,
					&er, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, "instance_prefix 'inst/' must start with '/'");
	}
	assert_int_equal(expand("/tmp", "", METHOD_USER, &alice, &alice, &er, err,
				sizeof(err)), -EINVAL);
	assert_string_equal(err, "instance_prefix '' must start with '/'");
	/* tmpfs does not use the prefix: any string will do. */
	assert_int_equal(expand("/tmp", "x", METHOD_TMPFS, &alice, &alice, &er, err,
				sizeof(err)), 0);
	assert_string_equal(er.dir, "/tmp");
	assert_string_equal(er.prefix, "x");
	assert_int_equal(expand("/tmp", "", METHOD_TMPFS, &alice, &alice, &er, err,
				sizeof(err)), 0);
}

static void expand_rule_rejects_dotdot_substring(void **state)
{
	const struct session_user dothome = {
		.name = "d", .uid = 8, .gid = 8, .home = "/home/../etc",
	};
	struct expanded_rule er;
	char err[256];

	(void)state;
	assert_int_equal(expand("/srv/a..b", "/inst/", METHOD_USER, &alice, &alice,
				&er, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "polydir '/srv/a..b' must not contain '..'");
	assert_int_equal(expand("/srv/../etc", "/inst/", METHOD_USER, &alice, &alice,
				&er, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "polydir '/srv/../etc' must not contain '..'");
	assert_int_equal(expand("/srv/p", "/inst/a..b/", METHOD_USER, &alice, &alice,
				&er, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "instance_prefix '/inst/a..b/' must not contain '..'");
	/* Checked after expansion. */
	assert_int_equal(expand("$HOME/tmp", "/inst/", METHOD_USER, &dothome, &dothome,
				&er, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "polydir '/home/../etc/tmp' must not contain '..'");
	assert_int_equal(expand("/tmp", "$HOME/i-", METHOD_USER, &dothome, &dothome,
				&er, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "instance_prefix '/home/../etc/i-' must not contain '..'");
	/* Even with tmpfs, whose prefix is unused. */
	assert_int_equal(expand("/tmp", "..", METHOD_TMPFS, &alice, &alice, &er, err,
				sizeof(err)), -EINVAL);
	assert_string_equal(err, "instance_prefix '..' must not contain '..'");
	/* A single dot is fine. */
	assert_int_equal(expand("/srv/.p", "/inst/.i.", METHOD_USER, &alice, &alice,
				&er, err, sizeof(err)), 0);
	assert_string_equal(er.dir, "/srv/.p");
}

static void expand_rule_does_not_check_rdir_for_dotdot(void **state)
{
	const struct session_user dothome = {
		.name = "d", .uid = 8, .gid = 8, .home = "/home/../etc",
	};
	struct expanded_rule er;
	char err[256];

	(void)state;
	/* As pam_namespace: rdir is only stripped and checked for emptiness. */
	assert_int_equal(expand("$HOME/tmp", "/inst/", METHOD_USER, &alice, &dothome,
				&er, err, sizeof(err)), 0);
	assert_string_equal(er.dir, "/home/alice/tmp");
	assert_string_equal(er.rdir, "/home/../etc/tmp");
}

static void expand_rule_too_long_after_expansion(void **state)
{
	char *home = malloc(CONF_PATH_MAX);
	struct session_user big = { .name = "big", .uid = 9, .gid = 9 };
	struct expanded_rule *er = malloc(sizeof(*er));
	char err[256];

	(void)state;
	assert_non_null(home);
	assert_non_null(er);
	/* home 4093 bytes: "$HOME/x" is 4095 bytes and fits. */
	home[0] = '/';
	memset(home + 1, 'h', CONF_PATH_MAX - 4);
	home[CONF_PATH_MAX - 3] = '\0';
	big.home = home;
	assert_int_equal(expand("$HOME/x", "/inst/", METHOD_USER, &big, &big, er, err,
				sizeof(err)), 0);
	assert_int_equal(strlen(er->dir), CONF_PATH_MAX - 1);

	/* 4094 bytes: 4096 does not. */
	home[CONF_PATH_MAX - 3] = 'h';
	home[CONF_PATH_MAX - 2] = '\0';
	assert_int_equal(expand("$HOME/x", "/inst/", METHOD_USER, &big, &alice, er,
				err, sizeof(err)), -ENAMETOOLONG);
	assert_string_equal(err, "polydir is longer than 4095 bytes after expansion");
	/* Too long only for the requesting user. */
	assert_int_equal(expand("$HOME/x", "/inst/", METHOD_USER, &alice, &big, er,
				err, sizeof(err)), -ENAMETOOLONG);
	assert_string_equal(err, "polydir is longer than 4095 bytes after expansion");
	/* The prefix. */
	assert_int_equal(expand("/tmp", "$HOME/i-", METHOD_USER, &big, &alice, er,
				err, sizeof(err)), -ENAMETOOLONG);
	assert_string_equal(err, "instance_prefix is longer than 4095 bytes after expansion");
	free(home);
	free(er);
}

static void expand_rule_error_text_truncated_to_errlen(void **state)
{
	struct expanded_rule er;
	char err[8];

	(void)state;
	assert_int_equal(expand("/", "/inst/", METHOD_USER, &alice, &alice, &er, err,
				sizeof(err)), -EINVAL);
	assert_string_equal(err, "polydir");
}

/* ---- conf_rule_applies ---- */

static void applies_normal_list_exempts_listed(void **state)
{
	struct conf_rule r = { 0 };
	const uid_t uids[] = { 0, 4, 1001 };

	(void)state;
	assert_false(conf_rule_applies(&r, uids, 3, 0));
	assert_false(conf_rule_applies(&r, uids, 3, 4));
	assert_false(conf_rule_applies(&r, uids, 3, 1001));
	assert_true(conf_rule_applies(&r, uids, 3, 1000));
	assert_true(conf_rule_applies(&r, uids, 3, 65534));
	/* Only the first n_uids count. */
	assert_true(conf_rule_applies(&r, uids, 2, 1001));
}

static void applies_exclusive_list_only_listed(void **state)
{
	struct conf_rule r = { .flags = RULE_EXCLUSIVE };
	const uid_t uids[] = { 1000, 1002 };

	(void)state;
	assert_true(conf_rule_applies(&r, uids, 2, 1000));
	assert_true(conf_rule_applies(&r, uids, 2, 1002));
	assert_false(conf_rule_applies(&r, uids, 2, 1001));
	assert_false(conf_rule_applies(&r, uids, 2, 0));
	/* Other flags do not change the answer. */
	r.flags |= RULE_CREATE | RULE_SHARED;
	assert_true(conf_rule_applies(&r, uids, 2, 1002));
	assert_false(conf_rule_applies(&r, uids, 2, 1));
}

static void applies_empty_list(void **state)
{
	struct conf_rule normal = { 0 };
	struct conf_rule exclusive = { .flags = RULE_EXCLUSIVE };

	(void)state;
	/* No list: everybody, root included. */
	assert_true(conf_rule_applies(&normal, NULL, 0, 0));
	assert_true(conf_rule_applies(&normal, NULL, 0, 1000));
	/* "~" with nobody left: nobody. */
	assert_false(conf_rule_applies(&exclusive, NULL, 0, 0));
	assert_false(conf_rule_applies(&exclusive, NULL, 0, 1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(expand_vars_home_and_user),
		cmocka_unit_test(expand_vars_prefix_match_without_boundary),
		cmocka_unit_test(expand_vars_other_dollars_literal),
		cmocka_unit_test(expand_vars_never_rescans_substitutions),
		cmocka_unit_test(expand_vars_empty_values),
		cmocka_unit_test(expand_vars_overflow_at_exact_boundary),
		cmocka_unit_test(expand_vars_overflow_at_path_max),
		cmocka_unit_test(expand_rule_user_and_ruser),
		cmocka_unit_test(expand_rule_strips_trailing_slashes),
		cmocka_unit_test(expand_rule_rejects_root_polydir),
		cmocka_unit_test(expand_rule_rejects_empty_polydir),
		cmocka_unit_test(expand_rule_rejects_relative_polydir),
		cmocka_unit_test(expand_rule_rejects_relative_prefix_except_tmpfs),
		cmocka_unit_test(expand_rule_rejects_dotdot_substring),
		cmocka_unit_test(expand_rule_does_not_check_rdir_for_dotdot),
		cmocka_unit_test(expand_rule_too_long_after_expansion),
		cmocka_unit_test(expand_rule_error_text_truncated_to_errlen),
		cmocka_unit_test(applies_normal_list_exempts_listed),
		cmocka_unit_test(applies_exclusive_list_only_listed),
		cmocka_unit_test(applies_empty_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
