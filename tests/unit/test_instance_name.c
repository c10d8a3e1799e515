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

#include "instance_name.h"

/*
 * MD5 vectors computed independently with coreutils, e.g.
 *   printf %s pnalice | md5sum
 */
#define MD5_PNALICE "834abaf2b388f41ad1220b8804a49144"
#define MD5_U90 "7cc090b1dab34ef2c473534f4bb20f36"       /* 90 x 'u' */
#define MD5_A81 "986e6938ed767a8ae9530eef54bfe5f1"       /* 81 x 'a' */
#define MD5_ALICE "6384e2b2184bcbf58eccf10ca7a6563c"     /* alice */
#define MD5_A_SLASH_B "a7e86136543b019d72468ceebf71fb8e" /* a/b */
#define MD5_DOT "5058f1af8388633f609cadb75a75dc9d"       /* . */
#define CTX "system_u:object_r:tmp_t:s0"
#define MD5_CTX_ALICE "a3560913eae606b42a8e1dbfdf4896eb" /* CTX "_alice" */
#define MD5_CTX "c9a11ab0b5c779fba51f7667e1b92b58"       /* CTX */
#define LONG_CTX "system_u:object_r:user_home_dir_t:s0-s15:c0.c1023" /* 49 */
#define LONG_USER "averyveryverylongusername123456"                  /* 31 */
/* LONG_CTX "_" LONG_USER: 81 bytes */
#define MD5_LONG_CTX_USER "9b3caea4812223796f9482ac3fbeb537"
/* LONG_CTX followed by 32 x 'x': 81 bytes */
#define MD5_LONG_CTX_X32 "87e2baa3f8030135973f9142e1a62d84"
#define MD5_U4000 "3ff5c8637a2dea0b898ce2ef322bd6f1" /* 4000 x 'u' */
/* 60 x 'a', '/', 20 x 'b': 81 bytes */
#define MD5_A60_SLASH_B20 "d6e845c9691d412de61b8597a77ce092"

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* ---- per method ---- */

static void name_user_method_is_user(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(instance_name(METHOD_USER, false, "alice", NULL, false, out,
				       sizeof(out)), 0);
	assert_string_equal(out, "alice");
	/* shared and a context do not matter for the user method. */
	assert_int_equal(instance_name(METHOD_USER, true, "alice", CTX, false, out,
				       sizeof(out)), 0);
	assert_string_equal(out, "alice");
}

static void name_gen_hash_known_vector(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(instance_name(METHOD_USER, false, "pnalice", NULL, true, out,
				       sizeof(out)), 0);
	assert_string_equal(out, MD5_PNALICE);
	assert_int_equal(instance_name(METHOD_USER, false, "alice", NULL, true, out,
				       sizeof(out)), 0);
	assert_string_equal(out, MD5_ALICE);
	assert_int_equal(strlen(out), INSTANCE_MD5_HEX);
}

static void name_gen_hash_of_long_user_is_plain_hash(void **state)
{
	char *u90 = repeat('u', 90);
	char out[256];

	(void)state;
	assert_int_equal(instance_name(METHOD_USER, false, u90, NULL, true, out,
				       sizeof(out)), 0);
	assert_string_equal(out, MD5_U90);
	free(u90);
}

static void name_long_user_shortened_with_md5(void **state)
{
	char *u90 = repeat('u', 90);
	char *u47 = repeat('u', 47);
	char expect[128];
	char out[256];

	(void)state;
	assert_int_equal(instance_name(METHOD_USER, false, u90, NULL, false, out,
				       sizeof(out)), 0);
	strcpy(expect, u47);
	strcat(expect, "_" MD5_U90);
	assert_string_equal(out, expect);
	assert_int_equal(strlen(out), INSTANCE_NAME_LIMIT);
	free(u90);
	free(u47);
}

static void name_very_long_user_shortened_with_md5(void **state)
{
	char *u4000 = repeat('u', 4000);
	char *u47 = repeat('u', 47);
	char expect[128];
	char out[256];

	(void)state;
	assert_int_equal(instance_name(METHOD_USER, false, u4000, NULL, false, out,
				       sizeof(out)), 0);
	strcpy(expect, u47);
	strcat(expect, "_" MD5_U4000);
	assert_string_equal(out, expect);
	assert_int_equal(instance_name(METHOD_USER, false, u4000, NULL, true, out,
				       sizeof(out)), 0);
	assert_string_equal(out, MD5_U4000);
	free(u4000);
	free(u47);
}

static void name_exactly_80_bytes_kept(void **state)
{
	char *a80 = repeat('a', 80);
	char out[256];

	(void)state;
	assert_int_equal(instance_name(METHOD_USER, false, a80, NULL, false, out,
				       sizeof(out)), 0);
	assert_string_equal(out, a80);
	/* 81 bytes of output space are enough for it. */
	assert_int_equal(instance_name(METHOD_USER, false, a80, NULL, false, out, 81), 0);
	assert_string_equal(out, a80);
	assert_int_equal(instance_name(METHOD_USER, false, a80, NULL, false, out, 80),
			 -ENAMETOOLONG);
	free(a80);
}

static void name_81_bytes_shortened(void **state)
{
	char *a81 = repeat('a', 81);
	char *a47 = repeat('a', 47);
	char expect[128];
	char out[256];

	(void)state;
	strcpy(expect, a47);
	strcat(expect, "_" MD5_A81);
	assert_int_equal(instance_name(METHOD_USER, false, a81, NULL, false, out,
				       sizeof(out)), 0);
	assert_string_equal(out, expect);
	assert_int_equal(strlen(out), 80);
	/* The shortened name needs 81 bytes of output space. */
	assert_int_equal(instance_name(METHOD_USER, false, a81, NULL, false, out, 81), 0);
	assert_string_equal(out, expect);
	assert_int_equal(instance_name(METHOD_USER, false, a81, NULL, false, out, 80),
			 -ENAMETOOLONG);
	free(a81);
	free(a47);
}

static void name_context_and_level_with_user(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(instance_name(METHOD_CONTEXT, false, "alice", CTX, false, out,
				       sizeof(out)), 0);
	assert_string_equal(out, CTX "_alice");
	assert_int_equal(instance_name(METHOD_LEVEL, false, "alice", CTX, false, out,
				       sizeof(out)), 0);
	assert_string_equal(out, CTX "_alice");
	assert_int_equal(instance_name(METHOD_CONTEXT, false, "alice", CTX, true, out,
				       sizeof(out)), 0);
	assert_string_equal(out, MD5_CTX_ALICE);
}

static void name_context_shared_omits_user(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(instance_name(METHOD_CONTEXT, true, "alice", CTX, false, out,
				       sizeof(out)), 0);
	assert_string_equal(out, CTX);
	assert_int_equal(instance_name(METHOD_LEVEL, true, "bob", CTX, false, out,
				       sizeof(out)), 0);
	assert_string_equal(out, CTX);
	assert_int_equal(instance_name(METHOD_LEVEL, true, "bob", CTX, true, out,
				       sizeof(out)), 0);
	assert_string_equal(out, MD5_CTX);
}

static void name_long_context_shortened(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(instance_name(METHOD_CONTEXT, false, LONG_USER, LONG_CTX,
				       false, out, sizeof(out)), 0);
	assert_string_equal(out, "system_u:object_r:user_home_dir_t:s0-s15:c0.c10_"
				 MD5_LONG_CTX_USER);
	assert_int_equal(instance_name(METHOD_LEVEL, true, "alice",
				       LONG_CTX "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", false,
				       out, sizeof(out)), 0);
	assert_string_equal(out, "system_u:object_r:user_home_dir_t:s0-s15:c0.c10_"
				 MD5_LONG_CTX_X32);
}

static void name_context_null_falls_back_to_user(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(instance_name(METHOD_CONTEXT, false, "alice", NULL, false, out,
				       sizeof(out)), 0);
	assert_string_equal(out, "alice");
	assert_int_equal(instance_name(METHOD_LEVEL, false, "alice", NULL, false, out,
				       sizeof(out)), 0);
	assert_string_equal(out, "alice");
	assert_int_equal(instance_name(METHOD_LEVEL, false, "pnalice", NULL, true, out,
				       sizeof(out)), 0);
	assert_string_equal(out, MD5_PNALICE);
}

static void name_shared_without_context_is_skipped(void **state)
{
	char out[16] = "untouched";

	(void)state;
	assert_int_equal(instance_name(METHOD_CONTEXT, true, "alice", NULL, false, out,
				       sizeof(out)), INSTANCE_SKIP);
	assert_int_equal(instance_name(METHOD_LEVEL, true, "alice", NULL, true, out,
				       sizeof(out)), INSTANCE_SKIP);
	assert_string_equal(out, "untouched");
}

static void name_tmpdir_is_template_never_hashed(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(instance_name(METHOD_TMPDIR, false, "alice", NULL, false, out,
				       sizeof(out)), 0);
	assert_string_equal(out, "XXXXXX");
	assert_int_equal(instance_name(METHOD_TMPDIR, true, "alice", CTX, true, out,
				       sizeof(out)), 0);
	assert_string_equal(out, "XXXXXX");
	assert_int_equal(instance_name(METHOD_TMPDIR, false, "alice", NULL, false, out,
				       7), 0);
	assert_string_equal(out, "XXXXXX");
	assert_int_equal(instance_name(METHOD_TMPDIR, false, "alice", NULL, false, out,
				       6), -ENAMETOOLONG);
}

static void name_tmpfs_is_empty(void **state)
{
	char out[256] = "junk";

	(void)state;
	assert_int_equal(instance_name(METHOD_TMPFS, false, "alice", NULL, false, out,
				       sizeof(out)), 0);
	assert_string_equal(out, "");
	strcpy(out, "junk");
	assert_int_equal(instance_name(METHOD_TMPFS, true, "alice", CTX, true, out, 1), 0);
	assert_string_equal(out, "");
}

static void name_unknown_method_rejected(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(instance_name((enum conf_method)0, false, "alice", NULL, false,
				       out, sizeof(out)), -EINVAL);
	assert_int_equal(instance_name((enum conf_method)99, false, "alice", NULL,
				       false, out, sizeof(out)), -EINVAL);
}

static void name_with_slash_or_dots_rejected(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(instance_name(METHOD_USER, false, "a/b", NULL, false, out,
				       sizeof(out)), -EINVAL);
	assert_int_equal(instance_name(METHOD_USER, false, "/", NULL, false, out,
				       sizeof(out)), -EINVAL);
	assert_int_equal(instance_name(METHOD_USER, false, ".", NULL, false, out,
				       sizeof(out)), -EINVAL);
	assert_int_equal(instance_name(METHOD_USER, false, "..", NULL, false, out,
				       sizeof(out)), -EINVAL);
	assert_int_equal(instance_name(METHOD_CONTEXT, false, "alice", "a/b", false,
				       out, sizeof(out)), -EINVAL);
	assert_int_equal(instance_name(METHOD_CONTEXT, true, "alice", "..", false, out,
				       sizeof(out)), -EINVAL);
	assert_int_equal(instance_name(METHOD_CONTEXT, false, "..", NULL, false, out,
				       sizeof(out)), -EINVAL);
	/* Only exact "." and ".." are special. */
	assert_int_equal(instance_name(METHOD_USER, false, "...", NULL, false, out,
				       sizeof(out)), 0);
	assert_string_equal(out, "...");
	assert_int_equal(instance_name(METHOD_USER, false, ".alice", NULL, false, out,
				       sizeof(out)), 0);
	assert_string_equal(out, ".alice");
	/* context "." with a user is "._alice": one valid component. */
	assert_int_equal(instance_name(METHOD_CONTEXT, false, "alice", ".", false, out,
				       sizeof(out)), 0);
	assert_string_equal(out, "._alice");
}

static void name_hashing_removes_slash_and_dots(void **state)
{
	char out[256];

	(void)state;
	/* gen_hash output is hex: always one valid component. */
	assert_int_equal(instance_name(METHOD_USER, false, "a/b", NULL, true, out,
				       sizeof(out)), 0);
	assert_string_equal(out, MD5_A_SLASH_B);
	assert_int_equal(instance_name(METHOD_USER, false, ".", NULL, true, out,
				       sizeof(out)), 0);
	assert_string_equal(out, MD5_DOT);
}

static void name_shortening_checks_kept_part_for_slash(void **state)
{
	char *name = malloc(82);
	char *a47 = repeat('a', 47);
	char expect[128];
	char out[256];

	(void)state;
	assert_non_null(name);
	/* '/' beyond the kept 47 bytes disappears into the hash. */
	memset(name, 'a', 60);
	name[60] = '/';
	memset(name + 61, 'b', 20);
	name[81] = '\0';
	strcpy(expect, a47);
	strcat(expect, "_" MD5_A60_SLASH_B20);
	assert_int_equal(instance_name(METHOD_USER, false, name, NULL, false, out,
				       sizeof(out)), 0);
	assert_string_equal(out, expect);
	/* '/' within the kept bytes is still rejected. */
	name[10] = '/';
	assert_int_equal(instance_name(METHOD_USER, false, name, NULL, false, out,
				       sizeof(out)), -EINVAL);
	free(name);
	free(a47);
}

static void name_empty_user_rejected(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(instance_name(METHOD_USER, false, "", NULL, false, out,
				       sizeof(out)), -EINVAL);
	assert_int_equal(instance_name(METHOD_USER, false, "", NULL, true, out,
				       sizeof(out)), -EINVAL);
	assert_int_equal(instance_name(METHOD_CONTEXT, false, "", NULL, false, out,
				       sizeof(out)), -EINVAL);
	assert_int_equal(instance_name(METHOD_CONTEXT, true, "alice", "", false, out,
				       sizeof(out)), -EINVAL);
}

static void name_output_too_small(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(instance_name(METHOD_USER, false, "alice", NULL, false, out, 6), 0);
	assert_string_equal(out, "alice");
	assert_int_equal(instance_name(METHOD_USER, false, "alice", NULL, false, out, 5),
			 -ENAMETOOLONG);
	assert_int_equal(instance_name(METHOD_USER, false, "alice", NULL, true, out, 33), 0);
	assert_string_equal(out, MD5_ALICE);
	assert_int_equal(instance_name(METHOD_USER, false, "alice", NULL, true, out, 32),
			 -ENAMETOOLONG);
	assert_int_equal(instance_name(METHOD_CONTEXT, false, "alice", CTX, false, out,
				       sizeof(CTX "_alice")), 0);
	assert_int_equal(instance_name(METHOD_CONTEXT, false, "alice", CTX, false, out,
				       sizeof(CTX "_alice") - 1), -ENAMETOOLONG);
	assert_int_equal(instance_name(METHOD_TMPFS, false, "alice", NULL, false, out, 0),
			 -ENAMETOOLONG);
}

/* ---- instance_path_split ---- */

struct split {
	char parent[CONF_PATH_MAX];
	char base[CONF_PATH_MAX];
};

static int split(const char *prefix, const char *name, struct split *s)
{
	return instance_path_split(prefix, name, s->parent, sizeof(s->parent), s->base,
				   sizeof(s->base));
}

static void split_prefix_with_trailing_slash(void **state)
{
	struct split s;

	(void)state;
	assert_int_equal(split("/tmp-inst/", "alice", &s), 0);
	assert_string_equal(s.parent, "/tmp-inst");
	assert_string_equal(s.base, "alice");
	assert_int_equal(split("/var/lib/polyns/tmp/", "XXXXXX", &s), 0);
	assert_string_equal(s.parent, "/var/lib/polyns/tmp");
	assert_string_equal(s.base, "XXXXXX");
}

static void split_prefix_ending_in_name_part(void **state)
{
	struct split s;

	(void)state;
	/* "$HOME/.inst/inst-" after expansion. */
	assert_int_equal(split("/home/alice/.inst/inst-", "alice", &s), 0);
	assert_string_equal(s.parent, "/home/alice/.inst");
	assert_string_equal(s.base, "inst-alice");
	assert_int_equal(split("/tmp/pre-", MD5_PNALICE, &s), 0);
	assert_string_equal(s.parent, "/tmp");
	assert_string_equal(s.base, "pre-" MD5_PNALICE);
}

static void split_parent_is_root(void **state)
{
	struct split s;

	(void)state;
	assert_int_equal(split("/", "alice", &s), 0);
	assert_string_equal(s.parent, "/");
	assert_string_equal(s.base, "alice");
	assert_int_equal(split("/inst-", "alice", &s), 0);
	assert_string_equal(s.parent, "/");
	assert_string_equal(s.base, "inst-alice");
}

static void split_parent_has_no_trailing_slash(void **state)
{
	struct split s;

	(void)state;
	assert_int_equal(split("/tmp-inst//", "alice", &s), 0);
	assert_string_equal(s.parent, "/tmp-inst");
	assert_string_equal(s.base, "alice");
	assert_int_equal(split("//", "alice", &s), 0);
	assert_string_equal(s.parent, "/");
	assert_string_equal(s.base, "alice");
}

static void split_uses_last_slash(void **state)
{
	struct split s;

	(void)state;
	assert_int_equal(split("/p/", "a/b", &s), 0);
	assert_string_equal(s.parent, "/p/a");
	assert_string_equal(s.base, "b");
}

static void split_rejects_bad_last_component(void **state)
{
	struct split s;

	(void)state;
	assert_int_equal(split("/tmp-inst/", "", &s), -EINVAL);
	assert_int_equal(split("/tmp-inst/", ".", &s), -EINVAL);
	assert_int_equal(split("/tmp-inst/", "..", &s), -EINVAL);
	assert_int_equal(split("/tmp-inst/.", "", &s), -EINVAL);
	assert_int_equal(split("/", "", &s), -EINVAL);
	assert_int_equal(split("/p/", "x/..", &s), -EINVAL);
	/* No '/' at all: not a path. */
	assert_int_equal(split("inst-", "alice", &s), -EINVAL);
	assert_int_equal(split("", "alice", &s), -EINVAL);
	/* Dots inside a longer component are fine. */
	assert_int_equal(split("/tmp-inst/.", "alice", &s), 0);
	assert_string_equal(s.base, ".alice");
}

static void split_rejects_too_long_path(void **state)
{
	char *prefix = malloc(CONF_PATH_MAX);
	struct split *s = malloc(sizeof(*s));

	(void)state;
	assert_non_null(prefix);
	assert_non_null(s);
	/* "/" + 4090 x 'p' + "/" is 4092 bytes; + "abc" is 4095: fits. */
	prefix[0] = '/';
	memset(prefix + 1, 'p', CONF_PATH_MAX - 6);
	prefix[CONF_PATH_MAX - 5] = '/';
	prefix[CONF_PATH_MAX - 4] = '\0';
	assert_int_equal(split(prefix, "abc", s), 0);
	assert_int_equal(strlen(s->parent), CONF_PATH_MAX - 5);
	assert_string_equal(s->base, "abc");
	/* 4096 bytes does not. */
	assert_int_equal(split(prefix, "abcd", s), -ENAMETOOLONG);
	free(prefix);
	free(s);
}

static void split_output_buffer_too_small(void **state)
{
	char parent[16], base[16];

	(void)state;
	/* "/tmp-inst" needs 10 bytes, "alice" 6. */
	assert_int_equal(instance_path_split("/tmp-inst/", "alice", parent, 10, base, 6), 0);
	assert_string_equal(parent, "/tmp-inst");
	assert_string_equal(base, "alice");
	assert_int_equal(instance_path_split("/tmp-inst/", "alice", parent, 9, base, 6),
			 -ENAMETOOLONG);
	assert_int_equal(instance_path_split("/tmp-inst/", "alice", parent, 10, base, 5),
			 -ENAMETOOLONG);
	/* "/" needs 2. */
	assert_int_equal(instance_path_split("/", "alice", parent, 2, base, 6), 0);
	assert_string_equal(parent, "/");
	assert_int_equal(instance_path_split("/", "alice", parent, 1, base, 6),
			 -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(name_user_method_is_user),
		cmocka_unit_test(name_gen_hash_known_vector),
		cmocka_unit_test(name_gen_hash_of_long_user_is_plain_hash),
		cmocka_unit_test(name_long_user_shortened_with_md5),
		cmocka_unit_test(name_very_long_user_shortened_with_md5),
		cmocka_unit_test(name_exactly_80_bytes_kept),
		cmocka_unit_test(name_81_bytes_shortened),
		cmocka_unit_test(name_context_and_level_with_user),
		cmocka_unit_test(name_context_shared_omits_user),
		cmocka_unit_test(name_long_context_shortened),
		cmocka_unit_test(name_context_null_falls_back_to_user),
		cmocka_unit_test(name_shared_without_context_is_skipped),
		cmocka_unit_test(name_tmpdir_is_template_never_hashed),
		cmocka_unit_test(name_tmpfs_is_empty),
		cmocka_unit_test(name_unknown_method_rejected),
		cmocka_unit_test(name_with_slash_or_dots_rejected),
		cmocka_unit_test(name_hashing_removes_slash_and_dots),
		cmocka_unit_test(name_shortening_checks_kept_part_for_slash),
		cmocka_unit_test(name_empty_user_rejected),
		cmocka_unit_test(name_output_too_small),
		cmocka_unit_test(split_prefix_with_trailing_slash),
		cmocka_unit_test(split_prefix_ending_in_name_part),
		cmocka_unit_test(split_parent_is_root),
		cmocka_unit_test(split_parent_has_no_trailing_slash),
		cmocka_unit_test(split_uses_last_slash),
		cmocka_unit_test(split_rejects_bad_last_component),
		cmocka_unit_test(split_rejects_too_long_path),
		cmocka_unit_test(split_output_buffer_too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
