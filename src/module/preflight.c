/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "preflight.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

/* num_threads is the 20th field of /proc/self/stat; comm may hold spaces. */
static int thread_count(int proc_fd)
{
	char buf[1024];
	_cleanup_close_ int fd = proc_fd >= 0
		? openat(proc_fd, "self/stat", O_RDONLY | O_CLOEXEC)
		: open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
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

int preflight_check(int proc_fd, const char **what)
{
	int threads = thread_count(proc_fd);
	int caps;

	*what = "cannot count the calling process's threads in /proc/self/stat";
	if (threads < 0)
		return threads;
	*what = "the calling process has several threads; namespaces can only be "
		"joined by a single-threaded process";
	if (threads != 1)
		return -EBUSY;
	*what = "cannot read the calling process's capabilities";
	caps = has_caps();
	if (caps < 0)
		return caps;
	*what = "the calling process lacks CAP_SYS_ADMIN or CAP_SYS_CHROOT, which "
		"joining namespaces needs";
	if (!caps)
		return -EPERM;
	*what = NULL;
	return 0;
}
