/* SPDX-License-Identifier: BSD-3-Clause */
#include "conf_resolve.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int resolve_create(const struct conf_rule *rule,
			  const struct name_resolver *res,
			  enum diag_level level, struct resolved_rule *out,
			  struct diag_list *diags)
{
	gid_t owner_gid = 0;
	int r;

	if (rule->create_owner) {
		r = res->user(res->ctx, rule->create_owner, &out->owner, &owner_gid);
		if (r == -ENOENT) {
			diag_add(diags, level, rule->file, rule->line,
				 "create=: unknown owner '%s'", rule->create_owner);
			return -EINVAL;
		}
		if (r < 0)
			return r;
		out->owner_set = true;
	}
	if (rule->create_group) {
		r = res->group(res->ctx, rule->create_group, &out->group);
		if (r == -ENOENT) {
			diag_add(diags, level, rule->file, rule->line,
				 "create=: unknown group '%s'", rule->create_group);
			return -EINVAL;
		}
		if (r < 0)
			return r;
		out->group_set = true;
	} else if (out->owner_set) {
		out->group = owner_gid;
		out->group_set = true;
	}
	return 0;
}

static int resolve_users(const struct conf_rule *rule,
			 const struct name_resolver *res,
			 struct resolved_rule *out, struct diag_list *diags)
{
	if (rule->n_users == 0)
		return 0;
	out->uids = calloc(rule->n_users, sizeof(*out->uids));
	if (!out->uids)
		return -ENOMEM;
	for (size_t i = 0; i < rule->n_users; i++) {
		gid_t gid;
		int r;

		if (rule->users[i][0] == '\0')
			continue; /* conf_parse already warned */
		r = res->user(res->ctx, rule->users[i], &out->uids[out->n_uids], &gid);
		if (r == -ENOENT) {
			diag_add(diags, DIAG_WARNING, rule->file, rule->line,
				 "unknown user '%s' in the user list", rule->users[i]);
			continue;
		}
		if (r < 0)
			return r;
		out->n_uids++;
	}
	return 0;
}

int conf_resolve_rule(const struct conf_rule *rule,
		      const struct name_resolver *res, bool ignore_errors,
		      struct resolved_rule *out, struct diag_list *diags)
{
	int r;

	*out = (struct resolved_rule){ 0 };
	r = resolve_create(rule, res, ignore_errors ? DIAG_WARNING : DIAG_ERROR,
			   out, diags);
	if (r == 0)
		r = resolve_users(rule, res, out, diags);
	if (r < 0)
		resolved_rule_free(out);
	return r;
}

void resolved_rule_free(struct resolved_rule *r)
{
	free(r->uids);
	*r = (struct resolved_rule){ 0 };
}
