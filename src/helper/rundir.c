/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "rundir.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fswalk.h"
#include "hlog.h"
#include "util.h"

static int root_only(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) && st.st_uid == 0 && !(st.st_mode & 077) ? 0 : -EPERM;
}

int rundir_open(const char *runtime_dir, const char *name)
{
	char err[512];
	struct walk w;
	_cleanup_close_ int top = -1;
	int fd, ret = walk_open(runtime_dir, WALK_MKDIR, 0700, &w, err, sizeof(err));

	if (ret < 0) {
		hlog(LOG_ERR, "runtime directory: %s", err);
		return ret;
	}
	top = w.fd;
	if (root_only(top) < 0) {
		hlog(LOG_ERR, "runtime directory %s must be root's, mode 0700", runtime_dir);
		return -EPERM;
	}
	if (mkdirat(top, name, 0700) < 0 && errno != EEXIST)
		return -errno;
	/* Looked at through O_PATH first: the steps that use it cannot open another's. */
	fd = openat(top, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = root_only(fd);
	(void)close(fd);
	if (ret == 0) {
		fd = openat(top, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		ret = root_only(fd); /* swapped since? */
		if (ret < 0)
			(void)close(fd);
	}
	if (ret < 0) {
		hlog(LOG_ERR, "%s/%s must be root's, mode 0700", runtime_dir, name);
		return -EPERM;
	}
	return fd;
}
