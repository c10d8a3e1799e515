/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "privs.h"

#include <cap-ng.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/prctl.h>

#include "util.h"

#define IN(p) (1U << (p))

struct kept_cap {
	unsigned int cap;
	unsigned int phases; /* IN(PHASE_*): the phases that use it; it is kept
				from PHASE_SETUP until the last of them */
	const char *why;     /* mirrored in SECURITY.md */
};

static const struct kept_cap kept_caps[] = {
	{ CAP_SYS_ADMIN, IN(PHASE_NAMESPACES) | IN(PHASE_POLYDIRS) | IN(PHASE_CLEANUP),
	  "unshare() namespaces; mount propagation; bind and tmpfs mounts of polydirs; "
	  "unmount_on_close" },
	{ CAP_NET_ADMIN, IN(PHASE_NAMESPACES), "bring up lo inside a new network namespace" },
	{ CAP_DAC_OVERRIDE, IN(PHASE_POLYDIRS) | IN(PHASE_CLEANUP),
	  "reach and create entries in mode-000 instance parents and private homes" },
	{ CAP_FOWNER, IN(PHASE_POLYDIRS), "fchmod() instance directories owned by the user" },
	{ CAP_FSETID, IN(PHASE_POLYDIRS),
	  "keep the set-group-ID bit a polydir's mode gives its instance" },
	{ CAP_CHOWN, IN(PHASE_POLYDIRS), "fchown() new instances to the polydir's owner" },
};

static const char *const phase_names[] = {
	[PHASE_SETUP] = "setup", [PHASE_NAMESPACES] = "namespaces",
	[PHASE_POLYDIRS] = "polydirs", [PHASE_CLEANUP] = "cleanup",
	[PHASE_REPLY] = "reply",
};

void privs_write_policy(FILE *out)
{
	(void)fprintf(out, "setpcap used in start\t# only before the first drop: lock the "
		      "securebits, empty the bounding set\n");
	for (size_t i = 0; i < ARRAY_SIZE(kept_caps); i++) {
		const char *name = capng_capability_to_name(kept_caps[i].cap);

		(void)fprintf(out, "%s used in", name ? name : "?");
		for (size_t p = PHASE_NAMESPACES; p < ARRAY_SIZE(phase_names); p++)
			if (kept_caps[i].phases & IN(p))
				(void)fprintf(out, " %s", phase_names[p]);
		(void)fprintf(out, "\t# %s\n", kept_caps[i].why);
	}
	(void)fprintf(out, "each kept from setup until the last phase that uses it; "
		      "none in reply\n");
	(void)fprintf(out, "bounding, ambient, inheritable: empty from the start\n");
}

/*
 * Empty the bounding set up to whatever the running kernel knows (EINVAL
 * past its last capability).  Done by hand: capng_apply(CAPNG_SELECT_BOUNDS)
 * first reads /proc/self/status, which costs more than the whole drop.
 */
static int drop_bounding_set(void)
{
	for (unsigned long cap = 0;; cap++) {
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0)
			continue;
		return errno == EINVAL && cap > CAP_CHOWN ? 0 : -errno;
	}
}

int privs_init(void)
{
	int r;

	/* While CAP_SETPCAP is still held: SECBIT_NOROOT and friends, locked. */
	if (capng_lock() < 0)
		return -EPERM;
	r = drop_bounding_set();
	if (r < 0)
		return r;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return -errno;
	/* Then effective = permitted = the union; inheritable empty. */
	capng_clear(CAPNG_SELECT_BOTH);
	for (size_t i = 0; i < ARRAY_SIZE(kept_caps); i++)
		if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
				 kept_caps[i].cap) < 0)
			return -EINVAL;
	if (capng_apply(CAPNG_SELECT_CAPS) < 0)
		return -EPERM;
	return 0;
}

/* A capability stays while this phase or a later one needs it. */
static bool needed_from(const struct kept_cap *k, enum privs_phase phase)
{
	return (k->phases & ~(IN(phase) - 1U)) != 0;
}

int privs_enter(enum privs_phase phase)
{
	for (size_t i = 0; i < ARRAY_SIZE(kept_caps); i++) {
		if (phase != PHASE_REPLY && needed_from(&kept_caps[i], phase))
			continue;
		if (capng_update(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
				 kept_caps[i].cap) < 0)
			return -EINVAL;
	}
	/* One capset(); nothing that reads /proc (the sandbox forbids it). */
	if (capng_apply(CAPNG_SELECT_CAPS) < 0)
		return -EPERM;
	return 0;
}
