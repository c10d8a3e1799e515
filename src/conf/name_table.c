/* SPDX-License-Identifier: BSD-3-Clause */
#include "name_table.h"

#include <errno.h>
#include <string.h>

static int lookup_user(void *ctx, const char *name, uid_t *uid, gid_t *gid)
{
	const struct name_table *t = ctx;

	for (uint32_t i = 0; i < t->query.n_users && i < t->answer.n_users; i++) {
		if (strcmp(t->query.users[i], name) != 0)
			continue;
		if (!t->answer.users[i].found)
			return -ENOENT;
		*uid = t->answer.users[i].uid;
		*gid = t->answer.users[i].gid;
		return 0;
	}
	return -ENOENT;
}

static int lookup_group(void *ctx, const char *name, gid_t *gid)
{
	const struct name_table *t = ctx;

	for (uint32_t i = 0; i < t->query.n_groups && i < t->answer.n_groups; i++) {
		if (strcmp(t->query.groups[i], name) != 0)
			continue;
		if (!t->answer.groups[i].found)
			return -ENOENT;
		*gid = t->answer.groups[i].gid;
		return 0;
	}
	return -ENOENT;
}

struct name_resolver name_table_resolver(const struct name_table *t)
{
	/* The lookups only read through ctx. */
	return (struct name_resolver){ lookup_user, lookup_group, (void *)t };
}
