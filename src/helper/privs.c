/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "privs.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

/*
 * Empty the bounding set up to whatever the running kernel knows (EINVAL
 * past its last capability).
 */
static int drop_bounding_set(void)
{
	for (unsigned long cap = 0;; cap++) {
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0)
			continue;
		return errno == EINVAL && cap > CAP_CHOWN ? 0 : -errno;
	}
}

int privs_init(void)
{
	/* uid 0 gains nothing from exec or setuid, and nobody may undo that. */
	const unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
				   SECBIT_NO_SETUID_FIXUP | SECBIT_NO_SETUID_FIXUP_LOCKED |
				   SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
				   SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
	int r;

	if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) < 0)
		return -errno;
	r = drop_bounding_set();
	if (r < 0)
		return r;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return -errno;
	return 0;
}

int privs_set(uint64_t effective, uint64_t permitted)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {
		{ (uint32_t)effective, (uint32_t)permitted, 0 },
		{ (uint32_t)(effective >> 32), (uint32_t)(permitted >> 32), 0 },
	};

	if (syscall(SYS_capset, &hdr, data) < 0)
		return -errno;
	return 0;
}

const char *privs_cap_name(unsigned int cap)
{
	static const char *const names[] = {
		[CAP_CHOWN] = "chown",
		[CAP_DAC_OVERRIDE] = "dac_override",
		[CAP_FOWNER] = "fowner",
		[CAP_FSETID] = "fsetid",
		[CAP_NET_ADMIN] = "net_admin",
		[CAP_SYS_ADMIN] = "sys_admin",
	};

	return cap < ARRAY_SIZE(names) && names[cap] ? names[cap] : "?";
}
