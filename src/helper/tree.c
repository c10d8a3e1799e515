/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "tree.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "channel.h"
#include "hlog.h"
#include "landlock.h"
#include "sandbox.h"
#include "walk.h"
#include "wire.h"

#define MAX_DEPTH 128

// NOLINTNEXTLINE(misc-no-recursion)
static int remove_at(int dirfd, const char *name, dev_t dev, int depth);

struct emptying {
	dev_t dev;
	int depth;
	int first_error; /* the first entry that could not go; the others still do */
};

// NOLINTNEXTLINE(misc-no-recursion)
static int remove_entry(int dir_fd, const char *name, void *ctx)
{
	struct emptying *e = ctx;
	int r = remove_at(dir_fd, name, e->dev, e->depth + 1);

	if (r < 0 && e->first_error == 0)
		e->first_error = r;
	return 0;
}

/* Empty the directory open at fd.  Recursion depth is bounded by MAX_DEPTH. */
// NOLINTNEXTLINE(misc-no-recursion)
static int remove_entries(int fd, dev_t dev, int depth)
{
	struct emptying e = { dev, depth, 0 };
	int r = walk_each_name(fd, remove_entry, &e);

	return e.first_error ? e.first_error : r;
}

/* Remove name in dirfd: a file or link by unlinkat, a directory recursively. */
// NOLINTNEXTLINE(misc-no-recursion)
static int remove_at(int dirfd, const char *name, dev_t dev, int depth)
{
	struct stat st;
	int fd, ret;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
	if (st.st_dev != dev || depth > MAX_DEPTH)
		return -EXDEV; /* a mount point, or absurdly deep: leave it */
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = remove_entries(fd, dev, depth);
	(void)close(fd);
	if (ret == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) < 0)
		ret = -errno;
	return ret;
}

static int empty_one(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? remove_entries(fd, st.st_dev, 0) : -ENOTDIR;
}

/* The child: take one batch, confine itself to it, empty it, answer. */
static int tree_main(int sock, void *arg)
{
	static uint8_t msg[WIRE_MAX_MSG];
	static struct wire_buf b;
	struct ll_beneath rules[WIRE_MAX_POLYDIRS];
	int fds[WIRE_MAX_POLYDIRS];
	struct wire_tree t = { 0 };
	size_t n = 0;
	ssize_t len = channel_recv(sock, msg, fds, WIRE_MAX_POLYDIRS, &n);
	int r;

	(void)arg;
	if (len == -EPIPE)
		return 0; /* nothing to remove this time */
	if (len < 0) {
		hlog(LOG_ERR, "the tree child got no instances: %s", strerror((int)-len));
		return (int)len;
	}
	for (size_t i = 0; i < n; i++)
		rules[i] = (struct ll_beneath){ fds[i], LL_READ_DIR | LL_REMOVE_DIR |
							     LL_REMOVE_FILE };
	r = landlock_confine(rules, n, true);
	if (r == -EOPNOTSUPP) {
		hlog(LOG_ERR, "the kernel has no Landlock: tmpdir instances are not emptied "
		     "(the tree step needs it to be confined)");
		return r;
	}
	if (r == 0)
		r = step_enter(STEP_TREE);
	if (r < 0) {
		hlog(LOG_ERR, "entering the tree step failed: %s", strerror(-r));
		return r;
	}
	t.n = (uint32_t)n;
	for (size_t i = 0; i < n; i++)
		t.result[i] = empty_one(fds[i]);
	r = wire_encode_tree(&b, &t);
	if (r == 0)
		r = channel_send(sock, &b, NULL, 0);
	if (r < 0)
		hlog(LOG_ERR, "the tree child cannot answer: %s", strerror(-r));
	return r;
}

int tree_start(struct child *c)
{
	return child_start(c, tree_main, NULL);
}

int tree_empty(struct child *c, const int *fds, size_t n, int *results, char *why,
	       size_t len)
{
	static uint8_t msg[WIRE_MAX_MSG];
	static struct wire_buf b;
	struct wire_tree t = { .n = (uint32_t)n };
	struct wire_reader rd;
	char how[CHILD_WHY_MAX];
	uint32_t type;
	size_t n_fds;
	ssize_t got = 0;
	int r = wire_encode_tree(&b, &t), end;

	if (r == 0)
		r = channel_send(c->sock, &b, fds, n);
	if (r == 0) {
		got = child_relay(c, MSG_TREE, false, msg, NULL, 0, &n_fds);
		r = got < 0 ? (int)got : 0;
	}
	if (r == 0 && (wire_open(msg, (size_t)got, &type, &rd) < 0 ||
		       wire_decode_tree(&rd, &t) < 0 || t.n != n))
		r = -EBADMSG;
	if (r == 0) {
		for (size_t i = 0; i < n; i++)
			results[i] = t.result[i];
		return 0;
	}
	end = child_finish(c, "tree", how, sizeof(how));
	if (!child_failure(why, len, r, end, how) && len > 0)
		why[0] = '\0';
	return r;
}
