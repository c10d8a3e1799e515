/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The step table.  Read it top to bottom: what each step does, what it runs
 * as, and which capabilities it holds.  Its seccomp rules are in
 * sandbox_rules.c, keyed by these steps; policy/ and SECURITY.md mirror both.
 */
#define _GNU_SOURCE
#include "steps.h"

#include <linux/capability.h>
#include <stdbool.h>

#include "privs.h"

#define B(s) STEP_BIT(STEP_##s)
#define SYS_ADMIN CAP_BIT(CAP_SYS_ADMIN)
#define NET_ADMIN CAP_BIT(CAP_NET_ADMIN)
#define DAC_OVERRIDE CAP_BIT(CAP_DAC_OVERRIDE)
#define FOWNER CAP_BIT(CAP_FOWNER)
#define CHOWN CAP_BIT(CAP_CHOWN)

/*
 * Every step but one stacks a seccomp program of its own.  namespaces keeps
 * setup's: it takes the plan, relays for the plan child and asks the
 * registry child, so its program would hardly differ from setup's, and each
 * program costs about 55 us to load here (docs/benchmarks.md), on every
 * login.
 */
static const struct step_info steps[STEP_COUNT] = {
	[STEP_SETUP] = {
		"setup", 0, B(REGISTRY) | B(TREE) | B(NAMESPACES) | B(UNMOUNT), true,
		"root", "-",
		"check the request, pass it to the plan child (open); fork, for a set "
		"in the registry, the registry child (open), or the tree child (close)" },
	[STEP_PLAN] = {
		"plan", 0, 0, true,
		"root, no capabilities, own process, forked before setup (open only)",
		"Landlock: read beneath the config file and config dir only, entered "
		"under its own program once the request names them; no signals or "
		"abstract sockets out",
		"take the request; parse namespace.conf and namespace.d, resolve names "
		"through the parent, plan the session; the plan goes to the parent" },
	[STEP_NAMESPACES] = {
		"namespaces", SYS_ADMIN | NET_ADMIN, B(POLYDIRS) | B(HOLDER), false,
		"root", "-",
		"unshare every requested namespace and always a mount namespace, "
		"set its propagation, bring up lo; nothing later touches the host's; "
		"then take the plan, name the set and ask the registry child; for a "
		"new set without a pid namespace, fork its holder" },
	[STEP_REGISTRY] = {
		"registry", 0, 0, true,
		"root, no capabilities, own process", "Landlock: read and change beneath "
		"runtime_dir/shared and runtime_dir/pending, read /proc; no signals or "
		"abstract sockets out",
		"release stale sets; join the live set (its namespace fds go to the helper) "
		"or lock the key for the helper to make it (registry and lock fds go to "
		"the helper, which checks them)" },
	[STEP_POLYDIRS] = {
		"polydirs", SYS_ADMIN | DAC_OVERRIDE | FOWNER | CHOWN, B(SETS), true,
		"root", "-",
		"walk polydirs, make instance parents and instances, mount them" },
	[STEP_SETS] = {
		"sets", SYS_ADMIN | DAC_OVERRIDE, B(HOLDER) | B(REPLY), true,
		"root", "-",
		"start the holder of a pid namespace (it mounts its /proc) or wait for "
		"the one forked in namespaces, record the set, "
		"open the namespace fds; undo tmpdirs on failure" },
	[STEP_HOLDER] = {
		"holder", 0, 0, true,
		"root, no capabilities, own process", "-",
		"keep the set's namespaces alive; reap orphans as PID 1" },
	[STEP_REPLY] = {
		"reply", 0, 0, true,
		"root, no capabilities", "Landlock: no filesystem access; no signals "
		"or abstract sockets out",
		"send the reply and the namespace fds" },
	[STEP_UNMOUNT] = {
		"unmount", SYS_ADMIN | DAC_OVERRIDE, B(CLOSE_REGISTRY), true,
		"root", "-",
		"unmount_on_close: detach the session's polydirs" },
	[STEP_CLOSE_REGISTRY] = {
		"close-registry", 0, B(CLEANUP), true,
		"root", "-",
		"count the session out of its shared set; release the set after its "
		"last session" },
	[STEP_CLEANUP] = {
		"cleanup", DAC_OVERRIDE, B(CLOSE_REPLY), true,
		"root", "-",
		"open tmpdir instances for the tree child, then rmdir each emptied "
		"instance in its root-only parent; pending records" },
	[STEP_TREE] = {
		"tree", DAC_OVERRIDE, 0, true,
		"root, own process", "Landlock: read and remove beneath the instance "
		"it was handed only; no signals or abstract sockets out",
		"empty a user's tmpdir instance (never the instance itself)" },
	[STEP_CLOSE_REPLY] = {
		"close-reply", 0, 0, true,
		"root, no capabilities", "Landlock: no filesystem access; no signals "
		"or abstract sockets out",
		"send the close status" },
};

const struct step_info *step_info(enum step s)
{
	return &steps[s];
}

uint32_t step_closure(enum step s)
{
	uint32_t all = STEP_BIT(s), grown;

	do {
		grown = all;
		for (unsigned int i = 0; i < STEP_COUNT; i++)
			if (all & STEP_BIT(i))
				all |= steps[i].next;
	} while (all != grown);
	return all;
}

uint64_t step_caps_from(enum step s)
{
	uint32_t later = step_closure(s);
	uint64_t caps = 0;

	for (unsigned int i = 0; i < STEP_COUNT; i++)
		if (later & STEP_BIT(i))
			caps |= steps[i].caps;
	return caps;
}

static void write_caps(FILE *out, uint64_t caps)
{
	bool any = false;

	for (unsigned int c = 0; c < 64; c++) {
		if (!(caps & CAP_BIT(c)))
			continue;
		(void)fprintf(out, "%s%s", any ? "," : "", privs_cap_name(c));
		any = true;
	}
	(void)fprintf(out, "%s", any ? "" : "none");
}

void steps_write_policy(FILE *out)
{
	(void)fprintf(out, "# step: effective / permitted capabilities; identity; other "
		      "confinement; job\n"
		      "# permitted = what the step and every later step use (less what "
		      "the session does not need)\n"
		      "# before setup: setpcap locks the securebits and empties the "
		      "bounding, ambient and inheritable sets\n");
	for (unsigned int s = 0; s < STEP_COUNT; s++) {
		(void)fprintf(out, "%s%s: ", steps[s].name,
			      steps[s].filter ? "" : " (keeps the filter before it)");
		write_caps(out, steps[s].caps);
		(void)fprintf(out, " / ");
		write_caps(out, step_caps_from((enum step)s));
		(void)fprintf(out, "; %s; %s\n\t# %s\n", steps[s].identity, steps[s].confined,
			      steps[s].job);
	}
}
