/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "landlock.h"

#include <errno.h>
#include <linux/landlock.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

/* From the kernel ABI: fields and flags newer than Debian 12's headers. */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net; /* ABI 4 */
	uint64_t scoped;             /* ABI 6 */
};

#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LL_SCOPE_SIGNAL (1ULL << 1)

/* Every filesystem right of an ABI: 13 in ABI 1, REFER (2), TRUNCATE (3), IOCTL_DEV (5). */
static uint64_t fs_rights(int abi)
{
	uint64_t all = (1ULL << 13) - 1;

	if (abi >= 2)
		all |= 1ULL << 13;
	if (abi >= 3)
		all |= 1ULL << 14;
	if (abi >= 5)
		all |= 1ULL << 15;
	return all;
}

static int add_rules(int ruleset, const struct ll_beneath *rules, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct landlock_path_beneath_attr pb = {
			.allowed_access = rules[i].rights,
			.parent_fd = rules[i].fd,
		};

		if (rules[i].fd < 0)
			continue;
		if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0)
			return -errno;
	}
	return 0;
}

int landlock_confine(const struct ll_beneath *rules, size_t n, bool scope)
{
	int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
			       LANDLOCK_CREATE_RULESET_VERSION);
	struct ll_ruleset_attr attr = { 0 };
	size_t size = sizeof(attr.handled_access_fs);
	_cleanup_close_ int ruleset = -1;
	int r;

	if (abi < 1)
		return errno == ENOSYS || errno == EOPNOTSUPP ? -EOPNOTSUPP : -errno;
	attr.handled_access_fs = fs_rights(abi);
	attr.handled_access_net = 0; /* these steps make no sockets; seccomp says so */
	if (abi >= 6 && scope) {
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
		size = sizeof(attr);
	}
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (ruleset < 0)
		return -errno;
	r = add_rules(ruleset, rules, n);
	if (r < 0)
		return r;
	if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
		return -errno;
	return 0;
}
