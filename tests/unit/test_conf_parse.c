/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * conf_parse_buffer: namespace.conf text into rules and diagnostics (spec
 * sections 1.2, 1.5, 1.6, 1.7, and the deviations listed at the top of
 * conf_parse.c), plus conf_method_name and conf_free.
 *
 * Buffers are handed over as exact-size copies without a terminating NUL, so
 * ASan catches any read past `len`.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "conf.h"
#include "diag.h"

#define FILE_NAME "ns.conf"
#define ISCRIPT_DIR "/etc/security/namespace.d"

struct fx {
	struct conf conf;
	struct diag_list dl;
	char **scratch; /* strings freed at teardown */
	size_t n_scratch;
};

static int fx_setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	*state = fx;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *fx = *state;

	conf_free(&fx->conf);
	diag_list_free(&fx->dl);
	for (size_t i = 0; i < fx->n_scratch; i++)
		free(fx->scratch[i]);
	free(fx->scratch);
	free(fx);
	return 0;
}

static char *fx_keep(struct fx *fx, char *s)
{
	char **v = reallocarray(fx->scratch, fx->n_scratch + 1, sizeof(*v));

	assert_non_null(s);
	assert_non_null(v);
	fx->scratch = v;
	fx->scratch[fx->n_scratch++] = s;
	return s;
}

__attribute__((format(printf, 2, 3))) static char *
fx_printf(struct fx *fx, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	assert_true(r >= 0);
	return fx_keep(fx, s);
}

static char *fx_repeat(struct fx *fx, char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return fx_keep(fx, s);
}

/* "<prefix>0<sep><prefix>1<sep>...<prefix>(n-1)" */
static char *fx_list(struct fx *fx, const char *prefix, char sep, size_t n)
{
	size_t cap = n * (strlen(prefix) + 8) + 1, len = 0;
	char *s = malloc(cap);

	assert_non_null(s);
	s[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			s[len++] = sep;
		len += (size_t)snprintf(s + len, cap - len, "%s%zu", prefix, i);
	}
	return fx_keep(fx, s);
}

static int parse_buf(struct fx *fx, const char *file, const char *buf,
		     size_t len, const char *iscript_dir, bool ignore_errors)
{
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, buf, len);
	r = conf_parse_buffer(&fx->conf, file, copy, len, iscript_dir,
			      ignore_errors, &fx->dl);
	free(copy);
	return r;
}

static int parse_text(struct fx *fx, const char *text)
{
	return parse_buf(fx, FILE_NAME, text, strlen(text), ISCRIPT_DIR, false);
}

static int parse_ignoring(struct fx *fx, const char *text)
{
	return parse_buf(fx, FILE_NAME, text, strlen(text), ISCRIPT_DIR, true);
}

/* Parses text that must give exactly one rule and return 0. */
static const struct conf_rule *parse_one(struct fx *fx, const char *text)
{
	assert_int_equal(parse_text(fx, text), 0);
	assert_int_equal(fx->conf.n_rules, 1);
	return &fx->conf.rules[0];
}

/* want: the exact diagnostics, in order, NULL-terminated.  A text containing
 * ": warning: " must be a warning, any other an error. */
static void assert_diags_(const struct diag_list *dl, const char *const *want)
{
	size_t n = 0, n_err = 0;

	while (want[n]) {
		if (!strstr(want[n], ": warning: "))
			n_err++;
		n++;
	}
	if (dl->n != n) {
		for (size_t i = 0; i < dl->n; i++)
			print_error("diag %zu: %s\n", i, dl->v[i].text);
	}
	assert_int_equal(dl->n, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(dl->v[i].text, want[i]);
		assert_int_equal(dl->v[i].level, strstr(want[i], ": warning: ")
							 ? DIAG_WARNING
							 : DIAG_ERROR);
	}
	assert_int_equal(dl->n_errors, n_err);
	assert_int_equal(dl->n_dropped, 0);
}

#define ASSERT_DIAGS(dl, ...)                                                  \
	assert_diags_((dl), (const char *const[]){ __VA_ARGS__, NULL })
#define ASSERT_NO_DIAGS(dl) ASSERT_DIAGS(dl, NULL)

static void assert_rule_(const struct conf_rule *r, const char *polydir,
			 const char *prefix, enum conf_method method,
			 unsigned int flags)
{
	assert_string_equal(r->polydir, polydir);
	assert_string_equal(r->instance_prefix, prefix);
	assert_int_equal(r->method, method);
	assert_int_equal(r->flags, flags);
}

static void assert_users_(const struct conf_rule *r, const char *const *want)
{
	size_t n = 0;

	while (want[n])
		n++;
	assert_int_equal(r->n_users, n);
	if (n == 0) {
		assert_null(r->users);
		return;
	}
	assert_non_null(r->users);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(r->users[i], want[i]);
}

#define ASSERT_USERS(r, ...)                                                   \
	assert_users_((r), (const char *const[]){ __VA_ARGS__, NULL })
#define ASSERT_NO_USERS(r) ASSERT_USERS(r, NULL)

static void assert_create_(const struct conf_rule *r, bool mode_set,
			   mode_t mode, const char *owner, const char *group)
{
	assert_true(r->flags & RULE_CREATE);
	assert_int_equal(r->create_mode_set, mode_set);
	if (mode_set)
		assert_int_equal(r->create_mode, mode);
	if (owner)
		assert_string_equal(r->create_owner, owner);
	else
		assert_null(r->create_owner);
	if (group)
		assert_string_equal(r->create_group, group);
	else
		assert_null(r->create_group);
}

static void assert_no_rules(const struct fx *fx)
{
	assert_int_equal(fx->conf.n_rules, 0);
	assert_null(fx->conf.rules);
}

/* ================= basic lines ================= */

static void parse_minimal_rule_has_defaults(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r = parse_one(fx, "/tmp /tmp-inst/ user\n");

	assert_rule_(r, "/tmp", "/tmp-inst/", METHOD_USER, 0);
	ASSERT_NO_USERS(r);
	assert_false(r->create_mode_set);
	assert_null(r->create_owner);
	assert_null(r->create_group);
	assert_null(r->iscript);
	assert_int_equal(r->mount_flags, 0);
	assert_null(r->mount_data);
	assert_string_equal(r->file, FILE_NAME);
	assert_int_equal(r->line, 1);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_rule_keeps_fields_as_written(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r =
		parse_one(fx, "$HOME/tmp $HOME/.inst/$USER- level root,adm\n");

	/* No expansion and no slash stripping at this stage. */
	assert_rule_(r, "$HOME/tmp", "$HOME/.inst/$USER-", METHOD_LEVEL, 0);
	ASSERT_USERS(r, "root", "adm");
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_skips_blank_and_comment_lines_keeping_line_numbers(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "# namespace.conf\n"
					"\n"
					"   \t \n"
					"\t# indented comment\n"
					"/tmp /tmp-inst/ user # trailing comment\n"
					"#/var/tmp /v/ user\n"
					"/var/tmp /var/tmp/inst/ tmpdir\n"),
			 0);
	assert_int_equal(fx->conf.n_rules, 2);
	assert_rule_(&fx->conf.rules[0], "/tmp", "/tmp-inst/", METHOD_USER, 0);
	assert_int_equal(fx->conf.rules[0].line, 5);
	ASSERT_NO_USERS(&fx->conf.rules[0]);
	assert_rule_(&fx->conf.rules[1], "/var/tmp", "/var/tmp/inst/", METHOD_TMPDIR, 0);
	assert_int_equal(fx->conf.rules[1].line, 7);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_skips_leading_blanks_before_polydir(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r = parse_one(fx, " \t\v\f\r  /tmp /i/ user root\n");

	assert_rule_(r, "/tmp", "/i/", METHOD_USER, 0);
	ASSERT_USERS(r, "root");
}

static void parse_all_blank_bytes_separate_fields(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a\t/i/\vuser\froot\r\n"
					"\t/b  \t/j/\r\r tmpdir \t\n"),
			 0);
	assert_int_equal(fx->conf.n_rules, 2);
	assert_rule_(&fx->conf.rules[0], "/a", "/i/", METHOD_USER, 0);
	ASSERT_USERS(&fx->conf.rules[0], "root");
	assert_rule_(&fx->conf.rules[1], "/b", "/j/", METHOD_TMPDIR, 0);
	ASSERT_NO_USERS(&fx->conf.rules[1]);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_crlf_lines(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/tmp /tmp-inst/ user root,adm\r\n"
					"\r\n"
					"# comment\r\n"
					"/var/tmp /v/ tmpdir\r\n"
					"/x /y/ tmpfs:mntopts=size=1m\r\n"),
			 0);
	assert_int_equal(fx->conf.n_rules, 3);
	ASSERT_USERS(&fx->conf.rules[0], "root", "adm");
	assert_int_equal(fx->conf.rules[0].line, 1);
	/* "tmpdir\r" would be an unknown method. */
	assert_rule_(&fx->conf.rules[1], "/var/tmp", "/v/", METHOD_TMPDIR, 0);
	assert_int_equal(fx->conf.rules[1].line, 4);
	assert_string_equal(fx->conf.rules[2].mount_data, "size=1m");
	assert_int_equal(fx->conf.rules[2].line, 5);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_last_line_without_newline(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ user\n/b /j/ context root"), 0);
	assert_int_equal(fx->conf.n_rules, 2);
	assert_rule_(&fx->conf.rules[1], "/b", "/j/", METHOD_CONTEXT, 0);
	ASSERT_USERS(&fx->conf.rules[1], "root");
	assert_int_equal(fx->conf.rules[1].line, 2);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_last_line_without_newline_reports_its_line(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ user\n\n/b /j/"), -EINVAL);
	assert_int_equal(fx->conf.n_rules, 1);
	ASSERT_DIAGS(&fx->dl, "ns.conf:3: missing method field");
}

static void parse_embedded_empty_lines_count_as_lines(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "\n\n/a /i/ user\n\n\nbad\n\n/b /j/ user\n\n"),
			 -EINVAL);
	assert_int_equal(fx->conf.n_rules, 2);
	assert_string_equal(fx->conf.rules[0].polydir, "/a");
	assert_int_equal(fx->conf.rules[0].line, 3);
	assert_string_equal(fx->conf.rules[1].polydir, "/b");
	assert_int_equal(fx->conf.rules[1].line, 8);
	ASSERT_DIAGS(&fx->dl, "ns.conf:6: missing instance_prefix and method fields");
}

static void parse_empty_buffer_adds_file_and_no_rules(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_buf(fx, "empty.conf", "", 0, ISCRIPT_DIR, false), 0);
	assert_int_equal(fx->conf.n_files, 1);
	assert_string_equal(fx->conf.files[0], "empty.conf");
	assert_no_rules(fx);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_buffer_of_blank_and_comment_lines_gives_no_rules(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "\n\n# only comments\n \t\n\r\n#\n"), 0);
	assert_int_equal(fx->conf.n_files, 1);
	assert_no_rules(fx);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_quoted_and_escaped_fields(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "\"/srv/a b\" /inst/a\\ b/ \"user:create=0700,alice\"\n"
					"/x /y/ us\"er\" ro\"ot,a\"dm\n"),
			 0);
	assert_int_equal(fx->conf.n_rules, 2);
	assert_rule_(&fx->conf.rules[0], "/srv/a b", "/inst/a b/", METHOD_USER,
		     RULE_CREATE);
	assert_create_(&fx->conf.rules[0], true, 0700, "alice", NULL);
	assert_rule_(&fx->conf.rules[1], "/x", "/y/", METHOD_USER, 0);
	ASSERT_USERS(&fx->conf.rules[1], "root", "adm");
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_escaped_comma_still_splits_user_list(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r = parse_one(fx, "/a /i/ user root\\,adm\n");

	/* Escapes are lexical: the list is split afterwards. */
	ASSERT_USERS(r, "root", "adm");
}

static void parse_hash_inside_quotes_leaves_one_field_error(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "\"/srv/p#x\" /inst/ user\n"), -EINVAL);
	assert_no_rules(fx);
	ASSERT_DIAGS(&fx->dl, "ns.conf:1: missing instance_prefix and method fields");
}

/* ================= field counts ================= */

static void parse_rejects_one_field(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/tmp\n"), -EINVAL);
	assert_no_rules(fx);
	ASSERT_DIAGS(&fx->dl, "ns.conf:1: missing instance_prefix and method fields");
}

static void parse_rejects_two_fields(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/tmp /tmp-inst/   # user\n"), -EINVAL);
	assert_no_rules(fx);
	ASSERT_DIAGS(&fx->dl, "ns.conf:1: missing method field");
}

static void parse_warns_on_extra_fields(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r =
		parse_one(fx, "/a /i/ user root extra1 \"\" extra3\n");

	assert_rule_(r, "/a", "/i/", METHOD_USER, 0);
	ASSERT_USERS(r, "root");
	ASSERT_DIAGS(&fx->dl,
		     "ns.conf:1: warning: 3 extra fields after list_of_uids ignored");
}

static void parse_accepts_max_fields_with_extra_field_warning(void **state)
{
	struct fx *fx = *state;
	char *line = fx_printf(fx, "/a /i/ user root %s\n",
			       fx_list(fx, "x", ' ', CONF_MAX_FIELDS - 4));
	const struct conf_rule *r = parse_one(fx, line);

	ASSERT_USERS(r, "root");
	ASSERT_DIAGS(&fx->dl, fx_printf(fx, "ns.conf:1: warning: %d extra fields "
					"after list_of_uids ignored",
					CONF_MAX_FIELDS - 4));
}

static void parse_rejects_more_than_max_fields(void **state)
{
	struct fx *fx = *state;
	char *text = fx_printf(fx, "/ok /i/ user\n/a /i/ user root %s\n",
			       fx_list(fx, "x", ' ', CONF_MAX_FIELDS - 3));

	assert_int_equal(parse_text(fx, text), -EINVAL);
	assert_int_equal(fx->conf.n_rules, 1);
	ASSERT_DIAGS(&fx->dl, "ns.conf:2: more than 64 fields");
}

static void parse_bad_line_adds_no_rule_and_parsing_continues(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "bad\n/a /i/ user\nbad2 x\n/b /j/ tmpfs\n"),
			 -EINVAL);
	assert_int_equal(fx->conf.n_rules, 2);
	assert_int_equal(fx->conf.rules[0].line, 2);
	assert_int_equal(fx->conf.rules[1].line, 4);
	assert_int_equal(fx->conf.rules[1].method, METHOD_TMPFS);
	ASSERT_DIAGS(&fx->dl, "ns.conf:1: missing instance_prefix and method fields",
		     "ns.conf:3: missing method field");
}

static void parse_line_error_after_flag_values_adds_no_rule(void **state)
{
	struct fx *fx = *state;
	/* Owner, group, iscript and mount data are allocated before the error;
	 * under ASan this also checks that they are freed with the line. */
	char *text = fx_printf(fx, "/a x tmpfs:create=0700,alice,staff:iscript=/x:"
				   "mntopts=size=1m,nodev:iscript=/%s\n"
				   "/b x tmpfs:iscript=rel:mntopts=mode=0700:create=,bob:create=rwx\n",
			       fx_repeat(fx, 's', CONF_PATH_MAX));

	assert_int_equal(parse_text(fx, text), -EINVAL);
	assert_no_rules(fx);
	ASSERT_DIAGS(&fx->dl, "ns.conf:1: iscript path is longer than 4095 bytes",
		     "ns.conf:2: 'create=rwx': create mode 'rwx' is not a number");
	assert_int_equal(parse_ignoring(fx, text), 0);
	assert_no_rules(fx);
	assert_int_equal(fx->dl.n, 4);
	assert_string_equal(fx->dl.v[3].text,
			    "ns.conf:2: warning: 'create=rwx': create mode 'rwx' is not a number");
}

/* ================= whole-line limits ================= */

static void parse_accepts_line_of_max_length(void **state)
{
	struct fx *fx = *state;
	const char *head = "/a /i/ user #";
	char *line = fx_printf(fx, "%s%s\n", head,
			       fx_repeat(fx, 'c', CONF_MAX_LINE - strlen(head)));

	assert_int_equal(strlen(line), CONF_MAX_LINE + 1);
	assert_rule_(parse_one(fx, line), "/a", "/i/", METHOD_USER, 0);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_rejects_line_longer_than_max(void **state)
{
	struct fx *fx = *state;
	const char *head = "/b /j/ user #";
	char *text = fx_printf(fx, "/a /i/ user\n%s%s\n#%s\n/c /k/ user",
			       head,
			       fx_repeat(fx, 'c', CONF_MAX_LINE + 1 - strlen(head)),
			       fx_repeat(fx, 'c', CONF_MAX_LINE));

	assert_int_equal(parse_text(fx, text), -EINVAL);
	assert_int_equal(fx->conf.n_rules, 2);
	assert_string_equal(fx->conf.rules[0].polydir, "/a");
	assert_string_equal(fx->conf.rules[1].polydir, "/c");
	assert_int_equal(fx->conf.rules[1].line, 4);
	/* Even a comment line is measured. */
	ASSERT_DIAGS(&fx->dl, "ns.conf:2: line is longer than 8192 bytes",
		     "ns.conf:3: line is longer than 8192 bytes");
}

static void parse_rejects_nul_byte_in_line(void **state)
{
	static const char text[] = "/a /i/ user\n/b\0 /j/ user\n/c /k/ user\0root";
	struct fx *fx = *state;

	assert_int_equal(parse_buf(fx, FILE_NAME, text, sizeof(text) - 1,
				   ISCRIPT_DIR, false),
			 -EINVAL);
	assert_int_equal(fx->conf.n_rules, 1);
	assert_string_equal(fx->conf.rules[0].polydir, "/a");
	ASSERT_DIAGS(&fx->dl, "ns.conf:2: line contains a NUL byte",
		     "ns.conf:3: line contains a NUL byte");
}

static void parse_rejects_nul_byte_in_comment(void **state)
{
	static const char text[] = "# a\0b\n/a /i/ user\n";
	struct fx *fx = *state;

	assert_int_equal(parse_buf(fx, FILE_NAME, text, sizeof(text) - 1,
				   ISCRIPT_DIR, false),
			 -EINVAL);
	assert_int_equal(fx->conf.n_rules, 1);
	assert_int_equal(fx->conf.rules[0].line, 2);
	ASSERT_DIAGS(&fx->dl, "ns.conf:1: line contains a NUL byte");
}

/* ================= the method ================= */

static void parse_every_method_name(void **state)
{
	static const struct {
		const char *name;
		enum conf_method m;
	} methods[] = {
		{ "user", METHOD_USER },     { "context", METHOD_CONTEXT },
		{ "level", METHOD_LEVEL },   { "tmpdir", METHOD_TMPDIR },
		{ "tmpfs", METHOD_TMPFS },
	};
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ user\n/a /i/ context\n/a /i/ level\n"
					"/a /i/ tmpdir\n/a /i/ tmpfs\n"),
			 0);
	assert_int_equal(fx->conf.n_rules, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(fx->conf.rules[i].method, methods[i].m);
		assert_string_equal(conf_method_name(fx->conf.rules[i].method),
				    methods[i].name);
	}
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_method_names_are_case_sensitive(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ User\n/a /i/ TMPFS\n/a /i/ Tmpdir:create\n"),
			 -EINVAL);
	assert_no_rules(fx);
	ASSERT_DIAGS(&fx->dl,
		     "ns.conf:1: unknown method 'User' (want user, context, level, tmpdir or tmpfs)",
		     "ns.conf:2: unknown method 'TMPFS' (want user, context, level, tmpdir or tmpfs)",
		     "ns.conf:3: unknown method 'Tmpdir' (want user, context, level, tmpdir or tmpfs)");
}

static void parse_rejects_unknown_method_and_method_prefixes(void **state)
{
	struct fx *fx = *state;

	/* Flags match by prefix; the method does not. */
	assert_int_equal(parse_text(fx, "/a /i/ users\n/a /i/ use\n/a /i/ tmp:noinit\n"
					"/a /i/ polyinstantiate\n"),
			 -EINVAL);
	assert_no_rules(fx);
	ASSERT_DIAGS(&fx->dl,
		     "ns.conf:1: unknown method 'users' (want user, context, level, tmpdir or tmpfs)",
		     "ns.conf:2: unknown method 'use' (want user, context, level, tmpdir or tmpfs)",
		     "ns.conf:3: unknown method 'tmp' (want user, context, level, tmpdir or tmpfs)",
		     "ns.conf:4: unknown method 'polyinstantiate' (want user, context, level, tmpdir or tmpfs)");
}

static void parse_rejects_empty_method_field(void **state)
{
	struct fx *fx = *state;

	/* pam_namespace dereferences NULL here. */
	assert_int_equal(parse_text(fx, "/a /i/ \"\"\n/a /i/ \"\" root\n"), -EINVAL);
	assert_no_rules(fx);
	ASSERT_DIAGS(&fx->dl, "ns.conf:1: empty method field",
		     "ns.conf:2: empty method field");
}

static void parse_rejects_all_colon_method_field(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ :\n/a /i/ ::\n/a /i/ \":::\" root\n"),
			 -EINVAL);
	assert_no_rules(fx);
	ASSERT_DIAGS(&fx->dl, "ns.conf:1: empty method field",
		     "ns.conf:2: empty method field", "ns.conf:3: empty method field");
}

static void parse_method_colons_collapse(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ :user:\n/b /i/ ::tmpfs::noinit::\n"
					"/c /i/ context:::shared:\n"),
			 0);
	assert_int_equal(fx->conf.n_rules, 3);
	assert_rule_(&fx->conf.rules[0], "/a", "/i/", METHOD_USER, 0);
	assert_rule_(&fx->conf.rules[1], "/b", "/i/", METHOD_TMPFS, RULE_NOINIT);
	assert_rule_(&fx->conf.rules[2], "/c", "/i/", METHOD_CONTEXT, RULE_SHARED);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_rejects_method_field_starting_with_flag(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ :create\n/a /i/ noinit:user\n"), -EINVAL);
	assert_no_rules(fx);
	ASSERT_DIAGS(&fx->dl,
		     "ns.conf:1: unknown method 'create' (want user, context, level, tmpdir or tmpfs)",
		     "ns.conf:2: unknown method 'noinit' (want user, context, level, tmpdir or tmpfs)");
}

/* ================= method flags ================= */

static void parse_flags_noinit_and_shared(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r = parse_one(fx, "/a /i/ context:noinit:shared\n");

	assert_rule_(r, "/a", "/i/", METHOD_CONTEXT, RULE_NOINIT | RULE_SHARED);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_flags_prefix_matched_with_warnings(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r =
		parse_one(fx, "/a /i/ level:createfoo:noinitx:sharedY\n");

	assert_rule_(r, "/a", "/i/", METHOD_LEVEL,
		     RULE_CREATE | RULE_NOINIT | RULE_SHARED);
	assert_create_(r, false, 0, NULL, NULL);
	ASSERT_DIAGS(&fx->dl, "ns.conf:1: warning: method flag 'createfoo' read as 'create'",
		     "ns.conf:1: warning: method flag 'noinitx' read as 'noinit'",
		     "ns.conf:1: warning: method flag 'sharedY' read as 'shared'");
}

static void parse_iscript_prefix_without_equals_warns(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r = parse_one(fx, "/a /i/ user:iscriptX=/bin/x\n");

	assert_rule_(r, "/a", "/i/", METHOD_USER, RULE_ISCRIPT);
	assert_null(r->iscript);
	ASSERT_DIAGS(&fx->dl,
		     "ns.conf:1: warning: method flag 'iscriptX=/bin/x' read as 'iscript'");
}

static void parse_unknown_flag_warns_and_is_ignored(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r = parse_one(fx, "/a /i/ user:bogus:creat:no:Create\n");

	assert_rule_(r, "/a", "/i/", METHOD_USER, 0);
	assert_false(r->create_mode_set);
	ASSERT_DIAGS(&fx->dl, "ns.conf:1: warning: unknown method flag 'bogus': ignored",
		     "ns.conf:1: warning: unknown method flag 'creat': ignored",
		     "ns.conf:1: warning: unknown method flag 'no': ignored",
		     "ns.conf:1: warning: unknown method flag 'Create': ignored");
}

static void parse_create_prefix_with_value_ignores_value(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ user:createX=0700,root\n"
					"/b /i/ user:create=0700,root:created\n"),
			 0);
	assert_int_equal(fx->conf.n_rules, 2);
	assert_create_(&fx->conf.rules[0], false, 0, NULL, NULL);
	/* The prefixed flag is a plain "create": back to the defaults. */
	assert_create_(&fx->conf.rules[1], false, 0, NULL, NULL);
	ASSERT_DIAGS(&fx->dl,
		     "ns.conf:1: warning: method flag 'createX=0700,root' read as 'create'",
		     "ns.conf:2: warning: method flag 'created' read as 'create'");
}

/* ================= create= ================= */

static void parse_create_without_value_sets_defaults(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r = parse_one(fx, "/a /i/ tmpdir:create\n");

	assert_rule_(r, "/a", "/i/", METHOD_TMPDIR, RULE_CREATE);
	assert_create_(r, false, 0, NULL, NULL);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_create_with_all_parts(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r =
		parse_one(fx, "/a /i/ user:create=0750,alice,staff:noinit\n");

	assert_rule_(r, "/a", "/i/", METHOD_USER, RULE_CREATE | RULE_NOINIT);
	assert_create_(r, true, 0750, "alice", "staff");
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_create_with_some_parts_empty(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ user:create=0700\n"
					"/a /i/ user:create=,alice\n"
					"/a /i/ user:create=,,staff\n"
					"/a /i/ user:create=0700,,staff\n"
					"/a /i/ user:create=0700,\n"
					"/a /i/ user:create=\n"
					"/a /i/ user:create=,,\n"
					"/a /i/ user:create=,alice,\n"),
			 0);
	assert_int_equal(fx->conf.n_rules, 8);
	assert_create_(&fx->conf.rules[0], true, 0700, NULL, NULL);
	assert_create_(&fx->conf.rules[1], false, 0, "alice", NULL);
	assert_create_(&fx->conf.rules[2], false, 0, NULL, "staff");
	assert_create_(&fx->conf.rules[3], true, 0700, NULL, "staff");
	assert_create_(&fx->conf.rules[4], true, 0700, NULL, NULL);
	assert_create_(&fx->conf.rules[5], false, 0, NULL, NULL);
	assert_create_(&fx->conf.rules[6], false, 0, NULL, NULL);
	assert_create_(&fx->conf.rules[7], false, 0, "alice", NULL);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_create_mode_octal_hex_decimal(void **state)
{
	static const struct {
		const char *text;
		mode_t mode;
	} modes[] = {
		{ "0700", 0700 }, { "0x1c0", 0700 }, { "0X1C0", 0700 },
		{ "448", 0700 },  { "0", 0 },	     { "00", 0 },
		{ "07777", 07777 }, { "0xfff", 07777 }, { "0xFfF", 07777 },
		{ "4095", 07777 }, { "1", 1 },	     { "0x0", 0 },
		{ "01777", 01777 }, { "19", 19 },
	};
	struct fx *fx = *state;
	const size_t n = sizeof(modes) / sizeof(modes[0]);

	for (size_t i = 0; i < n; i++)
		assert_int_equal(parse_text(fx, fx_printf(fx, "/a /i/ user:create=%s\n",
							  modes[i].text)),
				 0);
	assert_int_equal(fx->conf.n_rules, n);
	for (size_t i = 0; i < n; i++)
		assert_create_(&fx->conf.rules[i], true, modes[i].mode, NULL, NULL);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_create_warns_on_decimal_mode_that_looks_octal(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ user:create=755\n"
					"/b /i/ user:create=700,alice\n"
					"/c /i/ user:create=10\n"
					"/d /i/ user:create=448\n"),
			 0);
	assert_int_equal(fx->conf.n_rules, 4);
	/* Still read as decimal, as strtoul(..., 0) does. */
	assert_create_(&fx->conf.rules[0], true, 755, NULL, NULL);
	assert_create_(&fx->conf.rules[1], true, 700, "alice", NULL);
	assert_create_(&fx->conf.rules[2], true, 10, NULL, NULL);
	assert_create_(&fx->conf.rules[3], true, 448, NULL, NULL);
	ASSERT_DIAGS(&fx->dl,
		     "ns.conf:1: warning: create mode '755' is decimal (octal 01363); "
		     "write it with a leading 0 for octal",
		     "ns.conf:2: warning: create mode '700' is decimal (octal 01274); "
		     "write it with a leading 0 for octal");
}

static void parse_create_rejects_garbage_mode(void **state)
{
	struct fx *fx = *state;

	/* pam_namespace would quietly use mode 0 for each of these. */
	assert_int_equal(parse_text(fx, "/a /i/ user:create=rwx\n"
					"/a /i/ user:create=0x\n"
					"/a /i/ user:create=08\n"
					"/a /i/ user:create=-1\n"
					"/a /i/ user:create=+0700\n"
					"/a /i/ user:create=u+rwx,alice\n"),
			 -EINVAL);
	assert_no_rules(fx);
	ASSERT_DIAGS(&fx->dl,
		     "ns.conf:1: 'create=rwx': create mode 'rwx' is not a number",
		     "ns.conf:2: 'create=0x': create mode '0x' is not a number",
		     "ns.conf:3: 'create=08': create mode '08' is not a number",
		     "ns.conf:4: 'create=-1': create mode '-1' is not a number",
		     "ns.conf:5: 'create=+0700': create mode '+0700' is not a number",
		     "ns.conf:6: 'create=u+rwx,alice': create mode 'u+rwx' is not a number");
}

static void parse_create_rejects_trailing_garbage_in_mode(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ user:create=0700x,alice\n"
					"/a /i/ user:create=448abc\n"
					"/a /i/ user:create=0x1c0g,,staff\n"
					"/a /i/ user:create=07009\n"),
			 -EINVAL);
	assert_no_rules(fx);
	ASSERT_DIAGS(&fx->dl,
		     "ns.conf:1: 'create=0700x,alice': create mode '0700x' is not a number",
		     "ns.conf:2: 'create=448abc': create mode '448abc' is not a number",
		     "ns.conf:3: 'create=0x1c0g,,staff': create mode '0x1c0g' is not a number",
		     "ns.conf:4: 'create=07009': create mode '07009' is not a number");
}

static void parse_create_rejects_mode_above_07777(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ user:create=010000\n"
					"/a /i/ user:create=4096\n"
					"/a /i/ user:create=0x1000,alice\n"
					"/a /i/ user:create=99999999999999999999999999\n"),
			 -EINVAL);
	assert_no_rules(fx);
	ASSERT_DIAGS(&fx->dl, "ns.conf:1: 'create=010000': create mode is above 07777",
		     "ns.conf:2: 'create=4096': create mode is above 07777",
		     "ns.conf:3: 'create=0x1000,alice': create mode is above 07777",
		     "ns.conf:4: 'create=99999999999999999999999999': create mode is above 07777");
}

static void parse_create_rejects_more_than_three_parts(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ user:create=0700,alice,staff,x\n"
					"/a /i/ user:create=,,,\n"),
			 -EINVAL);
	assert_no_rules(fx);
	ASSERT_DIAGS(&fx->dl,
		     "ns.conf:1: 'create=0700,alice,staff,x': create= takes at most mode,owner,group",
		     "ns.conf:2: 'create=,,,': create= takes at most mode,owner,group");
}

static void parse_repeated_create_resets_mode_owner_group(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ user:create=0700,alice,staff:create\n"
					"/b /i/ user:create=0700,alice,staff:create=,bob\n"
					"/c /i/ user:create=0700:create=0750\n"
					"/d /i/ user:create=,alice:create=0700\n"),
			 0);
	assert_int_equal(fx->conf.n_rules, 4);
	assert_create_(&fx->conf.rules[0], false, 0, NULL, NULL);
	assert_create_(&fx->conf.rules[1], false, 0, "bob", NULL);
	assert_create_(&fx->conf.rules[2], true, 0750, NULL, NULL);
	assert_create_(&fx->conf.rules[3], true, 0700, NULL, NULL);
	ASSERT_NO_DIAGS(&fx->dl);
}

/* ================= iscript= ================= */

static void parse_iscript_absolute_path(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r =
		parse_one(fx, "/a /i/ user:iscript=/usr/local/sbin/ns.init\n");

	assert_rule_(r, "/a", "/i/", METHOD_USER, RULE_ISCRIPT);
	assert_string_equal(r->iscript, "/usr/local/sbin/ns.init");
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_iscript_relative_path_joined_to_iscript_dir(void **state)
{
	struct fx *fx = *state;
	const char *text = "/a /i/ user:iscript=my.init\n/b /i/ user:iscript=sub/x.sh\n";

	assert_int_equal(parse_text(fx, text), 0);
	assert_int_equal(parse_buf(fx, "other.conf", text, strlen(text),
				   "/usr/share/pam/security/namespace.d", false),
			 0);
	assert_int_equal(fx->conf.n_rules, 4);
	assert_string_equal(fx->conf.rules[0].iscript,
			    "/etc/security/namespace.d/my.init");
	assert_string_equal(fx->conf.rules[1].iscript,
			    "/etc/security/namespace.d/sub/x.sh");
	assert_string_equal(fx->conf.rules[2].iscript,
			    "/usr/share/pam/security/namespace.d/my.init");
	assert_string_equal(fx->conf.rules[3].iscript,
			    "/usr/share/pam/security/namespace.d/sub/x.sh");
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_iscript_empty_or_without_equals_uses_default(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ user:iscript\n/b /i/ user:iscript=\n"), 0);
	assert_int_equal(fx->conf.n_rules, 2);
	assert_rule_(&fx->conf.rules[0], "/a", "/i/", METHOD_USER, RULE_ISCRIPT);
	assert_null(fx->conf.rules[0].iscript);
	assert_rule_(&fx->conf.rules[1], "/b", "/i/", METHOD_USER, RULE_ISCRIPT);
	assert_null(fx->conf.rules[1].iscript);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_repeated_iscript_last_path_wins(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ user:iscript=/first:iscript=second\n"
					"/b /i/ user:iscript=/first:iscript\n"
					"/c /i/ user:iscript=/first:iscript=\n"),
			 0);
	assert_int_equal(fx->conf.n_rules, 3);
	assert_string_equal(fx->conf.rules[0].iscript,
			    "/etc/security/namespace.d/second");
	/* A bare "iscript" or an empty path sets the flag and leaves the path
	 * alone, as pam_namespace's parse_iscript_params does. */
	assert_string_equal(fx->conf.rules[1].iscript, "/first");
	assert_string_equal(fx->conf.rules[2].iscript, "/first");
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_iscript_path_length_limit(void **state)
{
	struct fx *fx = *state;
	char *ok = fx_printf(fx, "/%s", fx_repeat(fx, 's', CONF_PATH_MAX - 2));
	char *big = fx_printf(fx, "/%s", fx_repeat(fx, 's', CONF_PATH_MAX - 1));

	assert_int_equal(strlen(ok), CONF_PATH_MAX - 1);
	assert_int_equal(parse_text(fx, fx_printf(fx, "/a /i/ user:iscript=%s\n"
						  "/b /i/ user:iscript=%s\n",
						  ok, big)),
			 -EINVAL);
	assert_int_equal(fx->conf.n_rules, 1);
	assert_string_equal(fx->conf.rules[0].iscript, ok);
	ASSERT_DIAGS(&fx->dl, "ns.conf:2: iscript path is longer than 4095 bytes");
}

static void parse_iscript_relative_path_length_limit_includes_dir(void **state)
{
	struct fx *fx = *state;
	/* ISCRIPT_DIR "/" is 26 bytes. */
	size_t room = CONF_PATH_MAX - 1 - (sizeof(ISCRIPT_DIR "/") - 1);
	char *ok = fx_repeat(fx, 'r', room);
	char *big = fx_repeat(fx, 'r', room + 1);

	assert_int_equal(parse_text(fx, fx_printf(fx, "/a /i/ user:iscript=%s\n"
						  "/b /i/ user:iscript=%s\n",
						  ok, big)),
			 -EINVAL);
	assert_int_equal(fx->conf.n_rules, 1);
	assert_int_equal(strlen(fx->conf.rules[0].iscript), CONF_PATH_MAX - 1);
	assert_string_equal(fx->conf.rules[0].iscript,
			    fx_printf(fx, "%s/%s", ISCRIPT_DIR, ok));
	ASSERT_DIAGS(&fx->dl, "ns.conf:2: iscript path is longer than 4095 bytes");
}

/* ================= mntopts= ================= */

static void parse_mntopts_splits_flags_from_data(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r = parse_one(
		fx, "/tmp x tmpfs:mntopts=size=1m,nosuid,nodev,noexec,mode=0700\n");

	assert_rule_(r, "/tmp", "x", METHOD_TMPFS, RULE_MNTOPTS);
	assert_int_equal(r->mount_flags, MS_NOSUID | MS_NODEV | MS_NOEXEC);
	assert_string_equal(r->mount_data, "size=1m,mode=0700");
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_mntopts_only_flags_leaves_data_null(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r = parse_one(fx, "/tmp x tmpfs:mntopts=nodev,nosuid\n");

	assert_int_equal(r->flags, RULE_MNTOPTS);
	assert_int_equal(r->mount_flags, MS_NODEV | MS_NOSUID);
	assert_null(r->mount_data);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_mntopts_flag_names_match_exactly(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r =
		parse_one(fx, "/tmp x tmpfs:mntopts=nosuidx,nodev2,noexe,NOEXEC\n");

	assert_int_equal(r->mount_flags, 0);
	assert_string_equal(r->mount_data, "nosuidx,nodev2,noexe,NOEXEC");
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_mntopts_skips_empty_options(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r =
		parse_one(fx, "/tmp x tmpfs:mntopts=,size=1m,,nodev,,mode=1777,\n");

	assert_int_equal(r->mount_flags, MS_NODEV);
	assert_string_equal(r->mount_data, "size=1m,mode=1777");
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_mntopts_empty_value(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r = parse_one(fx, "/tmp x tmpfs:mntopts=\n");

	assert_int_equal(r->flags, RULE_MNTOPTS);
	assert_int_equal(r->mount_flags, 0);
	assert_null(r->mount_data);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_mntopts_on_non_tmpfs_warns_and_is_ignored(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ user:mntopts=size=1m,nosuid\n"
					"/b /i/ context:mntopts=nodev\n"
					"/c /i/ level:mntopts=size=1m\n"
					"/d /i/ tmpdir:mntopts=noexec,mode=0700\n"),
			 0);
	assert_int_equal(fx->conf.n_rules, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(fx->conf.rules[i].flags, RULE_MNTOPTS);
		assert_int_equal(fx->conf.rules[i].mount_flags, 0);
		assert_null(fx->conf.rules[i].mount_data);
	}
	ASSERT_DIAGS(&fx->dl,
		     "ns.conf:1: warning: mntopts= applies only to the tmpfs method: ignored",
		     "ns.conf:2: warning: mntopts= applies only to the tmpfs method: ignored",
		     "ns.conf:3: warning: mntopts= applies only to the tmpfs method: ignored",
		     "ns.conf:4: warning: mntopts= applies only to the tmpfs method: ignored");
}

static void parse_mntopts_without_equals_warns_and_is_ignored(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a x tmpfs:mntopts\n"
					"/b x tmpfs:mntoptsX=size=1m,nodev\n"
					"/c x tmpfs:mntopts=size=1m,nodev:mntopts\n"),
			 0);
	assert_int_equal(fx->conf.n_rules, 3);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(fx->conf.rules[i].flags, RULE_MNTOPTS);
		assert_int_equal(fx->conf.rules[i].mount_flags, 0);
		assert_null(fx->conf.rules[i].mount_data);
	}
	/* A bare "mntopts" after a value leaves the value alone. */
	assert_int_equal(fx->conf.rules[2].mount_flags, MS_NODEV);
	assert_string_equal(fx->conf.rules[2].mount_data, "size=1m");
	ASSERT_DIAGS(&fx->dl,
		     "ns.conf:1: warning: method flag 'mntopts' has no '=value': ignored",
		     "ns.conf:2: warning: method flag 'mntoptsX=size=1m,nodev' has no '=value': ignored",
		     "ns.conf:3: warning: method flag 'mntopts' has no '=value': ignored");
}

static void parse_repeated_mntopts_replaces(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a x tmpfs:mntopts=size=1m,nosuid:mntopts=nodev,mode=0700\n"
					"/b x tmpfs:mntopts=size=1m,noexec:mntopts=\n"),
			 0);
	assert_int_equal(fx->conf.n_rules, 2);
	assert_int_equal(fx->conf.rules[0].mount_flags, MS_NODEV);
	assert_string_equal(fx->conf.rules[0].mount_data, "mode=0700");
	assert_int_equal(fx->conf.rules[1].mount_flags, 0);
	assert_null(fx->conf.rules[1].mount_data);
	ASSERT_NO_DIAGS(&fx->dl);
}

/* ================= list_of_uids ================= */

static void parse_user_list_tilde_sets_exclusive(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r = parse_one(fx, "/a /i/ user ~alice,bob\n");

	assert_rule_(r, "/a", "/i/", METHOD_USER, RULE_EXCLUSIVE);
	ASSERT_USERS(r, "alice", "bob");
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_user_list_tilde_alone_matches_nobody(void **state)
{
	struct fx *fx = *state;
	const struct conf_rule *r = parse_one(fx, "/a /i/ user ~\n");

	assert_rule_(r, "/a", "/i/", METHOD_USER, RULE_EXCLUSIVE);
	ASSERT_USERS(r, "");
	ASSERT_DIAGS(&fx->dl,
		     "ns.conf:1: warning: empty name in the user list matches nobody");
}

static void parse_user_list_empty_names_warn(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ user root,,adm,\n/b /i/ user \"\"\n"), 0);
	assert_int_equal(fx->conf.n_rules, 2);
	assert_int_equal(fx->conf.rules[0].flags, 0);
	ASSERT_USERS(&fx->conf.rules[0], "root", "", "adm", "");
	assert_int_equal(fx->conf.rules[1].flags, 0);
	ASSERT_USERS(&fx->conf.rules[1], "");
	ASSERT_DIAGS(&fx->dl,
		     "ns.conf:1: warning: empty name in the user list matches nobody",
		     "ns.conf:1: warning: empty name in the user list matches nobody",
		     "ns.conf:2: warning: empty name in the user list matches nobody");
}

static void parse_user_list_only_leading_tilde_is_special(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ user ~~a,~b\n/b /i/ user a~,b\n"), 0);
	assert_int_equal(fx->conf.n_rules, 2);
	assert_int_equal(fx->conf.rules[0].flags, RULE_EXCLUSIVE);
	ASSERT_USERS(&fx->conf.rules[0], "~a", "~b");
	assert_int_equal(fx->conf.rules[1].flags, 0);
	ASSERT_USERS(&fx->conf.rules[1], "a~", "b");
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_user_list_accepts_max_names(void **state)
{
	struct fx *fx = *state;
	char *names = fx_list(fx, "u", ',', CONF_MAX_USERS);

	assert_int_equal(parse_text(fx, fx_printf(fx, "/a /i/ user %s\n/b /i/ user ~%s\n",
						  names, names)),
			 0);
	assert_int_equal(fx->conf.n_rules, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct conf_rule *r = &fx->conf.rules[i];

		assert_int_equal(r->flags, i ? RULE_EXCLUSIVE : 0);
		assert_int_equal(r->n_users, CONF_MAX_USERS);
		assert_string_equal(r->users[0], "u0");
		assert_string_equal(r->users[CONF_MAX_USERS - 1], "u255");
	}
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_user_list_rejects_more_than_max_names(void **state)
{
	struct fx *fx = *state;
	char *names = fx_list(fx, "u", ',', CONF_MAX_USERS + 1);

	assert_int_equal(parse_text(fx, fx_printf(fx, "/a /i/ user %s\n/b /i/ user ~%s\n"
						  "/c /i/ user %s\n",
						  names, names,
						  fx_repeat(fx, ',', CONF_MAX_USERS))),
			 -EINVAL);
	assert_no_rules(fx);
	ASSERT_DIAGS(&fx->dl, "ns.conf:1: more than 256 names in the user list",
		     "ns.conf:2: more than 256 names in the user list",
		     "ns.conf:3: more than 256 names in the user list");
}

/* ================= path lengths ================= */

static void parse_polydir_length_limit(void **state)
{
	struct fx *fx = *state;
	char *ok = fx_printf(fx, "/%s", fx_repeat(fx, 'p', CONF_PATH_MAX - 2));
	char *big = fx_printf(fx, "/%s", fx_repeat(fx, 'p', CONF_PATH_MAX - 1));

	assert_int_equal(parse_text(fx, fx_printf(fx, "%s /i/ user\n%s /i/ user\n",
						  ok, big)),
			 -EINVAL);
	assert_int_equal(fx->conf.n_rules, 1);
	assert_string_equal(fx->conf.rules[0].polydir, ok);
	ASSERT_DIAGS(&fx->dl, "ns.conf:2: polydir is longer than 4095 bytes");
}

static void parse_instance_prefix_length_limit(void **state)
{
	struct fx *fx = *state;
	char *ok = fx_printf(fx, "/%s", fx_repeat(fx, 'p', CONF_PATH_MAX - 2));
	char *big = fx_printf(fx, "/%s", fx_repeat(fx, 'p', CONF_PATH_MAX - 1));

	assert_int_equal(parse_text(fx, fx_printf(fx, "/a %s user\n/b %s user\n",
						  ok, big)),
			 -EINVAL);
	assert_int_equal(fx->conf.n_rules, 1);
	assert_string_equal(fx->conf.rules[0].instance_prefix, ok);
	ASSERT_DIAGS(&fx->dl, "ns.conf:2: instance_prefix is longer than 4095 bytes");
}

/* ================= the rule limit ================= */

static char *rule_lines(struct fx *fx, size_t from, size_t n)
{
	size_t cap = n * 32 + 1, len = 0;
	char *s = malloc(cap);

	assert_non_null(s);
	s[0] = '\0';
	for (size_t i = from; i < from + n; i++)
		len += (size_t)snprintf(s + len, cap - len, "/p%zu /i/ user\n", i);
	return fx_keep(fx, s);
}

static void parse_accepts_max_rules(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, rule_lines(fx, 0, CONF_MAX_RULES)), 0);
	assert_int_equal(fx->conf.n_rules, CONF_MAX_RULES);
	assert_string_equal(fx->conf.rules[CONF_MAX_RULES - 1].polydir, "/p1023");
	assert_int_equal(fx->conf.rules[CONF_MAX_RULES - 1].line, CONF_MAX_RULES);
	ASSERT_NO_DIAGS(&fx->dl);
}

static void parse_rejects_more_than_max_rules_reported_once(void **state)
{
	struct fx *fx = *state;
	/* Rules 1025..1030, with a bad line among them: parsing stops at 1025. */
	char *text = fx_printf(fx, "%s/extra1 /i/ user\nbad\n%s",
			       rule_lines(fx, 0, CONF_MAX_RULES), rule_lines(fx, 0, 5));

	assert_int_equal(parse_text(fx, text), -EINVAL);
	assert_int_equal(fx->conf.n_rules, CONF_MAX_RULES);
	assert_string_equal(fx->conf.rules[CONF_MAX_RULES - 1].polydir, "/p1023");
	ASSERT_DIAGS(&fx->dl, "ns.conf:1025: more than 1024 polydir entries in all files");
}

static void parse_max_rules_counts_over_all_files(void **state)
{
	struct fx *fx = *state;
	char *first = rule_lines(fx, 0, 1000);
	char *second = fx_printf(fx, "\n%s", rule_lines(fx, 1000, 30));

	assert_int_equal(parse_buf(fx, "a.conf", first, strlen(first), ISCRIPT_DIR, false), 0);
	assert_int_equal(parse_buf(fx, "b.conf", second, strlen(second), ISCRIPT_DIR, false),
			 -EINVAL);
	assert_int_equal(fx->conf.n_rules, CONF_MAX_RULES);
	assert_string_equal(fx->conf.rules[CONF_MAX_RULES - 1].file, "b.conf");
	assert_int_equal(fx->conf.rules[CONF_MAX_RULES - 1].line, 25);
	/* Line 1 of b.conf is blank: the 25th rule there is on line 26. */
	ASSERT_DIAGS(&fx->dl, "b.conf:26: more than 1024 polydir entries in all files");
}

static void parse_max_rules_is_an_error_even_with_ignore_errors(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_ignoring(fx, rule_lines(fx, 0, CONF_MAX_RULES + 1)),
			 -EINVAL);
	assert_int_equal(fx->conf.n_rules, CONF_MAX_RULES);
	ASSERT_DIAGS(&fx->dl, "ns.conf:1025: more than 1024 polydir entries in all files");
}

/* ================= ignore_errors ================= */

/* One line per line-error path, with the message it gives. */
static void bad_lines(struct fx *fx, char **text, const char **msgs, size_t *n)
{
	const char *const fixed[][2] = {
		{ "/tmp", "missing instance_prefix and method fields" },
		{ "/tmp /i/", "missing method field" },
		{ "/a /i/ \"\"", "empty method field" },
		{ "/a /i/ ::", "empty method field" },
		{ "/a /i/ User", "unknown method 'User' (want user, context, level, tmpdir or tmpfs)" },
		{ "/a /i/ user:create=rwx", "'create=rwx': create mode 'rwx' is not a number" },
		{ "/a /i/ user:create=010000", "'create=010000': create mode is above 07777" },
		{ "/a /i/ user:create=1,a,b,c", "'create=1,a,b,c': create= takes at most mode,owner,group" },
	};
	char *t = fx_printf(fx, "/ok1 /i/ user\n");
	size_t k = 0;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		t = fx_printf(fx, "%s%s\n", t, fixed[i][0]);
		msgs[k++] = fixed[i][1];
	}
	t = fx_printf(fx, "%s/a /i/ user:iscript=/%s\n", t,
		      fx_repeat(fx, 's', CONF_PATH_MAX));
	msgs[k++] = "iscript path is longer than 4095 bytes";
	t = fx_printf(fx, "%s/a /i/ user %s\n", t, fx_repeat(fx, ',', CONF_MAX_USERS));
	msgs[k++] = "more than 256 names in the user list";
	t = fx_printf(fx, "%s/%s /i/ user\n", t, fx_repeat(fx, 'p', CONF_PATH_MAX));
	msgs[k++] = "polydir is longer than 4095 bytes";
	t = fx_printf(fx, "%s/a /%s user\n", t, fx_repeat(fx, 'p', CONF_PATH_MAX));
	msgs[k++] = "instance_prefix is longer than 4095 bytes";
	t = fx_printf(fx, "%s#%s\n", t, fx_repeat(fx, 'c', CONF_MAX_LINE));
	msgs[k++] = "line is longer than 8192 bytes";
	t = fx_printf(fx, "%s%s\n", t, fx_list(fx, "f", ' ', CONF_MAX_FIELDS + 1));
	msgs[k++] = "more than 64 fields";
	t = fx_printf(fx, "%s/ok2 /i/ tmpfs:bogus x\n", t);
	*text = t;
	*n = k;
}

static void parse_ignore_errors_turns_line_errors_into_warnings(void **state)
{
	struct fx *fx = *state;
	const char *msgs[32];
	const char *want[34];
	char *text;
	size_t n, len;

	bad_lines(fx, &text, msgs, &n);
	len = strlen(text);
	/* A NUL line goes last, so that strlen-based text stays usable. */
	text = fx_printf(fx, "%sNUL-LINE\n", text);
	memcpy(strstr(text, "NUL-LINE"), "nul\0line", 8);
	len += 9;

	assert_int_equal(parse_buf(fx, FILE_NAME, text, len, ISCRIPT_DIR, true), 0);
	for (size_t i = 0; i < n; i++)
		want[i] = fx_printf(fx, "ns.conf:%zu: warning: %s", i + 2, msgs[i]);
	want[n] = fx_printf(fx, "ns.conf:%zu: warning: unknown method flag 'bogus': ignored",
			    n + 2);
	want[n + 1] = fx_printf(fx, "ns.conf:%zu: warning: line contains a NUL byte", n + 3);
	want[n + 2] = NULL;
	assert_diags_(&fx->dl, want);
	assert_int_equal(fx->dl.n_errors, 0);
	assert_int_equal(fx->conf.n_rules, 2);
	assert_string_equal(fx->conf.rules[0].polydir, "/ok1");
	assert_int_equal(fx->conf.rules[0].line, 1);
	assert_string_equal(fx->conf.rules[1].polydir, "/ok2");
	assert_int_equal(fx->conf.rules[1].line, n + 2);
}

static void parse_without_ignore_errors_reports_every_bad_line(void **state)
{
	struct fx *fx = *state;
	const char *msgs[32];
	const char *want[34];
	char *text;
	size_t n;

	bad_lines(fx, &text, msgs, &n);
	assert_int_equal(parse_text(fx, text), -EINVAL);
	for (size_t i = 0; i < n; i++)
		want[i] = fx_printf(fx, "ns.conf:%zu: %s", i + 2, msgs[i]);
	want[n] = fx_printf(fx, "ns.conf:%zu: warning: unknown method flag 'bogus': ignored",
			    n + 2);
	want[n + 1] = NULL;
	assert_diags_(&fx->dl, want);
	assert_int_equal(fx->dl.n_errors, n);
	assert_int_equal(fx->conf.n_rules, 2);
	assert_string_equal(fx->conf.rules[1].polydir, "/ok2");
}

static void parse_ignore_errors_keeps_warnings_of_a_skipped_line(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_ignoring(fx, "/a /i/ user:bogus:create=rwx root extra\n"), 0);
	assert_no_rules(fx);
	ASSERT_DIAGS(&fx->dl,
		     "ns.conf:1: warning: 1 extra fields after list_of_uids ignored",
		     "ns.conf:1: warning: unknown method flag 'bogus': ignored",
		     "ns.conf:1: warning: 'create=rwx': create mode 'rwx' is not a number");
}

/* ================= several files ================= */

static void parse_multiple_files_append_into_one_conf(void **state)
{
	struct fx *fx = *state;
	const char *main_text = "/tmp /tmp-inst/ user root\n$HOME $HOME/.inst/ level\n";
	const char *dropin = "\n/var/tmp /var/tmp/inst/ tmpdir:iscript=x.sh\n/bad /i/\n";

	assert_int_equal(parse_buf(fx, "/etc/security/namespace.conf", main_text,
				   strlen(main_text), "/dir/one", false),
			 0);
	assert_int_equal(parse_buf(fx, "/etc/security/namespace.d/a.conf", dropin,
				   strlen(dropin), "/dir/two", false),
			 -EINVAL);
	assert_int_equal(fx->conf.n_files, 2);
	assert_string_equal(fx->conf.files[0], "/etc/security/namespace.conf");
	assert_string_equal(fx->conf.files[1], "/etc/security/namespace.d/a.conf");
	assert_int_equal(fx->conf.n_rules, 3);
	assert_ptr_equal(fx->conf.rules[0].file, fx->conf.files[0]);
	assert_int_equal(fx->conf.rules[0].line, 1);
	assert_ptr_equal(fx->conf.rules[1].file, fx->conf.files[0]);
	assert_int_equal(fx->conf.rules[1].line, 2);
	assert_ptr_equal(fx->conf.rules[2].file, fx->conf.files[1]);
	assert_int_equal(fx->conf.rules[2].line, 2);
	assert_string_equal(fx->conf.rules[2].iscript, "/dir/two/x.sh");
	ASSERT_DIAGS(&fx->dl, "/etc/security/namespace.d/a.conf:3: missing method field");
}

static void parse_copies_file_name(void **state)
{
	struct fx *fx = *state;
	char name[] = "x.conf";

	assert_int_equal(parse_buf(fx, name, "/a /i/ user\nbad\n", 16, ISCRIPT_DIR, false),
			 -EINVAL);
	name[0] = 'y';
	assert_int_equal(fx->conf.n_files, 1);
	assert_ptr_not_equal(fx->conf.files[0], name);
	assert_string_equal(fx->conf.files[0], "x.conf");
	assert_string_equal(fx->conf.rules[0].file, "x.conf");
	ASSERT_DIAGS(&fx->dl, "x.conf:2: missing instance_prefix and method fields");
}

static void parse_file_with_only_errors_still_listed(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_buf(fx, "a.conf", "/a /i/ user\n", 12, ISCRIPT_DIR, false), 0);
	assert_int_equal(parse_buf(fx, "b.conf", "bad\n", 4, ISCRIPT_DIR, false), -EINVAL);
	assert_int_equal(parse_buf(fx, "c.conf", "/c /i/ user", 11, ISCRIPT_DIR, false), 0);
	assert_int_equal(fx->conf.n_files, 3);
	assert_string_equal(fx->conf.files[1], "b.conf");
	assert_int_equal(fx->conf.n_rules, 2);
	assert_string_equal(fx->conf.rules[1].file, "c.conf");
	assert_int_equal(fx->conf.rules[1].line, 1);
	ASSERT_DIAGS(&fx->dl, "b.conf:1: missing instance_prefix and method fields");
}

/* ================= conf_method_name, conf_free ================= */

static void method_name_of_every_method(void **state)
{
	(void)state;
	assert_string_equal(conf_method_name(METHOD_USER), "user");
	assert_string_equal(conf_method_name(METHOD_CONTEXT), "context");
	assert_string_equal(conf_method_name(METHOD_LEVEL), "level");
	assert_string_equal(conf_method_name(METHOD_TMPDIR), "tmpdir");
	assert_string_equal(conf_method_name(METHOD_TMPFS), "tmpfs");
}

static void method_name_of_invalid_value_is_null(void **state)
{
	(void)state;
	assert_null(conf_method_name((enum conf_method)0));
	assert_null(conf_method_name((enum conf_method)(METHOD_TMPFS + 1)));
	assert_null(conf_method_name((enum conf_method)-1));
	assert_null(conf_method_name((enum conf_method)1000));
}

static void conf_free_releases_everything_and_zeroes(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(parse_text(fx, "/a /i/ user:create=0700,alice,staff:iscript=x ~root,adm\n"
					"/b x tmpfs:mntopts=size=1m,nodev:iscript=/y\n"),
			 0);
	assert_int_equal(parse_text(fx, "/c /i/ level:shared\n"), 0);
	assert_int_equal(fx->conf.n_rules, 3);
	conf_free(&fx->conf);
	assert_null(fx->conf.rules);
	assert_int_equal(fx->conf.n_rules, 0);
	assert_null(fx->conf.files);
	assert_int_equal(fx->conf.n_files, 0);
	/* Idempotent, and the struct can be reused. */
	conf_free(&fx->conf);
	assert_int_equal(parse_text(fx, "/d /i/ user\n"), 0);
	assert_int_equal(fx->conf.n_rules, 1);
	assert_int_equal(fx->conf.n_files, 1);
}

static void conf_free_of_empty_conf_is_a_noop(void **state)
{
	struct conf c = { 0 };

	(void)state;
	conf_free(&c);
	assert_null(c.rules);
	assert_null(c.files);
	assert_int_equal(c.n_rules, 0);
	assert_int_equal(c.n_files, 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(parse_minimal_rule_has_defaults),
		T(parse_rule_keeps_fields_as_written),
		T(parse_skips_blank_and_comment_lines_keeping_line_numbers),
		T(parse_skips_leading_blanks_before_polydir),
		T(parse_all_blank_bytes_separate_fields),
		T(parse_crlf_lines),
		T(parse_last_line_without_newline),
		T(parse_last_line_without_newline_reports_its_line),
		T(parse_embedded_empty_lines_count_as_lines),
		T(parse_empty_buffer_adds_file_and_no_rules),
		T(parse_buffer_of_blank_and_comment_lines_gives_no_rules),
		T(parse_quoted_and_escaped_fields),
		T(parse_escaped_comma_still_splits_user_list),
		T(parse_hash_inside_quotes_leaves_one_field_error),
		T(parse_rejects_one_field),
		T(parse_rejects_two_fields),
		T(parse_warns_on_extra_fields),
		T(parse_accepts_max_fields_with_extra_field_warning),
		T(parse_rejects_more_than_max_fields),
		T(parse_bad_line_adds_no_rule_and_parsing_continues),
		T(parse_line_error_after_flag_values_adds_no_rule),
		T(parse_accepts_line_of_max_length),
		T(parse_rejects_line_longer_than_max),
		T(parse_rejects_nul_byte_in_line),
		T(parse_rejects_nul_byte_in_comment),
		T(parse_every_method_name),
		T(parse_method_names_are_case_sensitive),
		T(parse_rejects_unknown_method_and_method_prefixes),
		T(parse_rejects_empty_method_field),
		T(parse_rejects_all_colon_method_field),
		T(parse_method_colons_collapse),
		T(parse_rejects_method_field_starting_with_flag),
		T(parse_flags_noinit_and_shared),
		T(parse_flags_prefix_matched_with_warnings),
		T(parse_iscript_prefix_without_equals_warns),
		T(parse_unknown_flag_warns_and_is_ignored),
		T(parse_create_prefix_with_value_ignores_value),
		T(parse_create_without_value_sets_defaults),
		T(parse_create_with_all_parts),
		T(parse_create_with_some_parts_empty),
		T(parse_create_mode_octal_hex_decimal),
		T(parse_create_warns_on_decimal_mode_that_looks_octal),
		T(parse_create_rejects_garbage_mode),
		T(parse_create_rejects_trailing_garbage_in_mode),
		T(parse_create_rejects_mode_above_07777),
		T(parse_create_rejects_more_than_three_parts),
		T(parse_repeated_create_resets_mode_owner_group),
		T(parse_iscript_absolute_path),
		T(parse_iscript_relative_path_joined_to_iscript_dir),
		T(parse_iscript_empty_or_without_equals_uses_default),
		T(parse_repeated_iscript_last_path_wins),
		T(parse_iscript_path_length_limit),
		T(parse_iscript_relative_path_length_limit_includes_dir),
		T(parse_mntopts_splits_flags_from_data),
		T(parse_mntopts_only_flags_leaves_data_null),
		T(parse_mntopts_flag_names_match_exactly),
		T(parse_mntopts_skips_empty_options),
		T(parse_mntopts_empty_value),
		T(parse_mntopts_on_non_tmpfs_warns_and_is_ignored),
		T(parse_mntopts_without_equals_warns_and_is_ignored),
		T(parse_repeated_mntopts_replaces),
		T(parse_user_list_tilde_sets_exclusive),
		T(parse_user_list_tilde_alone_matches_nobody),
		T(parse_user_list_empty_names_warn),
		T(parse_user_list_only_leading_tilde_is_special),
		T(parse_user_list_accepts_max_names),
		T(parse_user_list_rejects_more_than_max_names),
		T(parse_polydir_length_limit),
		T(parse_instance_prefix_length_limit),
		T(parse_accepts_max_rules),
		T(parse_rejects_more_than_max_rules_reported_once),
		T(parse_max_rules_counts_over_all_files),
		T(parse_max_rules_is_an_error_even_with_ignore_errors),
		T(parse_ignore_errors_turns_line_errors_into_warnings),
		T(parse_without_ignore_errors_reports_every_bad_line),
		T(parse_ignore_errors_keeps_warnings_of_a_skipped_line),
		T(parse_multiple_files_append_into_one_conf),
		T(parse_copies_file_name),
		T(parse_file_with_only_errors_still_listed),
		T(method_name_of_every_method),
		T(method_name_of_invalid_value_is_null),
		T(conf_free_releases_everything_and_zeroes),
		T(conf_free_of_empty_conf_is_a_noop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
