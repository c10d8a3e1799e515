/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The registry of shared namespace sets: root-only state under
 * runtime_dir/shared (mode 0700 all the way down).
 *
 *   shared/pidns.INO/    the pid namespace the registry belongs to
 *   shared/KEY.lock/     a directory we flock(): one lock per key
 *   shared/KEY/          the entry; every fact is the name of an empty
 *                        directory in it (the helper never writes file data):
 *     holder.PID.START     the holder process (see procid.h)
 *     pidns.INO            the pid namespace the entry was made from
 *     ns.NAME.DEV.INO      each namespace of the set, as the holder has it
 *     plan.HEX             digest of the polydirs and instances mounted
 *     mntns.ID             the set's mount namespace id (deferred tmpdirs)
 *     tmpdir.HEX           a tmpdir instance to remove when the set goes
 *     session.PID.START.N  one per open session: its PAM caller, and N the
 *                          pid of the helper that opened it
 *
 * An entry is built as KEY.new and renamed into place, under the lock.  Any
 * entry, lock or fact that is not a root-owned directory of mode 0700, or a
 * name not in this list, is refused as tampered with: never repaired.
 */
#ifndef POLYNS_REGISTRY_H
#define POLYNS_REGISTRY_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procid.h"
#include "wire.h"

#define REG_KEY_MAX 96
#define REG_PLAN_LEN 32 /* hex digits */

struct reg_entry {
	struct procid holder;
	uint64_t pidns;
	size_t n_ns;
	struct wire_ns ns[WIRE_MAX_FDS];
	char plan[REG_PLAN_LEN + 1];
	uint64_t mntns; /* 0 without a mount namespace */
	size_t n_tmpdirs;
	char tmpdirs[WIRE_MAX_POLYDIRS][256]; /* instance paths (hex in the entry) */
	bool watched; /* "watch.entry": the holder ends with the entry (0.5.0 on) */
};

/*
 * Is the registry shared_fd (runtime_dir/shared, from rundir_open()) ours?
 * It belongs to the pid namespace of the first helper that used it, which
 * claimed it.  0; -EXDEV when it belongs to another pid namespace; -errno.
 */
int reg_claim(int shared_fd);

/*
 * The same check, claiming nothing (polyns-admin): 0 when the registry is
 * ours or nobody's yet, -EXDEV when another pid namespace claimed it.
 */
int reg_check_owner(int shared_fd);

/* Lock KEY (waiting): fd of the lock, or -errno. */
int reg_lock(int shared_fd, const char *key, bool wait);

/* The entry of KEY: 0, -ENOENT when there is none, -EPERM when tampered with. */
int reg_load(int shared_fd, const char *key, struct reg_entry *e);

/* Write the entry of KEY with its first session.  0 or -errno. */
int reg_create(int shared_fd, const char *key, const struct reg_entry *e,
	       const struct procid *session);

/* The name of a session's fact (and of its close token), for this helper. */
int reg_session_name(const struct procid *caller, char *buf, size_t len);

/*
 * The names on disk, without the disk (what reg_load reads each fact
 * with): one fact's name into e (0, or -EINVAL for a name not in the list
 * above or malformed: the entry is then refused), and a session fact's
 * caller (0 or -EINVAL).
 */
int reg_parse_fact(const char *name, struct reg_entry *e);
int reg_parse_session(const char *name, struct procid *caller);

/* Add or remove one session of KEY's entry.  0 or -errno. */
int reg_session_add(int shared_fd, const char *key, const struct procid *s);
int reg_session_remove(int shared_fd, const char *key, const char *name);

/* What a sweep of KEY's session records found. */
#define REG_SWEEP_PIDS 8

struct reg_sweep {
	unsigned int live;    /* the caller still runs */
	pid_t live_pid[REG_SWEEP_PIDS]; /* the first callers found running */
	unsigned int gone;    /* the caller is gone: record forgotten */
	unsigned int unknown; /* could not be checked (or forgotten): record kept */
	int error;            /* the first reason for an unknown, -errno */
};

/*
 * Look at every session record of KEY and, with forget, remove those whose
 * caller is gone (see procid_alive); without, only count them.  A record
 * that cannot be checked is kept and counted in out->unknown; it never stops
 * the sweep.  0, or -errno when the entry itself cannot be read.
 */
int reg_sessions_sweep(int shared_fd, const char *key, bool forget, struct reg_sweep *out);

/*
 * fn for every entry's key, and for the key of every lock without an entry
 * (what a helper killed half-way left); first error wins.
 */
int reg_each_key(int shared_fd, int (*fn)(const char *key, void *ctx), void *ctx);

/* The registry's keys, listed once: key[0..n). */
struct reg_keys {
	char (*key)[NAME_MAX + 1];
	size_t n, cap;
};

/*
 * Every key of reg_each_key() into out (zeroed first), at most max of them
 * (-E2BIG past that).  0 or -errno; reg_keys_free() in any case.
 */
int reg_list_keys(int shared_fd, size_t max, struct reg_keys *out);
void reg_keys_free(struct reg_keys *k);

/* Is there an entry (checked or not) for KEY? */
bool reg_has_entry(int shared_fd, const char *key);

/*
 * Remove KEY's entry (and a half-built or retired one) and then its lock
 * (held by lock_fd, which is closed).
 */
int reg_remove(int shared_fd, const char *key, int lock_fd);

#endif
