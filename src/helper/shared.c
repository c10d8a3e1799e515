/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "shared.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <md5.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "hlog.h"
#include "options.h"
#include "test_hook.h"
#include "util.h"

#define RELEASE_ROUNDS 3
#define SWEEP_SAMPLE 16
#define TMPDIR_PATH_MAX ((NAME_MAX - 2 * 20 - 2) / 2) /* 106 bytes */
#define KEY_DIGEST 16 /* hex digits of the settings digest in a key */

static void sweep_all(int shared_fd, const char *skip, int pending_fd);

bool shared_needed(const struct wire_request *req, unsigned int mask)
{
	return polyns_uses_registry(req->share, mask);
}

/*
 * Who shares, and with which settings: sessions that ask for other
 * namespace types or another config get a set of their own.
 */
static int make_key(const struct wire_request *req, unsigned int mask,
		    const struct procid *caller, char *key, size_t len)
{
	char what[3 * 4096 + 64], hex[MD5_DIGEST_STRING_LENGTH];
	int n = snprintf(what, sizeof(what), "%u\n%u\n%s\n%s\n%s", mask,
			 req->flags & ~(uint32_t)POLYNS_OPT_DEBUG, req->config, req->config_dir,
			 req->init);

	if (n < 0 || (size_t)n >= sizeof(what))
		return -ENAMETOOLONG;
	MD5Data((const uint8_t *)what, (size_t)n, hex);
	if (req->share == POLYNS_SHARE_USER)
		n = snprintf(key, len, "user-%" PRIu32 "-%.*s", req->user.uid, KEY_DIGEST, hex);
	else if (req->share == POLYNS_SHARE_GROUP)
		n = snprintf(key, len, "group-%" PRIu32 "-%.*s", req->user.gid, KEY_DIGEST, hex);
	else
		n = snprintf(key, len, "session-%d-%" PRIu64 "-%.*s", (int)caller->pid,
			     caller->start, KEY_DIGEST, hex);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/*
 * The set is over: record its tmpdir instances in pending_fd (runtime_dir/
 * pending; -1 when it could not be opened, which was logged then) for
 * removal once the mount namespace is empty, remove the entry and the lock;
 * its holder ends with its entry.  lock_fd is closed.
 */
static void release(int shared_fd, const char *key, int lock_fd, const struct reg_entry *e,
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
		r = cleanup_defer(pending_fd, e->mntns, e->tmpdirs[i]);
		if (r < 0)
			hlog(LOG_ERR, "cannot record %s for removal: %s", e->tmpdirs[i],
			     strerror(-r));
	}
	r = reg_remove(shared_fd, key, lock_fd);
	if (r < 0)
		hlog(LOG_ERR, "cannot remove the registry entry %s: %s", key, strerror(-r));
	hlog_debug("released the shared namespaces %s", key);
}

/* The registry fd is ours (reg_claim()): 0, or -errno after saying why. */
static int claim_registry(int shared_fd, const char *runtime_dir)
{
	int r = reg_claim(shared_fd);

	if (r == -EXDEV)
		hlog(LOG_ERR, "the registry in %s belongs to another pid namespace: shared "
		     "sets cannot be used from inside a session's pid namespace", runtime_dir);
	else if (r < 0)
		hlog(LOG_ERR, "cannot open the registry in %s: %s", runtime_dir, strerror(-r));
	return r;
}

static bool same_set(const struct made_ns *made, const struct reg_entry *e)
{
	if (made->n != e->n_ns)
		return false;
	for (size_t i = 0; i < made->n; i++) {
		size_t j = 0;

		while (j < e->n_ns && !(made->id[i].ns_bit == e->ns[j].ns_bit &&
					 made->id[i].dev == e->ns[j].dev &&
					 made->id[i].ino == e->ns[j].ino))
			j++;
		if (j == e->n_ns)
			return false;
	}
	return true;
}

static int set_token(struct shared_ctx *c)
{
	char name[64];
	int n = reg_session_name(&c->caller, name, sizeof(name));

	if (n < 0)
		return n;
	n = snprintf(c->token, sizeof(c->token), "%s/%s", c->key, name);
	return n < 0 || (size_t)n >= sizeof(c->token) ? -ENAMETOOLONG : 0;
}

/* A live set of our key: check it is ours to join, open it, count us in. */
/*
 * A live set of our key: check it is ours to join and count us in.  Its
 * namespaces are opened by the helper (shared_open_joined()): the registry
 * child's Landlock domain may not look into another process's /proc/PID/ns.
 */
static int join(struct shared_ctx *c)
{
	int r;

	if (strcmp(c->plan, c->entry.plan) != 0) {
		hlog(LOG_ERR, "shared namespaces %s hold other polydir instances than this "
		     "session needs (another user's, or the configuration changed): refusing",
		     c->key);
		return -EEXIST;
	}
	r = reg_session_add(c->shared_fd, c->key, &c->caller);
	if (r == 0)
		r = set_token(c);
	if (r < 0) {
		hlog(LOG_ERR, "cannot record the session in %s: %s", c->key, strerror(-r));
		return r;
	}
	hlog_debug("joined the shared namespaces %s", c->key);
	return 1;
}

int shared_open_joined(const struct shared_ctx *c, unsigned int mask, struct made_ns *made)
{
	struct procid now;
	int pidfd = -1;
	int r = procid_open(c->entry.holder.pid, &now, &pidfd);

	if (r == 0 && now.start != c->entry.holder.start)
		r = -ESRCH;
	if (r == 0)
		r = ns_open_held(&c->entry.holder, pidfd, mask, made);
	if (r == 0 && !same_set(made, &c->entry))
		r = -ESTALE;
	if (pidfd >= 0)
		(void)close(pidfd);
	if (r < 0) {
		hlog(LOG_ERR, "the holder of %s does not hold the namespaces recorded: %s",
		     c->key, strerror(-r));
		made_ns_close(made);
	}
	return r;
}

/*
 * Process identities only mean something in the pid namespace they were
 * taken in: from any other, sessions would look dead and holders unkillable.
 */
static bool same_pidns(const struct reg_entry *e)
{
	uint64_t pidns = 0;

	return procid_self_pidns(&pidns) == 0 && pidns == e->pidns;
}

static int lock_and_load(struct shared_ctx *c)
{
	int r;

	c->lock_fd = reg_lock(c->shared_fd, c->key, true);
	if (c->lock_fd < 0) {
		hlog(LOG_ERR, "cannot lock the registry entry %s: %s", c->key,
		     strerror(-c->lock_fd));
		return c->lock_fd;
	}
	r = reg_load(c->shared_fd, c->key, &c->entry);
	if (r == -EPERM)
		hlog(LOG_ERR, "registry entry %s is not root's or is malformed: refusing "
		     "to use it (remove it once its sessions are gone)", c->key);
	if (r == 0 && !same_pidns(&c->entry)) {
		hlog(LOG_ERR, "shared namespaces %s were made from another pid namespace; "
		     "refusing to use them from here", c->key);
		r = -EXDEV;
	}
	return r;
}

/*
 * Forget the key's sessions whose caller is gone.  Records that cannot be
 * checked are kept and logged, never an error: -errno only when the entry
 * itself cannot be read.
 */
static int sweep(int shared_fd, const char *key, struct reg_sweep *sw)
{
	int r = reg_sessions_sweep(shared_fd, key, sw);

	if (r < 0)
		hlog(LOG_ERR, "cannot read the sessions of %s: %s", key, strerror(-r));
	else if (sw->unknown > 0)
		hlog(LOG_WARNING, "%u session record(s) of %s could not be checked (%s): "
		     "kept, and the set with them", sw->unknown, key, strerror(-sw->error));
	if (r == 0 && sw->gone > 0)
		hlog_debug("forgot %u session(s) of %s whose caller is gone", sw->gone, key);
	return r;
}

int shared_name(const struct wire_request *req, unsigned int mask, const char *plan,
		struct shared_ctx *c)
{
	int pidfd = -1, r;

	*c = (struct shared_ctx){ .shared_fd = -1, .lock_fd = -1, .pending_fd = -1,
				  .holder = { .pidfd = -1, .ctl = -1 } };
	memcpy(c->plan, plan, sizeof(c->plan));
	r = procid_open(getppid(), &c->caller, &pidfd);
	if (r == 0) {
		(void)close(pidfd);
		r = make_key(req, mask, &c->caller, c->key, sizeof(c->key));
	}
	if (r < 0)
		hlog(LOG_ERR, "cannot name the session's shared set: %s", strerror(-r));
	return r;
}

int shared_begin(const struct wire_request *req, struct shared_ctx *c)
{
	int pidfd = -1, r = claim_registry(c->shared_fd, req->runtime_dir);

	if (r < 0)
		return r;
	/* Other keys' stale sets first. */
	sweep_all(c->shared_fd, c->key, c->pending_fd);
	/* After releasing a stale set, another login may have made the next one. */
	for (int round = 0; round < RELEASE_ROUNDS; round++) {
		struct reg_sweep sw = { 0 };
		int alive;

		r = lock_and_load(c);
		if (r < 0)
			return r == -ENOENT ? 0 : r;
		r = sweep(c->shared_fd, c->key, &sw);
		if (r < 0)
			return r;
		alive = procid_alive(&c->entry.holder, &pidfd);
		if (alive < 0) {
			hlog(LOG_ERR, "cannot tell whether the holder of %s runs: %s", c->key,
			     strerror(-alive));
			return alive;
		}
		/* A record that could not be checked may be a session: never released under it. */
		if (alive == 1 && (sw.live > 0 || sw.unknown > 0)) {
			(void)close(pidfd);
			return join(c);
		}
		if (alive == 1)
			(void)close(pidfd);
		hlog(LOG_NOTICE, "releasing the stale shared namespaces %s (%s)", c->key,
		     alive ? "no session left" : "holder gone");
		release(c->shared_fd, c->key, c->lock_fd, &c->entry, c->pending_fd);
		c->lock_fd = -1;
	}
	return -EBUSY;
}

static int fill_entry(struct shared_ctx *c, const struct made_ns *made,
		      const char *const *tmpdirs, size_t n_tmpdirs)
{
	struct reg_entry *e = &c->entry;
	int r = procid_self_pidns(&e->pidns);

	*e = (struct reg_entry){ .holder = c->holder.id, .pidns = e->pidns, .n_ns = made->n,
				 .watched = true };
	memcpy(e->ns, made->id, sizeof(made->id[0]) * made->n);
	memcpy(e->plan, c->plan, sizeof(e->plan));
	for (size_t i = 0; r == 0 && i < made->n; i++)
		if (made->id[i].ns_bit == POLYNS_NS_MNT)
			r = ns_mntns_id(made->fds[i], &e->mntns);
	for (size_t i = 0; r == 0 && i < n_tmpdirs; i++) {
		/* It must fit a pending record at release: two 20-digit ids and hex. */
		if (strlen(tmpdirs[i]) > TMPDIR_PATH_MAX)
			r = -ENAMETOOLONG;
		else
			memcpy(e->tmpdirs[e->n_tmpdirs++], tmpdirs[i], strlen(tmpdirs[i]) + 1);
	}
	return r;
}

/* The holder gets the published entry's fd: it lives as long as the entry. */
static int commit(struct shared_ctx *c)
{
	int fd = openat(c->shared_fd, c->key, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int r = fd < 0 ? -errno : holder_commit(&c->holder, fd);

	if (fd >= 0)
		(void)close(fd);
	return r;
}

int shared_create(struct shared_ctx *c, unsigned int mask, const char *const *tmpdirs,
		  size_t n_tmpdirs, struct made_ns *made)
{
	const char *step = "starting the holder";
	int r = holder_start(mask & POLYNS_NS_PID, &c->holder);

	if (r == 0) {
		test_hook("holder-started", WIRE_FD_SLOT);
		step = "opening the namespaces from the holder";
		r = ns_open_held(&c->holder.id, c->holder.pidfd, mask, made);
	}
	if (r == 0) {
		step = "recording the set";
		r = fill_entry(c, made, tmpdirs, n_tmpdirs);
	}
	if (r == 0)
		r = reg_create(c->shared_fd, c->key, &c->entry, &c->caller);
	if (r == 0) {
		test_hook("entry", WIRE_FD_SLOT);
		step = "handing the set to the holder";
		r = commit(c);
	}
	if (r == 0)
		r = set_token(c);
	if (r < 0) {
		hlog(LOG_ERR, "making the shared namespaces %s failed at %s: %s", c->key,
		     step, strerror(-r));
		holder_forget(&c->holder); /* uncommitted: it ends with its channel */
		made_ns_close(made);
		return r;
	}
	hlog_debug("made the shared namespaces %s", c->key);
	return 0;
}

struct sweep_ctx {
	int shared_fd;
	const char *skip;
	int pending_fd;
	size_t keys;   /* counted in a first pass */
	uint32_t seed; /* for the sample: which keys this helper looks at */
};

static int count_key(const char *key, void *ctx)
{
	(void)key;
	((struct sweep_ctx *)ctx)->keys++;
	return 0;
}

/*
 * With many keys, each helper looks at about SWEEP_SAMPLE of them, a
 * different random sample each time, so a login costs the same with a
 * thousand users' sets as with ten, and every stale set is still found soon.
 */
static bool sampled(const struct sweep_ctx *s, const char *key)
{
	uint32_t h = s->seed;

	if (s->keys <= SWEEP_SAMPLE)
		return true;
	for (const char *p = key; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619U; /* FNV-1a, keyed by the seed */
	return h % s->keys < SWEEP_SAMPLE;
}

/* Another key's set whose sessions are all gone (a killed caller): release it. */
static int sweep_key(const char *key, void *ctx)
{
	const struct sweep_ctx *s = ctx;
	struct reg_sweep sw = { 0 };
	struct reg_entry *e;
	int lock;

	if (strcmp(key, s->skip) == 0 || !sampled(s, key))
		return 0;
	lock = reg_lock(s->shared_fd, key, false);
	if (lock < 0)
		return 0; /* busy: its own sessions see to it */
	e = calloc(1, sizeof(*e));
	if (e && reg_load(s->shared_fd, key, e) == 0 && same_pidns(e) &&
	    sweep(s->shared_fd, key, &sw) == 0 && sw.live == 0 && sw.unknown == 0) {
		hlog(LOG_NOTICE, "releasing the stale shared namespaces %s", key);
		release(s->shared_fd, key, lock, e, s->pending_fd);
	} else {
		(void)close(lock);
	}
	free(e);
	return 0;
}

static void sweep_all(int shared_fd, const char *skip, int pending_fd)
{
	struct sweep_ctx s = { shared_fd, skip, pending_fd, 0, 2166136261U };

	if (reg_each_key(shared_fd, count_key, &s) < 0)
		return;
	if (s.keys > SWEEP_SAMPLE &&
	    getrandom(&s.seed, sizeof(s.seed), GRND_NONBLOCK) != (ssize_t)sizeof(s.seed))
		return;
	(void)reg_each_key(shared_fd, sweep_key, &s);
}

void shared_end(struct shared_ctx *c)
{
	/* A key with no entry (a failed first session) keeps no lock either. */
	if (c->lock_fd >= 0 && !reg_has_entry(c->shared_fd, c->key))
		(void)reg_remove(c->shared_fd, c->key, c->lock_fd);
	else if (c->lock_fd >= 0)
		(void)close(c->lock_fd);
	c->lock_fd = -1;
	if (c->shared_fd >= 0)
		(void)close(c->shared_fd);
	c->shared_fd = -1;
	if (c->pending_fd >= 0)
		(void)close(c->pending_fd);
	c->pending_fd = -1;
	holder_forget(&c->holder);
}

enum wire_status shared_close(const struct wire_request *req, int shared_fd, int pending_fd)
{
	static struct shared_ctx c;
	const char *slash = strchr(req->registry, '/');
	int r;

	c = (struct shared_ctx){ .shared_fd = shared_fd, .lock_fd = -1, .pending_fd = -1,
				 .holder = { .pidfd = -1, .ctl = -1 } };
	if (!slash || (size_t)(slash - req->registry) >= sizeof(c.key) ||
	    !(strncmp(req->registry, "user-", 5) == 0 || strncmp(req->registry, "group-", 6) == 0 ||
	      strncmp(req->registry, "session-", 8) == 0)) {
		hlog(LOG_ERR, "close: '%s' names no shared set", req->registry);
		shared_end(&c);
		return STATUS_SESSION_ERR;
	}
	memcpy(c.key, req->registry, (size_t)(slash - req->registry));
	if (claim_registry(c.shared_fd, req->runtime_dir) < 0) {
		shared_end(&c);
		return STATUS_SESSION_ERR;
	}
	r = lock_and_load(&c);
	if (r == 0) {
		r = reg_session_remove(c.shared_fd, c.key, slash + 1);
		if (r == -ENOENT)
			r = 0; /* already swept as stale */
		struct reg_sweep sw = { 0 };
		int swept = sweep(c.shared_fd, c.key, &sw);

		if (swept == 0 && sw.live == 0 && sw.unknown == 0) {
			release(c.shared_fd, c.key, c.lock_fd, &c.entry, pending_fd);
			c.lock_fd = -1;
		} else if (swept < 0) {
			r = swept;
		}
	} else if (r == -ENOENT) {
		r = 0; /* released already (its holder was found gone); shared_end
			  removes the lock we just made */
	}
	if (r < 0)
		hlog(LOG_ERR, "ending the session in %s failed: %s", c.key, strerror(-r));
	sweep_all(c.shared_fd, c.key, pending_fd);
	shared_end(&c);
	return r < 0 ? STATUS_SESSION_ERR : STATUS_OK;
}
