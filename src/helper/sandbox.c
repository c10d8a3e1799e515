/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Entering a step.  The seccomp programs are libseccomp's output for the
 * table in sandbox_rules.c, made when the helper is built (seccomp_gen.c):
 * the same BPF libseccomp would load, without compiling it at every login.
 * Filters stack: the kernel runs every one loaded and takes the strictest
 * answer, so a later step's program can only narrow.  Capabilities go first,
 * so the filter that follows never needs capset() for this step.
 */
#define _GNU_SOURCE
#include "sandbox.h"

#include <errno.h>
#include <stdbool.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "privs.h"
#include "seccomp_prog.h"
#include "test_hook.h"
#include "timing.h"
#include "wire.h"

static uint64_t unneeded;
static bool no_new_privs;

void step_unneeded(uint64_t caps)
{
	unneeded |= caps;
}

int step_begin(enum step s)
{
	int r;

	timing_mark(step_info(s)->name);
	r = privs_set(step_info(s)->caps & ~unneeded, step_caps_from(s) & ~unneeded);
	if (r < 0)
		return r;
	/* Once, before the first filter (setup's, or a reply's when setup failed). */
	if (!no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	no_new_privs = true;
	if (step_info(s)->filter &&
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &polyns_seccomp[s]) < 0)
		return -errno;
	return 0;
}

void step_entered(enum step s)
{
	test_hook(step_info(s)->name, WIRE_FD_SLOT);
}

int step_enter(enum step s)
{
	int r = step_begin(s);

	if (r == 0)
		step_entered(s);
	return r;
}
