/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "fswalk.h"
#include "hlog.h"
#include "options.h"
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

enum wire_status cleanup_tmpdirs(const struct wire_request *req)
{
	bool ignore = req->flags & POLYNS_OPT_IGNORE_INSTANCE_PARENT_MODE;
	int failed = 0;

	for (uint32_t i = 0; i < req->n_cleanup; i++)
		failed += remove_instance(req->cleanup[i], ignore) < 0;
	return failed ? STATUS_SESSION_ERR : STATUS_OK;
}
