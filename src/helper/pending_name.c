/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "pending_name.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hexname.h"

#define CALLER_PREFIX "caller."

/*
 * Only a close in the same pid namespace, whose /proc scan sees every
 * process that could use the mount namespace, may sweep a record.
 */
int pending_name(uint64_t pidns, uint64_t ino, const char *path, char *name, size_t len)
{
	int n = snprintf(name, len, "%llu.%llu.", (unsigned long long)pidns,
			 (unsigned long long)ino);

	if (n < 0 || (size_t)n >= len || hexname_encode(path, name + n, len - (size_t)n) < 0)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * "PIDNS.INO.HEX", or 0.3.0's "INO.HEX" (its hex starts with "2f", not a
 * digit run and a dot), taken as our own pid namespace's.
 */
int pending_name_parse(const char *name, uint64_t own_pidns, uint64_t *pidns,
		       uint64_t *ino, char *path, size_t len)
{
	char *end;
	uint64_t first = strtoull(name, &end, 10), second;
	const char *rest = end + 1;

	if (end == name || *end != '.')
		return -EINVAL;
	second = strtoull(rest, &end, 10);
	if (end != rest && *end == '.') {
		*pidns = first;
		*ino = second;
		rest = end + 1;
	} else {
		*pidns = own_pidns;
		*ino = first;
	}
	if (hexname_decode(rest, path, len) < 0)
		return -EINVAL;
	return path[0] == '/' ? 0 : -EINVAL;
}

int pending_caller_name(const struct procid *caller, char *name, size_t len)
{
	char id[48];
	int n;

	if (procid_format(caller, id, sizeof(id)) < 0)
		return -ENAMETOOLONG;
	n = snprintf(name, len, CALLER_PREFIX "%s", id);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int pending_caller_parse(const char *name, struct procid *caller)
{
	if (strncmp(name, CALLER_PREFIX, strlen(CALLER_PREFIX)) != 0)
		return 0;
	return procid_parse(name + strlen(CALLER_PREFIX), caller) < 0 ? -EINVAL : 1;
}
