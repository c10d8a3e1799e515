/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef POLYNS_SECONTEXT_H
#define POLYNS_SECONTEXT_H

#include <security/pam_modules.h>

#include "options.h"

/*
 * The session's SELinux context (raw) for the context and level methods,
 * chosen as pam_namespace chooses it: with use_current_context our own
 * (getcon), with use_default_context the user's default, otherwise the exec
 * context pam_selinux set.  *out is NULL when SELinux is off or no context
 * is set (the methods then fall back to user).  PAM status; *out malloc'ed.
 */
int session_context(pam_handle_t *pamh, const struct polyns_options *o,
		    const char *user, char **out);

#endif
