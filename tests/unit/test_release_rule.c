/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one rule for when a shared set may end (release.h), which a login, a
 * close, another key's sweep and polyns-admin all apply: kept while its
 * holder may run and a session's caller may run; what cannot be checked
 * counts as running.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>

#include "release.h"

static const struct reg_sweep none = { 0 };
static const struct reg_sweep one_open = { .live = 1 };
static const struct reg_sweep one_unchecked = { .unknown = 1, .error = -EACCES };
static const struct reg_sweep only_gone = { .gone = 3 };

static void set_in_use_while_holder_and_a_session_run(void **state)
{
	(void)state;
	assert_true(set_in_use(1, &one_open));
	assert_false(set_in_use(1, &none));
	assert_false(set_in_use(1, &only_gone));
}

static void set_in_use_counts_what_cannot_be_checked_as_running(void **state)
{
	(void)state;
	assert_true(set_in_use(1, &one_unchecked));
	assert_true(set_in_use(-EACCES, &one_open));
	assert_true(set_in_use(-EACCES, &one_unchecked));
	assert_false(set_in_use(-EACCES, &none));
}

static void set_not_in_use_once_its_holder_is_gone(void **state)
{
	(void)state;
	assert_false(set_in_use(0, &one_open));
	assert_false(set_in_use(0, &one_unchecked));
	assert_false(set_in_use(0, &none));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_in_use_while_holder_and_a_session_run),
		cmocka_unit_test(set_in_use_counts_what_cannot_be_checked_as_running),
		cmocka_unit_test(set_not_in_use_once_its_holder_is_gone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
