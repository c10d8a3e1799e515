/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "preflight.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

/* num_threads is the 20th field of /proc/self/stat; comm may hold spaces. */
static int thread_count(void)
{
	char buf[1024];
	_cleanup_close_ int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	ssize_t n;
	char *p, *end;
	long n_threads;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	/* p is at the end of field 2; each step moves to the blank before the next field. */
	for (int field = 2; p && field < 20; field++)
		p = strchr(p + 1, ' ');
	if (!p)
		return -EIO;
	errno = 0;
	n_threads = strtol(p + 1, &end, 10);
	if (errno || end == p + 1 || n_threads < 1 || n_threads > INT_MAX)
		return -EIO;
	return (int)n_threads;
}

static int has_caps(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	const unsigned int need = (1U << CAP_SYS_ADMIN) | (1U << CAP_SYS_CHROOT);

	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	return (data[0].effective & need) == need;
}

int preflight_check(char *why, size_t why_len)
{
	int threads = thread_count();
	int caps;

	if (threads < 0) {
		(void)snprintf(why, why_len, "cannot count threads: %s", strerror(-threads));
		return threads;
	}
	if (threads != 1) {
		(void)snprintf(why, why_len, "the calling process has %d threads; "
			       "namespaces can only be joined by a single-threaded process",
			       threads);
		return -EINVAL;
	}
	caps = has_caps();
	if (caps < 0) {
		(void)snprintf(why, why_len, "cannot read capabilities: %s", strerror(-caps));
		return caps;
	}
	if (!caps) {
		(void)snprintf(why, why_len, "the calling process lacks CAP_SYS_ADMIN or "
			       "CAP_SYS_CHROOT, which joining namespaces needs");
		return -EPERM;
	}
	return 0;
}
