/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Applying one rule to one session: $HOME/$USER expansion, the checks that
 * pam_namespace makes on the expanded paths, and whether the rule applies.
 * Pure: the caller supplies the users' data.
 */
#ifndef POLYNS_CONF_EXPAND_H
#define POLYNS_CONF_EXPAND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "conf.h"

struct session_user {
	const char *name;
	uid_t uid;
	gid_t gid;
	const char *home;
};

struct expanded_rule {
	char dir[CONF_PATH_MAX];    /* polydir for the session user */
	char rdir[CONF_PATH_MAX];   /* polydir for the requesting user (unmnt_*) */
	char prefix[CONF_PATH_MAX]; /* instance_prefix for the session user */
};

/*
 * Expand "$HOME" and "$USER" (matched as plain prefixes after '$', one pass,
 * substitutions never rescanned) into out.  -ENAMETOOLONG if it does not fit.
 */
int conf_expand_vars(const char *in, const char *user, const char *home,
		     char *out, size_t outlen);

/*
 * Expand and validate rule for user (and ruser, the requesting user).
 * Returns 0, or -EINVAL / -ENAMETOOLONG with a message in err.
 */
int conf_expand_rule(const struct conf_rule *rule,
		     const struct session_user *user,
		     const struct session_user *ruser, struct expanded_rule *out,
		     char *err, size_t errlen);

/*
 * Does the rule polyinstantiate uid?  uids are the rule's list_of_uids after
 * name resolution (unknown names already dropped).
 */
bool conf_rule_applies(const struct conf_rule *rule, const uid_t *uids,
		       size_t n_uids, uid_t uid);

#endif
