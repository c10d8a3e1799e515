/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test driver: opens a real PAM session through a given PAM config directory
 * (pam_start_confdir), runs a command inside it, closes it.
 *
 *   pam_session CONFDIR SERVICE USER [--as-user] [--print-ns] [-- CMD ARGS...]
 *
 * Prints "open: <PAM error name>" and "close: ..." on stdout.  With
 * --print-ns, prints the caller's own namespaces (readlink of
 * /proc/self/ns/X) before and after pam_open_session, as "before X ..." and
 * "after X ...".  With --print-fds, prints "inheritable-before: N N ..."
 * (the fds without FD_CLOEXEC before pam_open_session) and "new-after: N
 * target ..." for every fd that pam_open_session left open.  Exit status:
 * the command's, or 99 if the session did not open.  --thread starts a
 * second thread first; --drop-sys-admin drops CAP_SYS_ADMIN first (both to
 * see the module refuse a caller that cannot join namespaces);
 * --thread-at-close starts one after open, before close.  --wait-stdin
 * reads a byte (or end of file) from stdin after pam_open_session, whatever
 * it returned, before going on: the caller stays alive as long as a test
 * wants.  --twice opens a second session on a second PAM handle while the
 * first is open and prints "twice: RESULT FIRST SECOND", the
 * time_for_children namespace after each open.
 *
 * --close-as-user does what systemd does for a user@.service manager
 * (PAMName=systemd-user): after open it forks a child that drops to the
 * user's uid and gids, as systemd's "(sd-pam)" does, and closes the
 * session only once this process is gone; this process runs the command
 * and exits without closing.  The child prints "close-as-user: ...".
 */
#define _GNU_SOURCE
#include <cap-ng.h>
#include <dirent.h>
#include <pthread.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <security/pam_appl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const ns_names[] = { "mnt", "ipc", "uts", "net", "cgroup",
					"pid", "time", "user" };

static int no_conv(int n, const struct pam_message **msg,
		   struct pam_response **resp, void *data)
{
	(void)n;
	(void)msg;
	(void)resp;
	(void)data;
	return PAM_CONV_ERR;
}

static void print_ns(const char *when)
{
	for (size_t i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++) {
		char path[64], target[128];
		ssize_t n;

		(void)snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_names[i]);
		n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		(void)printf("%s %s %s\n", when, ns_names[i], target);
	}
	(void)fflush(stdout);
}

#define MAX_FD 1024

/* Mark every open fd below MAX_FD. */
static void scan_fds(unsigned char *open_fds)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;

	memset(open_fds, 0, MAX_FD);
	if (!d)
		return;
	while ((de = readdir(d))) {
		int fd = atoi(de->d_name);

		if (de->d_name[0] != '.' && fd != dirfd(d) && fd < MAX_FD)
			open_fds[fd] = 1;
	}
	(void)closedir(d);
}

static void print_inheritable(const unsigned char *open_fds)
{
	(void)printf("inheritable-before:");
	for (int fd = 0; fd < MAX_FD; fd++)
		if (open_fds[fd] && !(fcntl(fd, F_GETFD) & FD_CLOEXEC))
			(void)printf(" %d", fd);
	(void)printf("\n");
}

static void print_new(const unsigned char *before)
{
	unsigned char now[MAX_FD];

	scan_fds(now);
	for (int fd = 0; fd < MAX_FD; fd++) {
		char path[64], target[256];
		ssize_t n;

		if (!now[fd] || before[fd])
			continue;
		(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		(void)printf("new-after: %d %s cloexec=%d\n", fd, target,
			     !!(fcntl(fd, F_GETFD) & FD_CLOEXEC));
	}
	(void)fflush(stdout);
}

static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* systemd's "(sd-pam)": unprivileged, it closes the session once its parent is gone. */
static int close_in_child_as_user(pam_handle_t *pamh, const char *user)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct passwd *pw = getpwnam(user);
		char b;
		int r;

		(void)close(p[1]);
		if (!pw || setgroups(0, NULL) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
		    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
			_exit(97);
		while (read(p[0], &b, 1) > 0)
			;
		r = pam_close_session(pamh, 0);
		(void)printf("close-as-user: %s\n", pam_strerror(pamh, r));
		(void)fflush(stdout);
		(void)pam_end(pamh, r);
		_exit(0);
	}
	(void)close(p[0]);
	return 0; /* p[1] stays open, not inherited by the command, until we exit */
}

static int run(char **cmd, const char *user, int as_user)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return 98;
	if (pid == 0) {
		if (as_user) {
			struct passwd *pw = getpwnam(user);

			if (!pw || initgroups(user, pw->pw_gid) < 0 ||
			    setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0)
				_exit(97);
		}
		execvp(cmd[0], cmd);
		_exit(96);
	}
	if (waitpid(pid, &status, 0) < 0)
		return 98;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void read_ns(const char *name, char *out, size_t len)
{
	char path[64];
	ssize_t n;

	(void)snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	n = readlink(path, out, len - 1);
	out[n < 0 ? 0 : n] = '\0';
}

/* --twice: a second session while the first is open, from where we started. */
static int second_session(const char *confdir, const char *service, const char *user,
			  const struct pam_conv *conv)
{
	char first[128], second[128];
	pam_handle_t *pamh = NULL;
	int r;

	read_ns("time_for_children", first, sizeof(first));
	r = pam_start_confdir(service, user, conv, confdir, &pamh);
	if (r == PAM_SUCCESS)
		r = pam_open_session(pamh, 0);
	read_ns("time_for_children", second, sizeof(second));
	(void)printf("twice: %s %s %s\n", pam_strerror(pamh, r), first, second);
	(void)fflush(stdout);
	if (r == PAM_SUCCESS)
		r = pam_close_session(pamh, 0);
	if (pamh)
		(void)pam_end(pamh, r);
	return r == PAM_SUCCESS ? 0 : 98;
}

int main(int argc, char **argv)
{
	struct pam_conv conv = { no_conv, NULL };
	pam_handle_t *pamh = NULL;
	int as_user = 0, print = 0, print_fds = 0, thread_at_close = 0, close_as_user = 0;
	int wait_stdin = 0, twice = 0;
	int rc = 0, r;
	unsigned char fds_before[MAX_FD];
	char **cmd = NULL;

	if (argc < 4) {
		(void)fprintf(stderr, "usage: pam_session CONFDIR SERVICE USER "
				      "[--as-user] [--print-ns] [-- CMD...]\n");
		return 2;
	}
	for (int i = 4; i < argc; i++) {
		if (strcmp(argv[i], "--as-user") == 0)
			as_user = 1;
		else if (strcmp(argv[i], "--print-ns") == 0)
			print = 1;
		else if (strcmp(argv[i], "--print-fds") == 0)
			print_fds = 1;
		else if (strcmp(argv[i], "--thread-at-close") == 0)
			thread_at_close = 1;
		else if (strcmp(argv[i], "--wait-stdin") == 0)
			wait_stdin = 1;
		else if (strcmp(argv[i], "--twice") == 0)
			twice = 1;
		else if (strcmp(argv[i], "--close-as-user") == 0)
			close_as_user = 1;
		else if (strcmp(argv[i], "--thread") == 0) {
			pthread_t t;

			if (pthread_create(&t, NULL, idle_thread, NULL) != 0)
				return 2;
		} else if (strcmp(argv[i], "--drop-sys-admin") == 0) {
			capng_get_caps_process();
			if (capng_update(CAPNG_DROP, CAPNG_EFFECTIVE, CAP_SYS_ADMIN) < 0 ||
			    capng_apply(CAPNG_SELECT_CAPS) < 0)
				return 2;
		}
		else if (strcmp(argv[i], "--") == 0) {
			cmd = argv + i + 1;
			break;
		}
	}
	r = pam_start_confdir(argv[2], argv[3], &conv, argv[1], &pamh);
	if (r != PAM_SUCCESS) {
		(void)printf("start: %s\n", pam_strerror(pamh, r));
		return 2;
	}
	if (print)
		print_ns("before");
	scan_fds(fds_before);
	if (print_fds)
		print_inheritable(fds_before);
	r = pam_open_session(pamh, 0);
	if (print_fds)
		print_new(fds_before);
	(void)printf("open: %s\n", pam_strerror(pamh, r));
	(void)fflush(stdout);
	if (print)
		print_ns("after");
	if (wait_stdin) {
		char c;

		(void)!read(0, &c, 1);
	}
	if (r != PAM_SUCCESS) {
		(void)pam_end(pamh, r);
		return 99;
	}
	if (twice)
		rc = second_session(argv[1], argv[2], argv[3], &conv);
	if (close_as_user && close_in_child_as_user(pamh, argv[3]) < 0)
		return 98;
	if (cmd && *cmd)
		rc = run(cmd, argv[3], as_user);
	if (close_as_user) {
		(void)pam_end(pamh, PAM_SUCCESS | PAM_DATA_SILENT);
		return rc;
	}
	if (thread_at_close) {
		pthread_t t;

		if (pthread_create(&t, NULL, idle_thread, NULL) != 0)
			return 2;
	}
	r = pam_close_session(pamh, 0);
	(void)printf("close: %s\n", pam_strerror(pamh, r));
	(void)pam_end(pamh, r);
	return rc;
}
