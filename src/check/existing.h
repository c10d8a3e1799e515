/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * polyns-check --user: what a session would find on disk.  An instance that
 * exists already is reused with its owner and mode as they are, so one that
 * differs from what a new instance would get (a copy of the polydir's) is
 * reported: /tmp-inst/alice owned by root with mode 0755 leaves alice a /tmp
 * she cannot write to.
 */
#ifndef POLYNS_EXISTING_H
#define POLYNS_EXISTING_H

#include "conf_expand.h"
#include "diag.h"
#include "plan.h"

/*
 * Look at the instance parent/base of job (a user, context or level
 * instance); print what is there and add a warning, or an error when the
 * session would be refused, to diags.
 */
void existing_instance_report(const struct plan_job *job, const struct session_user *u,
			      const char *parent, const char *base, struct diag_list *diags);

#endif
