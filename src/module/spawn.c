/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <selinux/selinux.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/close_range.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"
#include "vspawn.h"
#include "walk.h"
#include "wire.h"

#define HELPER_FD_SLOT 4 /* the helper binary's O_PATH fd, for execveat */

int trusted_exec_open(const char *path, size_t *failed_len)
{
	struct walk w;
	struct stat st;
	int r = walk_open(path, WALK_NO_SYMLINKS | WALK_ROOT_OWNED | WALK_REGULAR, 0, &w);

	*failed_len = w.failed_len;
	if (r < 0)
		return r;
	*failed_len = strlen(path);
	if (fstat(w.fd, &st) < 0)
		r = -errno;
	else if (!(st.st_mode & S_IXUSR))
		r = -ENOEXEC;
	if (r < 0) {
		(void)close(w.fd);
		return r;
	}
	*failed_len = 0;
	return w.fd;
}

const char *spawn_describe(char *buf, size_t len, const char *path, int r,
			   const struct spawn_fail *f)
{
	struct walk w = { .fd = -1, .failed_len = f->failed_len };

	if (!f->call)
		return walk_describe(buf, len, path, &w, r);
	(void)snprintf(buf, len, "%s: %s", f->call, strerror(-r));
	return buf;
}

/*
 * What setexeccon(NULL) does, without libselinux (whose thread-local cache
 * is our caller's memory in a vspawn child): an empty write clears it.
 */
static int clear_exec_context(void)
{
	int fd = open("/proc/thread-self/attr/exec", O_RDWR | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	do
		n = write(fd, NULL, 0);
	while (n < 0 && errno == EINTR);
	(void)close(fd);
	return n < 0 ? -1 : 0;
}

/*
 * Limits the invoking user may have lowered (behind su) are reset.  Raising
 * a hard limit needs CAP_SYS_RESOURCE, which a caller may lack: then the soft
 * limit goes as high as the hard one allows.  Lower limits can only make
 * the helper fail, and the session with it.
 */
static int reset_rlimit(int resource, const struct rlimit *want)
{
	struct rlimit cur;

	if (setrlimit(resource, want) == 0)
		return 0;
	if (errno != EPERM || getrlimit(resource, &cur) < 0)
		return -errno;
	cur.rlim_cur = want->rlim_cur < cur.rlim_max ? want->rlim_cur : cur.rlim_max;
	return setrlimit(resource, &cur) < 0 ? -errno : 0;
}

int child_reset_process(bool selinux)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &dfl, NULL); /* SIGKILL/SIGSTOP fail: fine */
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		return -1;
	/*
	 * Behind su the real uid is the user's: make every id root's.  Raw
	 * system calls: glibc's wrappers would change the ids of every thread
	 * of the process they believe they are in, which is our caller's.
	 */
	if (syscall(SYS_setresgid, 0, 0, 0) < 0 || syscall(SYS_setgroups, 0, NULL) < 0 ||
	    syscall(SYS_setresuid, 0, 0, 0) < 0)
		return -1;
	/* pam_selinux may have set the user's exec context: not for our programs. */
	return selinux ? clear_exec_context() : 0;
}

int child_reset_environment(mode_t mask)
{
	static const struct {
		int resource;
		struct rlimit lim;
	} limits[] = {
		{ RLIMIT_CORE, { 0, 0 } },
		{ RLIMIT_NOFILE, { 1024, 1024 } },
		{ RLIMIT_STACK, { 8 << 20, RLIM_INFINITY } },
		{ RLIMIT_CPU, { RLIM_INFINITY, RLIM_INFINITY } },
		{ RLIMIT_FSIZE, { RLIM_INFINITY, RLIM_INFINITY } },
		{ RLIMIT_DATA, { RLIM_INFINITY, RLIM_INFINITY } },
		{ RLIMIT_AS, { RLIM_INFINITY, RLIM_INFINITY } },
		{ RLIMIT_NPROC, { RLIM_INFINITY, RLIM_INFINITY } },
		{ RLIMIT_MEMLOCK, { 8 << 20, 8 << 20 } },
	};

	for (size_t i = 0; i < ARRAY_SIZE(limits); i++)
		if (reset_rlimit(limits[i].resource, &limits[i].lim) < 0)
			return -1;
	umask(mask);
	if (setsid() < 0 || chdir("/") < 0)
		return -1;
	return 0;
}

/* Where the child stopped before exec: reported to the parent as an index. */
enum child_step { CHILD_RESET, CHILD_SETNS, CHILD_LIMITS, CHILD_FDS, CHILD_EXEC };
static const char *const child_steps[] = {
	[CHILD_RESET] = "resetting ids and signals",
	[CHILD_SETNS] = "entering the mount namespace",
	[CHILD_LIMITS] = "resetting rlimits, umask and session",
	[CHILD_FDS] = "placing its fds",
	[CHILD_EXEC] = "execveat",
};

struct child_report {
	uint32_t step; /* enum child_step */
	int32_t err;   /* errno */
};

__attribute__((noreturn)) static void child_fail(int report_fd, enum child_step step)
{
	struct child_report rep = { .step = step, .err = errno ? errno : EINVAL };

	(void)!write(report_fd, &rep, sizeof(rep));
	_exit(127);
}

/* Move fd above the slots the helper gets, close-on-exec; the new fd or -1. */
static int park(int fd)
{
	int parked = fcntl(fd, F_DUPFD_CLOEXEC, HELPER_FD_SLOT + 1);

	if (parked >= 0)
		(void)close(fd);
	return parked;
}

/* What the vspawn child needs: fds of ours, all but mntns_fd closed in it. */
struct exec_args {
	char *const *argv;
	int sock, helper_fd, mntns_fd, report_fd;
	bool selinux;
};

/* In the child: everything between clone and exec.  Never returns. */
__attribute__((noreturn)) static int exec_helper(void *arg)
{
	static char *const envp[] = { NULL };
	const struct exec_args *a = arg;
	int devnull, parked, sock, helper_fd, report_fd = a->report_fd;

	if (child_reset_process(a->selinux) < 0)
		child_fail(report_fd, CHILD_RESET);
	if (a->mntns_fd >= 0 && setns(a->mntns_fd, CLONE_NEWNS) < 0)
		child_fail(report_fd, CHILD_SETNS);
	if (child_reset_environment(077) < 0)
		child_fail(report_fd, CHILD_LIMITS);
	/* Park every fd above the target slots, then place them. */
	parked = park(report_fd);
	if (parked < 0)
		child_fail(report_fd, CHILD_FDS);
	report_fd = parked;
	sock = park(a->sock);
	helper_fd = park(a->helper_fd);
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (sock < 0 || helper_fd < 0 || devnull < 0)
		child_fail(report_fd, CHILD_FDS);
	if (dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0 ||
	    dup2(sock, WIRE_FD_SLOT) < 0 || dup3(helper_fd, HELPER_FD_SLOT, O_CLOEXEC) < 0)
		child_fail(report_fd, CHILD_FDS);
	/* dup2() onto itself keeps FD_CLOEXEC: clear it on what must survive. */
	for (int fd = 0; fd <= WIRE_FD_SLOT; fd++)
		if (fcntl(fd, F_SETFD, 0) < 0)
			child_fail(report_fd, CHILD_FDS);
	/* Everything else goes at exec; report_fd stays usable until then. */
	if (syscall(SYS_close_range, HELPER_FD_SLOT + 1, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		child_fail(report_fd, CHILD_FDS);
	(void)syscall(SYS_execveat, HELPER_FD_SLOT, "", a->argv, envp, AT_EMPTY_PATH);
	child_fail(report_fd, CHILD_EXEC);
}

/* After the child exited 127: what it reported (0 if nothing). */
static void read_child_report(struct helper_proc *h)
{
	struct child_report rep;

	if (read(h->report, &rep, sizeof(rep)) == (ssize_t)sizeof(rep) &&
	    rep.step < ARRAY_SIZE(child_steps) && rep.err > 0) {
		h->start_step = child_steps[rep.step];
		h->start_errno = rep.err;
	}
}

/*
 * The helper's command line: its name padded with blanks (the room a holder
 * renames itself in, wire.h), then its operation, which it needs before any
 * input.
 */
static int spawn(const char *path, const char *op, int mntns_fd, struct helper_proc *h,
		 struct spawn_fail *f)
{
	_cleanup_close_ int helper_fd = -1;
	char arg0[WIRE_HELPER_ARGV0_LEN + 1];
	char *const argv[] = { arg0, (char *)op, NULL };
	struct exec_args args = { .argv = argv, .mntns_fd = mntns_fd };
	int sv[2], report[2], pidfd;
	pid_t pid;

	memset(arg0, ' ', WIRE_HELPER_ARGV0_LEN);
	memcpy(arg0, WIRE_HELPER_ARGV0, sizeof(WIRE_HELPER_ARGV0) - 1);
	arg0[WIRE_HELPER_ARGV0_LEN] = '\0';
	*h = (struct helper_proc){ .pid = -1, .pidfd = -1, .sock = -1, .report = -1 };
	*f = (struct spawn_fail){ .call = NULL };
	helper_fd = trusted_exec_open(path, &f->failed_len);
	if (helper_fd < 0)
		return helper_fd;
	if (pipe2(report, O_CLOEXEC) < 0) {
		f->call = "pipe2";
		return -errno;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		int e = errno;

		f->call = "socketpair";
		(void)close(report[0]);
		(void)close(report[1]);
		return -e;
	}
	args.sock = sv[1];
	args.helper_fd = helper_fd;
	args.report_fd = report[1];
	args.selinux = is_selinux_enabled() == 1;
	pid = vspawn(exec_helper, &args, &pidfd, &f->call);
	(void)close(sv[1]);
	(void)close(report[1]);
	if (pid < 0) {
		(void)close(sv[0]);
		(void)close(report[0]);
		return pid;
	}
	f->call = NULL;
	h->pid = pid;
	h->sock = sv[0];
	h->report = report[0];
	h->pidfd = pidfd;
	return 0;
}

int helper_spawn(const char *path, struct helper_proc *h, struct spawn_fail *f)
{
	return spawn(path, "open", -1, h, f);
}

int helper_spawn_in(const char *path, int mntns_fd, struct helper_proc *h,
		    struct spawn_fail *f)
{
	return spawn(path, "close", mntns_fd, h, f);
}

int helper_reap(struct helper_proc *h, int kill_first)
{
	int status = 0;
	pid_t r;

	if (h->pid <= 0)
		return -ECHILD;
	/* Not yet reaped, so the pid cannot have been reused. */
	if (kill_first)
		(void)kill(h->pid, SIGKILL);
	do
		r = waitpid(h->pid, &status, 0);
	while (r < 0 && errno == EINTR);
	h->pid = -1;
	if (r >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127)
		read_child_report(h);
	if (h->pidfd >= 0)
		(void)close(h->pidfd);
	if (h->sock >= 0)
		(void)close(h->sock);
	if (h->report >= 0)
		(void)close(h->report);
	h->pidfd = h->sock = h->report = -1;
	return r < 0 ? -errno : status;
}
