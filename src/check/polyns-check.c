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
#include "existing.h"
#include "instance_name.h"
#include "name_table.h"
#include "options.h"
#include "pamstack.h"
#include "plan.h"
#include "plan_wire.h"
#include "util.h"

/* A session's umask is the caller's; shown modes assume the usual one. */
#define CHECK_UMASK 022
#define DEFAULT_PAM_DIR "/etc/pam.d"

/* Each instance parent is looked at once, whatever number of rules name it. */
static struct parents_seen parents_seen;

#ifndef POLYNS_VERSION
#define POLYNS_VERSION "unknown"
#endif

struct check_args {
	const char *config;
	const char *config_dir;
	const char *user;
	const char *pam_dir;
	bool pam_dir_given;
	bool gen_hash;
	bool ignore_config_error;
	bool tmpfiles;
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

static void usage(FILE *out)
{
	(void)fprintf(out,
		      "Usage: polyns-check [--config FILE] [--config-dir DIR] [--user NAME]\n"
		      "                    [--gen-hash] [--ignore-config-error] [--pam-dir DIR]\n"
		      "       polyns-check --tmpfiles [--config FILE] [--config-dir DIR]\n"
		      "Check namespace.conf and namespace.d/*.conf, existing instance parents,\n"
		      "and the PAM stacks in /etc/pam.d; with --user, show what a session of\n"
		      "that user would get; with --tmpfiles, print tmpfiles.d lines for\n"
		      "/run/polyns and every instance parent.\n"
		      "Exit 0 if valid, 1 if not, 2 on usage.\n");
}

static int parse_args(int argc, char **argv, struct check_args *a)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "config-dir", required_argument, NULL, 'd' },
		{ "user", required_argument, NULL, 'u' },
		{ "gen-hash", no_argument, NULL, 'g' },
		{ "ignore-config-error", no_argument, NULL, 'i' },
		{ "tmpfiles", no_argument, NULL, 't' },
		{ "pam-dir", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*a = (struct check_args){
		.config = POLYNS_DEFAULT_CONFIG,
		.config_dir = POLYNS_DEFAULT_CONFIG_DIR,
		.pam_dir = DEFAULT_PAM_DIR,
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
		case 't':
			a->tmpfiles = true;
			break;
		case 'p':
			a->pam_dir = optarg;
			a->pam_dir_given = true;
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
	if (a->tmpfiles && a->user) {
		(void)fprintf(stderr, "polyns-check: --tmpfiles and --user exclude each other\n");
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

/* NSS answers the plan's names query, as the module does for a session. */
static int answer_names(struct name_table *t)
{
	memset(&t->answer, 0, sizeof(t->answer));
	t->answer.n_users = t->query.n_users;
	for (uint32_t i = 0; i < t->query.n_users; i++) {
		uid_t uid = 0;
		gid_t gid = 0;
		int r = nss_user(NULL, t->query.users[i], &uid, &gid);

		if (r == -ENOENT)
			continue;
		if (r < 0)
			return r;
		t->answer.users[i].found = 1;
		t->answer.users[i].uid = uid;
		t->answer.users[i].gid = gid;
	}
	t->answer.n_groups = t->query.n_groups;
	for (uint32_t i = 0; i < t->query.n_groups; i++) {
		gid_t gid = 0;
		int r = nss_group(NULL, t->query.groups[i], &gid);

		if (r == -ENOENT)
			continue;
		if (r < 0)
			return r;
		t->answer.groups[i].found = 1;
		t->answer.groups[i].gid = gid;
	}
	return 0;
}

/* The session's plan, made the way the helper makes it. */
static int plan_for(const struct conf *conf, const struct session_user *u,
		    const struct check_args *a, struct plan *p, struct diag_list *diags)
{
	static struct name_table names;
	const struct name_resolver res = name_table_resolver(&names);
	const struct plan_input in = {
		.user = *u, .ruser = *u,
		.flags = (a->gen_hash ? POLYNS_OPT_GEN_HASH : 0) |
			 (a->ignore_config_error ? POLYNS_OPT_IGNORE_CONFIG_ERROR : 0),
		.unmnt = POLYNS_UNMNT_NONE,
		.context = NULL, /* a session's context is not known here */
		.umask = CHECK_UMASK,
		.init = POLYNS_DEFAULT_INIT,
	};
	int r = plan_query(conf, &names.query, diags);

	*p = (struct plan){ 0 };
	if (r == 0) {
		r = answer_names(&names);
		if (r < 0)
			(void)fprintf(stderr, "polyns-check: looking up names: %s\n", strerror(-r));
	}
	if (r == 0)
		r = plan_make(conf, &in, &res, p, diags);
	if (r == 0) {
		static struct wire_buf b; /* what the plan child would send */

		r = plan_wire_encode(&b, STATUS_OK, p, u->name, diags);
	}
	return r;
}

static void print_flags(const struct conf_rule *r, const struct plan_job *job)
{
	if (job->rule_flags & RULE_CREATE)
		(void)printf("  create mode=%#o%s owner=%u group=%u\n",
			     (unsigned int)job->create_mode,
			     r->create_mode_set ? "" : " (umask 022 assumed)",
			     (unsigned int)job->create_uid, (unsigned int)job->create_gid);
	if (job->rule_flags & RULE_NOINIT)
		(void)printf("  noinit\n");
	else if (r->iscript)
		(void)printf("  init script %s\n", job->iscript);
	if (job->rule_flags & RULE_SHARED)
		(void)printf("  shared\n");
	if (job->method == METHOD_TMPFS && (job->mount_flags || job->mount_data[0]))
		(void)printf("  mount options%s%s%s %s\n",
			     job->mount_flags & MS_NOSUID ? " nosuid" : "",
			     job->mount_flags & MS_NODEV ? " nodev" : "",
			     job->mount_flags & MS_NOEXEC ? " noexec" : "", job->mount_data);
}

static void print_instance(const struct plan_job *job, const struct session_user *u,
			   struct diag_list *diags)
{
	char parent[CONF_PATH_MAX], base[CONF_PATH_MAX];
	int ret;

	if (job->method == METHOD_TMPFS) {
		(void)printf("  instance: a new tmpfs mounted on %s\n", job->dir);
		return;
	}
	if ((job->method == METHOD_CONTEXT || job->method == METHOD_LEVEL) &&
	    is_selinux_enabled() <= 0)
		(void)printf("  SELinux is off here: the %s method falls back to user\n",
			     conf_method_name(job->method));
	ret = instance_path_split(job->prefix, job->name, parent, sizeof(parent), base,
				  sizeof(base));
	if (ret < 0) {
		(void)printf("  error: no valid instance path (%s)\n", strerror(-ret));
		return;
	}
	(void)printf("  instance: %s/%s%s\n", strcmp(parent, "/") ? parent : "", base,
		     job->method == METHOD_TMPDIR ? " (random name per session)" : "");
	(void)printf("  instance parent: %s (must be root-owned, mode 000)\n", parent);
	existing_parent_report(job->file, job->line, parent, &parents_seen, diags);
	if (job->method != METHOD_TMPDIR)
		existing_instance_report(job, u, parent, base, diags);
}

static void print_rule(const struct conf *conf, const struct plan *p, size_t i,
		       const struct session_user *u, struct diag_list *diags)
{
	const struct conf_rule *r = &conf->rules[i];
	const struct plan_job *job = NULL;

	for (size_t j = 0; j < p->n_jobs && !job; j++)
		if (p->jobs[j].rule_index == i)
			job = &p->jobs[j];
	(void)printf("%s  [%s:%u]\n  method: %s\n", job ? job->dir : r->polydir, r->file,
		     r->line, conf_method_name(r->method));
	if (job) {
		print_flags(r, job);
		print_instance(job, u, diags);
	} else if (i < p->n_rules && p->verdicts[i] == PLAN_RULE_NOT_LISTED) {
		(void)printf("  not polyinstantiated for %s (user list)\n", u->name);
	} else if (i < p->n_rules && p->verdicts[i] == PLAN_RULE_SKIPPED) {
		(void)printf("  skipped: shared context instance without SELinux\n");
	} else {
		(void)printf("  not planned: see the messages on standard error\n");
	}
}

static int show_user_plan(const struct conf *conf, const struct check_args *a,
			  struct diag_list *diags)
{
	/* Own storage: the name lookups' getpwnam() calls would reuse libc's. */
	static char buf[65536];
	struct passwd pwd, *pw = NULL;
	struct plan p;
	int lookup = getpwnam_r(a->user, &pwd, buf, sizeof(buf), &pw);
	int r;

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
	r = plan_for(conf, &u, a, &p, diags);
	for (size_t i = 0; i < p.n_rules; i++)
		print_rule(conf, &p, i, &u, diags);
	plan_free(&p);
	return r;
}

/* Where a rule's instances go, as far as every user shares it. */
enum parent_kind {
	PARENT_FIXED,	 /* the same directory for every user: in parent */
	PARENT_TMPFS,	 /* a tmpfs polydir has none */
	PARENT_PER_USER, /* depends on $HOME or $USER: the session makes it */
	PARENT_ROOT,	 /* "/" */
};

/*
 * Found by expanding r for two stand-in users and comparing: a parent that
 * does not depend on the user is the same for both.
 */
static enum parent_kind fixed_parent(const struct conf_rule *r, char *parent, size_t len)
{
	static const struct session_user stand_in[2] = {
		{ .name = "polyns-user-a", .uid = 65534, .gid = 65534, .home = "/home/polyns-a" },
		{ .name = "polyns-user-b", .uid = 65533, .gid = 65533, .home = "/home/polyns-b" },
	};
	char found[2][CONF_PATH_MAX], base[CONF_PATH_MAX], err[256];

	if (r->method == METHOD_TMPFS)
		return PARENT_TMPFS;
	for (int k = 0; k < 2; k++) {
		struct expanded_rule er;

		if (conf_expand_rule(r, &stand_in[k], &stand_in[k], &er, err, sizeof(err)) < 0 ||
		    instance_path_split(er.prefix, INSTANCE_TMPDIR_TEMPLATE, found[k],
					sizeof(found[k]), base, sizeof(base)) < 0)
			return PARENT_PER_USER;
	}
	if (strcmp(found[0], found[1]) != 0)
		return PARENT_PER_USER;
	if (strcmp(found[0], "/") == 0)
		return PARENT_ROOT;
	if ((size_t)snprintf(parent, len, "%s", found[0]) >= len)
		return PARENT_PER_USER;
	return PARENT_FIXED;
}

/*
 * Without a user: the plan of a stand-in user runs every check but the file
 * system's; then the instance parents every user shares, as they are on disk.
 */
static int check_rules(const struct conf *conf, const struct check_args *a,
		       struct diag_list *diags)
{
	const struct session_user stand_in = {
		.name = "user", .uid = 65534, .gid = 65534, .home = "/home/user",
	};
	struct plan p;
	int r = plan_for(conf, &stand_in, a, &p, diags);

	plan_free(&p);
	for (size_t i = 0; i < conf->n_rules; i++) {
		char parent[CONF_PATH_MAX];

		if (fixed_parent(&conf->rules[i], parent, sizeof(parent)) == PARENT_FIXED)
			existing_parent_report(conf->rules[i].file, conf->rules[i].line, parent,
					       &parents_seen, diags);
	}
	return r;
}

/* A rule's instance parent, as fixed_parent() found it. */
struct rule_parent {
	enum parent_kind kind;
	char path[CONF_PATH_MAX];
};

/*
 * The "d" line of a parent, quoted as systemd-tmpfiles reads it: 0, or
 * -EINVAL (said, naming r) for a control character it cannot name.
 */
static int write_parent_line(FILE *out, const struct conf_rule *r, const char *parent)
{
	bool plain = true;

	for (const unsigned char *c = (const unsigned char *)parent; *c; c++) {
		if ((*c < ' ' && *c != '\t') || *c == 0x7f) {
			(void)fprintf(stderr, "%s:%u: the instance parent of %s has a control "
				      "character, which tmpfiles.d cannot name\n", r->file, r->line,
				      r->instance_prefix);
			return -EINVAL;
		}
		plain = plain && *c > ' ' && *c != '"' && *c != '\'' && *c != '\\';
	}
	(void)fputs(plain ? "d " : "d \"", out);
	for (const char *c = parent; *c; c++) {
		if (*c == '%')
			(void)fputs("%%", out);
		else if (*c == '"' || *c == '\\')
			(void)fprintf(out, "\\%c", *c);
		else
			(void)fputc(*c, out);
	}
	(void)fprintf(out, "%s 0000 root root -\n", plain ? "" : "\"");
	return 0;
}

/* Every line, into out: 0 or -EINVAL (said). */
static int write_tmpfiles(FILE *out, const struct conf *conf, const struct check_args *a,
			  const struct rule_parent *parents)
{
	(void)fprintf(out, "# tmpfiles.d(5) lines from polyns-check --tmpfiles, for %s\n"
		      "# and %s/*.conf: the runtime directory and every instance parent,\n"
		      "# root's, mode 000, made at boot before any user can make them.\n"
		      "d /run/polyns 0700 root root -\n", a->config, a->config_dir);
	for (size_t i = 0; i < conf->n_rules; i++) {
		const struct conf_rule *r = &conf->rules[i];
		bool dup = false;

		switch (parents[i].kind) {
		case PARENT_TMPFS:
			(void)fprintf(out, "# %s:%u: %s is a tmpfs, no instance parent\n",
				      r->file, r->line, r->polydir);
			continue;
		case PARENT_PER_USER:
			(void)fprintf(out, "# %s:%u: the instance parent of %s depends on the "
				      "user; the session makes it\n", r->file, r->line,
				      r->instance_prefix);
			continue;
		case PARENT_ROOT:
			(void)fprintf(out, "# %s:%u: the instance parent of %s is /; not made "
				      "here\n", r->file, r->line, r->instance_prefix);
			continue;
		case PARENT_FIXED:
			break;
		}
		/* One line per parent: an earlier rule may have named it. */
		for (size_t j = 0; j < i && !dup; j++)
			dup = parents[j].kind == PARENT_FIXED &&
			      strcmp(parents[i].path, parents[j].path) == 0;
		if (!dup && write_parent_line(out, r, parents[i].path) < 0)
			return -EINVAL;
	}
	return 0;
}

/*
 * --tmpfiles: a tmpfiles.d(5) line per instance parent, root's with mode
 * 000, so that they exist with that owner and mode from boot on, before a
 * user could make them.  A parent that depends on the user ($HOME, $USER)
 * is made by the session and only named in a comment, found by expanding
 * every rule for two stand-in users and comparing.  A path with a blank or
 * a quote is written in double quotes with '"' and '\\' escaped by a
 * backslash, as systemd-tmpfiles reads them; '%' is doubled (it expands
 * specifiers in paths); a control character cannot be written: error.
 * All or nothing: the lines are collected and printed only when every
 * parent could be written, and only for a valid configuration.
 */
static int print_tmpfiles(const struct conf *conf, const struct check_args *a)
{
	_cleanup_free_ char *text = NULL;
	struct rule_parent *parents;
	size_t text_len = 0;
	FILE *out;
	int ret;

	/* Each rule's parent, found once: fixed_parent() expands the rule twice. */
	parents = calloc(conf->n_rules ? conf->n_rules : 1, sizeof(*parents));
	if (!parents)
		return -ENOMEM;
	for (size_t i = 0; i < conf->n_rules; i++)
		parents[i].kind = fixed_parent(&conf->rules[i], parents[i].path,
					       sizeof(parents[i].path));
	out = open_memstream(&text, &text_len);
	ret = out ? write_tmpfiles(out, conf, a, parents) : -errno;
	free(parents);
	if (!out)
		return ret;
	if (fclose(out) != 0 && ret == 0)
		ret = -ENOMEM;
	if (ret == 0 && fwrite(text, 1, text_len, stdout) != text_len)
		ret = -EIO;
	return ret;
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
	/* Not with --tmpfiles, for boot: that output is only about the instance parents. */
	if (!a.tmpfiles)
		(void)pamstack_check(a.pam_dir, a.pam_dir_given, &diags);
	for (size_t i = 0; i < diags.n; i++)
		(void)fprintf(stderr, "%s\n", diags.v[i].text);
	if (diags.n_dropped)
		(void)fprintf(stderr, "polyns-check: %zu more diagnostics not shown\n",
			      diags.n_dropped);
	bool ok = diags.n_errors == 0 && r == 0;
	if (a.tmpfiles && ok && (r = print_tmpfiles(&conf, &a)) < 0) {
		if (r != -EINVAL)
			(void)fprintf(stderr, "polyns-check: --tmpfiles: %s\n", strerror(-r));
		ok = false;
	} else if (!a.tmpfiles && !a.user && ok)
		(void)printf("%s: %zu polydir entries in %zu files, valid\n", a.config,
			     conf.n_rules, conf.n_files);
	conf_free(&conf);
	diag_list_free(&diags);
	return ok ? 0 : 1;
}
