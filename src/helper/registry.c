/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "registry.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hexname.h"
#include "options.h"
#include "util.h"
#include "walk.h"

#define LOCK_RETRIES 64
#define NEW_SUFFIX ".new"
#define DEAD_SUFFIX ".dead"

static int check_dir_at(int dirfd, const char *name);

struct owner {
	const char *mine;
	bool seen_mine, seen_other;
};

static int find_owner(int dir_fd, const char *name, void *ctx)
{
	struct owner *o = ctx;

	(void)dir_fd;
	if (strncmp(name, "pidns.", 6) == 0 && name[6] &&
	    strspn(name + 6, "0123456789") == strlen(name + 6)) {
		if (strcmp(name, o->mine) == 0)
			o->seen_mine = true;
		else
			o->seen_other = true;
	}
	return 0;
}

/*
 * A "pidns.INO" directory beside the entries says whose the registry is:
 * process identities in it mean nothing from any other pid namespace, such
 * as a su inside a session's.  With may_claim false (polyns-admin), an
 * unclaimed registry stays so.
 */
static int check_owner(int fd, bool may_claim)
{
	char mine[32];
	uint64_t ino = 0;
	struct owner o = { mine, false, false };
	int r = procid_self_pidns(&ino);

	if (r < 0)
		return r;
	(void)snprintf(mine, sizeof(mine), "pidns.%" PRIu64, ino);
	/* Ours already (every login but the first): no scan, no lock. */
	if (check_dir_at(fd, mine) == 0)
		return 0;
	/* Look and claim in one step: two first helpers of two pid namespaces. */
	if (flock(fd, LOCK_EX) < 0)
		return -errno;
	r = walk_each_name(fd, find_owner, &o);
	if (r == 0 && o.seen_other)
		r = -EXDEV;
	if (r == 0 && !o.seen_mine && may_claim && mkdirat(fd, mine, 0700) < 0 &&
	    errno != EEXIST)
		r = -errno;
	(void)flock(fd, LOCK_UN);
	return r;
}

int reg_claim(int shared_fd)
{
	return check_owner(shared_fd, true);
}

int reg_check_owner(int shared_fd)
{
	return check_owner(shared_fd, false);
}

/* Every part of the registry: a root-owned directory only root may enter. */
static int check_dir_at(int dirfd, const char *name)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) < 0)
		return -errno;
	return root_only_dir(&st) ? 0 : -EPERM;
}

static int open_dir_at(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (check_dir_at(fd, "") < 0) {
		(void)close(fd);
		return -EPERM;
	}
	return fd;
}

static void lock_name(const char *key, char *buf, size_t len)
{
	(void)snprintf(buf, len, "%s.lock", key);
}

/* Still the lock's path after we got it (a releaser may have removed it)? */
static bool lock_current(int shared_fd, const char *name, int fd)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && a.st_nlink > 0 &&
	       fstatat(shared_fd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int reg_lock(int shared_fd, const char *key, bool wait)
{
	char name[REG_KEY_MAX + 8];

	lock_name(key, name, sizeof(name));
	for (int i = 0; i < LOCK_RETRIES; i++) {
		int fd;

		/* Most keys have their lock already: made only when missing. */
		fd = open_dir_at(shared_fd, name);
		if (fd == -ENOENT) {
			if (mkdirat(shared_fd, name, 0700) < 0 && errno != EEXIST)
				return -errno;
			continue;
		}
		if (fd < 0)
			return fd;
		if (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
			int e = errno;

			(void)close(fd);
			return -e;
		}
		if (lock_current(shared_fd, name, fd))
			return fd;
		(void)close(fd);
	}
	return -EDEADLK;
}

static int parse_u64(const char *s, uint64_t *v, const char **rest)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	*rest = end;
	return 0;
}

static int parse_ns(const char *s, struct reg_entry *e)
{
	const char *dot = strchr(s, '.'), *rest;
	uint64_t dev, ino;
	unsigned int bit;
	char type[16];

	if (!dot || (size_t)(dot - s) >= sizeof(type) || e->n_ns == WIRE_MAX_FDS)
		return -EINVAL;
	memcpy(type, s, (size_t)(dot - s));
	type[dot - s] = '\0';
	for (bit = 1; bit & POLYNS_NS_ALL; bit <<= 1)
		if (strcmp(polyns_ns_name(bit), type) == 0)
			break;
	if (!(bit & POLYNS_NS_ALL) || parse_u64(dot + 1, &dev, &rest) < 0 || *rest != '.' ||
	    parse_u64(rest + 1, &ino, &rest) < 0 || *rest)
		return -EINVAL;
	e->ns[e->n_ns++] = (struct wire_ns){ bit, dev, ino };
	return 0;
}

static bool is_hex(const char *s, size_t len)
{
	size_t n = strspn(s, "0123456789abcdef");

	return n == len && s[n] == '\0';
}

int reg_parse_fact(const char *name, struct reg_entry *e)
{
	const char *rest;
	struct procid unused;

	if (strncmp(name, "holder.", 7) == 0)
		return procid_parse(name + 7, &e->holder);
	if (strncmp(name, "session.", 8) == 0)
		return reg_parse_session(name, &unused);
	if (strncmp(name, "pidns.", 6) == 0)
		return parse_u64(name + 6, &e->pidns, &rest) < 0 || *rest ? -EINVAL : 0;
	if (strncmp(name, "mntns.", 6) == 0)
		return parse_u64(name + 6, &e->mntns, &rest) < 0 || *rest ? -EINVAL : 0;
	if (strncmp(name, "ns.", 3) == 0)
		return parse_ns(name + 3, e);
	if (strncmp(name, "plan.", 5) == 0 && is_hex(name + 5, REG_PLAN_LEN)) {
		memcpy(e->plan, name + 5, REG_PLAN_LEN + 1);
		return 0;
	}
	if (strcmp(name, "watch.entry") == 0) {
		e->watched = true;
		return 0;
	}
	if (strncmp(name, "tmpdir.", 7) == 0 && e->n_tmpdirs < WIRE_MAX_POLYDIRS)
		return hexname_decode(name + 7, e->tmpdirs[e->n_tmpdirs++],
				      sizeof(e->tmpdirs[0]));
	return -EINVAL;
}

static int parse_fact(const char *name, void *ctx)
{
	return reg_parse_fact(name, ctx);
}

struct checked {
	int (*fn)(const char *name, void *ctx);
	void *ctx;
};

static int check_then(int dir_fd, const char *name, void *ctx)
{
	struct checked *c = ctx;

	return check_dir_at(dir_fd, name) < 0 ? -EPERM : c->fn(name, c->ctx);
}

/* walk_each_name over a checked entry dir, every fact checked too. */
static int each_fact(int entry_fd, int (*fn)(const char *, void *), void *ctx)
{
	struct checked c = { fn, ctx };

	return walk_each_name(entry_fd, check_then, &c);
}

int reg_load(int shared_fd, const char *key, struct reg_entry *e)
{
	_cleanup_close_ int fd = open_dir_at(shared_fd, key);
	int r;

	memset(e, 0, sizeof(*e));
	if (fd < 0)
		return fd == -ENOENT ? -ENOENT : -EPERM;
	r = each_fact(fd, parse_fact, e);
	if (r < 0)
		return -EPERM;
	return e->holder.pid > 0 && e->plan[0] && e->n_ns > 0 ? 0 : -EPERM;
}

/* One fact: an empty directory named by what snprintf() left in name. */
static int add_fact(int dirfd, const char *name, int n)
{
	if (n < 0 || n > NAME_MAX)
		return -ENAMETOOLONG;
	return mkdirat(dirfd, name, 0700) < 0 ? -errno : 0;
}

#define FACT(fd, ...)                                                          \
	({                                                                     \
		char fact_[NAME_MAX + 1];                                      \
		add_fact((fd), fact_, snprintf(fact_, sizeof(fact_), __VA_ARGS__)); \
	})

int reg_session_name(const struct procid *caller, char *buf, size_t len)
{
	char id[48];
	int n;

	if (procid_format(caller, id, sizeof(id)) < 0)
		return -EINVAL;
	/* The helper's pid too: one caller may hold two sessions of a key. */
	n = snprintf(buf, len, "session.%s.%d", id, (int)getpid());
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* "session.PID.START.N": the caller's identity, and the helper's pid N. */
int reg_parse_session(const char *name, struct procid *caller)
{
	char id[48];
	const char *dot = strrchr(name, '.');
	size_t len;

	if (strncmp(name, "session.", 8) != 0 || !dot || dot <= name + 8 || !dot[1] ||
	    strspn(dot + 1, "0123456789") != strlen(dot + 1))
		return -EINVAL;
	len = (size_t)(dot - (name + 8));
	if (len >= sizeof(id))
		return -EINVAL;
	memcpy(id, name + 8, len);
	id[len] = '\0';
	return procid_parse(id, caller);
}

static int add_session(int dirfd, const struct procid *s)
{
	char name[NAME_MAX + 1];
	int r = reg_session_name(s, name, sizeof(name));

	return r < 0 ? r : FACT(dirfd, "%s", name);
}

static int write_facts(int fd, const struct reg_entry *e, const struct procid *session)
{
	char hex[256];
	int r = FACT(fd, "holder.%d.%" PRIu64, (int)e->holder.pid, e->holder.start);

	if (r == 0)
		r = FACT(fd, "pidns.%" PRIu64, e->pidns);
	if (r == 0)
		r = FACT(fd, "plan.%s", e->plan);
	if (r == 0 && e->watched)
		r = FACT(fd, "%s", "watch.entry");
	if (r == 0 && e->mntns)
		r = FACT(fd, "mntns.%" PRIu64, e->mntns);
	for (size_t i = 0; r == 0 && i < e->n_ns; i++)
		r = FACT(fd, "ns.%s.%" PRIu64 ".%" PRIu64, polyns_ns_name(e->ns[i].ns_bit),
			     e->ns[i].dev, e->ns[i].ino);
	for (size_t i = 0; r == 0 && i < e->n_tmpdirs; i++) {
		r = hexname_encode(e->tmpdirs[i], hex, sizeof(hex) - 8);
		if (r == 0)
			r = FACT(fd, "tmpdir.%s", hex);
	}
	return r == 0 ? add_session(fd, session) : r;
}

static int remove_fact(const char *name, void *ctx)
{
	return unlinkat(*(int *)ctx, name, AT_REMOVEDIR) < 0 ? -errno : 0;
}

/* An entry (or a half-built one) and all its facts. */
static int remove_entry(int shared_fd, const char *name)
{
	_cleanup_close_ int fd = open_dir_at(shared_fd, name);
	int r;

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	r = each_fact(fd, remove_fact, &fd);
	if (r == 0 && unlinkat(shared_fd, name, AT_REMOVEDIR) < 0)
		r = -errno;
	return r;
}

int reg_create(int shared_fd, const char *key, const struct reg_entry *e,
	       const struct procid *session)
{
	char tmp[REG_KEY_MAX + sizeof(NEW_SUFFIX)];
	_cleanup_close_ int fd = -1;
	int r;

	(void)snprintf(tmp, sizeof(tmp), "%s" NEW_SUFFIX, key);
	r = remove_entry(shared_fd, tmp); /* left by a helper killed mid-way */
	if (r == 0 && mkdirat(shared_fd, tmp, 0700) < 0)
		r = -errno;
	if (r < 0)
		return r;
	fd = open_dir_at(shared_fd, tmp);
	r = fd < 0 ? fd : write_facts(fd, e, session);
	if (r == 0 && renameat(shared_fd, tmp, shared_fd, key) < 0)
		r = -errno;
	if (r < 0)
		(void)remove_entry(shared_fd, tmp);
	return r;
}

int reg_session_add(int shared_fd, const char *key, const struct procid *s)
{
	_cleanup_close_ int fd = open_dir_at(shared_fd, key);

	return fd < 0 ? fd : add_session(fd, s);
}

int reg_session_remove(int shared_fd, const char *key, const char *name)
{
	_cleanup_close_ int fd = open_dir_at(shared_fd, key);
	struct procid id;

	if (fd < 0)
		return fd;
	if (reg_parse_session(name, &id) < 0)
		return -EINVAL;
	return unlinkat(fd, name, AT_REMOVEDIR) < 0 ? -errno : 0;
}

struct sweep {
	int fd;
	bool forget;
	struct reg_sweep *out;
};

/*
 * One session record: forgotten when its caller is gone, counted when it
 * runs, and left alone (counted as unknown, never an error for the entry)
 * when that cannot be told, so that one record cannot stop the others from
 * being looked at.
 */
static int sweep_one(const char *name, void *ctx)
{
	struct sweep *s = ctx;
	struct procid id;
	int alive;

	alive = reg_parse_session(name, &id) < 0 ? -EINVAL : procid_alive(&id, NULL);
	if (alive == 0 && s->forget && unlinkat(s->fd, name, AT_REMOVEDIR) < 0)
		alive = -errno;
	if (alive == 1) {
		if (s->out->live < ARRAY_SIZE(s->out->live_pid))
			s->out->live_pid[s->out->live] = id.pid;
		s->out->live++;
	} else if (alive == 0) {
		s->out->gone++;
	} else {
		s->out->unknown++;
		if (s->out->error == 0)
			s->out->error = alive;
	}
	return 0;
}

/* A session record, checked like every fact; the others are reg_load()'s. */
static int each_session(int dir_fd, const char *name, void *ctx)
{
	if (strncmp(name, "session.", 8) != 0)
		return 0;
	return check_dir_at(dir_fd, name) < 0 ? -EPERM : sweep_one(name, ctx);
}

int reg_sessions_sweep(int shared_fd, const char *key, bool forget, struct reg_sweep *out)
{
	_cleanup_close_ int fd = open_dir_at(shared_fd, key);
	struct sweep s = { fd, forget, out };

	*out = (struct reg_sweep){ 0 };
	if (fd < 0)
		return fd;
	return walk_each_name(fd, each_session, &s);
}

int reg_remove(int shared_fd, const char *key, int lock_fd)
{
	char name[REG_KEY_MAX + 8];
	int r;

	/* A half entry of a helper killed while making one (we hold the lock). */
	(void)snprintf(name, sizeof(name), "%s" NEW_SUFFIX, key);
	r = remove_entry(shared_fd, name);
	/*
	 * Out of the way in one step, then emptied: a helper killed half-way
	 * leaves KEY.dead (removed next time), never a half entry under KEY.
	 */
	(void)snprintf(name, sizeof(name), "%s" DEAD_SUFFIX, key);
	if (r == 0)
		r = remove_entry(shared_fd, name);
	if (r == 0 && renameat(shared_fd, key, shared_fd, name) < 0 && errno != ENOENT)
		r = -errno;
	if (r == 0)
		r = remove_entry(shared_fd, name);

	lock_name(key, name, sizeof(name));
	/* Waiters see the lock gone (lock_current) and make a new one. */
	if (r == 0 && unlinkat(shared_fd, name, AT_REMOVEDIR) < 0)
		r = -errno;
	(void)close(lock_fd);
	return r;
}

struct keys {
	int (*fn)(const char *key, void *ctx);
	void *ctx;
};

/*
 * Every entry, and every lock without one: what a helper killed half-way
 * left of a key (its lock, KEY.new, KEY.dead) is found through the lock.
 */
static int key_only(int dir_fd, const char *name, void *ctx)
{
	struct keys *k = ctx;
	const char *dot = strchr(name, '.');
	char key[REG_KEY_MAX];

	if (!dot)
		return k->fn(name, k->ctx);
	if (strcmp(dot, ".lock") != 0 || (size_t)(dot - name) >= sizeof(key))
		return 0;
	(void)snprintf(key, sizeof(key), "%.*s", (int)(dot - name), name);
	return reg_has_entry(dir_fd, key) ? 0 : k->fn(key, k->ctx); /* dir_fd: the registry */
}

int reg_each_key(int shared_fd, int (*fn)(const char *key, void *ctx), void *ctx)
{
	struct keys k = { fn, ctx };

	return walk_each_name(shared_fd, key_only, &k);
}

struct key_limit {
	struct reg_keys *out;
	size_t max;
};

static int add_key(const char *key, void *ctx)
{
	struct key_limit *l = ctx;
	struct reg_keys *k = l->out;

	if (k->n == l->max)
		return -E2BIG;
	if (k->n == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 16;
		char(*v)[NAME_MAX + 1] = reallocarray(k->key, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		k->key = v;
		k->cap = cap;
	}
	(void)snprintf(k->key[k->n++], sizeof(k->key[0]), "%s", key);
	return 0;
}

int reg_list_keys(int shared_fd, size_t max, struct reg_keys *out)
{
	struct key_limit l = { out, max };

	*out = (struct reg_keys){ 0 };
	return reg_each_key(shared_fd, add_key, &l);
}

void reg_keys_free(struct reg_keys *k)
{
	free(k->key);
	*k = (struct reg_keys){ 0 };
}

bool reg_has_entry(int shared_fd, const char *key)
{
	struct stat st;

	return fstatat(shared_fd, key, &st, AT_SYMLINK_NOFOLLOW) == 0;
}
