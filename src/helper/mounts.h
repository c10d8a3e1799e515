/* SPDX-License-Identifier: BSD-3-Clause */
/* Mounts from fds (the new mount API): nothing is resolved by path. */
#ifndef POLYNS_MOUNTS_H
#define POLYNS_MOUNTS_H

#include <stddef.h>

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
 * mntopts= options, split as mount_tmpfs_fd() hands them to the kernel: at
 * each ',' (empty options skipped), then "key=value" at the first '=' or a
 * flag "key" (value NULL).  buf (len bytes) holds the split copy.  fn's
 * first error stops the walk and is returned; -E2BIG when options do not
 * fit buf.  No system calls.
 */
int mount_options_each(const char *options, char *buf, size_t len,
		       int (*fn)(const char *key, const char *value, void *ctx), void *ctx);

/*
 * A new procfs of the caller's pid namespace (nosuid, nodev, noexec) on
 * target_fd.  0 or -errno.
 */
int mount_procfs_fd(int target_fd);

#endif
