/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "holder.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mounts.h"
#include "sandbox.h"
#include "util.h"

#define MSG_READY 'r'
#define MSG_COMMIT 'c'

/* Our own PID 1 view of the pid namespace: a fresh /proc. */
static int mount_own_proc(void)
{
	_cleanup_close_ int fd = open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW |
					       O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return mount_procfs_fd(fd);
}

static int holder_setup(bool mount_proc, int ctl)
{
	if (mount_proc && mount_own_proc() < 0)
		return -1;
	/* Nothing of the helper's: no fd but ctl, no capability. */
	if (ctl > 0 && syscall(SYS_close_range, 0, ctl - 1, 0) < 0)
		return -1;
	if (syscall(SYS_close_range, ctl + 1, ~0U, 0) < 0)
		return -1;
	/* Named for ps, and open to the next helper's /proc/PID/ns (same uid, no caps). */
	if (prctl(PR_SET_NAME, "polyns-holder", 0, 0, 0) < 0 ||
	    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		return -1;
	/* No capability, and a filter that only lets it wait. */
	return step_enter(STEP_HOLDER) < 0 ? -1 : 0;
}

/* Wait for ever; as PID 1 of a pid namespace, reap what is orphaned to us. */
static __attribute__((noreturn)) void holder_wait(void)
{
	sigset_t chld;

	(void)sigemptyset(&chld);
	(void)sigaddset(&chld, SIGCHLD);
	for (;;) {
		if (sigwaitinfo(&chld, NULL) < 0 && errno != EINTR)
			_exit(1);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
}

static __attribute__((noreturn)) void holder_main(bool mount_proc, int ctl)
{
	sigset_t all;
	char c = MSG_READY;

	(void)sigfillset(&all);
	if (sigprocmask(SIG_BLOCK, &all, NULL) < 0 || holder_setup(mount_proc, ctl) < 0)
		_exit(1);
	if (send(ctl, &c, 1, MSG_NOSIGNAL) != 1)
		_exit(1);
	/* End of file here: the helper failed or died before its entry existed. */
	if (recv(ctl, &c, 1, 0) != 1 || c != MSG_COMMIT)
		_exit(1);
	(void)close(ctl);
	holder_wait();
}

int holder_start(bool mount_proc, struct holder *h)
{
	int sv[2], pidfd = -1;
	pid_t pid;
	char c = 0;
	int r;

	*h = (struct holder){ .pidfd = -1, .ctl = -1 };
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	/* A raw clone: no atfork handlers, and the pidfd comes with the child. */
	pid = (pid_t)syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, NULL, &pidfd, NULL, NULL);
	if (pid == 0) {
		(void)close(sv[0]);
		holder_main(mount_proc, sv[1]);
	}
	r = pid < 0 ? -errno : 0;
	(void)close(sv[1]);
	if (r == 0 && recv(sv[0], &c, 1, 0) != 1)
		r = -ECHILD;
	if (r == 0 && c != MSG_READY)
		r = -EPROTO;
	h->pidfd = pidfd;
	h->ctl = sv[0];
	if (r == 0)
		r = procid_of(pid, pidfd, &h->id);
	if (r < 0) {
		holder_kill(h);
		return r;
	}
	return 0;
}

int holder_commit(struct holder *h)
{
	char c = MSG_COMMIT;
	int r = send(h->ctl, &c, 1, MSG_NOSIGNAL) == 1 ? 0 : -errno;

	(void)close(h->ctl);
	h->ctl = -1;
	return r;
}

void holder_kill(struct holder *h)
{
	/* Not committed: the end of its channel is its end (no signal needed). */
	holder_forget(h);
}

void holder_forget(struct holder *h)
{
	if (h->pidfd >= 0)
		(void)close(h->pidfd);
	if (h->ctl >= 0)
		(void)close(h->ctl);
	h->pidfd = h->ctl = -1;
}
