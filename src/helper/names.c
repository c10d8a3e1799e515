/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "names.h"

#include <errno.h>
#include <string.h>

#include "channel.h"

static int add_name(const char **v, uint32_t *n, const char *name)
{
	if (!name || !*name)
		return 0;
	for (uint32_t i = 0; i < *n; i++)
		if (strcmp(v[i], name) == 0)
			return 0;
	if (*n == WIRE_MAX_NAMES)
		return -E2BIG;
	v[(*n)++] = name;
	return 0;
}

static int collect(const struct conf *conf, struct wire_names *q)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < conf->n_rules; i++) {
		const struct conf_rule *rule = &conf->rules[i];

		r = add_name(q->users, &q->n_users, rule->create_owner);
		if (r == 0)
			r = add_name(q->groups, &q->n_groups, rule->create_group);
		for (size_t u = 0; r == 0 && u < rule->n_users; u++)
			r = add_name(q->users, &q->n_users, rule->users[u]);
	}
	return r;
}

int names_resolve(int sock, const struct conf *conf, struct name_table *t)
{
	static struct wire_buf b;
	static uint8_t msg[WIRE_MAX_MSG];
	struct wire_reader rd;
	uint32_t type;
	size_t n_fds;
	ssize_t len;
	int r;

	memset(t, 0, sizeof(*t));
	r = collect(conf, &t->query);
	if (r < 0 || (t->query.n_users == 0 && t->query.n_groups == 0))
		return r;
	r = wire_encode_names(&b, &t->query);
	if (r == 0)
		r = channel_send(sock, &b, NULL, 0);
	if (r < 0)
		return r;
	len = channel_recv(sock, msg, NULL, 0, &n_fds);
	if (len < 0)
		return (int)len;
	if (wire_open(msg, (size_t)len, &type, &rd) < 0 || type != MSG_NAMES_ANSWER ||
	    wire_decode_answer(&rd, &t->answer) < 0 ||
	    t->answer.n_users != t->query.n_users ||
	    t->answer.n_groups != t->query.n_groups)
		return -EBADMSG;
	return 0;
}

static int lookup_user(void *ctx, const char *name, uid_t *uid, gid_t *gid)
{
	const struct name_table *t = ctx;

	for (uint32_t i = 0; i < t->query.n_users; i++) {
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

	for (uint32_t i = 0; i < t->query.n_groups; i++) {
		if (strcmp(t->query.groups[i], name) != 0)
			continue;
		if (!t->answer.groups[i].found)
			return -ENOENT;
		*gid = t->answer.groups[i].gid;
		return 0;
	}
	return -ENOENT;
}

struct name_resolver names_resolver(struct name_table *t)
{
	return (struct name_resolver){ lookup_user, lookup_group, t };
}
