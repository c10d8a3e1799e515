/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The holder: the one process that keeps a shared namespace set alive.
 *
 * Forked by the helper after it made the set's namespaces (so it is a member
 * of every one; of a new pid namespace it is PID 1, which mounts that
 * namespace's /proc and reaps orphans).  It keeps no capability and no fd,
 * stacks a filter of its own on the helper's, and waits.  It ends when its
 * registry entry is retired (a helper released the set), or at once if the
 * helper that made it dies before committing the entry (no holder is ever
 * left without an entry).
 */
#ifndef POLYNS_HOLDER_H
#define POLYNS_HOLDER_H

#include <stdbool.h>

#include "procid.h"

struct holder {
	struct procid id;
	int pidfd;
	int ctl; /* until holder_commit() */
};

/*
 * The helper's command line (argv[0] to the end of its last argument, as
 * main() got it): a holder writes "polyns-holder KEY" over its copy, so
 * that ps and pgrep -f show which set it keeps.  From main(), once.
 */
void holder_keep_cmdline(int argc, char **argv);

/*
 * Fork the holder of the set key (h->id.pid is set; the rest by
 * holder_ready()).  It readies itself while the caller goes on; with
 * mount_proc (a new pid namespace in a new mount namespace) it mounts
 * /proc first, so it is forked only after the last path walk of the
 * helper's.  0 or -errno.
 */
int holder_spawn(bool mount_proc, const char *key, struct holder *h);

/*
 * Wait until the holder forked by holder_spawn() is ready (its /proc
 * mounted, its own step entered, open to the helper's /proc/PID/ns) and
 * record which process it is.  0, or -errno with the holder forgotten.
 */
int holder_ready(struct holder *h);

/*
 * The registry entry is written: the holder may outlive us.  It gets the
 * entry's fd and ends when the entry is retired or removed (inotify), so
 * that releasing a set needs no signal.  0 or -errno.
 */
int holder_commit(struct holder *h, int entry_fd);

/* Close our fds: a committed holder keeps running, an uncommitted one ends (its channel closed). */
void holder_forget(struct holder *h);

#endif
