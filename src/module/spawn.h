/* SPDX-License-Identifier: BSD-3-Clause */
/* Starting polyns-helper the way a careful setuid-aware program does. */
#ifndef POLYNS_SPAWN_H
#define POLYNS_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

struct helper_proc {
	pid_t pid;
	int pidfd;  /* for waiting with a deadline */
	int sock;   /* our end of the socketpair */
	int report; /* close-on-exec pipe: why the child did not reach exec */
	/* The conversation's, kept for converse_end(): one deadline, one log budget. */
	struct timespec deadline;
	unsigned int log_lines;
	/* Set by helper_reap when the child exited 127 and said why. */
	const char *start_step;
	int start_errno;
};

/*
 * Why helper_spawn failed: call names the failed call, or is NULL when
 * opening the program failed (then failed_len, as in struct walk, says
 * which component of the path).
 */
struct spawn_fail {
	const char *call;
	size_t failed_len;
};

/*
 * Open the helper at path (see trusted_exec_open) and start it from that
 * fd for a session open (its command line: polyns-helper open): its socket
 * at fd 3, /dev/null on 0-2, no other fds, empty environment, default
 * signals, uid/gid 0 in every slot, no supplementary groups, fresh rlimits,
 * umask 077, its own session.  0, or -errno with f filled.  Never logs:
 * spawn_describe() says what failed.
 */
int helper_spawn(const char *path, struct helper_proc *h, struct spawn_fail *f);

/*
 * The same for a close (polyns-helper close), in the mount namespace
 * mntns_fd if it is not -1 (the namespace the session was opened from).
 */
int helper_spawn_in(const char *path, int mntns_fd, struct helper_proc *h,
		    struct spawn_fail *f);

/* The reason helper_spawn(path) returned r, in buf (always written), returned. */
const char *spawn_describe(char *buf, size_t len, const char *path, int r,
			   const struct spawn_fail *f);

/*
 * Open path (O_PATH) if it is a program root may trust to run: walked with
 * WALK_NO_SYMLINKS | WALK_ROOT_OWNED | WALK_REGULAR (absolute, no symlink
 * anywhere, every directory root-owned and not writable by group or others
 * unless sticky, the file root-owned and not writable by group or others)
 * and executable by its owner (else -ENOEXEC).  The fd, or -errno with
 * *failed_len as walk_describe() wants it (-ENOENT when it does not exist).
 * Never logs.
 */
int trusted_exec_open(const char *path, size_t *failed_len);

/*
 * In a vspawn() child before exec: default signal actions, empty mask, all
 * ids 0, no supplementary groups and, if selinux (asked by the parent:
 * libselinux is not for the child), no exec context.  0 or -1.
 */
int child_reset_process(bool selinux);

/*
 * Also in such a child: fresh rlimits (a user behind su may have lowered
 * them), the given umask, a session of its own (no terminal signals from the
 * user) and cwd "/".  0 or -1.
 */
int child_reset_environment(mode_t mask);

/*
 * Kill (if still running) and reap.  Returns the wait status, or -errno.
 * After an exit status 127, start_step and start_errno say where the child
 * stopped before exec, if it got as far as saying so.
 */
int helper_reap(struct helper_proc *h, int kill_first);

#endif
