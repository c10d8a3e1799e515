/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The helper's work as an ordered table of steps (steps.c).  Each step has
 * its own capabilities, its own seccomp program (stacked on the earlier
 * ones, so it can only narrow) and its identity; the helper only moves
 * forward.  Steps that handle untrusted text or trees run in a child of
 * their own (plan, registry, tree), forked before the parent narrows (plan
 * even before setup: the helper's command line says open); the holder is a
 * child that outlives the helper.
 *
 * Open:  setup -> namespaces -> registry -> polydirs -> sets -> reply
 *   \-> plan (child, forked before setup)
 *                    \-> holder (child, of a new set; in sets for a pid ns)
 * Close: setup -> unmount -> close-registry -> cleanup -> close-reply
 *          \-> tree (child)
 *
 * What a step may do is what it or any step after it (in this process or in
 * a child forked from it) needs: capabilities no later step uses are gone
 * from the permitted set, and syscalls no later step makes are gone from the
 * filter.
 */
#ifndef POLYNS_STEPS_H
#define POLYNS_STEPS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum step {
	STEP_SETUP,
	STEP_PLAN,
	STEP_NAMESPACES,
	STEP_REGISTRY,
	STEP_POLYDIRS,
	STEP_SETS,
	STEP_HOLDER,
	STEP_REPLY,
	STEP_UNMOUNT,
	STEP_CLOSE_REGISTRY,
	STEP_CLEANUP,
	STEP_TREE,
	STEP_CLOSE_REPLY,
	STEP_COUNT
};

#define STEP_BIT(s) (1U << (s))
#define CAP_BIT(c) (1ULL << (c))

struct step_info {
	const char *name;
	uint64_t caps;  /* CAP_BITs effective while it runs */
	uint32_t next;  /* STEP_BITs that may follow, here or in a child forked here */
	bool filter;    /* stacks a seccomp program of its own (else keeps the last one) */
	const char *identity;
	const char *confined; /* what else confines it (Landlock), for the policy text */
	const char *job;
};

const struct step_info *step_info(enum step s);

/* s and every step that may follow it (STEP_BITs). */
uint32_t step_closure(enum step s);

/* The capabilities (CAP_BITs) s and every step after it use. */
uint64_t step_caps_from(enum step s);

/* The table as reviewed text (policy/capabilities.txt). */
void steps_write_policy(FILE *out);

#endif
