/* SPDX-License-Identifier: BSD-3-Clause */
/* Mounts from fds (the new mount API): nothing is resolved by path. */
#ifndef POLYNS_MOUNTS_H
#define POLYNS_MOUNTS_H

/*
 * Bind the directory at source_fd (not recursive, like MS_BIND) onto the
 * directory at target_fd.  0 or -errno.
 */
int mount_bind_fd(int source_fd, int target_fd);

/*
 * A new tmpfs on target_fd with the mount flags (MS_NOSUID, MS_NODEV,
 * MS_NOEXEC) and comma-separated options (NULL for none) of mntopts=.
 * 0 or -errno; on -EINVAL *bad_option names the option the kernel refused.
 */
int mount_tmpfs_fd(int target_fd, unsigned long ms_flags, const char *options,
		   const char **bad_option);

/*
 * A new procfs of the caller's pid namespace (nosuid, nodev, noexec) on
 * target_fd.  0 or -errno.
 */
int mount_procfs_fd(int target_fd);

#endif
