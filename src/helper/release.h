/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * When a shared set may end, and how it ends: one rule and one procedure
 * for the helper (a stale set found at a login or a close, the last
 * session's close) and for polyns-admin (an admin's release).
 *
 *   in use    its holder may run (it does, or that cannot be told) and a
 *             session record's caller may run (likewise): never released;
 *   released  under the key's lock: its tmpdir instances recorded for a
 *             later close to remove (pending.h), its entry retired (the
 *             holder watches it and ends with it: holder.h), its lock
 *             removed.  Nothing is signalled.
 *
 * Every function here logs through hlog (the helper's socket, or
 * polyns-admin's standard error).
 */
#ifndef POLYNS_RELEASE_H
#define POLYNS_RELEASE_H

#include <stdbool.h>

#include "registry.h"

/*
 * Is the registry shared_fd (runtime_dir/shared, opened with rundir_open()
 * or rundir_open_existing()) ours, as registry.h says?  claim: claimed if it
 * is nobody's yet, as a login or a close does; else only looked at
 * (polyns-admin).  0 or -errno (logged).
 */
int set_registry_ours(int shared_fd, const char *runtime_dir, bool claim);

/*
 * Was e made from our pid namespace?  Process identities only mean something
 * in the pid namespace they were taken in: from any other, sessions would
 * look dead and holders unkillable.
 */
bool set_same_pidns(const struct reg_entry *e);

/*
 * Lock KEY (waiting, as every helper does) and load its entry: 0, -ENOENT
 * (no entry), -EPERM (tampered with), -EXDEV (made from another pid
 * namespace), or another -errno; logged but for -ENOENT.  *lock_fd is the
 * lock whenever it was taken (the caller closes it or hands it to
 * set_release), else -1.
 */
int set_lock_and_load(int shared_fd, const char *key, int *lock_fd, struct reg_entry *e);

/*
 * KEY's session records, counted (with forget, those whose caller is gone
 * are removed, as a login does).  Records that cannot be checked are
 * counted as unknown and logged, never an error: -errno (logged) only when
 * the entry itself cannot be read.
 */
int set_sessions(int shared_fd, const char *key, bool forget, struct reg_sweep *sw);

/* The rule.  holder_alive: procid_alive() of the holder (1, 0 or -errno). */
bool set_in_use(int holder_alive, const struct reg_sweep *sw);

/*
 * End the set (see above); lock_fd is closed.  Its tmpdir instances are
 * recorded in pending_fd (runtime_dir/pending, from rundir_open(); -1 when
 * it could not be opened, which whoever tried said).  0, or -errno when the
 * entry could not be removed (logged).
 */
int set_release(int shared_fd, const char *key, int lock_fd, const struct reg_entry *e,
		int pending_fd);

/* A set as polyns-admin shows it. */
struct set_view {
	struct reg_entry entry;
	struct reg_sweep sessions; /* counted, nothing forgotten */
	int holder_alive;	   /* procid_alive() of the holder */
};

/*
 * Look at KEY's set under its lock, changing nothing: 0 with v filled,
 * -ENOENT (no such set; no lock left behind), or the errors of
 * set_lock_and_load and set_sessions.
 */
int set_inspect(int shared_fd, const char *key, struct set_view *v);

/*
 * polyns-admin's release: under KEY's lock, release the set unless it is in
 * use (pending_fd as set_release).  0: released (*holder_pidfd, when not -1, is a pidfd of the holder
 * that was still running, to wait for its end); -EBUSY: in use, nothing
 * changed (v says why); -ENOENT, -EPERM, -EXDEV as set_inspect; another
 * -errno when the entry could not be removed.  With an
 * entry of pam_polyns 0.4.0, whose holder does not end with it, the release
 * is done and logged as a warning, as a login does.
 */
int set_release_unused(int shared_fd, const char *key, int pending_fd, struct set_view *v,
		       int *holder_pidfd);

#endif
