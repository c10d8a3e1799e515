/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "privs.h"

#include <cap-ng.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>

#include "util.h"

struct kept_cap {
	unsigned int cap;
	const char *why; /* mirrored in SECURITY.md */
};

/* PHASE_NAMESPACES (and so PHASE_SETUP, which holds the union). */
static const struct kept_cap namespace_caps[] = {
	{ CAP_SYS_ADMIN, "unshare() new namespaces; mount() to set propagation" },
	{ CAP_NET_ADMIN, "bring up lo inside a new network namespace" },
};

static bool in_phase(unsigned int cap, enum privs_phase phase)
{
	if (phase == PHASE_REPLY)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(namespace_caps); i++)
		if (namespace_caps[i].cap == cap)
			return true;
	return false;
}

void privs_write_policy(FILE *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(namespace_caps); i++) {
		const char *name = capng_capability_to_name(namespace_caps[i].cap);

		(void)fprintf(out, "keep %s in setup, namespaces\t# %s\n",
			      name ? name : "?", namespace_caps[i].why);
	}
	(void)fprintf(out, "keep nothing in reply\t# sending fds back needs no privilege\n");
	(void)fprintf(out, "bounding, ambient, inheritable: empty from the start\n");
}

int privs_init(void)
{
	/* While CAP_SETPCAP is still held: SECBIT_NOROOT and friends, locked. */
	if (capng_lock() < 0)
		return -EPERM;
	capng_clear(CAPNG_SELECT_ALL);
	for (size_t i = 0; i < ARRAY_SIZE(namespace_caps); i++)
		if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
				 namespace_caps[i].cap) < 0)
			return -EINVAL;
	/* Bounding and ambient sets empty, then the capability sets. */
	if (capng_apply(CAPNG_SELECT_ALL) < 0)
		return -EPERM;
	return 0;
}

int privs_enter(enum privs_phase phase)
{
	for (size_t i = 0; i < ARRAY_SIZE(namespace_caps); i++) {
		unsigned int cap = namespace_caps[i].cap;

		if (!in_phase(cap, phase) &&
		    capng_update(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED, cap) < 0)
			return -EINVAL;
	}
	/* One capset(); nothing that reads /proc (the sandbox forbids it). */
	if (capng_apply(CAPNG_SELECT_CAPS) < 0)
		return -EPERM;
	return 0;
}
