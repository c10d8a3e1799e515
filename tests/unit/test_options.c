/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static char err[512];

/* Parse a literal word list into *o; returns the parser's result. */
#define PARSE(o, ...)                                                          \
	polyns_options_parse(                                                  \
		(int)(sizeof((const char *const[]){ __VA_ARGS__ }) /           \
		      sizeof(const char *)),                                   \
		(const char *const[]){ __VA_ARGS__ }, (o), err, sizeof(err))

static void assert_parse_ok_1(const char *word, struct polyns_options *o)
{
	const char *argv[] = { word };

	err[0] = 'x';
	err[1] = '\0';
	assert_int_equal(polyns_options_parse(1, argv, o, err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

/* One word that must fail, with a message naming it. */
static void assert_rejects_word(const char *word, const char *msg_part)
{
	struct polyns_options o;
	const char *argv[] = { word };

	err[0] = '\0';
	assert_int_equal(polyns_options_parse(1, argv, &o, err, sizeof(err)),
			 -EINVAL);
	if (word[0] != '\0') {
		char quoted[PATH_MAX + 8];

		(void)snprintf(quoted, sizeof(quoted), "'%s'", word);
		if (strlen(word) < 200 && !strstr(err, quoted))
			fail_msg("error '%s' does not name '%s'", err, word);
	}
	if (msg_part && !strstr(err, msg_part))
		fail_msg("error '%s' lacks '%s'", err, msg_part);
}

/* ---- defaults ---- */

static void options_defaults_with_no_arguments(void **state)
{
	struct polyns_options o;

	(void)state;
	memset(&o, 0xa5, sizeof(o));
	err[0] = 'x';
	assert_int_equal(polyns_options_parse(0, NULL, &o, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(o.flags, 0);
	assert_int_equal(o.unmnt, POLYNS_UNMNT_NONE);
	assert_int_equal(o.share, POLYNS_SHARE_SESSION);
	assert_int_equal(o.ns_mask, 0);
	assert_int_equal(o.timeout_sec, 10);
	assert_string_equal(o.config, "/etc/security/namespace.conf");
	assert_string_equal(o.config_dir, "/etc/security/namespace.d");
	assert_string_equal(o.init, "/etc/security/namespace.init");
	assert_string_equal(o.helper, POLYNS_DEFAULT_HELPER);
	assert_string_equal(o.runtime_dir, "/run/polyns");
}

static void options_reset_defaults_between_calls(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_int_equal(PARSE(&o, "debug", "share=user", "ns=net", "timeout=5",
			       "config=/x"), 0);
	assert_int_equal(polyns_options_parse(0, NULL, &o, err, sizeof(err)), 0);
	assert_int_equal(o.flags, 0);
	assert_int_equal(o.share, POLYNS_SHARE_SESSION);
	assert_int_equal(o.ns_mask, 0);
	assert_int_equal(o.timeout_sec, 10);
	assert_string_equal(o.config, "/etc/security/namespace.conf");
}

static void options_reject_negative_argc_and_null_argv(void **state)
{
	struct polyns_options o;
	const char *argv[] = { "debug", NULL };

	(void)state;
	assert_int_equal(polyns_options_parse(-1, argv, &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "invalid argument vector");
	assert_int_equal(polyns_options_parse(1, NULL, &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "invalid argument vector");
	assert_int_equal(polyns_options_parse(2, argv, &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "argument 2 is NULL");
}

static void options_zero_errlen_does_not_write(void **state)
{
	struct polyns_options o;
	const char *argv[] = { "bogus" };
	char canary[4] = "abc";

	(void)state;
	assert_int_equal(polyns_options_parse(1, argv, &o, canary, 0), -EINVAL);
	assert_string_equal(canary, "abc");
}

static void options_error_truncated_to_errlen(void **state)
{
	struct polyns_options o;
	const char *argv[] = { "bogus_option_word" };
	char small[8];

	(void)state;
	assert_int_equal(polyns_options_parse(1, argv, &o, small, sizeof(small)),
			 -EINVAL);
	assert_string_equal(small, "'bogus_");
}

/* ---- pam_namespace boolean options ---- */

static void options_each_flag_word_sets_its_bit(void **state)
{
	static const struct {
		const char *word;
		unsigned int bit;
	} words[] = {
		{ "debug", POLYNS_OPT_DEBUG },
		{ "gen_hash", POLYNS_OPT_GEN_HASH },
		{ "ignore_config_error", POLYNS_OPT_IGNORE_CONFIG_ERROR },
		{ "ignore_instance_parent_mode", POLYNS_OPT_IGNORE_INSTANCE_PARENT_MODE },
		{ "unmount_on_close", POLYNS_OPT_UNMOUNT_ON_CLOSE },
		{ "require_selinux", POLYNS_OPT_REQUIRE_SELINUX },
		{ "use_current_context", POLYNS_OPT_USE_CURRENT_CONTEXT },
		{ "use_default_context", POLYNS_OPT_USE_DEFAULT_CONTEXT },
		{ "mount_private", POLYNS_OPT_MOUNT_PRIVATE },
	};
	struct polyns_options o;

	(void)state;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		assert_parse_ok_1(words[i].word, &o);
		assert_int_equal(o.flags, words[i].bit);
		assert_int_equal(o.unmnt, POLYNS_UNMNT_NONE);
		assert_int_equal(o.ns_mask, 0);
		assert_int_equal(o.share, POLYNS_SHARE_SESSION);
	}
}

static void options_all_flags_combine(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_int_equal(PARSE(&o, "debug", "gen_hash", "ignore_config_error",
			       "ignore_instance_parent_mode", "unmount_on_close",
			       "require_selinux", "use_current_context",
			       "use_default_context", "mount_private"),
			 0);
	assert_int_equal(o.flags, 0x1ffU);
}

static void options_flag_repeated_is_fine(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_int_equal(PARSE(&o, "debug", "debug", "gen_hash", "gen_hash"), 0);
	assert_int_equal(o.flags, POLYNS_OPT_DEBUG | POLYNS_OPT_GEN_HASH);
}

static void options_unmnt_remnt_and_only(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_parse_ok_1("unmnt_remnt", &o);
	assert_int_equal(o.unmnt, POLYNS_UNMNT_REMNT);
	assert_int_equal(o.flags, 0);
	assert_parse_ok_1("unmnt_only", &o);
	assert_int_equal(o.unmnt, POLYNS_UNMNT_ONLY);
	assert_int_equal(o.flags, 0);
}

static void options_unmnt_last_wins(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_int_equal(PARSE(&o, "unmnt_remnt", "unmnt_only"), 0);
	assert_int_equal(o.unmnt, POLYNS_UNMNT_ONLY);
	assert_int_equal(PARSE(&o, "unmnt_only", "unmnt_remnt"), 0);
	assert_int_equal(o.unmnt, POLYNS_UNMNT_REMNT);
	assert_int_equal(PARSE(&o, "unmnt_only", "debug", "unmnt_remnt", "unmnt_only"), 0);
	assert_int_equal(o.unmnt, POLYNS_UNMNT_ONLY);
	assert_int_equal(o.flags, POLYNS_OPT_DEBUG);
}

static void options_unmount_on_close_last_wins(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_parse_ok_1("no_unmount_on_close", &o);
	assert_int_equal(o.flags, 0);
	assert_int_equal(PARSE(&o, "unmount_on_close", "no_unmount_on_close"), 0);
	assert_int_equal(o.flags, 0);
	assert_int_equal(PARSE(&o, "no_unmount_on_close", "unmount_on_close"), 0);
	assert_int_equal(o.flags, POLYNS_OPT_UNMOUNT_ON_CLOSE);
	/* Clearing leaves the other bits alone. */
	assert_int_equal(PARSE(&o, "debug", "unmount_on_close", "mount_private",
			       "no_unmount_on_close"), 0);
	assert_int_equal(o.flags, POLYNS_OPT_DEBUG | POLYNS_OPT_MOUNT_PRIVATE);
}

/* ---- share ---- */

static void options_share_key_values(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_parse_ok_1("share=session", &o);
	assert_int_equal(o.share, POLYNS_SHARE_SESSION);
	assert_parse_ok_1("share=user", &o);
	assert_int_equal(o.share, POLYNS_SHARE_USER);
	assert_parse_ok_1("share=group", &o);
	assert_int_equal(o.share, POLYNS_SHARE_GROUP);
	assert_int_equal(o.ns_mask, 0);
}

static void options_share_bare_words(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_parse_ok_1("session", &o);
	assert_int_equal(o.share, POLYNS_SHARE_SESSION);
	assert_parse_ok_1("user", &o);
	assert_int_equal(o.share, POLYNS_SHARE_USER);
	assert_int_equal(o.ns_mask, 0); /* "user" is a strategy, not userns */
	assert_parse_ok_1("group", &o);
	assert_int_equal(o.share, POLYNS_SHARE_GROUP);
}

static void options_share_conflict_is_error(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_int_equal(PARSE(&o, "share=user", "share=group"), -EINVAL);
	assert_string_equal(err, "'share=group': share strategy already set to 'user'");
	assert_int_equal(PARSE(&o, "user", "group"), -EINVAL);
	assert_string_equal(err, "'group': share strategy already set to 'user'");
	assert_int_equal(PARSE(&o, "share=group", "session"), -EINVAL);
	assert_string_equal(err, "'session': share strategy already set to 'group'");
	/* An explicit session still conflicts with a later user. */
	assert_int_equal(PARSE(&o, "session", "share=user"), -EINVAL);
	assert_string_equal(err, "'share=user': share strategy already set to 'session'");
}

static void options_share_repeated_same_is_fine(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_int_equal(PARSE(&o, "share=group", "group", "share=group"), 0);
	assert_int_equal(o.share, POLYNS_SHARE_GROUP);
	assert_int_equal(PARSE(&o, "user", "share=user"), 0);
	assert_int_equal(o.share, POLYNS_SHARE_USER);
	assert_int_equal(PARSE(&o, "session", "share=session"), 0);
	assert_int_equal(o.share, POLYNS_SHARE_SESSION);
}

static void options_share_unknown_value(void **state)
{
	(void)state;
	assert_rejects_word("share=host", "unknown share strategy 'host'");
	assert_rejects_word("share=", "unknown share strategy ''");
	assert_rejects_word("share=User", "unknown share strategy 'User'");
	assert_rejects_word("Session", "unknown option");
}

/* ---- ns= ---- */

static void options_ns_each_name(void **state)
{
	static const struct {
		const char *word;
		unsigned int bit;
	} v[] = {
		{ "ns=mnt", POLYNS_NS_MNT },	   { "ns=ipc", POLYNS_NS_IPC },
		{ "ns=net", POLYNS_NS_NET },	   { "ns=pid", POLYNS_NS_PID },
		{ "ns=user", POLYNS_NS_USER },	   { "ns=uts", POLYNS_NS_UTS },
		{ "ns=cgroup", POLYNS_NS_CGROUP }, { "ns=time", POLYNS_NS_TIME },
	};
	struct polyns_options o;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_parse_ok_1(v[i].word, &o);
		assert_int_equal(o.ns_mask, v[i].bit);
		assert_int_equal(o.share, POLYNS_SHARE_SESSION);
	}
}

static void options_ns_full_list(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_parse_ok_1("ns=mnt,ipc,net,pid,user,uts,cgroup,time", &o);
	assert_int_equal(o.ns_mask, POLYNS_NS_ALL);
	assert_parse_ok_1("ns=time,ipc", &o);
	assert_int_equal(o.ns_mask, POLYNS_NS_TIME | POLYNS_NS_IPC);
}

static void options_ns_lists_accumulate(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_int_equal(PARSE(&o, "ns=net", "ns=pid,uts", "CLONE_NEWIPC"), 0);
	assert_int_equal(o.ns_mask,
			 POLYNS_NS_NET | POLYNS_NS_PID | POLYNS_NS_UTS | POLYNS_NS_IPC);
}

static void options_ns_empty_item_rejected(void **state)
{
	(void)state;
	assert_rejects_word("ns=", "empty namespace name in list");
	assert_rejects_word("ns=mnt,,ipc", "empty namespace name in list");
	assert_rejects_word("ns=,", "empty namespace name in list");
	assert_rejects_word("ns=,ipc", "empty namespace name in list");
}

static void options_ns_trailing_comma_rejected(void **state)
{
	(void)state;
	assert_rejects_word("ns=mnt,", "empty namespace name in list");
	assert_rejects_word("ns=mnt,ipc,", "empty namespace name in list");
}

static void options_ns_unknown_name_rejected(void **state)
{
	(void)state;
	assert_rejects_word("ns=mnt,bogus", "unknown namespace type 'bogus'");
	assert_rejects_word("ns=MNT", "unknown namespace type 'MNT'");
	assert_rejects_word("ns=mn", "unknown namespace type 'mn'");
	assert_rejects_word("ns=mntx", "unknown namespace type 'mntx'");
	assert_rejects_word("ns=CLONE_NEWNS", "unknown namespace type 'CLONE_NEWNS'");
	assert_rejects_word("ns=mnt ipc", "unknown namespace type 'mnt ipc'");
}

static void options_ns_duplicate_rejected(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_rejects_word("ns=net,net", "namespace 'net' named twice");
	assert_int_equal(PARSE(&o, "ns=ipc", "ns=mnt,ipc"), -EINVAL);
	assert_string_equal(err, "'ns=mnt,ipc': namespace 'ipc' named twice");
	assert_int_equal(PARSE(&o, "ns=mnt", "CLONE_NEWNS"), -EINVAL);
	assert_string_equal(err, "'CLONE_NEWNS': namespace 'mnt' named twice");
	assert_int_equal(PARSE(&o, "CLONE_NEWUSER", "ns=user"), -EINVAL);
	assert_string_equal(err, "'ns=user': namespace 'user' named twice");
}

/* ---- pam_ns spelling ---- */

static void options_pam_ns_spelling(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_int_equal(PARSE(&o, "user", "CLONE_NEWIPC", "CLONE_NEWNS"), 0);
	assert_int_equal(o.share, POLYNS_SHARE_USER);
	assert_int_equal(o.ns_mask, POLYNS_NS_IPC | POLYNS_NS_MNT);
	assert_int_equal(o.flags, 0);
}

static void options_every_clone_word(void **state)
{
	static const struct {
		const char *word;
		unsigned int bit;
	} v[] = {
		{ "CLONE_NEWNS", POLYNS_NS_MNT },
		{ "CLONE_NEWIPC", POLYNS_NS_IPC },
		{ "CLONE_NEWNET", POLYNS_NS_NET },
		{ "CLONE_NEWPID", POLYNS_NS_PID },
		{ "CLONE_NEWUSER", POLYNS_NS_USER },
		{ "CLONE_NEWUTS", POLYNS_NS_UTS },
		{ "CLONE_NEWCGROUP", POLYNS_NS_CGROUP },
		{ "CLONE_NEWTIME", POLYNS_NS_TIME },
	};
	struct polyns_options o;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_parse_ok_1(v[i].word, &o);
		assert_int_equal(o.ns_mask, v[i].bit);
	}
	assert_int_equal(PARSE(&o, "CLONE_NEWNS", "CLONE_NEWIPC", "CLONE_NEWNET",
			       "CLONE_NEWPID", "CLONE_NEWUSER", "CLONE_NEWUTS",
			       "CLONE_NEWCGROUP", "CLONE_NEWTIME"),
			 0);
	assert_int_equal(o.ns_mask, POLYNS_NS_ALL);
}

static void options_clone_words_are_case_sensitive(void **state)
{
	(void)state;
	assert_rejects_word("clone_newns", "unknown option");
	assert_rejects_word("CLONE_NEWMNT", "unknown option");
	assert_rejects_word("CLONE_NEWNS,CLONE_NEWIPC", "unknown option");
}

static void options_reject_clone_fs(void **state)
{
	(void)state;
	assert_rejects_word("CLONE_FS", NULL);
	assert_string_equal(err, "'CLONE_FS': not a namespace type; pam_polyns only "
				 "creates namespaces");
}

static void options_reject_clone_files(void **state)
{
	(void)state;
	assert_rejects_word("CLONE_FILES", "not a namespace type");
}

static void options_reject_clone_sysvsem(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_rejects_word("CLONE_SYSVSEM", "not a namespace type");
	/* Also after valid words, and the earlier words do not hide it. */
	assert_int_equal(PARSE(&o, "user", "CLONE_NEWIPC", "CLONE_SYSVSEM"), -EINVAL);
	assert_string_equal(err, "'CLONE_SYSVSEM': not a namespace type; pam_polyns "
				 "only creates namespaces");
}

/* ---- paths ---- */

static void options_paths_absolute_accepted(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_int_equal(PARSE(&o, "config=/etc/polyns/ns.conf", "config_dir=/etc/polyns/ns.d",
			       "init=/usr/lib/polyns/init", "helper=/opt/h",
			       "runtime_dir=/run/x"),
			 0);
	assert_string_equal(o.config, "/etc/polyns/ns.conf");
	assert_string_equal(o.config_dir, "/etc/polyns/ns.d");
	assert_string_equal(o.init, "/usr/lib/polyns/init");
	assert_string_equal(o.helper, "/opt/h");
	assert_string_equal(o.runtime_dir, "/run/x");
}

static void options_paths_point_into_argv(void **state)
{
	struct polyns_options o;
	const char *argv[] = { "config=/a", "runtime_dir=/b" };

	(void)state;
	assert_int_equal(polyns_options_parse(2, argv, &o, err, sizeof(err)), 0);
	assert_ptr_equal(o.config, argv[0] + strlen("config="));
	assert_ptr_equal(o.runtime_dir, argv[1] + strlen("runtime_dir="));
}

static void options_path_last_wins(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_int_equal(PARSE(&o, "config=/one", "config=/two"), 0);
	assert_string_equal(o.config, "/two");
}

static void options_paths_relative_rejected(void **state)
{
	(void)state;
	assert_rejects_word("config=etc/ns.conf", "path must be absolute");
	assert_rejects_word("config_dir=ns.d", "path must be absolute");
	assert_rejects_word("init=./init", "path must be absolute");
	assert_rejects_word("helper=polyns-helper", "path must be absolute");
	assert_rejects_word("runtime_dir=run", "path must be absolute");
	assert_rejects_word("config=", "path must be absolute");
	assert_rejects_word("helper= /x", "path must be absolute");
}

static void options_paths_too_long_rejected(void **state)
{
	static const char *const keys[] = { "config=", "config_dir=", "init=",
					    "helper=", "runtime_dir=" };
	char *word = malloc(PATH_MAX + 32);
	struct polyns_options o;
	char expect[128];
	char *bigerr = malloc(2 * PATH_MAX);

	(void)state;
	assert_non_null(word);
	assert_non_null(bigerr);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		size_t klen = strlen(keys[i]);
		const char *argv[] = { word };

		/* PATH_MAX - 1 bytes: the longest accepted. */
		memcpy(word, keys[i], klen);
		word[klen] = '/';
		memset(word + klen + 1, 'a', PATH_MAX - 2);
		word[klen + PATH_MAX - 1] = '\0';
		assert_int_equal(polyns_options_parse(1, argv, &o, bigerr, 2 * PATH_MAX), 0);

		/* PATH_MAX bytes: rejected. */
		word[klen + PATH_MAX - 1] = 'a';
		word[klen + PATH_MAX] = '\0';
		assert_int_equal(polyns_options_parse(1, argv, &o, bigerr, 2 * PATH_MAX),
				 -EINVAL);
		(void)snprintf(expect, sizeof(expect), "path is longer than %d bytes",
			       PATH_MAX - 1);
		assert_non_null(strstr(bigerr, expect));
		assert_memory_equal(bigerr, "'", 1);
		assert_memory_equal(bigerr + 1, keys[i], klen);
		/* The message quotes the whole offending word. */
		assert_memory_equal(bigerr + 1 + klen + PATH_MAX, "': path", 7);
	}
	free(word);
	free(bigerr);
}

/* ---- timeout ---- */

static void options_timeout_range(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_parse_ok_1("timeout=1", &o);
	assert_int_equal(o.timeout_sec, 1);
	assert_parse_ok_1("timeout=3600", &o);
	assert_int_equal(o.timeout_sec, 3600);
	assert_parse_ok_1("timeout=42", &o);
	assert_int_equal(o.timeout_sec, 42);
	assert_parse_ok_1("timeout=007", &o);
	assert_int_equal(o.timeout_sec, 7);
}

static void options_timeout_out_of_range_rejected(void **state)
{
	(void)state;
	assert_rejects_word("timeout=0", "timeout must be between 1 and 3600 seconds");
	assert_rejects_word("timeout=000", "timeout must be between 1 and 3600 seconds");
	assert_rejects_word("timeout=3601", "timeout must be between 1 and 3600 seconds");
	assert_rejects_word("timeout=4294967297",
			    "timeout must be between 1 and 3600 seconds");
	assert_rejects_word("timeout=18446744073709551617",
			    "timeout must be between 1 and 3600 seconds");
	assert_rejects_word("timeout=99999999999999999999999999999999999999999",
			    "timeout must be between 1 and 3600 seconds");
	/* Rejected whichever problem is noticed first. */
	assert_rejects_word("timeout=99999999999999999999x", "timeout must be");
}

static void options_timeout_non_digits_rejected(void **state)
{
	(void)state;
	assert_rejects_word("timeout=10s", "timeout must be a whole number of seconds");
	assert_rejects_word("timeout=-1", "timeout must be a whole number of seconds");
	assert_rejects_word("timeout=+5", "timeout must be a whole number of seconds");
	assert_rejects_word("timeout= 5", "timeout must be a whole number of seconds");
	assert_rejects_word("timeout=0x10", "timeout must be a whole number of seconds");
	assert_rejects_word("timeout=1.5", "timeout must be a whole number of seconds");
}

static void options_timeout_empty_rejected(void **state)
{
	(void)state;
	assert_rejects_word("timeout=", "empty timeout");
}

static void options_timeout_last_wins(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_int_equal(PARSE(&o, "timeout=5", "timeout=60"), 0);
	assert_int_equal(o.timeout_sec, 60);
}

/* ---- unknown / malformed ---- */

static void options_unknown_word_rejected(void **state)
{
	(void)state;
	assert_rejects_word("dbug", NULL);
	assert_string_equal(err, "'dbug': unknown option");
	assert_rejects_word("DEBUG", "unknown option");
	assert_rejects_word("debug ", "unknown option");
	assert_rejects_word("unmnt", "unknown option");
}

static void options_empty_word_rejected(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_rejects_word("", NULL);
	assert_string_equal(err, "empty argument");
	assert_int_equal(PARSE(&o, "debug", ""), -EINVAL);
	assert_string_equal(err, "empty argument");
}

static void options_unknown_key_rejected(void **state)
{
	(void)state;
	assert_rejects_word("bogus=1", NULL);
	assert_string_equal(err, "'bogus=1': unknown option");
	assert_rejects_word("debug=1", "unknown option");
	assert_rejects_word("=x", "unknown option");
	assert_rejects_word("configx=/a", "unknown option");
	assert_rejects_word("confi=/a", "unknown option");
	assert_rejects_word("Config=/a", "unknown option");
}

static void options_error_names_offending_word_among_many(void **state)
{
	struct polyns_options o;

	(void)state;
	assert_int_equal(PARSE(&o, "debug", "share=user", "ns=net", "gen_hsah",
			       "mount_private"),
			 -EINVAL);
	assert_string_equal(err, "'gen_hsah': unknown option");
	assert_int_equal(PARSE(&o, "debug", "ns=net,ipx"), -EINVAL);
	assert_string_equal(err, "'ns=net,ipx': unknown namespace type 'ipx' "
				 "(want mnt, ipc, net, pid, user, uts, cgroup or time)");
	assert_int_equal(PARSE(&o, "timeout=99x"), -EINVAL);
	assert_non_null(strstr(err, "'timeout=99x'"));
}

/* ---- name helpers ---- */

static void options_ns_name_for_each_bit(void **state)
{
	(void)state;
	assert_string_equal(polyns_ns_name(POLYNS_NS_MNT), "mnt");
	assert_string_equal(polyns_ns_name(POLYNS_NS_IPC), "ipc");
	assert_string_equal(polyns_ns_name(POLYNS_NS_NET), "net");
	assert_string_equal(polyns_ns_name(POLYNS_NS_PID), "pid");
	assert_string_equal(polyns_ns_name(POLYNS_NS_USER), "user");
	assert_string_equal(polyns_ns_name(POLYNS_NS_UTS), "uts");
	assert_string_equal(polyns_ns_name(POLYNS_NS_CGROUP), "cgroup");
	assert_string_equal(polyns_ns_name(POLYNS_NS_TIME), "time");
	assert_null(polyns_ns_name(0));
	assert_null(polyns_ns_name(1U << 8));
	assert_null(polyns_ns_name(POLYNS_NS_MNT | POLYNS_NS_IPC));
	assert_null(polyns_ns_name(POLYNS_NS_ALL));
}

static void options_ns_clone_flag_for_each_bit(void **state)
{
	(void)state;
	assert_int_equal(polyns_ns_clone_flag(POLYNS_NS_MNT), CLONE_NEWNS);
	assert_int_equal(polyns_ns_clone_flag(POLYNS_NS_IPC), CLONE_NEWIPC);
	assert_int_equal(polyns_ns_clone_flag(POLYNS_NS_NET), CLONE_NEWNET);
	assert_int_equal(polyns_ns_clone_flag(POLYNS_NS_PID), CLONE_NEWPID);
	assert_int_equal(polyns_ns_clone_flag(POLYNS_NS_USER), CLONE_NEWUSER);
	assert_int_equal(polyns_ns_clone_flag(POLYNS_NS_UTS), CLONE_NEWUTS);
	assert_int_equal(polyns_ns_clone_flag(POLYNS_NS_CGROUP), CLONE_NEWCGROUP);
	assert_int_equal(polyns_ns_clone_flag(POLYNS_NS_TIME), CLONE_NEWTIME);
	/* Kernel ABI values, independent of the headers used. */
	assert_int_equal(polyns_ns_clone_flag(POLYNS_NS_MNT), 0x00020000);
	assert_int_equal(polyns_ns_clone_flag(POLYNS_NS_CGROUP), 0x02000000);
	assert_int_equal(polyns_ns_clone_flag(POLYNS_NS_TIME), 0x00000080);
	assert_int_equal(polyns_ns_clone_flag(0), 0);
	assert_int_equal(polyns_ns_clone_flag(1U << 8), 0);
	assert_int_equal(polyns_ns_clone_flag(POLYNS_NS_NET | POLYNS_NS_PID), 0);
}

static void options_share_name_for_each_value(void **state)
{
	(void)state;
	assert_string_equal(polyns_share_name(POLYNS_SHARE_SESSION), "session");
	assert_string_equal(polyns_share_name(POLYNS_SHARE_USER), "user");
	assert_string_equal(polyns_share_name(POLYNS_SHARE_GROUP), "group");
	assert_null(polyns_share_name((enum polyns_share)3));
	assert_null(polyns_share_name((enum polyns_share)-1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(options_defaults_with_no_arguments),
		cmocka_unit_test(options_reset_defaults_between_calls),
		cmocka_unit_test(options_reject_negative_argc_and_null_argv),
		cmocka_unit_test(options_zero_errlen_does_not_write),
		cmocka_unit_test(options_error_truncated_to_errlen),
		cmocka_unit_test(options_each_flag_word_sets_its_bit),
		cmocka_unit_test(options_all_flags_combine),
		cmocka_unit_test(options_flag_repeated_is_fine),
		cmocka_unit_test(options_unmnt_remnt_and_only),
		cmocka_unit_test(options_unmnt_last_wins),
		cmocka_unit_test(options_unmount_on_close_last_wins),
		cmocka_unit_test(options_share_key_values),
		cmocka_unit_test(options_share_bare_words),
		cmocka_unit_test(options_share_conflict_is_error),
		cmocka_unit_test(options_share_repeated_same_is_fine),
		cmocka_unit_test(options_share_unknown_value),
		cmocka_unit_test(options_ns_each_name),
		cmocka_unit_test(options_ns_full_list),
		cmocka_unit_test(options_ns_lists_accumulate),
		cmocka_unit_test(options_ns_empty_item_rejected),
		cmocka_unit_test(options_ns_trailing_comma_rejected),
		cmocka_unit_test(options_ns_unknown_name_rejected),
		cmocka_unit_test(options_ns_duplicate_rejected),
		cmocka_unit_test(options_pam_ns_spelling),
		cmocka_unit_test(options_every_clone_word),
		cmocka_unit_test(options_clone_words_are_case_sensitive),
		cmocka_unit_test(options_reject_clone_fs),
		cmocka_unit_test(options_reject_clone_files),
		cmocka_unit_test(options_reject_clone_sysvsem),
		cmocka_unit_test(options_paths_absolute_accepted),
		cmocka_unit_test(options_paths_point_into_argv),
		cmocka_unit_test(options_path_last_wins),
		cmocka_unit_test(options_paths_relative_rejected),
		cmocka_unit_test(options_paths_too_long_rejected),
		cmocka_unit_test(options_timeout_range),
		cmocka_unit_test(options_timeout_out_of_range_rejected),
		cmocka_unit_test(options_timeout_non_digits_rejected),
		cmocka_unit_test(options_timeout_empty_rejected),
		cmocka_unit_test(options_timeout_last_wins),
		cmocka_unit_test(options_unknown_word_rejected),
		cmocka_unit_test(options_empty_word_rejected),
		cmocka_unit_test(options_unknown_key_rejected),
		cmocka_unit_test(options_error_names_offending_word_among_many),
		cmocka_unit_test(options_ns_name_for_each_bit),
		cmocka_unit_test(options_ns_clone_flag_for_each_bit),
		cmocka_unit_test(options_share_name_for_each_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
