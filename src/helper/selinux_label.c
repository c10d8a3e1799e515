/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "selinux_label.h"

#include <errno.h>
#include <fcntl.h>
#include <selinux/context.h>
#include <selinux/selinux.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan.h"

/*
 * security_compute_member() opens selinuxfs for writing, which the sandbox
 * forbids; so the helper opens the "member" file before the sandbox and
 * speaks the same "scon tcon class" transaction itself.  The kernel allows
 * one transaction per open: hence a small pool, one fd per computation,
 * and the plan's limit on context polydirs.
 */
_Static_assert(SE_MEMBER_FDS == PLAN_MAX_CONTEXT_JOBS, "one member fd per context the plan allows");

static int member_fds[SE_MEMBER_FDS] = { -1, -1, -1, -1, -1, -1, -1, -1 };
static size_t member_used;
static security_class_t dir_class;

int se_prepare(void)
{
	if (is_selinux_enabled() != 1)
		return 0;
	dir_class = string_to_security_class("dir");
	if (dir_class == 0)
		return -EINVAL;
	for (int i = 0; i < SE_MEMBER_FDS; i++) {
		int fd = open("/sys/fs/selinux/member", O_RDWR | O_CLOEXEC);

		if (fd < 0)
			return -errno;
		/* At the fixed slot the seccomp program allows write() on. */
		member_fds[i] = dup3(fd, SE_MEMBER_FD_BASE + i, O_CLOEXEC);
		(void)close(fd);
		if (member_fds[i] < 0)
			return -errno;
	}
	return 0;
}

static bool real_enabled(void)
{
	return is_selinux_enabled() == 1;
}

static int real_file_context(int fd, char **con)
{
	return fgetfilecon_raw(fd, con) < 0 ? -errno : 0;
}

static int real_compute_member(const char *scon, const char *tcon, char **out)
{
	char buf[4096];
	ssize_t n;
	int len, member_fd;

	if (member_used == SE_MEMBER_FDS || member_fds[member_used] < 0)
		return -EMFILE; /* more context-method polydirs than the pool holds */
	member_fd = member_fds[member_used++];
	len = snprintf(buf, sizeof(buf), "%s %s %hu", scon, tcon, dir_class);
	if (len < 0 || (size_t)len >= sizeof(buf))
		return -ENAMETOOLONG;
	if (write(member_fd, buf, (size_t)len) != len)
		return -errno;
	n = read(member_fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	*out = strdup(buf);
	return *out ? 0 : -ENOMEM;
}

static int real_set_file_context(int fd, const char *con)
{
	return fsetfilecon_raw(fd, con) < 0 ? -errno : 0;
}

static const struct se_ops real_ops = {
	real_enabled, real_file_context, real_compute_member, real_set_file_context,
};
#ifdef POLYNS_TEST_HOOKS
static const struct se_ops *ops = &real_ops;
#else
static const struct se_ops *const ops = &real_ops;
#endif

bool se_member_open(void)
{
	return member_fds[0] >= 0;
}

const struct se_ops *se_get_ops(void)
{
	return ops;
}

#ifdef POLYNS_TEST_HOOKS
void se_set_ops(const struct se_ops *new_ops)
{
	ops = new_ops;
}
#endif

int se_instance_context(bool level, const char *scon, const char *pcon, char **out)
{
	context_t pctx, sctx;
	const char *range;
	int ret = 0;

	if (!level)
		return ops->compute_member(scon, pcon, out);
	pctx = context_new(pcon);
	sctx = context_new(scon);
	range = sctx ? context_range_get(sctx) : NULL;
	if (!pctx || !range || context_range_set(pctx, range) != 0)
		ret = -EINVAL;
	else if (!(*out = strdup(context_str(pctx))))
		ret = -ENOMEM;
	if (pctx)
		context_free(pctx);
	if (sctx)
		context_free(sctx);
	return ret;
}
