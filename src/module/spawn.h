/* SPDX-License-Identifier: BSD-3-Clause */
/* Starting polyns-helper the way a careful setuid-aware program does. */
#ifndef POLYNS_SPAWN_H
#define POLYNS_SPAWN_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct helper_proc {
	pid_t pid;
	int pidfd; /* for waiting with a deadline */
	int sock;  /* our end of the socketpair */
};

/*
 * Open the helper at path (absolute, no symlinks, every directory root-owned
 * and not writable by group or others unless sticky, the file root-owned,
 * not writable by group or others, executable) and start it: its socket at
 * fd 3, /dev/null on 0-2, no other fds, empty environment, default signals,
 * uid/gid 0 in every slot, no supplementary groups, fresh rlimits, umask 077,
 * its own session.  0, or -errno with a reason in why.
 */
int helper_spawn(const char *path, struct helper_proc *h, char *why, size_t why_len);

/*
 * Like helper_spawn, but the helper starts in the mount namespace mntns_fd
 * (close: the namespace the session was opened from).
 */
int helper_spawn_in(const char *path, int mntns_fd, struct helper_proc *h, char *why,
		    size_t why_len);

/*
 * Open path (O_PATH) if it is a file root may trust to run: absolute, no
 * symlinks, every directory root-owned and not writable by group or others
 * unless sticky, the file root-owned, not writable by group or others and
 * executable.  Returns the fd, or -errno with a reason in why (-ENOENT when
 * it does not exist).
 */
int trusted_exec_open(const char *path, char *why, size_t why_len);

/*
 * In a child between fork and exec: default signal actions, empty mask,
 * all ids 0, no supplementary groups.  0 or -1.
 */
int child_reset_process(void);

/*
 * Also in such a child: fresh rlimits (a user behind su may have lowered
 * them), the given umask, a session of its own (no terminal signals from the
 * user) and cwd "/".  0 or -1.
 */
int child_reset_environment(mode_t mask);

/* Kill (if still running) and reap.  Returns the wait status, or -errno. */
int helper_reap(struct helper_proc *h, int kill_first);

#endif
