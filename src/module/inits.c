/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "inits.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <security/pam_ext.h>
#include <signal.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/pidfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "spawn.h"
#include "util.h"

/* report_fd is close-on-exec: it carries an errno only if the script did not start. */
__attribute__((noreturn)) static void exec_script(const struct wire_init *in,
						  const char *user, int report_fd)
{
	int err;

	/* Every fd above 2 goes at exec; report_fd stays usable until then. */
	if (child_reset_process() == 0 && child_reset_environment(022) == 0 &&
	    syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) == 0) {
		static char *const envp[] = { NULL };
		char *argv[] = {
			(char *)in->script, (char *)in->polydir, (char *)in->instance,
			(char *)(in->newdir ? "1" : "0"), (char *)user,
			(char *)(in->safe_polydir ? "1" : "0"),
			(char *)(in->safe_instance ? "1" : "0"), NULL,
		};

		/* The path was checked: root-owned all the way, no symlinks. */
		(void)execve(in->script, argv, envp);
	}
	err = errno ? errno : EINVAL;
	(void)!write(report_fd, &err, sizeof(err));
	_exit(127);
}

/* Wait for pid under a deadline; the wait status, or -ETIMEDOUT after killing. */
static int wait_deadline(pid_t pid, int pidfd, unsigned int timeout_sec)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int status = 0, r;

	do
		r = poll(&p, 1, (int)timeout_sec * 1000);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		(void)kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return r <= 0 ? -ETIMEDOUT : status;
}

static int run_one(pam_handle_t *pamh, const struct wire_init *in, const char *user,
		   unsigned int timeout_sec)
{
	char why[512];
	int fd = trusted_exec_open(in->script, why, sizeof(why));
	int pidfd, status, report[2], exec_errno = 0;
	sigset_t all, old;
	pid_t pid;

	if (fd == -ENOENT)
		return 0; /* no script: nothing to run, as with pam_namespace */
	if (fd < 0) {
		pam_syslog(pamh, LOG_ERR, "refusing namespace init script: %s", why);
		return fd;
	}
	(void)close(fd);
	if (pipe2(report, O_CLOEXEC) < 0)
		return -errno;
	sigfillset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, &old);
	pid = fork();
	if (pid == 0)
		exec_script(in, user, report[1]);
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	(void)close(report[1]);
	if (pid < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot fork to run %s: %m", in->script);
		(void)close(report[0]);
		return -errno;
	}
	pidfd = pidfd_open(pid, 0);
	if (pidfd < 0) {
		int e = errno;

		(void)kill(pid, SIGKILL);
		(void)waitpid(pid, NULL, 0);
		(void)close(report[0]);
		pam_syslog(pamh, LOG_ERR, "pidfd_open for %s: %s", in->script, strerror(e));
		return -e;
	}
	status = wait_deadline(pid, pidfd, timeout_sec);
	(void)close(pidfd);
	/* The child is gone: the pipe holds an errno only if exec failed. */
	if (read(report[0], &exec_errno, sizeof(exec_errno)) != (ssize_t)sizeof(exec_errno))
		exec_errno = 0;
	(void)close(report[0]);
	if (status == -ETIMEDOUT) {
		pam_syslog(pamh, LOG_ERR, "namespace init script %s for %s did not finish "
			   "within %u s; killed", in->script, in->polydir, timeout_sec);
		return status;
	}
	if (status < 0)
		return status;
	if (WIFSIGNALED(status)) {
		pam_syslog(pamh, LOG_ERR, "namespace init script %s for %s killed by signal %d",
			   in->script, in->polydir, WTERMSIG(status));
		return -EINTR;
	}
	if (exec_errno) {
		pam_syslog(pamh, LOG_ERR, "namespace init script %s could not be run: %s",
			   in->script, strerror(exec_errno));
		return -ENOEXEC;
	}
	if (WEXITSTATUS(status) != 0)
		pam_syslog(pamh, LOG_NOTICE, "namespace init script %s for %s exited with "
			   "status %d (ignored, as pam_namespace does)", in->script,
			   in->polydir, WEXITSTATUS(status));
	return 0;
}

int run_inits(pam_handle_t *pamh, const struct wire_reply *reply, const char *user,
	      unsigned int timeout_sec)
{
	for (uint32_t i = 0; i < reply->n_inits; i++) {
		int r = run_one(pamh, &reply->inits[i], user, timeout_sec);

		if (r < 0)
			return r;
	}
	return 0;
}
