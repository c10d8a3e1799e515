/* SPDX-License-Identifier: BSD-3-Clause */
/* Entering a step of the step table (steps.h): capabilities, then the filter. */
#ifndef POLYNS_SANDBOX_H
#define POLYNS_SANDBOX_H

#include <stdint.h>

#include "steps.h"

/*
 * Move to step s: effective = what s uses, permitted = what s and the steps
 * after it use, both less what this session was found not to need
 * (step_unneeded); then stack s's seccomp program (the first, setup's, also
 * sets no_new_privs); then the test hook named after s.  0 or -errno.
 * A child calls it for its own step, which ends its closure.
 */
int step_enter(enum step s);

/*
 * step_enter in two halves, for a step whose Landlock domain can only come
 * after its filter (plan: the domain's paths arrive with the request):
 * step_begin sets the capabilities and the filter, step_entered marks the
 * step entered (its test hook: a compromised step is tried from there).
 */
int step_begin(enum step s);
void step_entered(enum step s);

/* Capabilities (CAP_BITs) this session will not use: gone at the next step_enter. */
void step_unneeded(uint64_t caps);

#endif
