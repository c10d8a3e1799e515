/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The helper's own peak RSS, which getrusage() cannot give: a child started
 * with CLONE_VM (vspawn) carries its caller's high-water mark into its
 * ru_maxrss at exec.  This runs a command under ptrace and, as each of its
 * descendants stops at exit (PTRACE_EVENT_EXIT: the memory still mapped),
 * reads VmHWM of those running PROGRAM (the helper and the children it
 * forks).  Prints "helpers N max_hwm_kib M" at the end.
 *
 *   helper_hwm PROGRAM COMMAND [ARG...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc_status.h"

static int runs(pid_t pid, const char *program)
{
	char path[64], exe[PATH_MAX];
	ssize_t n;

	(void)snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n < 0)
		return 0;
	exe[n] = '\0';
	return strcmp(exe, program) == 0;
}

int main(int argc, char **argv)
{
	const long opts = PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
			  PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC |
			  PTRACE_O_EXITKILL;
	long max = 0, helpers = 0;
	int status, rc = 1;
	pid_t top, pid;

	if (argc < 3) {
		(void)fprintf(stderr, "usage: helper_hwm PROGRAM COMMAND [ARG...]\n");
		return 2;
	}
	top = fork();
	if (top < 0)
		return 1;
	if (top == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0 || raise(SIGSTOP) < 0)
			_exit(126);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (waitpid(top, &status, 0) < 0 || !WIFSTOPPED(status) ||
	    ptrace(PTRACE_SETOPTIONS, top, NULL, (void *)opts) < 0 ||
	    ptrace(PTRACE_CONT, top, NULL, NULL) < 0)
		return 1;
	while ((pid = waitpid(-1, &status, __WALL)) > 0) {
		int sig = 0;

		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == top)
				rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8)) && runs(pid, argv[1])) {
			long v = proc_status_kib(pid, "VmHWM");

			helpers++;
			if (v > max)
				max = v;
		} else if (status >> 16 == 0 && WSTOPSIG(status) != SIGSTOP) {
			sig = WSTOPSIG(status); /* a signal for the tracee: deliver it */
		}
		(void)ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig);
	}
	printf("helpers %ld max_hwm_kib %ld\n", helpers, max);
	return rc;
}
