/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The helper's seccomp policy: one table, read top to bottom.  Default
 * action: kill the process.  Only the native architecture is allowed (other
 * ABIs, i386 int 0x80 and x32, are killed too).  policy/ and SECURITY.md
 * mirror this table.
 *
 * The helper is built against musl (Makefile): these are the syscalls musl
 * makes for the helper's libc calls (open() is SYS_open, then fcntl
 * FD_CLOEXEC; malloc is mallocng), found with strace over the integration
 * suites.  A step named here makes the call while its program is the last
 * one stacked; a child's preparation before it enters its own step (its
 * Landlock paths, the holder's /proc) belongs to the step that forked it.
 *
 * Compiled at build time, not in the helper: seccomp_gen.c turns the table
 * into the BPF programs sandbox.c loads (build/gen/seccomp_prog.c), so the
 * helper neither links libseccomp nor spends its run compiling a filter.
 */
#define _GNU_SOURCE
#include "sandbox_rules.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
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
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "selinux_label.h"
#include "steps.h"
#include "options.h"
#include "util.h"

struct rule {
	int nr;
	unsigned int n_args;
	struct scmp_arg_cmp args[3];
	uint32_t steps; /* STEP_BITs that make this call; ENTRY: entering a later step */
	const char *why;
};

/* Argument conditions, spelled out (libseccomp's SCMP_A* are not constant). */
#define ARG_EQ(n, v) { (n), SCMP_CMP_EQ, (v), 0 }
#define ARG_MASKED_EQ(n, mask, v) { (n), SCMP_CMP_MASKED_EQ, (mask), (v) }

#define ALLOW(name, st, reason) { SCMP_SYS(name), 0, { { 0 } }, st, reason }
#define ALLOW_IF(name, st, reason, cond) { SCMP_SYS(name), 1, { cond }, st, reason }
#define ALLOW_IF2(name, st, reason, c0, c1) { SCMP_SYS(name), 2, { c0, c1 }, st, reason }
#define ALLOW_IF3(name, st, reason, c0, c1, c2)                                \
	{ SCMP_SYS(name), 3, { c0, c1, c2 }, st, reason }

/* The helper never writes, creates or truncates a file through open. */
#define OPEN_WRITE_FLAGS (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)

#define NEW_NAMESPACES                                                         \
	(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWCGROUP |   \
	 CLONE_NEWPID | CLONE_NEWTIME)

/* Steps, for reading the table. */
#define S(x) STEP_BIT(STEP_##x)
#define ENTRY (1U << 31) /* capset, seccomp, Landlock: how a step is entered */
#define EVERY ((1U << STEP_COUNT) - 1)
#define PARENTS (S(SETUP) | S(NAMESPACES) | S(REGISTRY) | S(POLYDIRS) | S(SETS) |         \
		 S(REPLY) | S(UNMOUNT) | S(CLOSE_REGISTRY) | S(CLEANUP) | S(CLOSE_REPLY))
#define REGISTRY_STEPS (S(REGISTRY) | S(SETS) | S(CLOSE_REGISTRY))
#define FS_READERS (S(PLAN) | S(REGISTRY) | S(POLYDIRS) | S(SETS) | S(UNMOUNT) |            \
		    S(CLOSE_REGISTRY) | S(CLEANUP) | S(TREE))
/*
 * open() by path (walks start with openat(AT_FDCWD, "/")): /proc in setup (the
 * registry child's too, before its step), the plan's config paths, /proc/self/ns
 * and a pid namespace's /proc for the holder in sets, the close's Landlock roots
 * in setup or unmount.
 */
#define PATH_OPENERS (S(SETUP) | S(PLAN) | S(SETS) | S(UNMOUNT))
#define DIR_LISTERS (S(PLAN) | S(REGISTRY) | S(SETS) | S(CLOSE_REGISTRY) | S(CLEANUP) | S(TREE))
/* registry, tree children; the holder (in namespaces, or in sets for a pid namespace) */
#define CHILDREN_MADE (S(SETUP) | S(NAMESPACES) | S(SETS))

static const struct rule rules[] = {
	/* process lifetime */
	ALLOW(exit_group, EVERY, "normal exit"),
	ALLOW(rt_sigreturn, EVERY, "kernel-required after any signal delivery"),
	ALLOW(restart_syscall, EVERY, "kernel-required after an interrupted sleep"),

	/* memory for musl's malloc; never new executable memory (so no dlopen, no NSS) */
	ALLOW(brk, EVERY, "malloc's metadata pages"),
	ALLOW_IF(mmap, EVERY, "malloc's groups and large blocks, without PROT_EXEC",
		 ARG_MASKED_EQ(2, PROT_EXEC, 0)),
	ALLOW_IF(mprotect, EVERY, "malloc opens a new metadata page, without PROT_EXEC",
		 ARG_MASKED_EQ(2, PROT_EXEC, 0)),
	ALLOW(munmap, EVERY, "free of groups and large blocks"),
	ALLOW(mremap, EVERY, "realloc of large blocks"),
	ALLOW_IF(madvise, EVERY, "free() gives back the whole pages of a slot",
		 ARG_EQ(2, MADV_FREE)),
	ALLOW(getrandom, S(NAMESPACES) | S(REGISTRY) | S(POLYDIRS) | S(CLOSE_REGISTRY) |
	      S(CLEANUP), "a share=session set's key; tmpdir instance names; the registry "
	      "sweep's and the pending sweep's samples"),

	/* entering the next step: each only drops or narrows */
	ALLOW(capset, ENTRY, "drop capabilities at each step"),
	ALLOW_IF2(seccomp, ENTRY, "stack the next step's filter (it can only narrow)",
		  ARG_EQ(0, SECCOMP_SET_MODE_FILTER), ARG_EQ(1, 0)),
	ALLOW_IF(landlock_create_ruleset, ENTRY | S(PLAN), "a Landlock domain for plan, tree "
		 "and reply (plan: under its own program, once it has the request's paths)",
		 ARG_MASKED_EQ(2, ~(uint64_t)LANDLOCK_CREATE_RULESET_VERSION, 0)),
	ALLOW_IF(landlock_add_rule, ENTRY | S(PLAN), "the paths plan and tree may use",
		 ARG_EQ(1, LANDLOCK_RULE_PATH_BENEATH)),
	ALLOW(landlock_restrict_self, ENTRY | S(PLAN), "enter the Landlock domain"),

	/* the conversation: module on fd 3, children on their socketpair */
	ALLOW(recvmsg, S(SETUP) | S(NAMESPACES) | S(PLAN) | S(REGISTRY) | S(CLEANUP) |
	      S(REPLY) | S(HOLDER), "the request; names answers; the plan (taken in "
	      "namespaces); the registry child's question (in its step); the tree child's "
	      "instances (before its step); the tree child's answer; the holder's entry fd, at "
	      "commit; the plan and registry children's last log lines, as they are reaped "
	      "(reply; namespaces after a refused answer)"),
	ALLOW(sendmsg, EVERY & ~S(HOLDER), "logs, queries, the plan and the reply with fds"),

	/* files: read-only opens and metadata */
	ALLOW_IF(openat, FS_READERS | S(SETUP) | S(NAMESPACES), "config, registry, /proc, "
		 "path walks: read-only, O_CLOEXEC",
		 ARG_MASKED_EQ(2, O_CLOEXEC | OPEN_WRITE_FLAGS, O_CLOEXEC)),
	ALLOW_IF(open, PATH_OPENERS, "/proc, the config paths, Landlock roots: read-only, "
		 "O_CLOEXEC", ARG_MASKED_EQ(1, O_CLOEXEC | OPEN_WRITE_FLAGS, O_CLOEXEC)),
	ALLOW(read, S(PLAN) | S(NAMESPACES) | S(REGISTRY) | S(POLYDIRS) | S(SETS) |
	      S(CLOSE_REGISTRY) | S(CLEANUP) | S(HOLDER), "config contents; /proc/PID/stat "
	      "(holders, sessions' and pending records' callers); selinuxfs answers; the "
	      "holder's signalfd"),
	ALLOW(close, EVERY, "closing fds"),
	ALLOW(newfstatat, S(NAMESPACES) | S(REGISTRY) | S(POLYDIRS) | S(SETS) | S(CLOSE_REGISTRY) |
	      S(CLEANUP) | S(TREE), "entries and facts of the registry, a tree's entries, "
	      "namespace identity (a tmpdir's pending record names its pid namespace)"),
	ALLOW(fstat, FS_READERS | S(SETUP) | S(NAMESPACES) | S(HOLDER),
	      "owner, mode and type checks; the holder's entry still linked"),
	ALLOW(getdents64, DIR_LISTERS | S(SETUP), "namespace.d, the registry, pending records, "
	      "a tree (walk_each_name(), no DIR)"),
	ALLOW_IF2(fcntl, PATH_OPENERS, "open() sets FD_CLOEXEC again after O_CLOEXEC (never "
		  "clears it)", ARG_EQ(1, F_SETFD), ARG_EQ(2, FD_CLOEXEC)),

	/* namespaces: only while nothing else has been read */
	ALLOW_IF(unshare, S(NAMESPACES), "new namespaces; never CLONE_NEWUSER or "
		 "non-namespace flags", ARG_MASKED_EQ(0, (uint32_t)~NEW_NAMESPACES, 0)),
	ALLOW_IF(mount, S(NAMESPACES), "propagation of the new mount namespace: slave",
		 ARG_EQ(3, MS_REC | MS_SLAVE)),
	ALLOW_IF(mount, S(NAMESPACES), "propagation with mount_private: private",
		 ARG_EQ(3, MS_REC | MS_PRIVATE)),
	ALLOW_IF3(socket, S(NAMESPACES), "rtnetlink socket to bring up lo",
		  ARG_EQ(0, AF_NETLINK), ARG_EQ(1, SOCK_RAW | SOCK_CLOEXEC),
		  ARG_EQ(2, NETLINK_ROUTE)),
	ALLOW(sendto, S(NAMESPACES) | S(HOLDER), "rtnetlink request; the holder's ready byte"),
	ALLOW(recvfrom, S(NAMESPACES) | S(SETS), "rtnetlink acknowledgement; the holder's "
	      "ready byte"),

	/* polyinstantiation: directories and mounts, on fds */
	ALLOW(mkdirat, S(SETUP) | S(NAMESPACES) | S(POLYDIRS) | REGISTRY_STEPS | S(UNMOUNT) |
	      S(CLEANUP), "instance parents (mode 000), instances, create=; runtime_dir and "
	      "its shared and pending; registry facts; pending records"),
	ALLOW(fchown, S(POLYDIRS), "new instances get the polydir's owner; created polydirs theirs"),
	ALLOW_IF(fchmod, S(POLYDIRS), "instances get the polydir's mode, set-group-ID "
		 "included (a directory's group inheritance); never set-user-ID (a set-user-ID "
		 "root program)", ARG_MASKED_EQ(1, S_ISUID, 0)),
	ALLOW_IF(unlinkat, S(POLYDIRS) | REGISTRY_STEPS | S(CLEANUP) | S(TREE),
		 "rmdir only: a tmpdir undone, an emptied instance, registry entries",
		 ARG_EQ(2, AT_REMOVEDIR)),
	ALLOW_IF(unlinkat, S(TREE), "files in a user's tmpdir instance", ARG_EQ(2, 0)),
	ALLOW(fgetxattr, S(POLYDIRS), "read the polydir's SELinux context"),
	ALLOW(fsetxattr, S(POLYDIRS), "label a new instance, as pam_namespace does"),
	ALLOW_IF(open_tree, S(POLYDIRS), "detached, non-recursive copy of an instance (MS_BIND)",
		 ARG_EQ(2, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH)),
	ALLOW_IF(move_mount, S(POLYDIRS) | S(SETS), "attach an instance, a tmpfs, a pid "
		 "namespace's /proc onto an fd", ARG_EQ(4, MOVE_MOUNT_F_EMPTY_PATH |
							MOVE_MOUNT_T_EMPTY_PATH)),
	ALLOW_IF(fsopen, S(POLYDIRS) | S(SETS), "a tmpfs for the tmpfs method; the holder's "
		 "procfs", ARG_EQ(1, FSOPEN_CLOEXEC)),
	ALLOW(fsconfig, S(POLYDIRS) | S(SETS), "the tmpfs options of mntopts=; create"),
	ALLOW_IF(fsmount, S(POLYDIRS) | S(SETS), "the tmpfs or procfs mount",
		 ARG_EQ(1, FSMOUNT_CLOEXEC)),
	ALLOW_IF(umount2, S(POLYDIRS) | S(UNMOUNT), "unmnt_remnt/unmnt_only, "
		 "unmount_on_close: detach in the session's namespace", ARG_EQ(1, MNT_DETACH)),

	/* shared sets: the registry, the holder process, process identities */
	ALLOW(flock, REGISTRY_STEPS, "one registry lock per key (a directory)"),
	ALLOW(renameat, REGISTRY_STEPS, "publish a registry entry; retire one to KEY.dead"),
	ALLOW_IF(socketpair, CHILDREN_MADE, "a child's channel (registry, tree, holder)",
		 ARG_EQ(1, SOCK_SEQPACKET | SOCK_CLOEXEC)),
	ALLOW_IF(clone, CHILDREN_MADE, "fork a child: plain, with a pidfd, nothing shared",
		 ARG_EQ(0, CLONE_PIDFD | SIGCHLD)),
	ALLOW_IF(wait4, S(NAMESPACES) | S(REPLY) | S(CLEANUP), "reap the plan or registry "
		 "child (after the reply, or in namespaces when it gave nothing usable) or the "
		 "tree child",
		 ARG_EQ(2, 0)),
	ALLOW_IF(wait4, S(HOLDER), "the holder reaps orphans, never blocking",
		 ARG_EQ(2, WNOHANG)),
	ALLOW(getppid, S(NAMESPACES), "the session's caller, named in the registry"),
	ALLOW(getpid, REGISTRY_STEPS, "a session record names the helper that wrote it"),
	ALLOW(pidfd_open, REGISTRY_STEPS | S(NAMESPACES) | S(CLEANUP),
	      "pin a holder or caller while checking who it is"),
	ALLOW_IF2(pidfd_send_signal, REGISTRY_STEPS | S(NAMESPACES) | S(CLEANUP),
		  "liveness check: signal 0", ARG_EQ(1, 0), ARG_EQ(3, 0)),
	ALLOW_IF(ioctl, S(NAMESPACES) | S(SETS) | REGISTRY_STEPS | S(CLEANUP),
		 "a mount namespace's 64-bit id (tmpdirs' pending records); the kernel reads the "
		 "command's low 32 bits, which musl's ioctl() passes sign-extended",
		 ARG_MASKED_EQ(1, 0xffffffffU, NS_GET_MNTNS_ID)),
	ALLOW(close_range, CHILDREN_MADE,
	      "children keep no fd of the helper's but their channel"),
	ALLOW(rt_sigprocmask, S(NAMESPACES) | S(SETS), "the holder blocks every signal (before its step)"),
	ALLOW_IF(inotify_init1, S(HOLDER), "the holder watches its registry entry",
		 ARG_EQ(0, IN_CLOEXEC)),
	ALLOW_IF(inotify_add_watch, S(HOLDER), "the holder ends when its entry is retired",
		 ARG_EQ(2, IN_MOVE_SELF | IN_DELETE_SELF)),
	ALLOW_IF(signalfd4, S(HOLDER), "the holder waits for SIGCHLD beside its watch",
		 ARG_EQ(3, SFD_CLOEXEC | SFD_NONBLOCK)),
	ALLOW(ppoll, S(HOLDER), "the holder waits for its entry to go, or a child"),
	ALLOW_IF(prctl, S(NAMESPACES) | S(SETS), "the holder's name", ARG_EQ(0, PR_SET_NAME)),
	ALLOW_IF2(prctl, S(NAMESPACES) | S(SETS), "the holder's /proc/PID/ns is open to the next helper",
		  ARG_EQ(0, PR_SET_DUMPABLE), ARG_EQ(1, 1)),
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

/* A rule belongs in step s's program if s or a later step makes the call. */
static bool in_program(const struct rule *r, enum step s)
{
	if ((r->steps & ENTRY) && step_info(s)->next != 0)
		return true;
	return (r->steps & step_closure(s) & EVERY) != 0;
}

size_t sandbox_rules_count(void)
{
	return ARRAY_SIZE(rules);
}

bool sandbox_rule_in_program(size_t i, enum step s)
{
	return in_program(&rules[i], s);
}

int sandbox_rule_syscall(size_t i, unsigned long long *arg1)
{
	*arg1 = rules[i].n_args > 1 ? rules[i].args[1].datum_a : 0;
	return rules[i].nr;
}

static void write_steps(FILE *out, uint32_t mask)
{
	const char *sep = "";

	if (mask & ENTRY) {
		(void)fprintf(out, "entering any step");
		sep = ",";
	}
	for (unsigned int s = 0; s < STEP_COUNT; s++)
		if (mask & STEP_BIT(s)) {
			(void)fprintf(out, "%s%s", sep, step_info((enum step)s)->name);
			sep = ",";
		}
}

void sandbox_rules_write_policy(FILE *out)
{
	(void)fprintf(out, "# syscall [argument conditions] [steps that make it]  # why\n"
		      "# each step stacks a program allowing what it and every later step "
		      "make; default kill-process\n");
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, rules[i].nr);

		(void)fprintf(out, "allow %s", name ? name : "?");
		free(name);
		for (unsigned int a = 0; a < rules[i].n_args; a++)
			write_condition(out, &rules[i].args[a]);
		(void)fprintf(out, " [");
		write_steps(out, rules[i].steps);
		(void)fprintf(out, "]\t# %s\n", rules[i].why);
	}
	(void)fprintf(out, "allow write arg0==%d..%d [polydirs]\t# the selinuxfs member fds, "
		      "opened before the sandbox only when SELinux is enabled\n",
		      SE_MEMBER_FD_BASE, SE_MEMBER_FD_BASE + SE_MEMBER_FDS - 1);
	(void)fprintf(out, "allow futex arg1==%#x [every step, test build only]\t# the hang hook "
		      "parks the test helper (test_hook.c); the installed helper has no "
		      "futex\n", FUTEX_WAIT_PRIVATE);
	(void)fprintf(out, "default kill-process\t# anything else, and any other ABI\n");
	for (unsigned int s = 0; s < STEP_COUNT; s++) {
		size_t n = 0;

		if (!step_info((enum step)s)->filter) {
			(void)fprintf(out, "program %s: none (keeps the filter before it)\n",
				      step_info((enum step)s)->name);
			continue;
		}
		for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
			n += in_program(&rules[i], (enum step)s);
		(void)fprintf(out, "program %s: %zu rules\n", step_info((enum step)s)->name, n);
	}
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

scmp_filter_ctx sandbox_rules_build(enum step s, bool test_hooks)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int r = 0;

	if (!ctx)
		return NULL;
	/*
	 * A binary tree of syscall numbers instead of a list: the kernel runs each
	 * new filter for every syscall number when it is loaded (its action
	 * cache), so a shorter path is a faster step change as well as a faster
	 * syscall.
	 */
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(rules); i++)
		if (in_program(&rules[i], s))
			r = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, rules[i].nr,
						   rules[i].n_args, rules[i].args);
	if (r == 0 && (step_closure(s) & STEP_BIT(STEP_POLYDIRS)))
		r = allow_selinux_fds(ctx);
	/* The test build's hang hook waits in futex at any step; nothing else does. */
	if (r == 0 && test_hooks)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(futex), 1,
				     SCMP_CMP(1, SCMP_CMP_EQ, FUTEX_WAIT_PRIVATE));
	if (r < 0) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}
