/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "holder.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mounts.h"
#include "sandbox.h"
#include "util.h"

#define MSG_READY 'r'
#define MSG_COMMIT 'c'
#define HOLDER_NAME "polyns-holder"

static char *cmdline;
static size_t cmdline_len;

void holder_keep_cmdline(int argc, char **argv)
{
	char *end;

	if (argc < 1 || !argv[0])
		return;
	end = argv[0];
	/* The strings the kernel copied, one after the other: stop at a gap. */
	for (int i = 0; i < argc && argv[i] == end; i++)
		end += strlen(argv[i]) + 1;
	cmdline = argv[0];
	cmdline_len = (size_t)(end - argv[0]);
}

/*
 * Our command line becomes "polyns-holder\0KEY\0" and zeros to its end,
 * cut to the room the helper was started with (the module leaves enough,
 * wire.h).  The last byte stays 0: then the kernel shows exactly this area
 * (it reads past it only for a process that overwrote that byte).  Only our
 * own memory changes: no call, so nothing for the filter to allow.
 */
static void rename_cmdline(const char *key)
{
	size_t name = sizeof(HOLDER_NAME);

	if (cmdline_len < name)
		return;
	memset(cmdline, 0, cmdline_len);
	memcpy(cmdline, HOLDER_NAME, name);
	if (cmdline_len > name + 1)
		(void)snprintf(cmdline + name, cmdline_len - name, "%s", key);
}

/* Our own PID 1 view of the pid namespace: a fresh /proc. */
static int mount_own_proc(void)
{
	_cleanup_close_ int fd = open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW |
					       O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return mount_procfs_fd(fd);
}

static int holder_setup(bool mount_proc, const char *key, int ctl)
{
	if (mount_proc && mount_own_proc() < 0)
		return -1;
	/* Nothing of the helper's: no fd but ctl, no capability. */
	if (ctl > 0 && syscall(SYS_close_range, 0, ctl - 1, 0) < 0)
		return -1;
	if (syscall(SYS_close_range, ctl + 1, ~0U, 0) < 0)
		return -1;
	/*
	 * Named for ps and pgrep: comm (15 bytes, too short for a key) is
	 * "polyns-holder", the command line "polyns-holder KEY".  Open to the
	 * next helper's /proc/PID/ns (same uid, no caps).
	 */
	rename_cmdline(key);
	if (prctl(PR_SET_NAME, HOLDER_NAME, 0, 0, 0) < 0 ||
	    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		return -1;
	/* No capability, and a filter that only lets it wait. */
	return step_enter(STEP_HOLDER) < 0 ? -1 : 0;
}

/*
 * Watch the registry entry open at entry_fd: the set ends when its entry is
 * retired (renamed to KEY.dead) or removed.  Nobody signals a holder.
 * The watch needs a path: the fd's own /proc link.  The inotify fd, or -1.
 */
static int watch_entry(int entry_fd)
{
	char path[64];
	struct stat st;
	int ifd = inotify_init1(IN_CLOEXEC);

	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", entry_fd);
	if (ifd < 0 || inotify_add_watch(ifd, path, IN_MOVE_SELF | IN_DELETE_SELF) < 0)
		return -1;
	/* Retired before the watch was in place: nothing would ever tell us. */
	if (fstat(entry_fd, &st) < 0 || st.st_nlink == 0)
		return -1;
	return ifd;
}

/*
 * Wait until the entry goes; as PID 1 of a pid namespace, reap what is
 * orphaned to us meanwhile.  Our exit takes the pid namespace's processes
 * with it.
 */
static __attribute__((noreturn)) void holder_wait(int entry_fd)
{
	sigset_t chld;
	struct pollfd fds[2];
	char events[4096];

	(void)sigemptyset(&chld);
	(void)sigaddset(&chld, SIGCHLD);
	fds[0] = (struct pollfd){ .fd = watch_entry(entry_fd), .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK),
				  .events = POLLIN };
	if (fds[0].fd < 0 || fds[1].fd < 0)
		_exit(1);
	for (;;) {
		if (ppoll(fds, 2, NULL, NULL) < 0 && errno != EINTR)
			_exit(1);
		if (fds[0].revents)
			_exit(0); /* any event on the entry itself: moved, removed, unwatched */
		while (read(fds[1].fd, events, sizeof(struct signalfd_siginfo)) > 0)
			;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
}

/* The commit byte, with the fd of the entry just published. */
static int recv_commit(int ctl, int *entry_fd)
{
	char c = 0, control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			    .msg_controllen = sizeof(control) };
	struct cmsghdr *cm;

	if (recvmsg(ctl, &m, MSG_CMSG_CLOEXEC) != 1 || c != MSG_COMMIT ||
	    (m.msg_flags & MSG_CTRUNC))
		return -1;
	cm = CMSG_FIRSTHDR(&m);
	if (!cm || cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(entry_fd, CMSG_DATA(cm), sizeof(int));
	return 0;
}

static __attribute__((noreturn)) void holder_main(bool mount_proc, const char *key, int ctl)
{
	sigset_t all;
	char c = MSG_READY;
	int entry_fd = -1;

	(void)sigfillset(&all);
	if (sigprocmask(SIG_BLOCK, &all, NULL) < 0 || holder_setup(mount_proc, key, ctl) < 0)
		_exit(1);
	if (send(ctl, &c, 1, MSG_NOSIGNAL) != 1)
		_exit(1);
	/* End of file here: the helper failed or died before its entry existed. */
	if (recv_commit(ctl, &entry_fd) < 0)
		_exit(1);
	(void)close(ctl);
	holder_wait(entry_fd);
}

int holder_spawn(bool mount_proc, const char *key, struct holder *h)
{
	int sv[2], pidfd = -1;
	pid_t pid;

	*h = (struct holder){ .pidfd = -1, .ctl = -1 };
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	/* A raw clone: no atfork handlers, and the pidfd comes with the child. */
	pid = (pid_t)syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, NULL, &pidfd, NULL, NULL);
	if (pid == 0) {
		(void)close(sv[0]);
		holder_main(mount_proc, key, sv[1]);
	}
	(void)close(sv[1]);
	if (pid < 0) {
		int e = errno;

		(void)close(sv[0]);
		return -e;
	}
	h->id.pid = pid;
	h->pidfd = pidfd;
	h->ctl = sv[0];
	return 0;
}

int holder_ready(struct holder *h)
{
	char c = 0;
	int r = recv(h->ctl, &c, 1, 0) == 1 ? 0 : -ECHILD;

	if (r == 0 && c != MSG_READY)
		r = -EPROTO;
	if (r == 0)
		r = procid_of(h->id.pid, h->pidfd, &h->id);
	if (r < 0)
		holder_forget(h);
	return r;
}

int holder_commit(struct holder *h, int entry_fd)
{
	char c = MSG_COMMIT, control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			    .msg_controllen = sizeof(control) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	int r;

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &entry_fd, sizeof(int));
	r = sendmsg(h->ctl, &m, MSG_NOSIGNAL) == 1 ? 0 : -errno;

	(void)close(h->ctl);
	h->ctl = -1;
	return r;
}

void holder_forget(struct holder *h)
{
	if (h->pidfd >= 0)
		(void)close(h->pidfd);
	if (h->ctl >= 0)
		(void)close(h->ctl);
	h->pidfd = h->ctl = -1;
}
