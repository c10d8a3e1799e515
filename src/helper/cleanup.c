/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "channel.h"
#include "conf.h"
#include "hlog.h"
#include "landlock.h"
#include "options.h"
#include "pending.h"
#include "pending_name.h"
#include "polydir.h"
#include "procid.h"
#include "rundir.h"
#include "tree.h"
#include "util.h"
#include "walk.h"

/*
 * The instances one close removes: each is opened here (a walk to its
 * root-only parent needs CAP_DAC_OVERRIDE), emptied by the tree child, and
 * removed here from its parent.  The tree child takes them in one message,
 * which carries at most WIRE_MAX_FDS descriptors: the rest wait for a later
 * close (the session's own are recorded first).
 */
#define BATCH_MAX WIRE_MAX_FDS

struct batch {
	size_t n;
	struct {
		char path[CONF_PATH_MAX];
		int parent_fd, fd;
		char record[NAME_MAX + 1]; /* its pending record, to forget once it is gone */
		int result;
	} v[BATCH_MAX];
};

/*
 * The instance at path and its parent, for removal.  0, or -errno with why
 * (len bytes) saying what is wrong when the walk to the parent failed.
 */
static int open_instance(const char *path, bool ignore_parent_mode, int *parent_fd, int *fd,
			 char *why, size_t len)
{
	const char *slash = strrchr(path, '/');
	char parent[CONF_PATH_MAX];
	struct walk w;
	struct stat st;
	int ret;

	why[0] = '\0';
	if (!slash || slash[1] == '\0' || strcmp(slash + 1, "..") == 0 ||
	    strcmp(slash + 1, ".") == 0 || (size_t)(slash - path) >= sizeof(parent))
		return -EINVAL;
	(void)snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	ret = walk_open(parent, WALK_FOLLOW_SAFE | WALK_DIRECTORY, 0, &w);
	if (ret < 0) {
		char msg[512];

		(void)snprintf(why, len, "instance parent %s",
			       walk_describe(msg, sizeof(msg), parent, &w, ret));
		return ret;
	}
	/* Only inside a root-owned mode-000 parent, as at creation. */
	if (fstat(w.fd, &st) < 0) {
		ret = -errno;
	} else if (!ignore_parent_mode && !root_sealed_dir(&st)) {
		(void)snprintf(why, len, "mode of instance parent %s is not 000 or its owner is "
			       "not root", parent);
		ret = -EPERM;
	}
	if (ret == 0) {
		*fd = openat(w.fd, slash + 1, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		ret = *fd < 0 ? -errno : 0;
	}
	if (ret < 0)
		(void)close(w.fd);
	else
		*parent_fd = w.fd;
	return ret;
}

/* record: the instance's pending record ("" if none). */
static void batch_add(struct batch *b, const char *path, bool ignore, const char *record)
{
	char why[CONF_PATH_MAX + 128];
	int parent_fd = -1, fd = -1, r;

	if (b->n == BATCH_MAX)
		return; /* the rest waits for a later close */
	r = open_instance(path, ignore, &parent_fd, &fd, why, sizeof(why));
	if (r == -ENOENT && record[0]) {
		fd = parent_fd = -1; /* gone already: the record goes */
	} else if (r < 0) {
		hlog(LOG_ERR, "removing tmpdir instance %s failed: %s", path,
		     why[0] ? why : strerror(-r));
		return;
	}
	(void)snprintf(b->v[b->n].path, sizeof(b->v[b->n].path), "%s", path);
	(void)snprintf(b->v[b->n].record, sizeof(b->v[b->n].record), "%s", record);
	b->v[b->n].parent_fd = parent_fd;
	b->v[b->n].fd = fd;
	b->v[b->n].result = 0;
	b->n++;
}

/* The tree child empties them; then each is removed from its parent here. */
static int batch_run(struct batch *b, struct child *tree)
{
	int fds[BATCH_MAX], results[BATCH_MAX] = { 0 };
	char why[CHILD_WHY_MAX];
	size_t n = 0, failed = 0, first = 0;
	int r;

	for (size_t i = 0; i < b->n; i++)
		if (b->v[i].fd >= 0 && n++ == 0)
			first = i;
	for (size_t i = 0, k = 0; i < b->n; i++)
		if (b->v[i].fd >= 0)
			fds[k++] = b->v[i].fd;
	r = n ? tree_empty(tree, fds, n, results, why, sizeof(why)) : 0;
	/* One line for the lot: the tree child emptied none of them. */
	if (r < 0 && why[0])
		hlog(LOG_ERR, "removing tmpdir instance %s%s failed: %s", b->v[first].path,
		     n > 1 ? " and the others of this close" : "", why);
	n = 0;
	for (size_t i = 0; i < b->n; i++) {
		const char *name = strrchr(b->v[i].path, '/') + 1;

		if (b->v[i].fd < 0)
			continue;
		b->v[i].result = r < 0 ? r : results[n++];
		if (b->v[i].result == 0 &&
		    unlinkat(b->v[i].parent_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
			b->v[i].result = -errno;
		if (b->v[i].result < 0 && r == 0)
			hlog(LOG_ERR, "removing tmpdir instance %s failed: %s", b->v[i].path,
			     strerror(-b->v[i].result));
		else
			hlog_debug("removed tmpdir instance %s", b->v[i].path);
		failed += b->v[i].result < 0;
		(void)close(b->v[i].fd);
		(void)close(b->v[i].parent_fd);
	}
	return failed ? -EIO : 0;
}

/* 1 (stops the listing) at the first record: a name not starting with a dot. */
static int is_record(int dir_fd, const char *name, void *ctx)
{
	(void)dir_fd;
	(void)ctx;
	return name[0] != '.';
}

bool cleanup_pending_exist(const char *runtime_dir)
{
	char path[CONF_PATH_MAX];
	int fd, r;

	if ((size_t)snprintf(path, sizeof(path), "%s/pending", runtime_dir) >= sizeof(path))
		return true; /* cannot tell: look properly later */
	fd = openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno != ENOENT;
	r = walk_each_name(fd, is_record, NULL);
	(void)close(fd);
	return r != 0; /* a record, or cannot tell */
}

/* A record of ours (our pid namespace's), with its mount namespace and path. */
static bool own_record(const char *name, uint64_t own_pidns, uint64_t *ino, char *path,
		       size_t len)
{
	uint64_t pidns;

	return name[0] != '.' && pending_name_parse(name, own_pidns, &pidns, ino, path, len) == 0 &&
	       pidns == own_pidns;
}

struct pending_sweep {
	uint64_t own_pidns;
	bool ignore_parent_mode;
	uint64_t seen;  /* distinct mount namespaces met so far */
	uint32_t state; /* xorshift32, for the sample */
	struct wire_live_query q;
	struct wire_live_answer a;
	struct batch *b;
};

static uint32_t next_random(struct pending_sweep *p)
{
	p->state ^= p->state << 13;
	p->state ^= p->state >> 17;
	p->state ^= p->state << 5;
	return p->state;
}

static int query_index(const struct wire_live_query *q, uint64_t ino)
{
	for (uint32_t i = 0; i < q->n; i++)
		if (q->ids[i] == ino)
			return (int)i;
	return -1;
}

/*
 * The mount namespaces to ask about: each once, and when there are more
 * than one query holds, a uniform random sample (reservoir), so that no
 * pile of records, however large, keeps the others from being looked at.
 */
static int collect_id(int dir_fd, const char *name, void *ctx)
{
	struct pending_sweep *p = ctx;
	char path[CONF_PATH_MAX];
	uint64_t ino, slot;

	(void)dir_fd;
	if (!own_record(name, p->own_pidns, &ino, path, sizeof(path)) ||
	    query_index(&p->q, ino) >= 0)
		return 0;
	p->seen++;
	if (p->q.n < WIRE_MAX_LIVE) {
		p->q.ids[p->q.n++] = ino;
		return 0;
	}
	slot = next_random(p) % p->seen;
	if (slot < WIRE_MAX_LIVE)
		p->q.ids[slot] = ino;
	return 0;
}

/*
 * A record whose namespace the module found without a process, and whose
 * session's caller (if it names one) is gone: into the batch.  A caller that
 * still runs may be about to join the namespace (or to undo a failed open).
 */
static int collect_dead(int dir_fd, const char *name, void *ctx)
{
	struct pending_sweep *p = ctx;
	char path[CONF_PATH_MAX];
	struct procid caller;
	uint64_t ino;
	int i, named;

	if (p->b->n == BATCH_MAX || !own_record(name, p->own_pidns, &ino, path, sizeof(path)))
		return 0;
	i = query_index(&p->q, ino);
	if (i < 0 || p->a.live[i])
		return 0;
	named = pending_caller(dir_fd, name, &caller); /* dir_fd: runtime_dir/pending */
	if (named < 0 || (named == 1 && procid_alive(&caller, NULL) != 0))
		return 0;
	batch_add(p->b, path, p->ignore_parent_mode, name);
	return 0;
}

/* Ask the module which of q's mount namespaces have a process. */
static int ask_live(const struct wire_live_query *q, struct wire_live_answer *a)
{
	static struct wire_buf b;
	struct wire_reader rd;
	int r = wire_encode_live_query(&b, q);

	if (r == 0) {
		static uint8_t msg[WIRE_MAX_MSG];

		r = channel_ask(WIRE_FD_SLOT, &b, msg, MSG_LIVE_ANSWER, &rd);
	}
	if (r == 0 && (wire_decode_live_answer(&rd, a) < 0 || a->n != q->n))
		r = -EBADMSG;
	return r;
}

/*
 * Instances kept at earlier closes whose mount namespace has no process
 * left, with their records, into the batch.  The cost is that of the
 * records: one pass to name their namespaces, one question to the module
 * (which looks for those alone), one pass to pick.  0 or -errno.
 */
static int collect_pending(int pending_fd, bool ignore, struct batch *b)
{
	static struct pending_sweep p;
	int r;

	p = (struct pending_sweep){ .ignore_parent_mode = ignore, .b = b };
	r = procid_self_pidns(&p.own_pidns);
	if (r == 0 && getrandom(&p.state, sizeof(p.state), GRND_NONBLOCK) !=
			      (ssize_t)sizeof(p.state))
		r = errno ? -errno : -EIO;
	p.state |= 1; /* xorshift never leaves 0 */
	if (r == 0)
		r = walk_each_name(pending_fd, collect_id, &p);
	if (r < 0 || p.q.n == 0)
		return r;
	r = ask_live(&p.q, &p.a);
	return r < 0 ? r : walk_each_name(pending_fd, collect_dead, &p);
}

/*
 * One of the session's instances to remove now: its record kept first (the
 * session's caller no longer named), so that a close killed half-way, or a
 * removal that fails, leaves it for a later close.
 */
static void cleanup_own(struct batch *b, int pending, const struct wire_request *req,
			const char *path, bool ignore)
{
	char record[NAME_MAX + 1] = "";

	if (pending >= 0 && req->mntns_ino != 0 &&
	    (pending_record_name(req->mntns_ino, path, record, sizeof(record)) < 0 ||
	     pending_defer(pending, req->mntns_ino, path) < 0))
		record[0] = '\0'; /* too long for a record: removed now or never */
	batch_add(b, path, ignore, record);
}

enum wire_status close_session(const struct wire_request *req, struct child *tree,
			       int pending)
{
	static struct batch b;
	bool ignore = req->flags & POLYNS_OPT_IGNORE_INSTANCE_PARENT_MODE;
	int failed = 0;

	b.n = 0;
	/* Without the records (close_confine said why), the session's own instances still go. */
	if (req->n_cleanup > 0 || req->n_defer > 0 || req->sweep_pending)
		failed += pending < 0;
	for (uint32_t i = 0; i < req->n_cleanup; i++)
		cleanup_own(&b, pending, req, req->cleanup[i], ignore);
	for (uint32_t i = 0; pending >= 0 && i < req->n_defer; i++) {
		int r = pending_defer(pending, req->mntns_ino, req->defer[i]);

		if (r < 0)
			hlog(LOG_ERR, "cannot record %s for later removal: %s", req->defer[i],
			     strerror(-r));
		else
			hlog(LOG_NOTICE, "keeping %s while the session's processes run; it "
			     "goes at a later close", req->defer[i]);
		failed += r < 0;
	}
	if (pending >= 0 && req->sweep_pending) {
		int r = collect_pending(pending, ignore, &b);

		if (r < 0)
			hlog(LOG_ERR, "cannot look at the instances kept at earlier closes: %s",
			     strerror(-r));
	}
	failed += batch_run(&b, tree) < 0;
	for (size_t i = 0; pending >= 0 && i < b.n; i++)
		if (b.v[i].record[0] && (b.v[i].result == 0 || b.v[i].result == -ENOENT) &&
		    pending_forget(pending, b.v[i].record, NULL) < 0)
			hlog(LOG_ERR, "cannot drop the record of %s", b.v[i].path);
	return failed ? STATUS_SESSION_ERR : STATUS_OK;
}

int close_unmount(const struct wire_request *req)
{
	int failed = 0;

	for (uint32_t i = 0; i < req->n_unmount; i++)
		failed += polydir_detach(req->unmount[i]) < 0;
	return failed;
}

/* runtime_dir/name made if missing and opened, or -1 (not needed, or logged here). */
static int rundir_if(bool needed, const char *runtime_dir, const char *name, const char *what)
{
	char why[RUNDIR_WHY_MAX];
	int fd = needed ? rundir_open(runtime_dir, name, why, sizeof(why)) : -1;

	if (fd < 0 && needed)
		hlog(LOG_ERR, "close: cannot open %s: %s", what, why);
	return fd < 0 ? -1 : fd;
}

int close_confine(const struct wire_request *req, int *shared_fd, int *pending_fd)
{
	bool shared = req->registry[0],
	     pending = shared || req->n_cleanup || req->n_defer || req->sweep_pending;
	struct ll_beneath rules[] = {
		/* the instances: found by O_PATH walks, listed, removed once empty */
		{ open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), LL_READ_DIR | LL_REMOVE_DIR },
		{ rundir_if(shared, req->runtime_dir, "shared", "the registry"),
		  LL_READ_FILE | LL_READ_DIR | LL_MAKE_DIR | LL_REMOVE_DIR },
		{ rundir_if(pending, req->runtime_dir, "pending",
			    "the records of instances kept for a later close"),
		  LL_READ_DIR | LL_MAKE_DIR | LL_REMOVE_DIR },
	};
	struct ll_beneath proc = { procid_proc_fd(), LL_READ_FILE | LL_READ_DIR };
	struct ll_beneath all[ARRAY_SIZE(rules) + 1];
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		all[i] = rules[i];
	all[ARRAY_SIZE(rules)] = proc;
	r = landlock_confine(all, ARRAY_SIZE(all), true);
	if (rules[0].fd >= 0)
		(void)close(rules[0].fd);
	*shared_fd = rules[1].fd;
	*pending_fd = rules[2].fd;
	if (r == -EOPNOTSUPP) {
		hlog_debug("the kernel has no Landlock: the close is confined by its filters "
			   "and capabilities only");
		r = 0;
	} else if (r < 0) {
		hlog(LOG_ERR, "entering the close's Landlock domain failed: %s", strerror(-r));
	}
	return r;
}
