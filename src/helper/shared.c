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

#include "hlog.h"
#include "options.h"
#include "release.h"
#include "test_hook.h"
#include "util.h"

#define RELEASE_ROUNDS 3
#define SWEEP_SAMPLE 16
#define TMPDIR_PATH_MAX ((NAME_MAX - 2 * 20 - 2) / 2) /* 106 bytes */
#define KEY_DIGEST 16 /* hex digits of the settings digest in a key */

bool shared_needed(const struct wire_request *req, unsigned int mask)
{
	return polyns_uses_registry(req->share, mask);
}

/*
 * Who shares, and with which settings: sessions that ask for other
 * namespace types or another config get a set of their own.  A
 * share=session set is this session's alone: 64 random bits, not its
 * caller, name it (a caller may hold several sessions, or a set that an
 * earlier session of its left counted).
 */
static int make_key(const struct wire_request *req, unsigned int mask, char *key, size_t len)
{
	char what[3 * 4096 + 64], hex[MD5_DIGEST_STRING_LENGTH];
	uint64_t nonce;
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
	else if (getrandom(&nonce, sizeof(nonce), 0) != (ssize_t)sizeof(nonce))
		return errno ? -errno : -EIO;
	else
		n = snprintf(key, len, "session-%016" PRIx64 "-%.*s", nonce, KEY_DIGEST, hex);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
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

	if (n >= 0)
		n = snprintf(c->token, sizeof(c->token), "%s/%s", c->key, name);
	if (n >= 0 && (size_t)n < sizeof(c->token))
		return 0;
	c->token[0] = '\0'; /* no half token: a refusal would name it for counting out */
	return n < 0 ? n : -ENAMETOOLONG;
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

int shared_caller(struct shared_ctx *c)
{
	int pidfd = -1;
	int r;

	*c = (struct shared_ctx){ .shared_fd = -1, .lock_fd = -1, .pending_fd = -1,
				  .holder = { .pidfd = -1, .ctl = -1 } };
	r = procid_open(getppid(), &c->caller, &pidfd);
	if (r == 0)
		(void)close(pidfd);
	else
		hlog(LOG_ERR, "cannot tell who the session's caller is: %s", strerror(-r));
	return r;
}

int shared_name(const struct wire_request *req, unsigned int mask, const char *plan,
		struct shared_ctx *c)
{
	int r = make_key(req, mask, c->key, sizeof(c->key));

	memcpy(c->plan, plan, sizeof(c->plan));
	if (r < 0)
		hlog(LOG_ERR, "cannot name the session's shared set: %s", strerror(-r));
	return r;
}

int shared_begin(const struct wire_request *req, struct shared_ctx *c)
{
	int pidfd = -1, r = set_registry_ours(c->shared_fd, req->runtime_dir, true);

	if (r < 0)
		return r;
	/* After releasing a stale set, another login may have made the next one. */
	for (int round = 0; round < RELEASE_ROUNDS; round++) {
		struct reg_sweep sw = { 0 };
		int alive;

		r = set_lock_and_load(c->shared_fd, c->key, &c->lock_fd, &c->entry);
		if (r < 0)
			return r == -ENOENT ? 0 : r;
		r = set_sessions(c->shared_fd, c->key, true, &sw);
		if (r < 0)
			return r;
		alive = procid_alive(&c->entry.holder, &pidfd);
		if (alive < 0) {
			hlog(LOG_ERR, "cannot tell whether the holder of %s runs: %s", c->key,
			     strerror(-alive));
			return alive;
		}
		if (set_in_use(alive, &sw)) {
			(void)close(pidfd);
			return join(c);
		}
		if (alive == 1)
			(void)close(pidfd);
		hlog(LOG_NOTICE, "releasing the stale shared namespaces %s (%s)", c->key,
		     alive ? "no session left" : "holder gone");
		(void)set_release(c->shared_fd, c->key, c->lock_fd, &c->entry, c->pending_fd);
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

int shared_spawn_holder(struct shared_ctx *c, unsigned int mask)
{
	int r;

	if (mask & POLYNS_NS_PID)
		return 0;
	r = holder_spawn(false, c->key, &c->holder);
	if (r < 0)
		hlog(LOG_ERR, "making the shared namespaces %s failed at starting the holder: %s",
		     c->key, strerror(-r));
	return r;
}

int shared_create(struct shared_ctx *c, unsigned int mask, const char *const *tmpdirs,
		  size_t n_tmpdirs, struct made_ns *made)
{
	const char *step = "starting the holder";
	int r = c->holder.ctl >= 0 ? 0 : holder_spawn(mask & POLYNS_NS_PID, c->key, &c->holder);

	if (r == 0)
		r = holder_ready(&c->holder);

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
	size_t keys;   /* how many the registry has */
	uint32_t seed; /* for the sample: which keys this helper looks at */
};

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

/*
 * Another key's set no session uses any more (a killed caller), or whose
 * holder is gone: release it.  A tampered entry is left to its own key's
 * logins, which say so.  A key without an entry (released meanwhile, or what
 * a helper killed half-way left) keeps no lock either: nobody may use that
 * key again.
 */
static void sweep_key(const char *key, const struct sweep_ctx *s)
{
	struct reg_sweep sw = { 0 };
	struct reg_entry *e;
	int lock, r;

	if (strcmp(key, s->skip) == 0 || !sampled(s, key))
		return;
	lock = reg_lock(s->shared_fd, key, false);
	if (lock < 0)
		return; /* busy: its own sessions see to it */
	e = calloc(1, sizeof(*e));
	r = e ? reg_load(s->shared_fd, key, e) : -ENOMEM;
	if (r == -ENOENT) {
		if (reg_remove(s->shared_fd, key, lock) < 0)
			hlog(LOG_ERR, "cannot remove what is left of the registry entry %s", key);
	} else if (r == 0 && set_same_pidns(e) && set_sessions(s->shared_fd, key, true, &sw) == 0 &&
		   !set_in_use(procid_alive(&e->holder, NULL), &sw)) {
		hlog(LOG_NOTICE, "releasing the stale shared namespaces %s", key);
		(void)set_release(s->shared_fd, key, lock, e, s->pending_fd);
	} else {
		(void)close(lock);
	}
	free(e);
}

/*
 * One listing of the registry, then the sample's keys looked at one by one
 * (none of them while the directory is being read, which releasing a set
 * changes).
 */
void shared_sweep(int shared_fd, const char *skip, int pending_fd)
{
	struct sweep_ctx s = { shared_fd, skip, pending_fd, 0, 2166136261U };
	struct reg_keys l = { 0 };

	if (reg_list_keys(shared_fd, SIZE_MAX, &l) == 0) {
		s.keys = l.n;
		if (s.keys <= SWEEP_SAMPLE ||
		    getrandom(&s.seed, sizeof(s.seed), GRND_NONBLOCK) == (ssize_t)sizeof(s.seed))
			for (size_t i = 0; i < l.n; i++)
				sweep_key(l.key[i], &s);
	}
	reg_keys_free(&l);
}

void shared_unlock(struct shared_ctx *c)
{
	if (c->lock_fd >= 0 && !reg_has_entry(c->shared_fd, c->key))
		(void)reg_remove(c->shared_fd, c->key, c->lock_fd);
	else if (c->lock_fd >= 0)
		(void)close(c->lock_fd);
	c->lock_fd = -1;
}

void shared_end(struct shared_ctx *c)
{
	shared_unlock(c);
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
	if (set_registry_ours(c.shared_fd, req->runtime_dir, true) < 0) {
		shared_end(&c);
		return STATUS_SESSION_ERR;
	}
	r = set_lock_and_load(c.shared_fd, c.key, &c.lock_fd, &c.entry);
	if (r == 0) {
		r = reg_session_remove(c.shared_fd, c.key, slash + 1);
		if (r == -ENOENT)
			r = 0; /* already swept as stale */
		struct reg_sweep sw = { 0 };
		int swept = set_sessions(c.shared_fd, c.key, true, &sw);

		if (swept == 0 && !set_in_use(procid_alive(&c.entry.holder, NULL), &sw)) {
			(void)set_release(c.shared_fd, c.key, c.lock_fd, &c.entry, pending_fd);
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
	shared_sweep(c.shared_fd, c.key, pending_fd);
	shared_end(&c);
	return r < 0 ? STATUS_SESSION_ERR : STATUS_OK;
}
