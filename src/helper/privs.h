/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capabilities by phase.  The helper stays uid 0 but keeps only the
 * capabilities of the phase it is in; the bounding and ambient sets are
 * emptied at once and the securebits are locked so that uid 0 can never
 * regain what was dropped.  Phases only go forward, and each only drops.
 */
#ifndef POLYNS_PRIVS_H
#define POLYNS_PRIVS_H

#include <stdio.h>

enum privs_phase {
	PHASE_SETUP,      /* request and config: the union of all later phases */
	PHASE_NAMESPACES, /* unshare, mount propagation, loopback */
	PHASE_POLYDIRS,   /* instance directories and their mounts */
	PHASE_CLEANUP,    /* close: removing tmpdir instances */
	PHASE_REPLY,      /* sending fds back and exiting: nothing */
};

/* Enter PHASE_SETUP: lock securebits, empty bounding/ambient, keep the union. */
int privs_init(void);

/* Drop to a later phase's set (never raises).  0 or -errno. */
int privs_enter(enum privs_phase phase);

/* The capability table as reviewed text (policy/capabilities.txt). */
void privs_write_policy(FILE *out);

#endif
