/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loading the seccomp program.  The programs are libseccomp's output for the
 * table in sandbox_rules.c, made when the helper is built (seccomp_gen.c):
 * the same BPF libseccomp would load, without compiling it at every login.
 */
#define _GNU_SOURCE
#include "sandbox.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp_prog.h"

int sandbox_enter(bool selinux)
{
	struct sock_fprog prog = {
		.len = (unsigned short)(selinux ? polyns_seccomp_selinux_len
						: polyns_seccomp_plain_len),
		.filter = (struct sock_filter *)(selinux ? polyns_seccomp_selinux
							 : polyns_seccomp_plain),
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return -errno;
	return 0;
}
