/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "confine.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>

#include "privs.h"
#include "util.h"

#define ARG_NE(n, v) { (n), SCMP_CMP_NE, (v), 0 }

struct denied {
	int nr;
	unsigned int n_args;
	struct scmp_arg_cmp arg; /* killed only when this holds, if n_args */
};

#define ALWAYS(name) { SCMP_SYS(name), 0, { 0 } }
#define WHEN(name, cond) { SCMP_SYS(name), 1, cond }

/* Calls killed when their flags argument has any of these bits. */
struct denied_bits {
	int nr;
	unsigned int arg;
	uint64_t bits;
};

/* open never writes, creates or truncates (stdout and stderr are open already). */
#define OPEN_WRITE_FLAGS (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND | (__O_TMPFILE & ~O_DIRECTORY))

static const struct denied_bits denied_bits[] = {
	{ SCMP_SYS(openat), 2, OPEN_WRITE_FLAGS },
	{ SCMP_SYS(open), 1, OPEN_WRITE_FLAGS },
	{ SCMP_SYS(clone), 0, CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET |
				      CLONE_NEWCGROUP | CLONE_NEWPID | CLONE_NEWUSER | CLONE_NEWTIME },
};

static const struct denied denied[] = {
	/* signals: release retires an entry, it never signals a holder */
	ALWAYS(kill), ALWAYS(tkill), ALWAYS(tgkill), ALWAYS(rt_sigqueueinfo),
	ALWAYS(rt_tgsigqueueinfo), WHEN(pidfd_send_signal, ARG_NE(1, 0)), ALWAYS(pidfd_getfd),
	/* other programs and other processes' memory */
	ALWAYS(execve), ALWAYS(execveat), ALWAYS(ptrace), ALWAYS(process_vm_readv),
	ALWAYS(process_vm_writev), ALWAYS(process_madvise), ALWAYS(kcmp),
	/* mounts and namespaces */
	ALWAYS(mount), ALWAYS(umount2), ALWAYS(open_tree), ALWAYS(move_mount), ALWAYS(fsopen),
	ALWAYS(fsconfig), ALWAYS(fsmount), ALWAYS(fspick), ALWAYS(mount_setattr),
	ALWAYS(pivot_root), ALWAYS(chroot), ALWAYS(setns), ALWAYS(unshare), ALWAYS(clone3),
	/* files: only directories are made and removed (registry and pending records) */
	ALWAYS(openat2), ALWAYS(creat), ALWAYS(truncate), ALWAYS(ftruncate),
	ALWAYS(unlink), WHEN(unlinkat, ARG_NE(2, AT_REMOVEDIR)), ALWAYS(link), ALWAYS(linkat),
	ALWAYS(symlink), ALWAYS(symlinkat), ALWAYS(mknod), ALWAYS(mknodat), ALWAYS(chmod),
	ALWAYS(fchmod), ALWAYS(fchmodat), ALWAYS(chown), ALWAYS(fchown), ALWAYS(lchown),
	ALWAYS(fchownat), ALWAYS(setxattr), ALWAYS(lsetxattr), ALWAYS(fsetxattr),
	ALWAYS(open_by_handle_at), ALWAYS(name_to_handle_at),
	/* identity, privileges, the kernel */
	ALWAYS(setuid), ALWAYS(setgid), ALWAYS(setreuid), ALWAYS(setregid), ALWAYS(setresuid),
	ALWAYS(setresgid), ALWAYS(setfsuid), ALWAYS(setfsgid), ALWAYS(setgroups),
	ALWAYS(init_module), ALWAYS(finit_module), ALWAYS(delete_module), ALWAYS(kexec_load),
	ALWAYS(kexec_file_load), ALWAYS(reboot), ALWAYS(swapon), ALWAYS(swapoff), ALWAYS(bpf),
	ALWAYS(perf_event_open), ALWAYS(keyctl), ALWAYS(add_key), ALWAYS(request_key),
	ALWAYS(userfaultfd), ALWAYS(io_uring_setup), ALWAYS(io_uring_enter),
	ALWAYS(io_uring_register), ALWAYS(acct), ALWAYS(quotactl), ALWAYS(syslog),
};

/* The forbidden calls above (and any other ABI) kill the process. */
static int load_filter(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r;

	if (!ctx)
		return -ENOMEM;
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(denied); i++)
		r = seccomp_rule_add_array(ctx, SCMP_ACT_KILL_PROCESS, denied[i].nr,
					   denied[i].n_args, &denied[i].arg);
	for (size_t i = 0; i < ARRAY_SIZE(denied_bits); i++) {
		for (unsigned int b = 0; r == 0 && b < 64; b++) {
			uint64_t bit = 1ULL << b;
			const struct scmp_arg_cmp c = { denied_bits[i].arg, SCMP_CMP_MASKED_EQ,
							bit, bit };

			if (denied_bits[i].bits & bit)
				r = seccomp_rule_add_array(ctx, SCMP_ACT_KILL_PROCESS,
							   denied_bits[i].nr, 1, &c);
		}
	}
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	return r;
}

int admin_confine(void)
{
	int r = privs_init();

	if (r == 0)
		r = privs_set(0, 0);
	if (r == 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		r = -errno;
	if (r == 0)
		r = load_filter();
	return r;
}
