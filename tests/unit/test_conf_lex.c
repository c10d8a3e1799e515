/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * conf_split_fields: one namespace.conf line into fields, as pam_namespace's
 * process_line + argv_parse do it (spec section 1.2).
 *
 * Every line is copied into a buffer of exactly its length, without a
 * terminating NUL, so that ASan catches any read past `len`; the copy is freed
 * before the fields are checked, so fields pointing into the input would be
 * caught as a use-after-free.
 */
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
#include "conf_lex.h"

static int fields_setup(void **state)
{
	struct conf_fields *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	*state = f;
	return 0;
}

static int fields_teardown(void **state)
{
	struct conf_fields *f = *state;

	conf_fields_free(f);
	free(f);
	return 0;
}

/* Split line[0..len) from an exact-size copy; returns conf_split_fields' value. */
static int split_copy(struct conf_fields *f, const char *line, size_t len)
{
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, line, len);
	r = conf_split_fields(copy, len, f);
	free(copy);
	return r;
}

static void assert_fields_in_storage(const struct conf_fields *f, size_t len)
{
	uintptr_t lo = (uintptr_t)f->storage, hi = lo + len + 1;

	assert_non_null(f->storage);
	for (size_t i = 0; i < f->n; i++) {
		uintptr_t p = (uintptr_t)f->v[i];

		assert_true(p >= lo);
		assert_true(p + strlen(f->v[i]) < hi);
		if (i > 0) /* in order, not overlapping */
			assert_true(p > (uintptr_t)f->v[i - 1] + strlen(f->v[i - 1]));
	}
}

/* want: expected fields, NULL-terminated.  Frees the fields when they match. */
static void expect_fields_(struct conf_fields *f, const char *line, size_t len,
			   const char *const *want)
{
	size_t n = 0;

	while (want[n])
		n++;
	assert_int_equal(split_copy(f, line, len), 0);
	if (f->n != n) {
		for (size_t i = 0; i < f->n; i++)
			print_error("field %zu: \"%s\"\n", i, f->v[i]);
	}
	assert_int_equal(f->n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(f->v[i], want[i]);
	assert_fields_in_storage(f, len);
	conf_fields_free(f);
}

/* line must be a string literal: its length is taken with sizeof. */
#define EXPECT_FIELDS(f, line, ...)                                            \
	expect_fields_((f), (line), sizeof(line) - 1,                          \
		       (const char *const[]){ __VA_ARGS__, NULL })
#define EXPECT_NO_FIELDS(f, line) EXPECT_FIELDS(f, line, NULL)

/* "f0 f1 ... f(n-1)" followed by tail. */
static char *numbered_fields(size_t n, const char *tail)
{
	size_t cap = n * 6 + strlen(tail) + 1, len = 0;
	char *s = malloc(cap);

	assert_non_null(s);
	s[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "%sf%zu", i ? " " : "", i);
	snprintf(s + len, cap - len, "%s", tail);
	return s;
}

/* ---- plain splitting ---- */

static void split_three_plain_fields(void **state)
{
	EXPECT_FIELDS(*state, "/tmp /tmp-inst/ user", "/tmp", "/tmp-inst/", "user");
}

static void split_four_fields_with_user_list(void **state)
{
	EXPECT_FIELDS(*state, "$HOME $HOME/.inst/ level:create root,adm", "$HOME",
		      "$HOME/.inst/", "level:create", "root,adm");
}

static void split_storage_holds_fields_nul_separated(void **state)
{
	struct conf_fields *f = *state;

	assert_int_equal(split_copy(f, "ab  cd", 6), 0);
	assert_int_equal(f->n, 2);
	assert_ptr_equal(f->v[0], f->storage);
	assert_memory_equal(f->storage, "ab\0cd", 6);
	assert_ptr_equal(f->v[1], f->storage + 3);
}

static void split_empty_line_gives_no_fields(void **state)
{
	struct conf_fields *f = *state;

	assert_int_equal(split_copy(f, "", 0), 0);
	assert_int_equal(f->n, 0);
	assert_non_null(f->storage); /* still allocated: the caller frees it */
	assert_null(f->v[0]);
}

static void split_blank_only_line_gives_no_fields(void **state)
{
	EXPECT_NO_FIELDS(*state, " ");
	EXPECT_NO_FIELDS(*state, " \t\v\f\r\n \t");
}

static void split_comment_only_line_gives_no_fields(void **state)
{
	EXPECT_NO_FIELDS(*state, "#");
	EXPECT_NO_FIELDS(*state, "# /tmp /tmp-inst/ user");
	EXPECT_NO_FIELDS(*state, "  \t# indented comment");
	EXPECT_NO_FIELDS(*state, "#\"unterminated quote in a comment");
}

static void split_skips_leading_blanks(void **state)
{
	EXPECT_FIELDS(*state, "   /tmp /i/ user", "/tmp", "/i/", "user");
	EXPECT_FIELDS(*state, "\t\v\f\r /tmp /i/ user", "/tmp", "/i/", "user");
}

static void split_trailing_blanks_add_no_field(void **state)
{
	EXPECT_FIELDS(*state, "a b   \t", "a", "b");
}

/* ---- the blanks: isspace() in the C locale ---- */

static void split_each_blank_byte_separates_fields(void **state)
{
	static const char blanks[] = { ' ', '\t', '\n', '\v', '\f', '\r' };

	for (size_t i = 0; i < sizeof(blanks); i++) {
		char line[] = { 'a', 'b', blanks[i], 'c', 'd' };

		expect_fields_(*state, line, sizeof(line),
			       (const char *const[]){ "ab", "cd", NULL });
		assert_true(conf_is_blank(blanks[i]));
	}
}

static void split_run_of_mixed_blanks_is_one_separator(void **state)
{
	EXPECT_FIELDS(*state, "a \t\v\f\r\n b", "a", "b");
}

static void split_non_blank_bytes_do_not_separate(void **state)
{
	/* NBSP, NEL, backspace and other controls are not C-locale blanks. */
	EXPECT_FIELDS(*state, "a\xa0" "b c\x85" "d e\bf g\x1fh", "a\xa0" "b",
		      "c\x85" "d", "e\bf", "g\x1fh");
	assert_false(conf_is_blank('\0'));
	assert_false(conf_is_blank('\b'));
	assert_false(conf_is_blank((char)0xa0));
}

static void split_crlf_line_drops_the_cr(void **state)
{
	EXPECT_FIELDS(*state, "/tmp /tmp-inst/ user root\r", "/tmp", "/tmp-inst/",
		      "user", "root");
	EXPECT_NO_FIELDS(*state, "\r");
	EXPECT_NO_FIELDS(*state, "# comment\r");
}

static void split_backslash_before_crlf_escapes_the_cr(void **state)
{
	/* argv_parse sees "...\\\r" once the newline is gone: \r is escaped. */
	EXPECT_FIELDS(*state, "a b\\\r", "a", "b\r");
}

/* ---- '#' ---- */

static void split_hash_truncates_line(void **state)
{
	EXPECT_FIELDS(*state, "/tmp /i/ user # root,adm", "/tmp", "/i/", "user");
	EXPECT_FIELDS(*state, "/tmp /i/ user#root", "/tmp", "/i/", "user");
	EXPECT_FIELDS(*state, "/tmp /i/ us#er root", "/tmp", "/i/", "us");
}

static void split_hash_inside_quotes_truncates_line(void **state)
{
	/* The spec's example: the quote is left unterminated, one field. */
	EXPECT_FIELDS(*state, "\"/srv/p#x\" /inst/ user", "/srv/p");
	EXPECT_FIELDS(*state, "a \"b # c\" d", "a", "b ");
}

static void split_escaped_hash_still_truncates_line(void **state)
{
	/* '#' cannot be escaped: the backslash becomes a trailing lone one. */
	EXPECT_FIELDS(*state, "a\\#b c", "a\\");
	EXPECT_FIELDS(*state, "x \\#", "x", "\\");
}

static void split_fields_after_hash_are_not_counted(void **state)
{
	char *line = numbered_fields(CONF_MAX_FIELDS, " # x y z");
	struct conf_fields *f = *state;

	assert_int_equal(split_copy(f, line, strlen(line)), 0);
	assert_int_equal(f->n, CONF_MAX_FIELDS);
	assert_string_equal(f->v[CONF_MAX_FIELDS - 1], "f63");
	free(line);
}

/* ---- quotes ---- */

static void split_quotes_mid_token_join(void **state)
{
	EXPECT_FIELDS(*state, "a\"b c\"d", "ab cd");
	EXPECT_FIELDS(*state, "x a\"b c\"d y", "x", "ab cd", "y");
	EXPECT_FIELDS(*state, "\"a\"\"b\"c", "abc");
}

static void split_quotes_keep_blanks_literal(void **state)
{
	EXPECT_FIELDS(*state, "\"/srv/a b\" \"x\ty\v\f\rz\"", "/srv/a b",
		      "x\ty\v\f\rz");
}

static void split_empty_quotes_give_empty_field(void **state)
{
	EXPECT_FIELDS(*state, "\"\"", "");
	EXPECT_FIELDS(*state, "a \"\" b", "a", "", "b");
	EXPECT_FIELDS(*state, "a b \"\"", "a", "b", "");
	EXPECT_FIELDS(*state, "a \"\"\"\" b", "a", "", "b");
}

static void split_unterminated_quote_runs_to_end_of_line(void **state)
{
	EXPECT_FIELDS(*state, "a \"b c  ", "a", "b c  ");
	EXPECT_FIELDS(*state, "a b\"", "a", "b");
	EXPECT_FIELDS(*state, "\"", "");
}

static void split_backslash_inside_quotes_is_literal(void **state)
{
	EXPECT_FIELDS(*state, "\"a\\nb\\\\\"", "a\\nb\\\\");
	/* \" inside quotes: the backslash is kept and the quote ends. */
	EXPECT_FIELDS(*state, "\"a\\\"b c\"", "a\\b", "c");
}

static void split_escaped_quote_does_not_start_quoting(void **state)
{
	EXPECT_FIELDS(*state, "\\\"a b\\\"", "\"a", "b\"");
}

/* ---- backslash escapes ---- */

static void split_escape_n_t_b(void **state)
{
	EXPECT_FIELDS(*state, "a\\nb c\\td e\\bf", "a\nb", "c\td", "e\bf");
	EXPECT_FIELDS(*state, "\\n\\t\\b", "\n\t\b");
}

static void split_escape_other_bytes_stand_for_themselves(void **state)
{
	EXPECT_FIELDS(*state, "\\\\ \\\" a\\ b \\x \\r \\0 \\\xff", "\\", "\"",
		      "a b", "x", "r", "0", "\xff");
}

static void split_escaped_blank_joins_or_starts_field(void **state)
{
	EXPECT_FIELDS(*state, "\\  a", " ", "a");
	EXPECT_FIELDS(*state, "\\ a", " a");
	EXPECT_FIELDS(*state, "a\\\tb c", "a\tb", "c");
	EXPECT_FIELDS(*state, "/srv/my\\ dir /i/", "/srv/my dir", "/i/");
}

static void split_trailing_lone_backslash_is_kept(void **state)
{
	EXPECT_FIELDS(*state, "a b\\", "a", "b\\");
	EXPECT_FIELDS(*state, "a \\", "a", "\\");
	EXPECT_FIELDS(*state, "\\", "\\");
	/* An even number of backslashes: all escaped, none left over. */
	EXPECT_FIELDS(*state, "a\\\\", "a\\");
	EXPECT_FIELDS(*state, "a\\\\\\", "a\\\\");
}

/* ---- limits and the caller's buffer ---- */

static void split_accepts_max_fields(void **state)
{
	char *line = numbered_fields(CONF_MAX_FIELDS, "");
	struct conf_fields *f = *state;

	assert_int_equal(split_copy(f, line, strlen(line)), 0);
	assert_int_equal(f->n, CONF_MAX_FIELDS);
	for (size_t i = 0; i < CONF_MAX_FIELDS; i++) {
		char want[16];

		snprintf(want, sizeof(want), "f%zu", i);
		assert_string_equal(f->v[i], want);
	}
	assert_fields_in_storage(f, strlen(line));
	free(line);
}

static void split_rejects_more_than_max_fields(void **state)
{
	char *line = numbered_fields(CONF_MAX_FIELDS + 1, "");
	struct conf_fields *f = *state;

	assert_int_equal(split_copy(f, line, strlen(line)), -E2BIG);
	/* Nothing is left to free or to use. */
	assert_null(f->storage);
	assert_int_equal(f->n, 0);
	assert_null(f->v[0]);
	free(line);
}

static void split_max_fields_counts_empty_quoted_fields(void **state)
{
	struct conf_fields *f = *state;
	size_t len = 0;
	char line[3 * (CONF_MAX_FIELDS + 1)];

	for (size_t i = 0; i <= CONF_MAX_FIELDS; i++) {
		memcpy(line + len, "\"\" ", 3);
		len += 3;
	}
	assert_int_equal(split_copy(f, line, len), -E2BIG);
	assert_int_equal(split_copy(f, line, len - 3), 0);
	assert_int_equal(f->n, CONF_MAX_FIELDS);
	assert_string_equal(f->v[CONF_MAX_FIELDS - 1], "");
}

static void split_reads_only_len_bytes(void **state)
{
	struct conf_fields *f = *state;
	const char *line = "abc def#ghi jkl";

	/* Only the first 5 bytes count: no '#' and no third field. */
	assert_int_equal(split_copy(f, line, 5), 0);
	assert_int_equal(f->n, 2);
	assert_string_equal(f->v[0], "abc");
	assert_string_equal(f->v[1], "d");
	conf_fields_free(f);
	/* A backslash at len - 1 is a trailing lone one, whatever follows. */
	assert_int_equal(split_copy(f, "ab\\n", 3), 0);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->v[0], "ab\\");
}

static void split_does_not_modify_the_line(void **state)
{
	struct conf_fields *f = *state;
	char line[] = "a\"b c\"d \\n x#y";
	char orig[sizeof(line)];

	memcpy(orig, line, sizeof(line));
	assert_int_equal(conf_split_fields(line, sizeof(line) - 1, f), 0);
	assert_int_equal(f->n, 3);
	assert_memory_equal(line, orig, sizeof(line));
}

static void split_fields_free_resets_and_is_idempotent(void **state)
{
	struct conf_fields *f = *state;

	assert_int_equal(split_copy(f, "a b c", 5), 0);
	assert_int_equal(f->n, 3);
	conf_fields_free(f);
	assert_null(f->storage);
	assert_int_equal(f->n, 0);
	assert_null(f->v[0]);
	conf_fields_free(f);
	assert_null(f->storage);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fields_setup, fields_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(split_three_plain_fields),
		T(split_four_fields_with_user_list),
		T(split_storage_holds_fields_nul_separated),
		T(split_empty_line_gives_no_fields),
		T(split_blank_only_line_gives_no_fields),
		T(split_comment_only_line_gives_no_fields),
		T(split_skips_leading_blanks),
		T(split_trailing_blanks_add_no_field),
		T(split_each_blank_byte_separates_fields),
		T(split_run_of_mixed_blanks_is_one_separator),
		T(split_non_blank_bytes_do_not_separate),
		T(split_crlf_line_drops_the_cr),
		T(split_backslash_before_crlf_escapes_the_cr),
		T(split_hash_truncates_line),
		T(split_hash_inside_quotes_truncates_line),
		T(split_escaped_hash_still_truncates_line),
		T(split_fields_after_hash_are_not_counted),
		T(split_quotes_mid_token_join),
		T(split_quotes_keep_blanks_literal),
		T(split_empty_quotes_give_empty_field),
		T(split_unterminated_quote_runs_to_end_of_line),
		T(split_backslash_inside_quotes_is_literal),
		T(split_escaped_quote_does_not_start_quoting),
		T(split_escape_n_t_b),
		T(split_escape_other_bytes_stand_for_themselves),
		T(split_escaped_blank_joins_or_starts_field),
		T(split_trailing_lone_backslash_is_kept),
		T(split_accepts_max_fields),
		T(split_rejects_more_than_max_fields),
		T(split_max_fields_counts_empty_quoted_fields),
		T(split_reads_only_len_bytes),
		T(split_does_not_modify_the_line),
		T(split_fields_free_resets_and_is_idempotent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
