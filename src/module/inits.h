/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The namespace init scripts (namespace.init, iscript=), run by the module
 * after it joined the session's namespaces: the helper that walks user paths
 * can never exec anything.
 */
#ifndef POLYNS_INITS_H
#define POLYNS_INITS_H

#include <security/pam_modules.h>

#include "wire.h"

/*
 * Run each init in order, as root with an empty environment, only fds 0-2,
 * and a deadline each.  A missing script is skipped (as pam_namespace does);
 * one that is not root-owned, is writable by others or is not executable
 * fails; a non-zero exit is logged and ignored (as pam_namespace does); death
 * by a signal or the deadline fails.  0 or -errno.
 */
int run_inits(pam_handle_t *pamh, const struct wire_reply *reply, const char *user,
	      unsigned int timeout_sec);

#endif
