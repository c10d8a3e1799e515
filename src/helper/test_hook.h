/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fault injection for the integration tests, compiled only into the test
 * build of the helper (-DPOLYNS_TEST_HOOKS, build/test/polyns-helper).  The
 * installed helper has none of it: test_hook_*() are empty there.
 *
 * The test writes "STEP ACTION" to /run/polyns-test-hook (inside its private
 * mount namespace); when the helper reaches STEP it does ACTION.
 */
#ifndef POLYNS_TEST_HOOK_H
#define POLYNS_TEST_HOOK_H

#ifdef POLYNS_TEST_HOOKS
void test_hook_load(void);
void test_hook(const char *step, int sock);
/* "request selinux=SCON": pretend SCON and a fake libselinux (the seam). */
void test_hook_selinux(const char **context);
#else
static inline void test_hook_selinux(const char **context)
{
	(void)context;
}

static inline void test_hook_load(void)
{
}

static inline void test_hook(const char *step, int sock)
{
	(void)step;
	(void)sock;
}
#endif

#endif
