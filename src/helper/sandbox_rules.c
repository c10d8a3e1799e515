/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The helper's seccomp policy: one table, read top to bottom.  Default
 * action: kill the process.  Only the native architecture is allowed (other
 * ABIs, i386 int 0x80 and x32, are killed too).  policy/ and SECURITY.md
 * mirror this table.
 *
 * Compiled at build time, not in the helper: seccomp_gen.c turns the table
 * into the BPF programs sandbox.c loads (build/gen/seccomp_prog.c), so the
 * helper neither links libseccomp nor spends its run compiling a filter.
 */
#define _GNU_SOURCE
#include "sandbox_rules.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID _IOR(0xb7, 0x5, uint64_t) /* Linux 6.8 */
#endif

#include "selinux_label.h"
#include "util.h"

struct rule {
	int nr;
	unsigned int n_args;
	struct scmp_arg_cmp args[3];
	const char *why;
};

/* Argument conditions, spelled out (libseccomp's SCMP_A* are not constant). */
#define ARG_EQ(n, v) { (n), SCMP_CMP_EQ, (v), 0 }
#define ARG_MASKED_EQ(n, mask, v) { (n), SCMP_CMP_MASKED_EQ, (mask), (v) }

#define ALLOW(name, reason) { SCMP_SYS(name), 0, { { 0 } }, reason }
#define ALLOW_IF(name, reason, cond) { SCMP_SYS(name), 1, { cond }, reason }
#define ALLOW_IF2(name, reason, c0, c1) { SCMP_SYS(name), 2, { c0, c1 }, reason }
#define ALLOW_IF3(name, reason, c0, c1, c2)                                    \
	{ SCMP_SYS(name), 3, { c0, c1, c2 }, reason }

/* The helper never writes, creates or truncates a file through open. */
#define OPEN_WRITE_FLAGS (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)

#define NEW_NAMESPACES                                                         \
	(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWCGROUP |   \
	 CLONE_NEWPID | CLONE_NEWTIME)

static const struct rule rules[] = {
	/* process lifetime */
	ALLOW(exit_group, "normal exit"),
	ALLOW(exit, "normal exit (single thread)"),
	ALLOW(rt_sigreturn, "kernel-required after any signal delivery"),
	ALLOW(restart_syscall, "kernel-required after an interrupted sleep"),

	/* memory for malloc; never new executable memory (so no dlopen, no NSS) */
	ALLOW(brk, "malloc"),
	ALLOW_IF(mmap, "malloc of large blocks, without PROT_EXEC",
		 ARG_MASKED_EQ(2, PROT_EXEC, 0)),
	ALLOW_IF(mprotect, "glibc heap management, without PROT_EXEC",
		 ARG_MASKED_EQ(2, PROT_EXEC, 0)),
	ALLOW(munmap, "free of large blocks"),
	ALLOW(mremap, "realloc of large blocks"),
	ALLOW(madvise, "free() returning memory"),
	ALLOW(futex, "glibc internal locks"),
	ALLOW(getrandom, "glibc malloc hardening"),

	/* the conversation with the module (fd 3) */
	ALLOW(recvmsg, "read the request and answers from the module"),
	ALLOW(sendmsg, "send logs, queries and the reply with namespace fds"),

	/* reading the configuration and opening namespace fds */
	ALLOW_IF(openat, "config files, namespace.d, /proc/self/ns/*: read-only, O_CLOEXEC",
		 ARG_MASKED_EQ(2, O_CLOEXEC | OPEN_WRITE_FLAGS, O_CLOEXEC)),
	ALLOW(read, "config file contents"),
	ALLOW(close, "closing fds"),
	ALLOW(newfstatat, "owner, mode and type checks; namespace identity"),
	ALLOW(fstat, "owner, mode and type checks"),
	ALLOW(getdents64, "listing namespace.d"),
	ALLOW_IF(fcntl, "fdopendir() checks the access mode",
		 ARG_EQ(1, F_GETFL)),
	ALLOW_IF(fcntl, "duplicating the namespace.d fd for fdopendir()",
		 ARG_EQ(1, F_DUPFD_CLOEXEC)),
	ALLOW_IF2(fcntl, "fdopendir() sets FD_CLOEXEC (never clears it)",
		 ARG_EQ(1, F_SETFD), ARG_EQ(2, FD_CLOEXEC)),

	/* capabilities: each phase only drops */
	ALLOW(capget, "libcap-ng reads the current sets"),
	ALLOW(capset, "dropping capabilities at each phase"),

	/* namespaces and mounts */
	ALLOW_IF(unshare, "new namespaces; never CLONE_NEWUSER or non-namespace flags",
		 ARG_MASKED_EQ(0, (uint32_t)~NEW_NAMESPACES, 0)),
	ALLOW_IF(mount, "mount propagation of the new mount namespace: slave",
		 ARG_EQ(3, MS_REC | MS_SLAVE)),
	ALLOW_IF(mount, "mount propagation with mount_private: private",
		 ARG_EQ(3, MS_REC | MS_PRIVATE)),

	/* SELinux labels (context/level methods; instances get a label) */
	ALLOW(fgetxattr, "read the polydir's SELinux context"),
	ALLOW(fsetxattr, "label a new instance, as pam_namespace does"),

	/* polyinstantiation: directories and mounts, all on fds */
	ALLOW(mkdirat, "polydirs (create=), instance parents (mode 000), instances"),
	ALLOW(fchown, "new instances get the polydir's owner; created polydirs theirs"),
	ALLOW(fchmod, "new instances get the polydir's mode; created polydirs theirs"),
	ALLOW(unlinkat, "undo an instance after a failure; remove tmpdir instances at close"),
	ALLOW_IF(open_tree, "detached, non-recursive copy of an instance (MS_BIND)",
		 ARG_EQ(2, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH)),
	ALLOW_IF(move_mount, "attach an instance or tmpfs onto the polydir fd",
		 ARG_EQ(4, MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH)),
	ALLOW_IF(fsopen, "a tmpfs for the tmpfs method; a pid namespace's procfs",
		 ARG_EQ(1, FSOPEN_CLOEXEC)),
	ALLOW(fsconfig, "the tmpfs options of mntopts="),
	ALLOW_IF(fsmount, "the tmpfs mount, nosuid/nodev/noexec as asked",
		 ARG_EQ(1, FSMOUNT_CLOEXEC)),
	ALLOW_IF(umount2, "unmnt_remnt/unmnt_only: detach the requester's instance",
		 ARG_EQ(1, MNT_DETACH)),

	/* shared sets: the registry, the holder process, process identities */
	ALLOW(flock, "one registry lock per key (a directory)"),
	ALLOW_IF(renameat2, "publish a registry entry built under KEY.new",
		 ARG_EQ(4, 0)),
	ALLOW(renameat, "publish a registry entry built under KEY.new"),
	ALLOW_IF(socketpair, "the holder's start/commit channel",
		 ARG_EQ(1, SOCK_SEQPACKET | SOCK_CLOEXEC)),
	ALLOW_IF(clone, "fork the holder: a plain child with a pidfd, nothing shared",
		 ARG_EQ(0, CLONE_PIDFD | SIGCHLD)),
	ALLOW(getppid, "the session's caller, named in the registry"),
	ALLOW(getpid, "the holder tells libcap-ng its own pid"),
	ALLOW(pidfd_open, "pin a holder or caller while checking who it is"),
	ALLOW_IF2(pidfd_send_signal, "liveness check: signal 0", ARG_EQ(1, 0), ARG_EQ(3, 0)),
	ALLOW_IF2(pidfd_send_signal, "SIGKILL to the holder of a released set",
		  ARG_EQ(1, SIGKILL), ARG_EQ(3, 0)),
	ALLOW_IF(ioctl, "a mount namespace's 64-bit id (deferred tmpdirs)",
		 ARG_EQ(1, NS_GET_MNTNS_ID)),
	ALLOW(close_range, "the holder keeps no fd of the helper"),
	ALLOW(rt_sigprocmask, "the holder blocks every signal"),
	ALLOW(rt_sigtimedwait, "the holder waits for SIGCHLD"),
	ALLOW_IF(wait4, "the holder reaps orphans, never blocking",
		 ARG_EQ(2, WNOHANG)),
	ALLOW_IF(prctl, "the holder's name", ARG_EQ(0, PR_SET_NAME)),
	ALLOW_IF2(prctl, "the holder's /proc/PID/ns is open to the next helper",
		  ARG_EQ(0, PR_SET_DUMPABLE), ARG_EQ(1, 1)),

	/* loopback up in a new network namespace, over rtnetlink only */
	ALLOW_IF3(socket, "rtnetlink socket to bring up lo",
		 ARG_EQ(0, AF_NETLINK),
		 ARG_EQ(1, SOCK_RAW | SOCK_CLOEXEC),
		 ARG_EQ(2, NETLINK_ROUTE)),
	ALLOW(sendto, "rtnetlink request"),
	ALLOW(recvfrom, "rtnetlink acknowledgement"),
};

static void write_condition(FILE *out, const struct scmp_arg_cmp *c)
{
	if (c->op == SCMP_CMP_MASKED_EQ)
		(void)fprintf(out, " arg%u&%#llx==%#llx", c->arg,
			      (unsigned long long)c->datum_a,
			      (unsigned long long)c->datum_b);
	else
		(void)fprintf(out, " arg%u==%#llx", c->arg, (unsigned long long)c->datum_a);
}

void sandbox_rules_write_policy(FILE *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, rules[i].nr);

		(void)fprintf(out, "allow %s", name ? name : "?");
		free(name);
		for (unsigned int a = 0; a < rules[i].n_args; a++)
			write_condition(out, &rules[i].args[a]);
		(void)fprintf(out, "\t# %s\n", rules[i].why);
	}
	(void)fprintf(out, "allow write arg0==%d..%d\t# the selinuxfs member fds: SELinux "
		      "compute_member, only when SELinux is enabled\n", SE_MEMBER_FD_BASE,
		      SE_MEMBER_FD_BASE + SE_MEMBER_FDS - 1);
	(void)fprintf(out, "default kill-process\t# anything else, and any other ABI\n");
}

/* write() only on the selinuxfs "member" fds, at their fixed slots. */
static int allow_selinux_fds(scmp_filter_ctx ctx)
{
	int r = 0;

	for (int i = 0; r == 0 && i < SE_MEMBER_FDS; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1,
				     SCMP_CMP(0, SCMP_CMP_EQ, (scmp_datum_t)(SE_MEMBER_FD_BASE + i)));
	return r;
}

scmp_filter_ctx sandbox_rules_build(bool selinux)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int r = 0;

	if (!ctx)
		return NULL;
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(rules); i++)
		r = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, rules[i].nr,
					   rules[i].n_args, rules[i].args);
	if (r == 0 && selinux)
		r = allow_selinux_fds(ctx);
	if (r < 0) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}
