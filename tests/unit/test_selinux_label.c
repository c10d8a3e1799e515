/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The helper's SELinux without libselinux (src/helper/selinux_label.c):
 * its context parser and the level method's context against libselinux's
 * context_new(), context_range_set() and context_str() (this test links
 * libselinux; the helper does not), and its "enabled" against
 * is_selinux_enabled() on this machine.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <selinux/context.h>
#include <selinux/selinux.h>
#include <stdlib.h>
#include <string.h>

#include "selinux_label.h"

static const char *const fixed[] = {
	"user_u:user_r:user_t:s0",
	"user_u:user_r:user_t:s0-s15:c0.c1023",
	"system_u:object_r:tmp_t",
	"system_u:object_r:tmp_t:",
	"u:r:t:s0:c1,c2",
	"u:r:t:s0 - s1:c0",
	"u::t:s0",
	"::",
	":::",
	"u:r",
	"u",
	"",
	"u:r:t:a:b:c",
	"u:r:t:a:b:c:d",
	"u :r:t:s0",
	"u:r:t s0",
	"u:r:t:s0\n",
	"u:r:t:s0\t",
	"u:r:\rt",
	"u:r:t:s 0",
	"a:b:",
	"a:b::",
};

/* One string both ways: same verdict, same four parts. */
static void same_split(const char *con)
{
	struct se_context ours;
	context_t theirs = context_new(con);
	int r = se_context_split(con, &ours);

	if (!theirs) {
		assert_int_equal(r, -EINVAL);
		return;
	}
	assert_int_equal(r, 0);
#define SAME(which, get)                                                        \
	do {                                                                   \
		const char *t = get(theirs);                                   \
		if (!t)                                                        \
			assert_null(ours.part[SE_CONTEXT_##which]);             \
		else                                                           \
			assert_string_equal(ours.part[SE_CONTEXT_##which], t); \
	} while (0)
	SAME(USER, context_user_get);
	SAME(ROLE, context_role_get);
	SAME(TYPE, context_type_get);
	SAME(RANGE, context_range_get);
#undef SAME
	se_context_free(&ours);
	context_free(theirs);
}

/* The level method's context as 0.5.0's helper made it with libselinux. */
static int libselinux_with_range(const char *scon, const char *pcon, char **out)
{
	context_t p = context_new(pcon), s = context_new(scon);
	const char *range = s ? context_range_get(s) : NULL;
	int r = 0;

	if (!p || !range || context_range_set(p, range) != 0)
		r = -EINVAL;
	else if (!(*out = strdup(context_str(p))))
		r = -ENOMEM;
	if (p)
		context_free(p);
	if (s)
		context_free(s);
	return r;
}

static void same_level_context(const char *scon, const char *pcon)
{
	char *ours = NULL, *theirs = NULL;
	int r = se_instance_context(true, scon, pcon, &ours);
	int want = libselinux_with_range(scon, pcon, &theirs);

	assert_int_equal(r, want);
	if (r == 0)
		assert_string_equal(ours, theirs);
	free(ours);
	free(theirs);
}

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Short strings over the characters the parser cares about. */
static void random_context(uint64_t *rng, char *buf, size_t size)
{
	static const char alphabet[] = "::::usr_0 .,-c\t\n\r";
	size_t len = (size_t)(next(rng) % (size - 1));

	for (size_t i = 0; i < len; i++)
		buf[i] = alphabet[next(rng) % (sizeof(alphabet) - 1)];
	buf[len] = '\0';
}

static void context_split_matches_libselinux(void **state)
{
	uint64_t rng = 0x2545f4914f6cdd1dULL;
	char buf[24];

	(void)state;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		same_split(fixed[i]);
	for (unsigned int i = 0; i < 20000; i++) {
		random_context(&rng, buf, sizeof(buf));
		same_split(buf);
	}
}

static void level_context_matches_libselinux(void **state)
{
	uint64_t rng = 0x853c49e6748fea9bULL;
	char s[24], p[24];

	(void)state;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		for (size_t j = 0; j < sizeof(fixed) / sizeof(fixed[0]); j++)
			same_level_context(fixed[i], fixed[j]);
	for (unsigned int i = 0; i < 20000; i++) {
		random_context(&rng, s, sizeof(s));
		random_context(&rng, p, sizeof(p));
		same_level_context(s, p);
	}
}

static void level_context_takes_session_range(void **state)
{
	char *out = NULL;

	(void)state;
	assert_int_equal(se_instance_context(true, "user_u:user_r:user_t:s0-s0:c0.c1023",
					     "system_u:object_r:tmp_t:s0", &out), 0);
	assert_string_equal(out, "system_u:object_r:tmp_t:s0-s0:c0.c1023");
	free(out);
	/* A session context without a range gives none. */
	assert_int_equal(se_instance_context(true, "user_u:user_r:user_t",
					     "system_u:object_r:tmp_t:s0", &out), -EINVAL);
}

static void enabled_agrees_with_libselinux(void **state)
{
	(void)state;
	assert_int_equal(se_prepare(), 0);
	assert_int_equal(se_get_ops()->enabled(), is_selinux_enabled() == 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(context_split_matches_libselinux),
		cmocka_unit_test(level_context_matches_libselinux),
		cmocka_unit_test(level_context_takes_session_range),
		cmocka_unit_test(enabled_agrees_with_libselinux),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
