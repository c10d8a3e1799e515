/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the test drivers (bench, soak, helper_hwm) read about a process from
 * /proc: one copy, header-only, since each driver is one file.
 */
#ifndef POLYNS_TEST_PROC_STATUS_H
#define POLYNS_TEST_PROC_STATUS_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

/* A "Name: N kB" field of /proc/PID/status (pid 0: ourselves), in KiB, or -1. */
static inline long proc_status_kib(pid_t pid, const char *field)
{
	char path[64], line[256];
	size_t len = strlen(field);
	long v = -1;
	FILE *f;

	if (pid > 0)
		(void)snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	else
		(void)snprintf(path, sizeof(path), "/proc/self/status");
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, field, len) == 0 && line[len] == ':' &&
		    sscanf(line + len + 1, "%ld", &v) == 1)
			break;
	(void)fclose(f);
	return v;
}

/* How many fds this process has open, or -1. */
static inline int self_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	(void)closedir(d);
	return n - 3; /* ".", "..", and the listing's own fd */
}

#endif
