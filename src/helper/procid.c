/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "procid.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

#define STAT_START_FIELD 22 /* proc(5): starttime */

static int proc_fd = -1;

int procid_init(void)
{
	if (proc_fd >= 0)
		return 0;
	proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return proc_fd < 0 ? -errno : 0;
}

int procid_reopen(void)
{
	proc_fd = -1; /* closed with every other fd by child_start() */
	return procid_init();
}

void procid_close(void)
{
	if (proc_fd >= 0)
		(void)close(proc_fd);
	proc_fd = -1;
}

int procid_proc_fd(void)
{
	return proc_fd;
}

int procid_parse_stat(const char *stat, uint64_t *start)
{
	const char *p = strrchr(stat, ')');
	char *end;

	if (!p)
		return -EINVAL;
	p++;
	for (int field = 3; field <= STAT_START_FIELD; field++) {
		while (*p == ' ')
			p++;
		if (field == STAT_START_FIELD)
			break;
		p = strchr(p, ' ');
		if (!p)
			return -EINVAL;
	}
	/* strtoull would take leading space or a sign: the kernel writes neither. */
	if (*p < '0' || *p > '9')
		return -EINVAL;
	errno = 0;
	*start = strtoull(p, &end, 10);
	return errno || (*end != ' ' && *end != '\n' && *end != '\0') ? -EINVAL : 0;
}

static int read_start(pid_t pid, uint64_t *start)
{
	char path[32], buf[1024];
	_cleanup_close_ int fd = -1;
	ssize_t n;

	(void)snprintf(path, sizeof(path), "%d/stat", (int)pid);
	fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return n < 0 ? -errno : -ESRCH;
	buf[n] = '\0';
	return procid_parse_stat(buf, start);
}

/*
 * Does the process behind pidfd still exist?  Signal 0 checks; EPERM (a
 * caller that changed to the user's uid, and we lack CAP_KILL) means it does.
 */
static int still_there(int pidfd)
{
	if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0 || errno == EPERM)
		return 0;
	return -errno;
}

int procid_of(pid_t pid, int pidfd, struct procid *id)
{
	int r;

	if (proc_fd < 0 || pid <= 0)
		return -EINVAL;
	r = read_start(pid, &id->start);
	/* Its /proc entry hidden from us (hidepid=) while it runs: we cannot tell. */
	if (r == -ESRCH && still_there(pidfd) == 0)
		return -EACCES;
	if (r < 0)
		return r;
	/* Still running after the read: the /proc entry we read was this one. */
	r = still_there(pidfd);
	if (r < 0)
		return r;
	id->pid = pid;
	return 0;
}

/*
 * pidfd_open() without PIDFD_THREAD takes only a thread-group leader: a
 * thread that was given the number answers EINVAL (ENOENT since Linux 6.9,
 * pidfs), a free number ESRCH.  None of them is a process we could have
 * recorded, so all three mean "no such process".
 */
static bool no_such_leader(int err)
{
	return err == ESRCH || err == EINVAL || err == ENOENT;
}

int procid_open(pid_t pid, struct procid *id, int *pidfd)
{
	_cleanup_close_ int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	int r;

	if (fd < 0)
		return no_such_leader(errno) ? -ESRCH : -errno;
	r = procid_of(pid, fd, id);
	if (r < 0)
		return r;
	*pidfd = take_fd(&fd);
	return 0;
}

int procid_alive(const struct procid *id, int *pidfd)
{
	struct procid now = { 0, 0 };
	int fd = -1, r;

	if (id->pid <= 0)
		return 0;
	r = procid_open(id->pid, &now, &fd);
	if (r == -ESRCH)
		return 0; /* no process, or a thread that took the number */
	if (r < 0)
		return r;
	if (now.start != id->start) {
		(void)close(fd); /* the number was recycled by another process */
		return 0;
	}
	if (pidfd)
		*pidfd = fd;
	else
		(void)close(fd);
	return 1;
}

int procid_format(const struct procid *id, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%d.%" PRIu64, (int)id->pid, id->start);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int parse_u64(const char *s, char stop, uint64_t *v, const char **rest)
{
	char *end;

	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] != stop))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || *end != stop)
		return -EINVAL;
	*rest = end;
	return 0;
}

int procid_parse(const char *s, struct procid *id)
{
	uint64_t pid, start;
	const char *rest;

	if (parse_u64(s, '.', &pid, &rest) < 0 || pid == 0 || pid > INT32_MAX ||
	    parse_u64(rest + 1, '\0', &start, &rest) < 0)
		return -EINVAL;
	id->pid = (pid_t)pid;
	id->start = start;
	return 0;
}

int procid_self_pidns(uint64_t *ino)
{
	struct stat st;

	if (proc_fd < 0)
		return -EINVAL;
	if (fstatat(proc_fd, "self/ns/pid", &st, 0) < 0)
		return -errno;
	*ino = st.st_ino;
	return 0;
}
