/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "fswalk.h"
#include "hexname.h"
#include "hlog.h"
#include "options.h"
#include "polydir.h"
#include "procid.h"
#include "rundir.h"
#include "util.h"

#define MAX_DEPTH 128

// NOLINTNEXTLINE(misc-no-recursion)
static int remove_at(int dirfd, const char *name, dev_t dev, int depth);

/* Empty the directory open at fd.  Recursion depth is bounded by MAX_DEPTH. */
// NOLINTNEXTLINE(misc-no-recursion)
static int remove_entries(int fd, dev_t dev, int depth)
{
	int dup = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (dup < 0)
		return -errno;
	d = fdopendir(dup);
	if (!d) {
		ret = -errno;
		(void)close(dup);
		return ret;
	}
	while ((errno = 0, de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		int r = remove_at(fd, de->d_name, dev, depth + 1);
		if (r < 0 && ret == 0)
			ret = r;
	}
	if (errno && ret == 0)
		ret = -errno;
	(void)closedir(d);
	return ret;
}

/* Remove name in dirfd: a file or link by unlinkat, a directory recursively. */
// NOLINTNEXTLINE(misc-no-recursion)
static int remove_at(int dirfd, const char *name, dev_t dev, int depth)
{
	struct stat st;
	int fd, ret;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
	if (st.st_dev != dev || depth > MAX_DEPTH)
		return -EXDEV; /* a mount point, or absurdly deep: leave it */
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = remove_entries(fd, dev, depth);
	(void)close(fd);
	if (ret == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) < 0)
		ret = -errno;
	return ret;
}

static int remove_instance(const char *path, bool ignore_parent_mode)
{
	const char *slash = strrchr(path, '/');
	char parent[CONF_PATH_MAX], err[512];
	struct walk w;
	struct stat st;
	int ret;

	if (!slash || slash[1] == '\0' || strcmp(slash + 1, "..") == 0 ||
	    strcmp(slash + 1, ".") == 0 || (size_t)(slash - path) >= sizeof(parent))
		return -EINVAL;
	(void)snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	ret = walk_open(parent[0] ? parent : "/", 0, 0, &w, err, sizeof(err));
	if (ret < 0) {
		hlog(LOG_ERR, "cleanup of %s: %s", path, err);
		return ret;
	}
	/* Only inside a root-owned mode-000 parent, as at creation. */
	if (fstat(w.fd, &st) < 0)
		ret = -errno;
	else if (!ignore_parent_mode && ((st.st_mode & 0777) != 0 || st.st_uid != 0))
		ret = -EPERM;
	else
		ret = remove_at(w.fd, slash + 1, st.st_dev, 0);
	(void)close(w.fd);
	if (ret < 0)
		hlog(LOG_ERR, "removing tmpdir instance %s failed: %s", path, strerror(-ret));
	else
		hlog_debug("removed tmpdir instance %s", path);
	return ret;
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

/* Remove instances whose namespace has no process left. */
static void sweep_pending(int pending_fd, const struct wire_request *req, bool ignore)
{
	uint64_t own_pidns = 0;
	int dup = procid_self_pidns(&own_pidns) < 0 ? -1 : fcntl(pending_fd, F_DUPFD_CLOEXEC, 3);
	struct dirent *de;
	DIR *d = dup < 0 ? NULL : fdopendir(dup);

	if (!d) {
		if (dup >= 0)
			(void)close(dup);
		return;
	}
	while ((de = readdir(d))) {
		char path[CONF_PATH_MAX];
		uint64_t pidns, ino;

		if (de->d_name[0] == '.' ||
		    parse_record(de->d_name, own_pidns, &pidns, &ino, path, sizeof(path)) < 0 ||
		    pidns != own_pidns || is_live(req, ino))
			continue;
		int r = remove_instance(path, ignore);

		if (r == 0 || r == -ENOENT)
			(void)unlinkat(pending_fd, de->d_name, AT_REMOVEDIR);
	}
	(void)closedir(d);
}

enum wire_status close_session(const struct wire_request *req)
{
	bool ignore = req->flags & POLYNS_OPT_IGNORE_INSTANCE_PARENT_MODE;
	int failed = 0, pending;

	for (uint32_t i = 0; i < req->n_unmount; i++)
		failed += polydir_detach(req->unmount[i]) < 0;
	for (uint32_t i = 0; i < req->n_cleanup; i++)
		failed += remove_instance(req->cleanup[i], ignore) < 0;
	if (req->n_defer == 0 && req->n_live == 0)
		return failed ? STATUS_SESSION_ERR : STATUS_OK;
	pending = cleanup_open_pending(req->runtime_dir);
	if (pending < 0)
		return STATUS_SESSION_ERR;
	for (uint32_t i = 0; i < req->n_defer; i++) {
		int r = cleanup_defer(pending, req->mntns_ino, req->defer[i]);

		if (r < 0)
			hlog(LOG_ERR, "cannot record %s for later removal: %s", req->defer[i],
			     strerror(-r));
		else
			hlog(LOG_NOTICE, "keeping %s while the session's processes run; it "
			     "goes at a later close", req->defer[i]);
		failed += r < 0;
	}
	if (req->n_live > 0)
		sweep_pending(pending, req, ignore);
	(void)close(pending);
	return failed ? STATUS_SESSION_ERR : STATUS_OK;
}
