/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * polyns-check: validate namespace.conf + namespace.d the way a session
 * would read them, and show what a session of one user would get.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <selinux/selinux.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "conf.h"
#include "conf_expand.h"
#include "conf_load.h"
#include "conf_resolve.h"
#include "instance_name.h"
#include "options.h"
#include "util.h"
#include "wire.h"

#ifndef POLYNS_VERSION
#define POLYNS_VERSION "unknown"
#endif

struct check_args {
	const char *config;
	const char *config_dir;
	const char *user;
	bool gen_hash;
	bool ignore_config_error;
};

/* NSS lookups for the resolver; errno 0 with no entry means "unknown". */
static int nss_user(void *ctx, const char *name, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;

	(void)ctx;
	errno = 0;
	pw = getpwnam(name);
	if (!pw)
		return errno && errno != ENOENT && errno != ESRCH ? -errno : -ENOENT;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

static int nss_group(void *ctx, const char *name, gid_t *gid)
{
	struct group *gr;

	(void)ctx;
	errno = 0;
	gr = getgrnam(name);
	if (!gr)
		return errno && errno != ENOENT && errno != ESRCH ? -errno : -ENOENT;
	*gid = gr->gr_gid;
	return 0;
}

static const struct name_resolver nss_resolver = {
	.user = nss_user,
	.group = nss_group,
};

static void usage(FILE *out)
{
	(void)fprintf(out,
		      "Usage: polyns-check [--config FILE] [--config-dir DIR] [--user NAME]\n"
		      "                    [--gen-hash] [--ignore-config-error]\n"
		      "Check namespace.conf and namespace.d/*.conf; with --user, show what a\n"
		      "session of that user would get.  Exit 0 if valid, 1 if not, 2 on usage.\n");
}

static int parse_args(int argc, char **argv, struct check_args *a)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "config-dir", required_argument, NULL, 'd' },
		{ "user", required_argument, NULL, 'u' },
		{ "gen-hash", no_argument, NULL, 'g' },
		{ "ignore-config-error", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*a = (struct check_args){
		.config = POLYNS_DEFAULT_CONFIG,
		.config_dir = POLYNS_DEFAULT_CONFIG_DIR,
	};
	while ((c = getopt_long(argc, argv, "c:d:u:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			a->config = optarg;
			break;
		case 'd':
			a->config_dir = optarg;
			break;
		case 'u':
			a->user = optarg;
			break;
		case 'g':
			a->gen_hash = true;
			break;
		case 'i':
			a->ignore_config_error = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			(void)printf("polyns-check %s\n", POLYNS_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind != argc) {
		(void)fprintf(stderr, "polyns-check: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

static void print_flags(const struct conf_rule *r, const struct resolved_rule *rr)
{
	if (r->flags & RULE_CREATE) {
		(void)printf("  create");
		if (r->create_mode_set)
			(void)printf(" mode=%#o", (unsigned int)r->create_mode);
		if (rr->owner_set)
			(void)printf(" owner=%u", (unsigned int)rr->owner);
		if (rr->group_set)
			(void)printf(" group=%u", (unsigned int)rr->group);
		(void)printf("\n");
	}
	if (r->flags & RULE_NOINIT)
		(void)printf("  noinit\n");
	else if (r->iscript)
		(void)printf("  init script %s\n", r->iscript);
	if (r->flags & RULE_SHARED)
		(void)printf("  shared\n");
	if (r->method == METHOD_TMPFS && (r->mount_flags || r->mount_data))
		(void)printf("  mount options%s%s%s %s\n",
			     r->mount_flags & MS_NOSUID ? " nosuid" : "",
			     r->mount_flags & MS_NODEV ? " nodev" : "",
			     r->mount_flags & MS_NOEXEC ? " noexec" : "",
			     r->mount_data ? r->mount_data : "");
}

static void print_instance(const struct conf_rule *r,
			   const struct expanded_rule *er,
			   const struct session_user *u, const struct check_args *a)
{
	char name[CONF_PATH_MAX], parent[CONF_PATH_MAX], base[CONF_PATH_MAX];
	int ret;

	if (r->method == METHOD_TMPFS) {
		(void)printf("  instance: a new tmpfs mounted on %s\n", er->dir);
		return;
	}
	if ((r->method == METHOD_CONTEXT || r->method == METHOD_LEVEL) &&
	    is_selinux_enabled() <= 0)
		(void)printf("  SELinux is off here: the %s method falls back to user\n",
			     conf_method_name(r->method));
	ret = instance_name(r->method, r->flags & RULE_SHARED, u->name, NULL,
			    a->gen_hash, name, sizeof(name));
	if (ret == INSTANCE_SKIP) {
		(void)printf("  skipped: shared context instance without SELinux\n");
		return;
	}
	if (ret == 0)
		ret = instance_path_split(er->prefix, name, parent, sizeof(parent),
					  base, sizeof(base));
	if (ret < 0) {
		(void)printf("  error: no valid instance name (%s)\n", strerror(-ret));
		return;
	}
	(void)printf("  instance: %s/%s%s\n", strcmp(parent, "/") ? parent : "",
		     base, r->method == METHOD_TMPDIR ? " (random name per session)" : "");
	(void)printf("  instance parent: %s (must be root-owned, mode 000)\n", parent);
}

static int show_user_plan(const struct conf *conf, const struct check_args *a,
			  struct diag_list *diags)
{
	/* Own storage: the resolver's getpwnam() calls would reuse libc's. */
	static char buf[65536];
	struct passwd pwd, *pw = NULL;
	unsigned int n_applying = 0;
	int errors = 0;
	int lookup = getpwnam_r(a->user, &pwd, buf, sizeof(buf), &pw);

	if (!pw) {
		(void)fprintf(stderr, "polyns-check: unknown user '%s'%s%s\n", a->user,
			      lookup ? ": " : "", lookup ? strerror(lookup) : "");
		return -ENOENT;
	}
	struct session_user u = {
		.name = pw->pw_name, .uid = pw->pw_uid, .gid = pw->pw_gid,
		.home = pw->pw_dir,
	};
	(void)printf("user %s (uid %u, gid %u, home %s)\n", u.name, (unsigned int)u.uid,
		     (unsigned int)u.gid, u.home);
	for (size_t i = 0; i < conf->n_rules; i++) {
		const struct conf_rule *r = &conf->rules[i];
		struct resolved_rule rr;
		struct expanded_rule er;
		char err[256];

		if (conf_resolve_rule(r, &nss_resolver, a->ignore_config_error, &rr,
				      diags) < 0) {
			errors += !a->ignore_config_error;
			continue;
		}
		if (conf_expand_rule(r, &u, &u, &er, err, sizeof(err)) < 0) {
			diag_add(diags, a->ignore_config_error ? DIAG_WARNING : DIAG_ERROR,
				 r->file, r->line, "for user %s: %s", u.name, err);
			errors += !a->ignore_config_error;
			resolved_rule_free(&rr);
			continue;
		}
		bool applies = conf_rule_applies(r, rr.uids, rr.n_uids, u.uid);

		if (applies && ++n_applying == WIRE_MAX_POLYDIRS + 1) {
			diag_add(diags, DIAG_ERROR, r->file, r->line, "more than %u polydirs "
				 "apply to %s; a session takes at most %u", WIRE_MAX_POLYDIRS,
				 u.name, WIRE_MAX_POLYDIRS);
			errors++;
		}
		(void)printf("%s  [%s:%u]\n  method: %s\n", er.dir, r->file, r->line,
			     conf_method_name(r->method));
		if (applies) {
			print_flags(r, &rr);
			print_instance(r, &er, &u, a);
		} else {
			(void)printf("  not polyinstantiated for %s (user list)\n", u.name);
		}
		resolved_rule_free(&rr);
	}
	return errors ? -EINVAL : 0;
}

/* Distinct names in the config: a session resolves them in one query. */
static int check_name_count(const struct conf *conf, struct diag_list *diags)
{
	size_t n = 0;

	for (size_t i = 0; i < conf->n_rules; i++) {
		const struct conf_rule *r = &conf->rules[i];

		n += (r->create_owner != NULL) + (r->create_group != NULL) + r->n_users;
	}
	if (n <= WIRE_MAX_NAMES || conf->n_rules == 0)
		return 0;
	/* Counted with repeats: only look closer when the cheap bound is hit. */
	n = 0;
	for (size_t i = 0; i < conf->n_rules; i++) {
		const struct conf_rule *r = &conf->rules[i];

		for (size_t u = 0; u < r->n_users; u++) {
			bool seen = false;

			for (size_t j = 0; j <= i && !seen; j++)
				for (size_t v = 0; v < conf->rules[j].n_users && !seen; v++)
					seen = (j < i || v < u) &&
					       strcmp(conf->rules[j].users[v], r->users[u]) == 0;
			n += !seen;
		}
	}
	if (n <= WIRE_MAX_NAMES)
		return 0;
	diag_add(diags, DIAG_ERROR, conf->files[0], 0, "%zu distinct user names in all "
		 "files; a session resolves at most %u", n, WIRE_MAX_NAMES);
	return -EINVAL;
}

/* Without a user: resolve names and expand with stand-in values. */
static int check_rules(const struct conf *conf, const struct check_args *a,
		       struct diag_list *diags)
{
	const struct session_user stand_in = {
		.name = "user", .uid = 65534, .gid = 65534, .home = "/home/user",
	};
	int errors = check_name_count(conf, diags) < 0;

	for (size_t i = 0; i < conf->n_rules; i++) {
		const struct conf_rule *r = &conf->rules[i];
		struct resolved_rule rr;
		struct expanded_rule er;
		char err[256];

		if (conf_resolve_rule(r, &nss_resolver, a->ignore_config_error, &rr,
				      diags) < 0)
			errors += !a->ignore_config_error;
		resolved_rule_free(&rr);
		if (conf_expand_rule(r, &stand_in, &stand_in, &er, err, sizeof(err)) < 0) {
			diag_add(diags, a->ignore_config_error ? DIAG_WARNING : DIAG_ERROR,
				 r->file, r->line, "%s", err);
			errors += !a->ignore_config_error;
		}
	}
	return errors ? -EINVAL : 0;
}

int main(int argc, char **argv)
{
	struct check_args a;
	struct conf conf = { 0 };
	struct diag_list diags = { 0 };
	int r;

	if (parse_args(argc, argv, &a) < 0)
		return 2;
	r = conf_load(&conf, a.config, a.config_dir, a.ignore_config_error, &diags);
	if (r < 0 && r != -EINVAL) {
		(void)fprintf(stderr, "polyns-check: %s\n", strerror(-r));
		return 1;
	}
	if (a.user)
		r = show_user_plan(&conf, &a, &diags);
	else
		r = check_rules(&conf, &a, &diags);
	for (size_t i = 0; i < diags.n; i++)
		(void)fprintf(stderr, "%s\n", diags.v[i].text);
	if (diags.n_dropped)
		(void)fprintf(stderr, "polyns-check: %zu more diagnostics not shown\n",
			      diags.n_dropped);
	bool ok = diags.n_errors == 0 && r == 0;
	if (!a.user && ok)
		(void)printf("%s: %zu polydir entries in %zu files, valid\n", a.config,
			     conf.n_rules, conf.n_files);
	conf_free(&conf);
	diag_list_free(&diags);
	return ok ? 0 : 1;
}
