/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "secontext.h"

#include <security/pam_ext.h>
#include <selinux/get_context_list.h>
#include <selinux/selinux.h>
#include <stdlib.h>
#include <syslog.h>

static int default_context(const char *user, char **con)
{
	char *seuser = NULL, *level = NULL;
	int r = getseuserbyname(user, &seuser, &level);

	if (r == 0)
		r = get_default_context_with_level(seuser, level, NULL, con);
	free(seuser);
	free(level);
	return r;
}

int session_context(pam_handle_t *pamh, const struct polyns_options *o,
		    const char *user, char **out)
{
	char *con = NULL, *raw = NULL;
	int r;

	*out = NULL;
	if (is_selinux_enabled() != 1)
		return PAM_SUCCESS;
	if (o->flags & POLYNS_OPT_USE_CURRENT_CONTEXT)
		r = getcon(&con);
	else if (o->flags & POLYNS_OPT_USE_DEFAULT_CONTEXT)
		r = default_context(user, &con);
	else
		r = getexeccon(&con);
	if (r < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot get the session's SELinux context: %m");
		return PAM_SESSION_ERR;
	}
	if (!con)
		return PAM_SUCCESS; /* no exec context: context methods use the user's name */
	r = selinux_trans_to_raw_context(con, &raw);
	freecon(con);
	if (r < 0 || !raw) {
		pam_syslog(pamh, LOG_ERR, "cannot translate the SELinux context: %m");
		return PAM_SESSION_ERR;
	}
	*out = raw;
	return PAM_SUCCESS;
}
