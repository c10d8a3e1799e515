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
 * Run each init in order, as root with an empty environment, fds 0-2 and
 * the script itself at fd 3, and a deadline each.  The script is walked as
 * trusted_exec_open() walks (a missing one is skipped, as pam_namespace
 * does; one that fails the checks fails) and the fd that passed is what is
 * executed (execveat, AT_EMPTY_PATH): its path is not looked up again.  A
 * non-zero exit is logged and ignored (as pam_namespace does); death by a
 * signal or the deadline fails.  0 or -errno; every failure is logged here.
 */
int run_inits(pam_handle_t *pamh, const struct wire_reply *reply, const char *user,
	      unsigned int timeout_sec);

#endif
