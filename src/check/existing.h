/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * polyns-check: what a session would find on disk.  An instance that
 * exists already is reused with its owner and mode as they are, so one that
 * differs from what a new instance would get (a copy of the polydir's) is
 * reported (--user): /tmp-inst/alice owned by root with mode 0755 leaves
 * alice a /tmp she cannot write to.  An instance parent must be root's with
 * mode 000, or sessions are refused.
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

/*
 * Look at an instance parent the way a session opens it (the walk of
 * polydir.c: symbolic links only where root alone could have put them): a
 * missing one is made by the session; one that is not a directory, that
 * the walk refuses, or that is not root's with mode 000 makes every session
 * through it fail (unless the module has ignore_instance_parent_mode, not
 * known here): a warning at file:line, once per parent (seen).
 */
struct parents_seen {
	size_t n;
	char v[64][CONF_PATH_MAX];
};
void existing_parent_report(const char *file, unsigned int line, const char *parent,
			    struct parents_seen *seen, struct diag_list *diags);

#endif
