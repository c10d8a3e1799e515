/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The step table's promises, checked on the tables themselves: the helper
 * only ever narrows (capabilities and seccomp programs), the last steps
 * cannot change their own privileges, and no step may signal another
 * process.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

#include <cmocka.h>

#include "sandbox_rules.h"
#include "steps.h"

static void permitted_only_narrows_along_the_table(void **state)
{
	(void)state;
	for (unsigned int s = 0; s < STEP_COUNT; s++) {
		uint64_t from = step_caps_from((enum step)s);

		assert_int_equal(step_info((enum step)s)->caps & ~from, 0);
		for (unsigned int t = 0; t < STEP_COUNT; t++)
			if (step_info((enum step)s)->next & STEP_BIT(t))
				assert_int_equal(step_caps_from((enum step)t) & ~from, 0);
	}
}

static void a_later_program_allows_nothing_an_earlier_one_did_not(void **state)
{
	(void)state;
	for (unsigned int s = 0; s < STEP_COUNT; s++)
		for (unsigned int t = 0; t < STEP_COUNT; t++) {
			if (!(step_info((enum step)s)->next & STEP_BIT(t)))
				continue;
			for (size_t i = 0; i < sandbox_rules_count(); i++)
				if (sandbox_rule_in_program(i, (enum step)t))
					assert_true(sandbox_rule_in_program(i, (enum step)s));
		}
}

/*
 * A step with nothing after it cannot drop, raise or stack anything; only
 * plan may enter a Landlock domain (which can only narrow) under its own
 * program, because the domain's paths come with the request.
 */
static void last_steps_cannot_change_their_privileges(void **state)
{
	unsigned long long arg1;

	(void)state;
	for (unsigned int s = 0; s < STEP_COUNT; s++) {
		if (step_info((enum step)s)->next != 0)
			continue;
		for (size_t i = 0; i < sandbox_rules_count(); i++) {
			int nr = sandbox_rule_syscall(i, &arg1);

			if (nr == SYS_capset || nr == SYS_seccomp ||
			    (nr == SYS_landlock_restrict_self && s != STEP_PLAN))
				assert_false(sandbox_rule_in_program(i, (enum step)s));
		}
	}
}

/* Holders end with their registry entry: no step sends a signal but 0 (liveness). */
static void no_step_may_signal_another_process(void **state)
{
	unsigned long long arg1;

	(void)state;
	for (size_t i = 0; i < sandbox_rules_count(); i++) {
		int nr = sandbox_rule_syscall(i, &arg1);

		assert_false(nr == SYS_kill || nr == SYS_tkill || nr == SYS_tgkill ||
			     nr == SYS_rt_sigqueueinfo || nr == SYS_rt_tgsigqueueinfo);
		if (nr == SYS_pidfd_send_signal)
			assert_int_equal(arg1, 0);
	}
}

static void children_start_with_what_they_need(void **state)
{
	(void)state;
	/* forked in setup, before the helper narrows: setup's closure has them */
	assert_true(step_closure(STEP_SETUP) & STEP_BIT(STEP_REGISTRY));
	assert_true(step_closure(STEP_SETUP) & STEP_BIT(STEP_TREE));
	assert_true(step_closure(STEP_SETS) & STEP_BIT(STEP_HOLDER));
	/* forked before setup, with everything: its own step must take it all */
	assert_false(step_closure(STEP_SETUP) & STEP_BIT(STEP_PLAN));
	assert_int_equal(step_info(STEP_PLAN)->caps, 0);
	assert_int_equal(step_caps_from(STEP_PLAN), 0);
	assert_int_equal(step_info(STEP_PLAN)->filter, true);
	assert_int_equal(step_info(STEP_REGISTRY)->caps, 0);
	assert_int_equal(step_caps_from(STEP_REPLY), 0);
	assert_int_equal(step_caps_from(STEP_CLOSE_REPLY), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(permitted_only_narrows_along_the_table),
		cmocka_unit_test(a_later_program_allows_nothing_an_earlier_one_did_not),
		cmocka_unit_test(last_steps_cannot_change_their_privileges),
		cmocka_unit_test(no_step_may_signal_another_process),
		cmocka_unit_test(children_start_with_what_they_need),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
