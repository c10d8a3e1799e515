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
 * "after X ...".  Exit status: the command's, or 99 if the session did not
 * open.
 */
#define _GNU_SOURCE
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

int main(int argc, char **argv)
{
	struct pam_conv conv = { no_conv, NULL };
	pam_handle_t *pamh = NULL;
	int as_user = 0, print = 0, rc = 0, r;
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
	r = pam_open_session(pamh, 0);
	(void)printf("open: %s\n", pam_strerror(pamh, r));
	(void)fflush(stdout);
	if (print)
		print_ns("after");
	if (r != PAM_SUCCESS) {
		(void)pam_end(pamh, r);
		return 99;
	}
	if (cmd && *cmd)
		rc = run(cmd, argv[3], as_user);
	r = pam_close_session(pamh, 0);
	(void)printf("close: %s\n", pam_strerror(pamh, r));
	(void)pam_end(pamh, r);
	return rc;
}
