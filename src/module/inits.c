/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "inits.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <security/pam_ext.h>
#include <selinux/selinux.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "spawn.h"
#include "util.h"
#include "vspawn.h"
#include "walk.h"

#define SCRIPT_FD_SLOT 3 /* the checked script: the interpreter reads it as /dev/fd/3 */

/* In the child, when the script could not be started: tell the parent why. */
__attribute__((noreturn)) static void report_errno(int report_fd)
{
	int err = errno ? errno : EINVAL;

	(void)!write(report_fd, &err, sizeof(err));
	_exit(127);
}

/* What the vspawn child needs to start the script. */
struct script_args {
	const struct wire_init *in;
	const char *user;
	int script_fd, report_fd;
	bool selinux;
};

/*
 * In the child: the checked script at SCRIPT_FD_SLOT, inheritable (an
 * interpreter cannot read a close-on-exec script: execveat fails ENOENT),
 * every other fd above 2 close-on-exec.  report_fd, close-on-exec, carries
 * an errno only if the script did not start.
 */
__attribute__((noreturn)) static int exec_script(void *arg)
{
	static char *const envp[] = { NULL };
	const struct script_args *a = arg;
	const struct wire_init *in = a->in;
	char *argv[] = {
		(char *)in->script, (char *)in->polydir, (char *)in->instance,
		(char *)(in->newdir ? "1" : "0"), (char *)a->user,
		(char *)(in->safe_polydir ? "1" : "0"),
		(char *)(in->safe_instance ? "1" : "0"), NULL,
	};
	/* Park both above the slot first: either may be sitting on it. */
	int report_fd = fcntl(a->report_fd, F_DUPFD_CLOEXEC, SCRIPT_FD_SLOT + 1);
	int script_fd;

	if (report_fd < 0)
		report_errno(a->report_fd);
	script_fd = fcntl(a->script_fd, F_DUPFD_CLOEXEC, SCRIPT_FD_SLOT + 1);
	/* Every fd above the slot goes at exec; report_fd stays usable until then. */
	if (script_fd < 0 || child_reset_process(a->selinux) < 0 ||
	    child_reset_environment(022) < 0 || dup2(script_fd, SCRIPT_FD_SLOT) < 0 ||
	    syscall(SYS_close_range, SCRIPT_FD_SLOT + 1, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		report_errno(report_fd);
	/* What was checked is what runs: the path is not looked up again. */
	(void)syscall(SYS_execveat, SCRIPT_FD_SLOT, "", argv, envp, AT_EMPTY_PATH);
	report_errno(report_fd);
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

/* Start the checked script; its pid and *pidfd, or -errno with *call set. */
static pid_t start_script(const struct wire_init *in, const char *user, int script_fd,
			  int report[2], int *pidfd, const char **call)
{
	struct script_args args = { .in = in, .user = user, .script_fd = script_fd,
				    .selinux = is_selinux_enabled() == 1 };
	pid_t pid;

	*call = "pipe2";
	if (pipe2(report, O_CLOEXEC) < 0)
		return -errno;
	args.report_fd = report[1];
	pid = vspawn(exec_script, &args, pidfd, call);
	(void)close(report[1]);
	if (pid < 0)
		(void)close(report[0]);
	return pid;
}

/* Wait for the script under the deadline: its wait status, or -errno with *call set. */
static int finish_script(pid_t pid, int pidfd, unsigned int timeout_sec, const char **call)
{
	int status;

	*call = "waitpid";
	status = wait_deadline(pid, pidfd, timeout_sec);
	(void)close(pidfd);
	return status;
}

/* Say how the script ended; 0 unless it must fail the session. */
static int judge_script(pam_handle_t *pamh, const struct wire_init *in, int status,
			int exec_errno, unsigned int timeout_sec)
{
	if (status == -ETIMEDOUT) {
		pam_syslog(pamh, LOG_ERR, "namespace init script %s for %s did not finish "
			   "within %u s; killed", in->script, in->polydir, timeout_sec);
		return status;
	}
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

static int run_one(pam_handle_t *pamh, const struct wire_init *in, const char *user,
		   unsigned int timeout_sec)
{
	size_t failed_len = 0;
	_cleanup_close_ int fd = trusted_exec_open(in->script, &failed_len);
	const char *call = NULL;
	int report[2], status, exec_errno = 0, pidfd = -1;
	pid_t pid;

	if (fd == -ENOENT)
		return 0; /* no script: nothing to run, as with pam_namespace */
	if (fd < 0) {
		struct walk w = { .fd = -1, .failed_len = failed_len };
		char msg[512];

		pam_syslog(pamh, LOG_ERR, "refusing namespace init script %s",
			   walk_describe(msg, sizeof(msg), in->script, &w, fd));
		return fd;
	}
	pid = start_script(in, user, fd, report, &pidfd, &call);
	status = pid < 0 ? pid : finish_script(pid, pidfd, timeout_sec, &call);
	if (pid >= 0) {
		/* The child is gone: the pipe holds an errno only if exec failed. */
		if (read(report[0], &exec_errno, sizeof(exec_errno)) != (ssize_t)sizeof(exec_errno))
			exec_errno = 0;
		(void)close(report[0]);
	}
	if (status < 0 && status != -ETIMEDOUT) {
		pam_syslog(pamh, LOG_ERR, "cannot run namespace init script %s: %s: %s",
			   in->script, call, strerror(-status));
		return status;
	}
	return judge_script(pamh, in, status, exec_errno, timeout_sec);
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
