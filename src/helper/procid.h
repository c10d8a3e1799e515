/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A process named so that its number cannot be recycled under us: pid plus
 * start time (field 22 of /proc/PID/stat, clock ticks since boot).  Read
 * through a /proc fd opened at start, never through a path in a namespace a
 * session may have changed (a pid namespace's /proc hides the helper).
 */
#ifndef POLYNS_PROCID_H
#define POLYNS_PROCID_H

#include <stdint.h>
#include <sys/types.h>

struct procid {
	pid_t pid;
	uint64_t start;
};

/* The /proc fd: opened once, before any namespace changes.  0 or -errno. */
int procid_init(void);
int procid_proc_fd(void);

/* In a child whose fds were all closed: open /proc again.  0 or -errno. */
int procid_reopen(void);

/* Done with /proc (the reply reads nothing): its fd closed. */
void procid_close(void);

/*
 * The identity of pid, read while a pidfd pins it: 0 with *id filled and
 * *pidfd open (CLOEXEC) on that very process; -ESRCH when no thread-group
 * leader has that number (none, or only a thread: pidfd_open's ESRCH, EINVAL
 * and ENOENT); another -errno when it cannot be told (-EACCES: its /proc
 * entry is hidden from us while its pidfd says it runs).
 */
int procid_open(pid_t pid, struct procid *id, int *pidfd);

/* The same for a process we already hold a pidfd on. */
int procid_of(pid_t pid, int pidfd, struct procid *id);

/*
 * Is the process named by id still running?  1 only when a thread-group
 * leader with that pid has that start time (and *pidfd, if not NULL, is open
 * on it); 0 when it is gone: no such leader, a thread holding the number, or
 * another start time.  -errno when that cannot be told.
 */
int procid_alive(const struct procid *id, int *pidfd);

/*
 * The inode of our own pid namespace: process identities (and the /proc
 * scans the module makes) mean something only within one.  0 or -errno.
 */
int procid_self_pidns(uint64_t *ino);

/*
 * Field 22 (starttime) of the text of /proc/PID/stat.  Field 2, the process
 * name in parentheses, is whatever the process called itself (spaces, ')',
 * newlines): fields are counted from the last ')'.  0 or -EINVAL.
 */
int procid_parse_stat(const char *stat, uint64_t *start);

/* "PID.START" and back; parse returns 0 or -EINVAL. */
int procid_format(const struct procid *id, char *buf, size_t len);
int procid_parse(const char *s, struct procid *id);

#endif
