/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "hexname.h"
#include "hlog.h"
#include "landlock.h"
#include "options.h"
#include "polydir.h"
#include "procid.h"
#include "rundir.h"
#include "tree.h"
#include "util.h"
#include "walk.h"

/*
 * The instances one close removes: each is opened here (a walk to its
 * root-only parent needs CAP_DAC_OVERRIDE), emptied by the tree child, and
 * removed here from its parent.
 */
struct batch {
	size_t n;
	struct {
		char path[CONF_PATH_MAX];
		int parent_fd, fd;
		const char *record; /* a pending record to drop once it is gone, or NULL */
		int result;
	} v[WIRE_MAX_POLYDIRS];
};

static int open_instance(const char *path, bool ignore_parent_mode, int *parent_fd, int *fd)
{
	const char *slash = strrchr(path, '/');
	char parent[CONF_PATH_MAX];
	struct walk w;
	struct stat st;
	int ret;

	if (!slash || slash[1] == '\0' || strcmp(slash + 1, "..") == 0 ||
	    strcmp(slash + 1, ".") == 0 || (size_t)(slash - path) >= sizeof(parent))
		return -EINVAL;
	(void)snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	ret = walk_open(parent, WALK_FOLLOW_SAFE | WALK_DIRECTORY, 0, &w);
	if (ret < 0) {
		char msg[512];

		hlog(LOG_ERR, "cleanup of %s: instance parent %s", path,
		     walk_describe(msg, sizeof(msg), parent, &w, ret));
		return ret;
	}
	/* Only inside a root-owned mode-000 parent, as at creation. */
	if (fstat(w.fd, &st) < 0)
		ret = -errno;
	else if (!ignore_parent_mode && !root_sealed_dir(&st))
		ret = -EPERM;
	if (ret == 0) {
		*fd = openat(w.fd, slash + 1, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		ret = *fd < 0 ? -errno : 0;
	}
	if (ret < 0)
		(void)close(w.fd);
	else
		*parent_fd = w.fd;
	return ret;
}

static void batch_add(struct batch *b, const char *path, bool ignore, const char *record)
{
	int parent_fd = -1, fd = -1, r;

	if (b->n == WIRE_MAX_POLYDIRS)
		return; /* the rest waits for a later close */
	r = open_instance(path, ignore, &parent_fd, &fd);
	if (r == -ENOENT && record) {
		fd = parent_fd = -1; /* gone already: the record goes */
	} else if (r < 0) {
		hlog(LOG_ERR, "removing tmpdir instance %s failed: %s", path, strerror(-r));
		return;
	}
	(void)snprintf(b->v[b->n].path, sizeof(b->v[b->n].path), "%s", path);
	b->v[b->n].parent_fd = parent_fd;
	b->v[b->n].fd = fd;
	b->v[b->n].record = record;
	b->v[b->n].result = 0;
	b->n++;
}

/* The tree child empties them; then each is removed from its parent here. */
static int batch_run(struct batch *b, struct child *tree)
{
	int fds[WIRE_MAX_POLYDIRS], results[WIRE_MAX_POLYDIRS] = { 0 };
	size_t n = 0, failed = 0;
	int r;

	for (size_t i = 0; i < b->n; i++)
		if (b->v[i].fd >= 0)
			fds[n++] = b->v[i].fd;
	r = n ? tree_empty(tree, fds, n, results) : 0;
	n = 0;
	for (size_t i = 0; i < b->n; i++) {
		const char *name = strrchr(b->v[i].path, '/') + 1;

		if (b->v[i].fd < 0)
			continue;
		b->v[i].result = r < 0 ? r : results[n++];
		if (b->v[i].result == 0 &&
		    unlinkat(b->v[i].parent_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
			b->v[i].result = -errno;
		if (b->v[i].result < 0)
			hlog(LOG_ERR, "removing tmpdir instance %s failed: %s", b->v[i].path,
			     strerror(-b->v[i].result));
		else
			hlog_debug("removed tmpdir instance %s", b->v[i].path);
		failed += b->v[i].result < 0;
		(void)close(b->v[i].fd);
		(void)close(b->v[i].parent_fd);
	}
	return failed ? -EIO : 0;
}

bool cleanup_pending_exist(const char *runtime_dir)
{
	char path[CONF_PATH_MAX];
	struct dirent *de;
	bool any = false;
	DIR *d;

	if ((size_t)snprintf(path, sizeof(path), "%s/pending", runtime_dir) >= sizeof(path))
		return true; /* cannot tell: look properly later */
	d = opendir(path);
	if (!d)
		return errno != ENOENT;
	while (!any && (de = readdir(d)))
		any = de->d_name[0] != '.';
	(void)closedir(d);
	return any;
}

/* runtime_dir/pending: root-only, made on first use. */
int cleanup_open_pending(const char *runtime_dir)
{
	return rundir_open(runtime_dir, "pending");
}

/*
 * A record is a directory named "<pid namespace>.<mount namespace id>.<instance
 * path in hex>": only a close in the same pid namespace, whose /proc scan
 * sees every process that could use the mount namespace, may sweep it.
 */
int cleanup_defer(int pending_fd, uint64_t ino, const char *path)
{
	char name[256];
	uint64_t pidns = 0;
	size_t n;
	int r = procid_self_pidns(&pidns);

	if (r < 0)
		return r;
	n = (size_t)snprintf(name, sizeof(name), "%llu.%llu.", (unsigned long long)pidns,
			     (unsigned long long)ino);
	if (hexname_encode(path, name + n, sizeof(name) - n) < 0)
		return -ENAMETOOLONG;
	if (mkdirat(pending_fd, name, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/*
 * "PIDNS.INO.HEX", or 0.3.0's "INO.HEX" (its hex starts with "2f", not a
 * digit run and a dot), taken as our own pid namespace's.
 */
static int parse_record(const char *name, uint64_t own_pidns, uint64_t *pidns,
			uint64_t *ino, char *path, size_t len)
{
	char *end;
	uint64_t first = strtoull(name, &end, 10), second;
	const char *rest = end + 1;

	if (end == name || *end != '.')
		return -EINVAL;
	second = strtoull(rest, &end, 10);
	if (end != rest && *end == '.') {
		*pidns = first;
		*ino = second;
		rest = end + 1;
	} else {
		*pidns = own_pidns;
		*ino = first;
	}
	if (hexname_decode(rest, path, len) < 0)
		return -EINVAL;
	return path[0] == '/' ? 0 : -EINVAL;
}

static bool is_live(const struct wire_request *req, uint64_t ino)
{
	for (uint32_t i = 0; i < req->n_live; i++)
		if (req->live[i] == ino)
			return true;
	return false;
}

/* Instances whose namespace has no process left, with their records. */
static void collect_pending(int pending_fd, const struct wire_request *req, bool ignore,
			    struct batch *b, char (*names)[NAME_MAX + 1])
{
	uint64_t own_pidns = 0;
	int own = procid_self_pidns(&own_pidns) < 0 ? -1 :
		  openat(pending_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *d = own < 0 ? NULL : fdopendir(own);

	if (!d) {
		if (own >= 0)
			(void)close(own);
		return;
	}
	while ((de = readdir(d)) && b->n < WIRE_MAX_POLYDIRS) {
		char path[CONF_PATH_MAX];
		uint64_t pidns, ino;

		if (de->d_name[0] == '.' ||
		    parse_record(de->d_name, own_pidns, &pidns, &ino, path, sizeof(path)) < 0 ||
		    pidns != own_pidns || is_live(req, ino))
			continue;
		(void)snprintf(names[b->n], NAME_MAX + 1, "%s", de->d_name);
		batch_add(b, path, ignore, names[b->n]);
	}
	(void)closedir(d);
}

enum wire_status close_session(const struct wire_request *req, struct child *tree)
{
	static struct batch b;
	bool ignore = req->flags & POLYNS_OPT_IGNORE_INSTANCE_PARENT_MODE;
	int failed = 0, pending = -1;

	b.n = 0;
	for (uint32_t i = 0; i < req->n_cleanup; i++)
		batch_add(&b, req->cleanup[i], ignore, NULL);
	if (req->n_defer > 0 || req->n_live > 0) {
		pending = cleanup_open_pending(req->runtime_dir);
		failed += pending < 0; /* the session's own instances still go below */
	}
	for (uint32_t i = 0; pending >= 0 && i < req->n_defer; i++) {
		int r = cleanup_defer(pending, req->mntns_ino, req->defer[i]);

		if (r < 0)
			hlog(LOG_ERR, "cannot record %s for later removal: %s", req->defer[i],
			     strerror(-r));
		else
			hlog(LOG_NOTICE, "keeping %s while the session's processes run; it "
			     "goes at a later close", req->defer[i]);
		failed += r < 0;
	}
	if (pending >= 0 && req->n_live > 0) {
		static char names[WIRE_MAX_POLYDIRS][NAME_MAX + 1];

		collect_pending(pending, req, ignore, &b, names);
	}
	failed += batch_run(&b, tree) < 0;
	for (size_t i = 0; pending >= 0 && i < b.n; i++)
		if (b.v[i].record && (b.v[i].result == 0 || b.v[i].result == -ENOENT))
			(void)unlinkat(pending, b.v[i].record, AT_REMOVEDIR);
	if (pending >= 0)
		(void)close(pending);
	return failed ? STATUS_SESSION_ERR : STATUS_OK;
}

int close_unmount(const struct wire_request *req)
{
	int failed = 0;

	for (uint32_t i = 0; i < req->n_unmount; i++)
		failed += polydir_detach(req->unmount[i]) < 0;
	return failed;
}

/* runtime_dir/name made if missing and opened, or -1 (logged by rundir_open). */
static int rundir_if(bool needed, const char *runtime_dir, const char *name)
{
	return needed ? rundir_open(runtime_dir, name) : -1;
}

int close_confine(const struct wire_request *req)
{
	bool shared = req->registry[0], pending = shared || req->n_defer || req->n_live;
	struct ll_beneath rules[] = {
		/* the instances: found by O_PATH walks, listed, removed once empty */
		{ open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), LL_READ_DIR | LL_REMOVE_DIR },
		{ rundir_if(shared, req->runtime_dir, "shared"),
		  LL_READ_FILE | LL_READ_DIR | LL_MAKE_DIR | LL_REMOVE_DIR },
		{ rundir_if(pending, req->runtime_dir, "pending"),
		  LL_READ_DIR | LL_MAKE_DIR | LL_REMOVE_DIR },
	};
	struct ll_beneath proc = { procid_proc_fd(), LL_READ_FILE | LL_READ_DIR };
	struct ll_beneath all[ARRAY_SIZE(rules) + 1];
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		all[i] = rules[i];
	all[ARRAY_SIZE(rules)] = proc;
	r = landlock_confine(all, ARRAY_SIZE(all), false);
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (rules[i].fd >= 0)
			(void)close(rules[i].fd);
	if (r == -EOPNOTSUPP) {
		hlog_debug("the kernel has no Landlock: the close is confined by its filters "
			   "and capabilities only");
		r = 0;
	}
	return r;
}
