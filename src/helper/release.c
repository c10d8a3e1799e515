/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "release.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "hlog.h"
#include "pending.h"
#include "procid.h"

int set_registry_ours(int shared_fd, const char *runtime_dir, bool claim)
{
	int r = claim ? reg_claim(shared_fd) : reg_check_owner(shared_fd);

	if (r == -EXDEV)
		hlog(LOG_ERR, "the registry in %s belongs to another pid namespace: shared "
		     "sets cannot be used from inside a session's pid namespace", runtime_dir);
	else if (r < 0)
		hlog(LOG_ERR, "cannot open the registry in %s: %s", runtime_dir, strerror(-r));
	return r;
}

bool set_same_pidns(const struct reg_entry *e)
{
	uint64_t pidns = 0;

	return procid_self_pidns(&pidns) == 0 && pidns == e->pidns;
}

int set_lock_and_load(int shared_fd, const char *key, int *lock_fd, struct reg_entry *e)
{
	int r;

	*lock_fd = reg_lock(shared_fd, key, true);
	if (*lock_fd < 0) {
		r = *lock_fd;
		*lock_fd = -1;
		hlog(LOG_ERR, "cannot lock the registry entry %s: %s", key, strerror(-r));
		return r;
	}
	r = reg_load(shared_fd, key, e);
	if (r == -EPERM)
		hlog(LOG_ERR, "registry entry %s is not root's or is malformed: refusing "
		     "to use it (remove it once its sessions are gone)", key);
	if (r == 0 && !set_same_pidns(e)) {
		hlog(LOG_ERR, "shared namespaces %s were made from another pid namespace; "
		     "refusing to use them from here", key);
		r = -EXDEV;
	}
	return r;
}

int set_sessions(int shared_fd, const char *key, bool forget, struct reg_sweep *sw)
{
	int r = reg_sessions_sweep(shared_fd, key, forget, sw);

	if (r < 0)
		hlog(LOG_ERR, "cannot read the sessions of %s: %s", key, strerror(-r));
	else if (sw->unknown > 0)
		hlog(LOG_WARNING, "%u session record(s) of %s could not be checked (%s): "
		     "kept, and the set with them", sw->unknown, key, strerror(-sw->error));
	if (r == 0 && forget && sw->gone > 0)
		hlog_debug("forgot %u session(s) of %s whose caller is gone", sw->gone, key);
	return r;
}

bool set_in_use(int holder_alive, const struct reg_sweep *sw)
{
	/* What cannot be checked counts as running: never released under a session. */
	return holder_alive != 0 && (sw->live > 0 || sw->unknown > 0);
}

int set_release(int shared_fd, const char *key, int lock_fd, const struct reg_entry *e,
		int pending_fd)
{
	int r;

	/*
	 * No signal: retiring the entry below is what ends a holder (it
	 * watches its entry).  A holder of 0.4.0 does not; it is left running.
	 */
	if (!e->watched && procid_alive(&e->holder, NULL) == 1)
		hlog(LOG_WARNING, "the holder %d of %s was made by an older pam_polyns and "
		     "does not end with its entry: it keeps the set's namespaces (and a pid "
		     "namespace's processes) until it is killed or the host restarts",
		     (int)e->holder.pid, key);
	for (size_t i = 0; pending_fd >= 0 && i < e->n_tmpdirs; i++) {
		r = pending_defer(pending_fd, e->mntns, e->tmpdirs[i]);
		if (r < 0)
			hlog(LOG_ERR, "cannot record %s for removal: %s", e->tmpdirs[i],
			     strerror(-r));
	}
	r = reg_remove(shared_fd, key, lock_fd);
	if (r < 0)
		hlog(LOG_ERR, "cannot remove the registry entry %s: %s", key, strerror(-r));
	else
		hlog_debug("released the shared namespaces %s", key);
	return r;
}

/* Locked and loaded, or -errno with no lock held (and none left behind). */
static int lock_existing(int shared_fd, const char *key, struct set_view *v, int *lock_fd)
{
	int r;

	/* Looked at first, so that an unknown key gets no lock made for it. */
	if (!reg_has_entry(shared_fd, key))
		return -ENOENT;
	r = set_lock_and_load(shared_fd, key, lock_fd, &v->entry);
	if (r == -ENOENT && *lock_fd >= 0) {
		(void)reg_remove(shared_fd, key, *lock_fd); /* released meanwhile */
		*lock_fd = -1;
	}
	if (r < 0 && *lock_fd >= 0) {
		(void)close(*lock_fd);
		*lock_fd = -1;
	}
	return r;
}

int set_inspect(int shared_fd, const char *key, struct set_view *v)
{
	int lock_fd = -1, r;

	memset(v, 0, sizeof(*v));
	r = lock_existing(shared_fd, key, v, &lock_fd);
	if (r < 0)
		return r;
	r = set_sessions(shared_fd, key, false, &v->sessions);
	v->holder_alive = procid_alive(&v->entry.holder, NULL);
	(void)close(lock_fd);
	return r;
}

int set_release_unused(int shared_fd, const char *key, int pending_fd, struct set_view *v,
		       int *holder_pidfd)
{
	int lock_fd = -1, pidfd = -1, r;

	*holder_pidfd = -1;
	memset(v, 0, sizeof(*v));
	r = lock_existing(shared_fd, key, v, &lock_fd);
	if (r < 0)
		return r;
	r = set_sessions(shared_fd, key, false, &v->sessions);
	if (r == 0) {
		v->holder_alive = procid_alive(&v->entry.holder, &pidfd);
		if (set_in_use(v->holder_alive, &v->sessions))
			r = -EBUSY;
	}
	if (r < 0) {
		if (pidfd >= 0)
			(void)close(pidfd);
		(void)close(lock_fd);
		return r;
	}
	r = set_release(shared_fd, key, lock_fd, &v->entry, pending_fd);
	if (r == 0 && v->entry.watched)
		*holder_pidfd = pidfd;
	else if (pidfd >= 0)
		(void)close(pidfd);
	return r;
}
