/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Names in a rule (create= owner and group, list_of_uids) to ids.  The lookup
 * itself is the caller's (NSS in polyns-check, a table the module sends in
 * the helper), so this stays pure and testable.
 */
#ifndef POLYNS_CONF_RESOLVE_H
#define POLYNS_CONF_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "conf.h"

struct name_resolver {
	/* Each returns 0, -ENOENT for an unknown name, or another -errno. */
	int (*user)(void *ctx, const char *name, uid_t *uid, gid_t *gid);
	int (*group)(void *ctx, const char *name, gid_t *gid);
	void *ctx;
};

struct resolved_rule {
	uid_t *uids; /* known names of list_of_uids */
	size_t n_uids;
	bool owner_set;
	uid_t owner;
	bool group_set;
	gid_t group;
};

/*
 * Unknown list names are warnings (pam_namespace logs and drops them); an
 * unknown create= owner or group is an error (level as conf_parse_buffer).
 * Returns 0, -EINVAL on an error, or -errno from the resolver.
 */
int conf_resolve_rule(const struct conf_rule *rule,
		      const struct name_resolver *res, bool ignore_errors,
		      struct resolved_rule *out, struct diag_list *diags);

void resolved_rule_free(struct resolved_rule *r);

#endif
