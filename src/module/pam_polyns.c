/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pam_polyns: the PAM glue.  It reads its arguments and PAM items and, in the
 * finished design, hands the work to polyns-helper and only calls setns() on
 * what comes back.  It never parses namespace.conf and never mounts.
 */
#define _GNU_SOURCE
#include <security/pam_ext.h>
#include <security/pam_modules.h>
#include <syslog.h>

#include "options.h"

#define EXPORT __attribute__((visibility("default")))

static int load_options(pam_handle_t *pamh, int argc, const char **argv,
			struct polyns_options *opts)
{
	char err[256];

	if (polyns_options_parse(argc, argv, opts, err, sizeof(err)) < 0) {
		pam_syslog(pamh, LOG_ERR, "invalid module argument %s", err);
		return PAM_SESSION_ERR;
	}
	return PAM_SUCCESS;
}

EXPORT int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
			       const char **argv)
{
	struct polyns_options opts;
	int r = load_options(pamh, argc, argv, &opts);

	(void)flags;
	if (r != PAM_SUCCESS)
		return r;
	/*
	 * Fail closed: until the privilege-separated setup lands (issue 3),
	 * this build cannot give a session what namespace.conf asks for.
	 */
	pam_syslog(pamh, LOG_ERR,
		   "session setup through %s is not implemented in this build",
		   opts.helper);
	return PAM_SESSION_ERR;
}

EXPORT int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
				const char **argv)
{
	struct polyns_options opts;

	(void)flags;
	/* A bad argument was already reported at open; close has nothing to undo. */
	(void)load_options(pamh, argc, argv, &opts);
	return PAM_SUCCESS;
}
