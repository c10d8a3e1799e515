/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LD_PRELOAD shim for pam_session (test_close.sh): the process whose pid is
 * in POLYNS_VANISH_PID vanishes while the module reads its mount namespace,
 * as a process reaped between the module's listing of /proc and that read
 * does.  Its "PID/ns/mnt" then answers EACCES (the kernel's answer for a
 * task reaped after its entry was looked up), and by the time it returns,
 * its /proc entry is gone.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef int (*openat_fn)(int, const char *, int, ...);

int openat(int dirfd, const char *path, int flags, ...);
int openat64(int dirfd, const char *path, int flags, ...);

static int vanish(const char *path)
{
	const char *pid = getenv("POLYNS_VANISH_PID");
	char want[64], entry[64];
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	if (!pid || !*pid)
		return 0;
	(void)snprintf(want, sizeof(want), "%s/ns/mnt", pid);
	if (strcmp(path, want) != 0)
		return 0;
	(void)kill(atoi(pid), SIGKILL);
	(void)snprintf(entry, sizeof(entry), "/proc/%s", pid);
	for (int i = 0; i < 500 && access(entry, F_OK) == 0; i++)
		(void)nanosleep(&tick, NULL);
	return 1;
}

static int call(const char *name, int dirfd, const char *path, int flags, mode_t mode)
{
	openat_fn real = (openat_fn)dlsym(RTLD_NEXT, name);

	if (vanish(path)) {
		errno = EACCES;
		return -1;
	}
	return real(dirfd, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
	va_end(ap);
	return call("openat", dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
	va_end(ap);
	return call("openat64", dirfd, path, flags, mode);
}
