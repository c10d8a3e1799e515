/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: namespace.conf bytes through everything a session does with
 * them short of touching the disk: parse, the names query and its answer,
 * and the session plan (the helper's and polyns-check's plan_make()) for a
 * hostile user, home and requesting user, without an SELinux context.
 *
 * Input: the config, optionally followed by a NUL and "user\nhome\nruser"
 * (missing parts keep hostile defaults).  The low bits of the size pick the
 * options: ignore_config_error, gen_hash, unmnt_remnt/unmnt_only.
 *
 * It also hashes the input with libmd and with the musl helper's MD5
 * (src/musl/md5_rfc1321.c), in two pieces split where the first byte says,
 * and aborts if they differ: instance names are made with one or the other.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <md5.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "instance_name.h"
#include "md5_rfc1321.h"
#include "name_table.h"
#include "options.h"
#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A tiny fixed user database: names starting with 'r' exist. */
static void fake_answer(struct name_table *t)
{
	memset(&t->answer, 0, sizeof(t->answer));
	t->answer.n_users = t->query.n_users;
	for (uint32_t i = 0; i < t->query.n_users; i++) {
		const char *name = t->query.users[i];

		if (name[0] != 'r')
			continue;
		t->answer.users[i].found = 1;
		t->answer.users[i].uid = (uint32_t)strlen(name);
		t->answer.users[i].gid = 100;
	}
	t->answer.n_groups = t->query.n_groups;
	for (uint32_t i = 0; i < t->query.n_groups; i++) {
		if (t->query.groups[i][0] != 'g')
			continue;
		t->answer.groups[i].found = 1;
		t->answer.groups[i].gid = (uint32_t)strlen(t->query.groups[i]);
	}
}

/* Split "user\nhome\nruser" in place; absent parts stay as they were. */
static void read_users(char *s, const char **user, const char **home, const char **ruser)
{
	const char **parts[] = { user, home, ruser };

	for (size_t i = 0; s && i < 3; i++) {
		char *nl = strchr(s, '\n');

		if (nl)
			*nl = '\0';
		*parts[i] = s;
		s = nl ? nl + 1 : NULL;
	}
}

static void exercise_plan(const struct conf *conf, const char *user, const char *home,
			  const char *ruser, size_t size, struct diag_list *diags)
{
	static struct name_table names;
	static const unsigned int unmnt[] = { POLYNS_UNMNT_NONE, POLYNS_UNMNT_REMNT,
					      POLYNS_UNMNT_ONLY };
	const struct name_resolver res = name_table_resolver(&names);
	struct plan_input in = {
		.user = { user, 5, 100, home },
		.ruser = { ruser, (uid_t)strlen(ruser), 100, home },
		.flags = ((size & 2) ? POLYNS_OPT_IGNORE_CONFIG_ERROR : 0) |
			 ((size & 4) ? POLYNS_OPT_GEN_HASH : 0),
		.unmnt = unmnt[(size >> 3) % 3],
		.context = NULL,
		.umask = 022,
		.init = "/etc/security/namespace.init",
	};
	char parent[CONF_PATH_MAX], base[CONF_PATH_MAX];
	struct plan p;

	if (plan_query(conf, &names.query, diags) < 0)
		return;
	fake_answer(&names);
	(void)plan_make(conf, &in, &res, &p, diags);
	for (size_t i = 0; i < p.n_jobs; i++)
		if (p.jobs[i].setup && !p.jobs[i].name_later)
			(void)instance_path_split(p.jobs[i].prefix, p.jobs[i].name, parent,
						  sizeof(parent), base, sizeof(base));
	plan_free(&p);
}

static void same_md5(const uint8_t *data, size_t size)
{
	char ours[MD5_RFC1321_HEX], theirs[MD5_DIGEST_STRING_LENGTH];
	size_t split = size ? data[0] % (size + 1) : 0;
	struct md5_rfc1321 m;

	md5_rfc1321_init(&m);
	md5_rfc1321_update(&m, data, split);
	md5_rfc1321_update(&m, data + split, size - split);
	md5_rfc1321_hex(&m, ours);
	MD5Data(data, size, theirs);
	if (strcmp(ours, theirs) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *user = "r../al$HOME", *home = "/home/$USER/..//", *ruser = "$USER";
	struct conf conf = { 0 };
	struct diag_list diags = { 0 };
	const uint8_t *nul = memchr(data, '\0', size);
	size_t conf_len = nul ? (size_t)(nul - data) : size;
	char *extra = NULL;

	if (size > CONF_MAX_FILE_SIZE)
		return 0;
	same_md5(data, size);
	if (nul) {
		extra = strndup((const char *)nul + 1, size - conf_len - 1);
		if (!extra)
			return 0;
		read_users(extra, &user, &home, &ruser);
	}
	(void)conf_parse_buffer(&conf, "fuzz.conf", (const char *)data, conf_len,
				"/etc/security/namespace.d", size & 1, &diags);
	exercise_plan(&conf, user, home, ruser, size, &diags);
	conf_free(&conf);
	diag_list_free(&diags);
	free(extra);
	return 0;
}
