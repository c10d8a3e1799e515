/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: namespace.conf bytes through everything a session does with
 * them short of touching the disk: parse, resolve names, expand for a user,
 * and build instance names and paths.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "conf.h"
#include "conf_expand.h"
#include "conf_resolve.h"
#include "instance_name.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A tiny fixed user database: names starting with 'r' exist. */
static int fake_user(void *ctx, const char *name, uid_t *uid, gid_t *gid)
{
	(void)ctx;
	if (name[0] != 'r')
		return -ENOENT;
	*uid = (uid_t)strlen(name);
	*gid = 100;
	return 0;
}

static int fake_group(void *ctx, const char *name, gid_t *gid)
{
	(void)ctx;
	if (name[0] != 'g')
		return -ENOENT;
	*gid = (gid_t)strlen(name);
	return 0;
}

static void exercise_rule(const struct conf_rule *r, struct diag_list *diags)
{
	static const struct name_resolver res = { fake_user, fake_group, NULL };
	static const struct session_user user = {
		.name = "alice", .uid = 5, .gid = 100, .home = "/home/alice",
	};
	struct resolved_rule rr;
	struct expanded_rule er;
	char err[256], name[CONF_PATH_MAX], parent[CONF_PATH_MAX], base[CONF_PATH_MAX];

	if (conf_resolve_rule(r, &res, false, &rr, diags) < 0)
		return;
	(void)conf_rule_applies(r, rr.uids, rr.n_uids, user.uid);
	resolved_rule_free(&rr);
	if (conf_expand_rule(r, &user, &user, &er, err, sizeof(err)) < 0)
		return;
	for (int gen_hash = 0; gen_hash < 2; gen_hash++) {
		/* The rule's own polydir text stands in for an SELinux context. */
		if (instance_name(r->method, r->flags & RULE_SHARED, user.name,
				  r->polydir, gen_hash, name, sizeof(name)) != 0)
			continue;
		(void)instance_path_split(er.prefix, name, parent, sizeof(parent),
					  base, sizeof(base));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf conf = { 0 };
	struct diag_list diags = { 0 };

	if (size > CONF_MAX_FILE_SIZE)
		return 0;
	(void)conf_parse_buffer(&conf, "fuzz.conf", (const char *)data, size,
				"/etc/security/namespace.d", size & 1, &diags);
	for (size_t i = 0; i < conf.n_rules; i++)
		exercise_rule(&conf.rules[i], &diags);
	conf_free(&conf);
	diag_list_free(&diags);
	return 0;
}
