/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * polyns-admin: the registry of shared namespace sets, for an admin.
 *
 *   list [--json]   every set: key, whose, holder, namespaces, sessions, age
 *   release KEY     end a set that no session uses any more
 *
 * It reads and changes the registry only through the helper's own code
 * (registry.c for the names on disk, release.c for the rule of when a set
 * is in use and for what releasing it means, procid.c for whether a process
 * runs), takes each key's lock as a helper does, and gives up every
 * capability, and much else, before it looks at anything (confine.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "confine.h"
#include "hlog.h"
#include "options.h"
#include "procid.h"
#include "release.h"
#include "report.h"
#include "rundir.h"
#include "util.h"

#ifndef POLYNS_VERSION
#define POLYNS_VERSION "unknown"
#endif

#define PROG "polyns-admin"
#define EXIT_IN_USE 3
#define HOLDER_END_WAIT_MS 10000
#define MAX_KEYS 65536

struct admin_args {
	const char *runtime_dir;
	const char *command;
	const char *key; /* release KEY; NULL for list */
	bool json;
	bool verbose;
};

static void usage(FILE *out)
{
	(void)fprintf(out,
		      "Usage: polyns-admin [--runtime-dir DIR] list [--json]\n"
		      "       polyns-admin [--runtime-dir DIR] release KEY\n"
		      "List the shared namespace sets of pam_polyns (share=user, share=group,\n"
		      "ns=pid), or release one that no session uses any more.  As root.\n"
		      "Exit 0 on success, 1 on failure, 2 on usage, 3 when a set to release is\n"
		      "in use.\n");
}

static int parse_args(int argc, char **argv, struct admin_args *a)
{
	static const struct option longopts[] = {
		{ "runtime-dir", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rest;

	*a = (struct admin_args){ .runtime_dir = POLYNS_DEFAULT_RUNTIME_DIR };
	while ((c = getopt_long(argc, argv, "r:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			a->runtime_dir = optarg;
			break;
		case 'j':
			a->json = true;
			break;
		case 'v':
			a->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			(void)printf("polyns-admin %s\n", POLYNS_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	rest = argc - optind;
	if (rest >= 1)
		a->command = argv[optind];
	if (a->command && strcmp(a->command, "list") == 0 && rest == 1)
		return 0;
	if (a->command && strcmp(a->command, "release") == 0 && rest == 2 && !a->json) {
		a->key = argv[optind + 1];
		return 0;
	}
	if (!a->command)
		(void)fprintf(stderr, PROG ": no command (list or release)\n");
	else if (strcmp(a->command, "list") != 0 && strcmp(a->command, "release") != 0)
		(void)fprintf(stderr, PROG ": unknown command '%s' (list or release)\n",
			      a->command);
	else if (strcmp(a->command, "release") == 0 && a->json)
		(void)fprintf(stderr, PROG ": --json is for list\n");
	else if (strcmp(a->command, "release") == 0 && rest < 2)
		(void)fprintf(stderr, PROG ": release needs the key of a set (see "
			      "polyns-admin list)\n");
	else
		(void)fprintf(stderr, PROG ": unexpected argument '%s'\n",
			      argv[optind + (strcmp(a->command, "list") == 0 ? 1 : 2)]);
	usage(stderr);
	return -EINVAL;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The registry as it is, or -ENOENT (not logged) when there is none; else logged. */
static int open_registry(const char *runtime_dir)
{
	char why[RUNDIR_WHY_MAX];
	int fd = rundir_open_existing(runtime_dir, "shared", why, sizeof(why)), r;

	if (fd < 0) {
		if (fd != -ENOENT)
			hlog(LOG_ERR, "cannot open the registry: %s", why);
		return fd;
	}
	r = set_registry_ours(fd, runtime_dir, false);
	if (r < 0) {
		(void)close(fd);
		return r;
	}
	return fd;
}

/*
 * The pending records, for a released set's tmpdir instances (made if
 * missing, as a login does), or -1 after saying why: the set is released
 * all the same.
 */
static int open_pending(const char *runtime_dir)
{
	char why[RUNDIR_WHY_MAX];
	int fd = rundir_open(runtime_dir, "pending", why, sizeof(why));

	if (fd < 0)
		hlog(LOG_ERR, "cannot open the records of instances to remove: %s", why);
	return fd < 0 ? -1 : fd;
}

static int cmd_list(const struct admin_args *a)
{
	struct reg_keys keys = { 0 }; /* sorted, for a stable listing; no lock taken in readdir */
	struct report rep;
	_cleanup_close_ int shared_fd = open_registry(a->runtime_dir);
	size_t longest = 0;
	int r = 0, failed = 0;

	if (shared_fd < 0 && shared_fd != -ENOENT)
		return 1;
	if (shared_fd >= 0)
		r = reg_list_keys(shared_fd, MAX_KEYS, &keys);
	if (r < 0) {
		(void)fprintf(stderr, PROG ": reading the registry in %s: %s\n", a->runtime_dir,
			      strerror(-r));
		reg_keys_free(&keys);
		return 1;
	}
	if (keys.n > 0)
		qsort(keys.key, keys.n, sizeof(keys.key[0]), by_name);
	for (size_t i = 0; i < keys.n; i++)
		longest = strlen(keys.key[i]) > longest ? strlen(keys.key[i]) : longest;
	report_begin(&rep, stdout, a->json, a->runtime_dir, longest);
	for (size_t i = 0; i < keys.n; i++) {
		static struct set_view v;

		r = set_inspect(shared_fd, keys.key[i], &v);
		if (r == -ENOENT)
			continue; /* released since the listing */
		report_set(&rep, keys.key[i], r < 0 ? NULL : &v, r);
		failed += r < 0;
	}
	report_end(&rep);
	reg_keys_free(&keys);
	return failed ? 1 : 0;
}

/* "user-UID-HEX", "group-GID-HEX" or "session-RANDOM-HEX", as shared.c names sets. */
static bool plausible_key(const char *key)
{
	size_t len = strlen(key);

	return len < REG_KEY_MAX && strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789-") == len &&
	       (strncmp(key, "user-", 5) == 0 || strncmp(key, "group-", 6) == 0 ||
		strncmp(key, "session-", 8) == 0);
}

static void explain_in_use(const char *key, const struct set_view *v)
{
	const struct reg_sweep *sw = &v->sessions;

	(void)fprintf(stderr, PROG ": %s is in use: not released\n", key);
	if (sw->live > 0) {
		(void)fprintf(stderr, PROG ": %u session(s) of it are open; their callers:", sw->live);
		for (unsigned int i = 0; i < sw->live && i < REG_SWEEP_PIDS; i++)
			(void)fprintf(stderr, " %d", (int)sw->live_pid[i]);
		(void)fprintf(stderr, "%s\n", sw->live > REG_SWEEP_PIDS ? " ..." : "");
	}
	if (sw->unknown > 0)
		(void)fprintf(stderr, PROG ": %u session record(s) of it cannot be checked (%s); "
			      "they count as open\n", sw->unknown, strerror(-sw->error));
	(void)fprintf(stderr, PROG ": the last of its sessions to close releases it; a "
		      "session whose caller is gone stops counting\n");
}

/* The holder ends with its entry: wait for that, on its pidfd. */
static void wait_holder(int pidfd, const struct set_view *v)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int n;

	do
		n = poll(&p, 1, HOLDER_END_WAIT_MS);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		(void)printf("its holder %d ended\n", (int)v->entry.holder.pid);
	else
		(void)fprintf(stderr, PROG ": warning: its holder %d still runs after %d s\n",
			      (int)v->entry.holder.pid, HOLDER_END_WAIT_MS / 1000);
	(void)close(pidfd);
}

static int cmd_release(const struct admin_args *a)
{
	static struct set_view v;
	_cleanup_close_ int shared_fd = -1, pending_fd = -1;
	int pidfd = -1, r;

	if (!plausible_key(a->key)) {
		(void)fprintf(stderr, PROG ": '%s' is not the key of a set (keys look like "
			      "user-1000-0123456789abcdef; polyns-admin list shows them)\n", a->key);
		return 1;
	}
	shared_fd = open_registry(a->runtime_dir);
	if (shared_fd < 0) {
		if (shared_fd == -ENOENT)
			(void)fprintf(stderr, PROG ": no shared set %s: there is no registry in "
				      "%s\n", a->key, a->runtime_dir);
		return 1;
	}
	pending_fd = open_pending(a->runtime_dir);
	r = set_release_unused(shared_fd, a->key, pending_fd, &v, &pidfd);
	if (r == -ENOENT) {
		(void)fprintf(stderr, PROG ": no shared set %s in %s (polyns-admin list shows "
			      "the sets)\n", a->key, a->runtime_dir);
		return 1;
	}
	if (r == -EBUSY) {
		explain_in_use(a->key, &v);
		return EXIT_IN_USE;
	}
	if (r < 0)
		return 1; /* logged */
	(void)printf("released %s\n", a->key);
	if (pidfd >= 0)
		wait_holder(pidfd, &v);
	return 0;
}

int main(int argc, char **argv)
{
	struct admin_args a;
	int r;

	if (parse_args(argc, argv, &a) < 0)
		return 2;
	hlog_to_stderr(PROG, a.verbose);
	if (geteuid() != 0) {
		(void)fprintf(stderr, PROG ": must run as root: the registry is root's, mode 0700\n");
		return 1;
	}
	/* /proc before anything is given up: process identities are read through it. */
	r = procid_init();
	if (r == 0)
		r = admin_confine();
	if (r < 0) {
		(void)fprintf(stderr, PROG ": cannot give up privileges: %s\n", strerror(-r));
		return 1;
	}
	return a.key ? cmd_release(&a) : cmd_list(&a);
}
