/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "vspawn.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

/* What the child runs before exec (reset, fd placement) needs a few KiB. */
#define CHILD_STACK ((size_t)64 << 10)

pid_t vspawn(int (*fn)(void *arg), void *arg, int *pidfd, const char **call)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	sigset_t all, old;
	char *stack;
	pid_t pid;
	int e;

	*pidfd = -1;
	*call = "mmap";
	/* A guard page below the stack: an overflow faults, it writes nothing of ours. */
	stack = mmap(NULL, CHILD_STACK + page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return -errno;
	*call = "mprotect";
	if (mprotect(stack, page, PROT_NONE) < 0) {
		e = errno;
		(void)munmap(stack, CHILD_STACK + page);
		return -e;
	}
	/* No handler of the host application may run in the child before exec. */
	*call = "clone";
	sigfillset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, &old);
	pid = clone(fn, stack + page + CHILD_STACK, CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD,
		    arg, pidfd);
	e = errno;
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	/* CLONE_VFORK: the child has exec'd or exited, and left this stack. */
	(void)munmap(stack, CHILD_STACK + page);
	return pid < 0 ? -e : pid;
}
