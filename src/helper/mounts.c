/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

/*
 * The mount API on fds by its syscalls: musl 1.2.3 has no wrappers for them
 * (glibc 2.36 has); the flags are the kernel's (linux/mount.h).
 */
static int move_mount_fd(int from_fd, int to_fd)
{
	return (int)syscall(SYS_move_mount, from_fd, "", to_fd, "",
			    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

static int fsconfig_set(int fsfd, unsigned int cmd, const char *key, const char *value)
{
	return (int)syscall(SYS_fsconfig, fsfd, cmd, key, value, 0);
}

static int fsopen_cloexec(const char *fstype)
{
	return (int)syscall(SYS_fsopen, fstype, FSOPEN_CLOEXEC);
}

int mount_bind_fd(int source_fd, int target_fd)
{
	_cleanup_close_ int tree = (int)syscall(SYS_open_tree, source_fd, "",
						OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
							AT_EMPTY_PATH);

	if (tree < 0)
		return -errno;
	if (move_mount_fd(tree, target_fd) < 0)
		return -errno;
	return 0;
}

int mount_options_each(const char *options, char *buf, size_t len,
		       int (*fn)(const char *key, const char *value, void *ctx), void *ctx)
{
	size_t n = strlen(options);
	char *save = NULL;

	if (n >= len)
		return -E2BIG;
	memcpy(buf, options, n + 1);
	for (char *o = strtok_r(buf, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(o, '=');
		int r;

		if (eq)
			*eq++ = '\0';
		r = fn(o, eq, ctx);
		if (r < 0)
			return r;
	}
	return 0;
}

/* One option into the filesystem context *ctx. */
static int set_option(const char *key, const char *value, void *ctx)
{
	int fsfd = *(const int *)ctx;

	if (fsconfig_set(fsfd, value ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG, key, value) < 0)
		return -errno;
	return 0;
}

static unsigned int mount_attrs(unsigned long ms_flags)
{
	unsigned int attr = 0;

	if (ms_flags & MS_NOSUID)
		attr |= MOUNT_ATTR_NOSUID;
	if (ms_flags & MS_NODEV)
		attr |= MOUNT_ATTR_NODEV;
	if (ms_flags & MS_NOEXEC)
		attr |= MOUNT_ATTR_NOEXEC;
	return attr;
}

/* Create the configured filesystem context and attach it onto target_fd. */
static int attach_new(int fsfd, unsigned int attrs, int target_fd)
{
	_cleanup_close_ int mnt = -1;

	if (fsconfig_set(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL) < 0)
		return -errno;
	mnt = (int)syscall(SYS_fsmount, fsfd, FSMOUNT_CLOEXEC, attrs);
	if (mnt < 0)
		return -errno;
	if (move_mount_fd(mnt, target_fd) < 0)
		return -errno;
	return 0;
}

int mount_tmpfs_fd(int target_fd, unsigned long ms_flags, const char *options,
		   const char **bad_option)
{
	_cleanup_close_ int fsfd = fsopen_cloexec("tmpfs");

	*bad_option = NULL;
	if (fsfd < 0)
		return -errno;
	if (options) {
		static char opts[4096];
		int r = mount_options_each(options, opts, sizeof(opts), set_option, &fsfd);

		if (r < 0) {
			if (r != -E2BIG)
				*bad_option = options;
			return r;
		}
	}
	return attach_new(fsfd, mount_attrs(ms_flags), target_fd);
}

int mount_procfs_fd(int target_fd)
{
	_cleanup_close_ int fsfd = fsopen_cloexec("proc");

	if (fsfd < 0)
		return -errno;
	return attach_new(fsfd, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
			  target_fd);
}
