/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "options.h"

#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

struct ns_word {
	unsigned int bit;
	int clone_flag;
	const char *name;  /* ns= spelling */
	const char *clone; /* pam_ns spelling */
};

static const struct ns_word ns_words[] = {
	{ POLYNS_NS_MNT, CLONE_NEWNS, "mnt", "CLONE_NEWNS" },
	{ POLYNS_NS_IPC, CLONE_NEWIPC, "ipc", "CLONE_NEWIPC" },
	{ POLYNS_NS_NET, CLONE_NEWNET, "net", "CLONE_NEWNET" },
	{ POLYNS_NS_PID, CLONE_NEWPID, "pid", "CLONE_NEWPID" },
	{ POLYNS_NS_USER, CLONE_NEWUSER, "user", "CLONE_NEWUSER" },
	{ POLYNS_NS_UTS, CLONE_NEWUTS, "uts", "CLONE_NEWUTS" },
	{ POLYNS_NS_CGROUP, CLONE_NEWCGROUP, "cgroup", "CLONE_NEWCGROUP" },
	{ POLYNS_NS_TIME, CLONE_NEWTIME, "time", "CLONE_NEWTIME" },
};

struct flag_word {
	const char *name;
	unsigned int set;   /* POLYNS_OPT_* bits this word sets */
	unsigned int clear; /* ... and clears */
};

static const struct flag_word flag_words[] = {
	{ "debug", POLYNS_OPT_DEBUG, 0 },
	{ "gen_hash", POLYNS_OPT_GEN_HASH, 0 },
	{ "ignore_config_error", POLYNS_OPT_IGNORE_CONFIG_ERROR, 0 },
	{ "ignore_instance_parent_mode", POLYNS_OPT_IGNORE_INSTANCE_PARENT_MODE, 0 },
	{ "unmount_on_close", POLYNS_OPT_UNMOUNT_ON_CLOSE, 0 },
	/* The pre-2012 spelling; its behaviour is today's default. */
	{ "no_unmount_on_close", 0, POLYNS_OPT_UNMOUNT_ON_CLOSE },
	{ "require_selinux", POLYNS_OPT_REQUIRE_SELINUX, 0 },
	{ "use_current_context", POLYNS_OPT_USE_CURRENT_CONTEXT, 0 },
	{ "use_default_context", POLYNS_OPT_USE_DEFAULT_CONTEXT, 0 },
	{ "mount_private", POLYNS_OPT_MOUNT_PRIVATE, 0 },
};

/* pam_ns accepted these clone flags too, but they are not namespaces. */
static const char *const not_namespaces[] = { "CLONE_FS", "CLONE_FILES",
					      "CLONE_SYSVSEM" };

static const char *const share_names[] = {
	[POLYNS_SHARE_SESSION] = "session",
	[POLYNS_SHARE_USER] = "user",
	[POLYNS_SHARE_GROUP] = "group",
};

struct parse_state {
	struct polyns_options *opts;
	bool share_given;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(struct parse_state *st,
						      const char *fmt, ...)
{
	va_list ap;

	if (st->errlen == 0)
		return -EINVAL;
	va_start(ap, fmt);
	(void)vsnprintf(st->err, st->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

const char *polyns_ns_name(unsigned int ns_bit)
{
	for (size_t i = 0; i < ARRAY_SIZE(ns_words); i++)
		if (ns_words[i].bit == ns_bit)
			return ns_words[i].name;
	return NULL;
}

int polyns_ns_clone_flag(unsigned int ns_bit)
{
	for (size_t i = 0; i < ARRAY_SIZE(ns_words); i++)
		if (ns_words[i].bit == ns_bit)
			return ns_words[i].clone_flag;
	return 0;
}

const char *polyns_share_name(enum polyns_share share)
{
	if ((size_t)share >= ARRAY_SIZE(share_names))
		return NULL;
	return share_names[share];
}

static int set_share(struct parse_state *st, const char *word,
		     const char *value)
{
	for (size_t i = 0; i < ARRAY_SIZE(share_names); i++) {
		if (strcmp(value, share_names[i]) != 0)
			continue;
		if (st->share_given && st->opts->share != (enum polyns_share)i)
			return fail(st, "'%s': share strategy already set to '%s'",
				    word, share_names[st->opts->share]);
		st->opts->share = (enum polyns_share)i;
		st->share_given = true;
		return 0;
	}
	return fail(st, "'%s': unknown share strategy '%s' (want session, user or group)",
		    word, value);
}

static int add_ns(struct parse_state *st, const char *word, unsigned int bit,
		  const char *name)
{
	if (st->opts->ns_mask & bit)
		return fail(st, "'%s': namespace '%s' named twice", word, name);
	st->opts->ns_mask |= bit;
	return 0;
}

static int parse_ns_list(struct parse_state *st, const char *word,
			 const char *list)
{
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		const struct ns_word *found = NULL;

		if (len == 0)
			return fail(st, "'%s': empty namespace name in list", word);
		for (size_t i = 0; i < ARRAY_SIZE(ns_words); i++)
			if (strlen(ns_words[i].name) == len &&
			    memcmp(ns_words[i].name, p, len) == 0)
				found = &ns_words[i];
		if (!found)
			return fail(st, "'%s': unknown namespace type '%.*s' "
				    "(want mnt, ipc, net, pid, user, uts, cgroup or time)",
				    word, (int)len, p);
		int r = add_ns(st, word, found->bit, found->name);
		if (r < 0)
			return r;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

static int parse_timeout(struct parse_state *st, const char *word,
			 const char *value)
{
	unsigned long v = 0;

	if (*value == '\0')
		return fail(st, "'%s': empty timeout", word);
	for (const char *p = value; *p; p++) {
		if (*p < '0' || *p > '9')
			return fail(st, "'%s': timeout must be a whole number of seconds", word);
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > POLYNS_MAX_TIMEOUT)
			break;
	}
	if (v < 1 || v > POLYNS_MAX_TIMEOUT)
		return fail(st, "'%s': timeout must be between 1 and %u seconds",
			    word, POLYNS_MAX_TIMEOUT);
	st->opts->timeout_sec = (unsigned int)v;
	return 0;
}

static int parse_path(struct parse_state *st, const char *word,
		      const char *value, const char **out)
{
	if (value[0] != '/')
		return fail(st, "'%s': path must be absolute", word);
	if (strlen(value) >= PATH_MAX)
		return fail(st, "'%s': path is longer than %d bytes", word, PATH_MAX - 1);
	*out = value;
	return 0;
}

static int parse_key_value(struct parse_state *st, const char *word,
			   const char *eq)
{
	size_t klen = (size_t)(eq - word);
	const char *value = eq + 1;
	struct polyns_options *o = st->opts;

#define KEY_IS(k) (klen == sizeof(k) - 1 && memcmp(word, k, klen) == 0)
	if (KEY_IS("share"))
		return set_share(st, word, value);
	if (KEY_IS("ns"))
		return parse_ns_list(st, word, value);
	if (KEY_IS("timeout"))
		return parse_timeout(st, word, value);
	if (KEY_IS("config"))
		return parse_path(st, word, value, &o->config);
	if (KEY_IS("config_dir"))
		return parse_path(st, word, value, &o->config_dir);
	if (KEY_IS("init"))
		return parse_path(st, word, value, &o->init);
	if (KEY_IS("helper"))
		return parse_path(st, word, value, &o->helper);
	if (KEY_IS("runtime_dir"))
		return parse_path(st, word, value, &o->runtime_dir);
#undef KEY_IS
	return fail(st, "'%s': unknown option", word);
}

static int parse_word(struct parse_state *st, const char *word)
{
	const char *eq = strchr(word, '=');

	if (*word == '\0')
		return fail(st, "empty argument");
	if (eq)
		return parse_key_value(st, word, eq);

	for (size_t i = 0; i < ARRAY_SIZE(flag_words); i++) {
		if (strcmp(word, flag_words[i].name) == 0) {
			st->opts->flags |= flag_words[i].set;
			st->opts->flags &= ~flag_words[i].clear;
			return 0;
		}
	}
	if (strcmp(word, "unmnt_remnt") == 0) {
		st->opts->unmnt = POLYNS_UNMNT_REMNT;
		return 0;
	}
	if (strcmp(word, "unmnt_only") == 0) {
		st->opts->unmnt = POLYNS_UNMNT_ONLY;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(share_names); i++)
		if (strcmp(word, share_names[i]) == 0)
			return set_share(st, word, word);
	for (size_t i = 0; i < ARRAY_SIZE(ns_words); i++)
		if (strcmp(word, ns_words[i].clone) == 0)
			return add_ns(st, word, ns_words[i].bit, ns_words[i].name);
	for (size_t i = 0; i < ARRAY_SIZE(not_namespaces); i++)
		if (strcmp(word, not_namespaces[i]) == 0)
			return fail(st, "'%s': not a namespace type; pam_polyns only "
				    "creates namespaces", word);
	return fail(st, "'%s': unknown option", word);
}

int polyns_options_parse(int argc, const char *const *argv,
			 struct polyns_options *opts, char *err, size_t errlen)
{
	struct parse_state st = {
		.opts = opts, .err = err, .errlen = errlen,
	};

	*opts = (struct polyns_options){
		.unmnt = POLYNS_UNMNT_NONE,
		.share = POLYNS_SHARE_SESSION,
		.timeout_sec = POLYNS_DEFAULT_TIMEOUT,
		.config = POLYNS_DEFAULT_CONFIG,
		.config_dir = POLYNS_DEFAULT_CONFIG_DIR,
		.init = POLYNS_DEFAULT_INIT,
		.helper = POLYNS_DEFAULT_HELPER,
		.runtime_dir = POLYNS_DEFAULT_RUNTIME_DIR,
	};
	if (errlen > 0)
		err[0] = '\0';
	if (argc < 0 || (argc > 0 && !argv))
		return fail(&st, "invalid argument vector");
	for (int i = 0; i < argc; i++) {
		if (!argv[i])
			return fail(&st, "argument %d is NULL", i + 1);
		int r = parse_word(&st, argv[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

bool polyns_uses_registry(unsigned int share, unsigned int ns_mask)
{
	return share != POLYNS_SHARE_SESSION ||
	       (ns_mask & (POLYNS_NS_PID | POLYNS_NS_TIME | POLYNS_NS_USER));
}
