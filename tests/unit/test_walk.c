/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The walker (src/common/walk.c) on a real tree in a temporary directory:
 * real symlinks, modes, owners, FIFOs.  Runs as root (make check does): the
 * owner cases chown to an unused uid.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "walk.h"

#define OTHER_UID 4242 /* owns nothing on the test machine */

struct fx {
	char base[64]; /* /tmp/walk-test.XXXXXX, root's, 0755 */
	int base_fd;
	char path[PATH_MAX + 64];
};

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)f;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	(void)umask(0);
	(void)snprintf(fx->base, sizeof(fx->base), "/tmp/walk-test.XXXXXX");
	if (!mkdtemp(fx->base) || chmod(fx->base, 0755) < 0)
		return -1;
	fx->base_fd = open(fx->base, O_PATH | O_DIRECTORY | O_CLOEXEC);
	*state = fx;
	return fx->base_fd < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	(void)close(fx->base_fd);
	(void)nftw(fx->base, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

/* base/rel, for mkdir, symlink and the absolute walks. */
static const char *at(struct fx *fx, const char *rel)
{
	(void)snprintf(fx->path, sizeof(fx->path), "%s/%s", fx->base, rel);
	return fx->path;
}

static void make_dir(struct fx *fx, const char *rel, mode_t mode)
{
	assert_int_equal(mkdir(at(fx, rel), mode), 0);
	assert_int_equal(chmod(at(fx, rel), mode), 0); /* also sticky bits */
}

static void make_file(struct fx *fx, const char *rel, mode_t mode)
{
	int fd = open(at(fx, rel), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	assert_true(fd >= 0);
	(void)close(fd);
}

static void make_link(struct fx *fx, const char *rel, const char *target)
{
	assert_int_equal(symlink(target, at(fx, rel)), 0);
}

/* The tree most cases use: a/b/c, all root's and 0755, and a/b/c/f (0755). */
static void make_tree(struct fx *fx)
{
	make_dir(fx, "a", 0755);
	make_dir(fx, "a/b", 0755);
	make_dir(fx, "a/b/c", 0755);
	make_file(fx, "a/b/c/f", 0755);
}

static int walk_rel(struct fx *fx, const char *rel, unsigned int flags, struct walk *w)
{
	int r = walk_openat(fx->base_fd, rel, flags, 0700, w);

	if (r == 0)
		(void)close(w->fd);
	return r;
}

static void skip_unless_root(void)
{
	if (geteuid() != 0)
		skip();
}

static void walk_opens_a_directory_as_o_path(void **state)
{
	struct fx *fx = *state;
	struct walk w;

	make_tree(fx);
	assert_int_equal(walk_openat(fx->base_fd, "a/b/c", WALK_NO_SYMLINKS | WALK_DIRECTORY,
				     0, &w), 0);
	assert_true(w.fd >= 0);
	assert_true(fcntl(w.fd, F_GETFL) & O_PATH);
	assert_true(fcntl(w.fd, F_GETFD) & FD_CLOEXEC);
	assert_true(w.safe_path);
	assert_false(w.created);
	(void)close(w.fd);
}

static void walk_read_reopens_the_directory_for_reading(void **state)
{
	struct fx *fx = *state;
	struct walk w;

	make_tree(fx);
	assert_int_equal(walk_openat(fx->base_fd, "a/b",
				     WALK_NO_SYMLINKS | WALK_DIRECTORY | WALK_READ, 0, &w), 0);
	assert_false(fcntl(w.fd, F_GETFL) & O_PATH);
	assert_true(fcntl(w.fd, F_GETFD) & FD_CLOEXEC);
	(void)close(w.fd);
}

static void walk_open_takes_absolute_paths_and_extra_slashes(void **state)
{
	struct fx *fx = *state;
	struct walk w;

	make_tree(fx);
	assert_int_equal(walk_open(at(fx, "a//b/c/"), WALK_NO_SYMLINKS | WALK_DIRECTORY, 0,
				   &w), 0);
	(void)close(w.fd);
}

/* A symlink first, in the middle, last, last with a trailing slash: all -ELOOP. */
static void walk_no_symlinks_refuses_a_symlink_in_every_position(void **state)
{
	struct fx *fx = *state;
	static const struct {
		const char *path;
		size_t failed_len; /* where the link ends */
	} cases[] = {
		{ "la/b/c/f", 2 },
		{ "a/lb/c/f", 4 },
		{ "a/b/lc/f", 6 },
		{ "a/b/c/lf", 8 },
		{ "a/b/lc/", 6 },
	};
	struct walk w;

	make_tree(fx);
	make_link(fx, "la", "a");
	make_link(fx, "a/lb", "b");
	make_link(fx, "a/b/lc", "c");
	make_link(fx, "a/b/c/lf", "f");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(walk_rel(fx, cases[i].path, WALK_NO_SYMLINKS, &w), -ELOOP);
		assert_int_equal(w.failed_len, cases[i].failed_len);
		assert_int_equal(w.fd, -1);
	}
	/* The same from "/": the links are in the tree, not in /tmp. */
	assert_int_equal(walk_open(at(fx, "a/lb/c"), WALK_NO_SYMLINKS, 0, &w), -ELOOP);
	assert_int_equal(w.failed_len, strlen(at(fx, "a/lb")));
}

static void walk_follow_safe_follows_links_in_root_safe_directories(void **state)
{
	struct fx *fx = *state;
	struct walk w;

	make_tree(fx);
	make_link(fx, "la", "a");
	make_link(fx, "a/b/lc", "c");
	make_link(fx, "a/b/c/lf", "f");
	assert_int_equal(walk_rel(fx, "la/b/lc", WALK_FOLLOW_SAFE | WALK_DIRECTORY, &w), 0);
	assert_int_equal(walk_rel(fx, "la/b/c/lf", WALK_FOLLOW_SAFE | WALK_REGULAR, &w), 0);
}

/* After the first directory someone else could change, no link is followed. */
static void walk_follow_safe_stops_after_a_user_controlled_directory(void **state)
{
	struct fx *fx = *state;
	struct walk w;

	skip_unless_root();
	make_tree(fx);
	make_link(fx, "a/b/lc", "c");
	make_link(fx, "a/b/c/lf", "f");
	assert_int_equal(chmod(at(fx, "a"), 0775), 0); /* group-writable */
	assert_int_equal(walk_rel(fx, "a/b/lc", WALK_FOLLOW_SAFE, &w), -ELOOP);
	assert_int_equal(w.failed_len, strlen("a/b/lc"));
	assert_int_equal(chmod(at(fx, "a"), 01777), 0); /* sticky counts as user-controlled */
	assert_int_equal(walk_rel(fx, "a/b/lc", WALK_FOLLOW_SAFE, &w), -ELOOP);
	assert_int_equal(chmod(at(fx, "a"), 0755), 0);
	assert_int_equal(chown(at(fx, "a/b/c"), OTHER_UID, 0), 0); /* another owner, last dir */
	assert_int_equal(walk_rel(fx, "a/b/c/lf", WALK_FOLLOW_SAFE, &w), -ELOOP);
	assert_int_equal(walk_rel(fx, "a/b/lc", WALK_FOLLOW_SAFE, &w), 0);
	/* A start directory someone else owns: nothing is followed at all. */
	assert_int_equal(chown(fx->base, OTHER_UID, 0), 0);
	make_link(fx, "la", "a");
	assert_int_equal(walk_rel(fx, "la", WALK_FOLLOW_SAFE, &w), -ELOOP);
}

static void walk_follow_safe_reports_a_symlink_loop(void **state)
{
	struct fx *fx = *state;
	struct walk w;

	make_link(fx, "loop", "loop");
	make_link(fx, "ping", "pong");
	make_link(fx, "pong", "ping");
	assert_int_equal(walk_rel(fx, "loop", WALK_FOLLOW_SAFE, &w), -ELOOP);
	assert_int_equal(walk_rel(fx, "ping/x", WALK_FOLLOW_SAFE, &w), -ELOOP);
	assert_int_equal(w.failed_len, strlen("ping"));
}

static void walk_root_owned_refuses_a_component_root_does_not_own(void **state)
{
	struct fx *fx = *state;
	struct walk w;

	skip_unless_root();
	make_tree(fx);
	assert_int_equal(walk_rel(fx, "a/b/c/f", WALK_NO_SYMLINKS | WALK_ROOT_OWNED, &w), 0);
	assert_int_equal(chown(at(fx, "a/b"), OTHER_UID, 0), 0);
	assert_int_equal(walk_rel(fx, "a/b/c/f", WALK_NO_SYMLINKS | WALK_ROOT_OWNED, &w),
			 -EPERM);
	assert_int_equal(w.failed_len, strlen("a/b"));
	assert_int_equal(chown(at(fx, "a/b"), 0, 0), 0);
	assert_int_equal(chown(at(fx, "a/b/c/f"), OTHER_UID, 0), 0);
	assert_int_equal(walk_rel(fx, "a/b/c/f", WALK_NO_SYMLINKS | WALK_ROOT_OWNED, &w),
			 -EPERM);
	assert_int_equal(w.failed_len, strlen("a/b/c/f"));
	/* The start counts too. */
	assert_int_equal(chown(fx->base, OTHER_UID, 0), 0);
	assert_int_equal(walk_rel(fx, "a", WALK_NO_SYMLINKS | WALK_ROOT_OWNED, &w), -EPERM);
	assert_int_equal(w.failed_len, 0);
}

static void walk_root_owned_refuses_writable_by_others_unless_sticky(void **state)
{
	struct fx *fx = *state;
	struct walk w;

	make_tree(fx);
	assert_int_equal(chmod(at(fx, "a/b"), 0775), 0);
	assert_int_equal(walk_rel(fx, "a/b/c", WALK_NO_SYMLINKS | WALK_ROOT_OWNED, &w), -EPERM);
	assert_int_equal(w.failed_len, strlen("a/b"));
	assert_int_equal(chmod(at(fx, "a/b"), 01777), 0); /* like /tmp */
	assert_int_equal(walk_rel(fx, "a/b/c", WALK_NO_SYMLINKS | WALK_ROOT_OWNED, &w), 0);
	/* A file is never excused by a sticky bit. */
	assert_int_equal(chmod(at(fx, "a/b/c/f"), 01777), 0);
	assert_int_equal(walk_rel(fx, "a/b/c/f", WALK_NO_SYMLINKS | WALK_ROOT_OWNED, &w),
			 -EPERM);
	assert_int_equal(chmod(at(fx, "a/b/c/f"), 0620), 0);
	assert_int_equal(walk_rel(fx, "a/b/c/f", WALK_NO_SYMLINKS | WALK_ROOT_OWNED, &w),
			 -EPERM);
}

/* A FIFO is judged, never opened for reading: the walk does not block. */
static void walk_regular_and_directory_check_the_last_type(void **state)
{
	struct fx *fx = *state;
	struct walk w;

	make_tree(fx);
	assert_int_equal(mkfifo(at(fx, "a/fifo"), 0600), 0);
	assert_int_equal(walk_rel(fx, "a/b/c/f", WALK_NO_SYMLINKS | WALK_REGULAR, &w), 0);
	assert_int_equal(walk_rel(fx, "a/b", WALK_NO_SYMLINKS | WALK_REGULAR, &w), -EISDIR);
	assert_int_equal(walk_rel(fx, "a/fifo", WALK_NO_SYMLINKS | WALK_REGULAR, &w), -EBADFD);
	assert_int_equal(walk_rel(fx, "a/fifo", WALK_NO_SYMLINKS | WALK_DIRECTORY, &w),
			 -ENOTDIR);
	assert_int_equal(walk_rel(fx, "a/fifo", WALK_NO_SYMLINKS | WALK_DIRECTORY | WALK_READ,
				  &w), -ENOTDIR);
	assert_int_equal(walk_rel(fx, "a/b/c/f", WALK_NO_SYMLINKS | WALK_DIRECTORY, &w),
			 -ENOTDIR);
	/* Every component before the last must be a directory, whatever the flags. */
	assert_int_equal(walk_rel(fx, "a/b/c/f/x", WALK_NO_SYMLINKS, &w), -ENOTDIR);
	assert_int_equal(w.failed_len, strlen("a/b/c/f"));
}

static void walk_mkdir_makes_only_the_last_component(void **state)
{
	struct fx *fx = *state;
	struct walk w;
	struct stat st;
	const unsigned int mk = WALK_NO_SYMLINKS | WALK_DIRECTORY | WALK_MKDIR;

	make_tree(fx);
	assert_int_equal(walk_openat(fx->base_fd, "a/new", mk, 0710, &w), 0);
	assert_true(w.created);
	assert_int_equal(fstat(w.fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0710);
	(void)close(w.fd);
	assert_int_equal(walk_openat(fx->base_fd, "a/new", mk, 0710, &w), 0);
	assert_false(w.created);
	(void)close(w.fd);
	assert_int_equal(walk_rel(fx, "nope/new", mk, &w), -ENOENT);
	assert_int_equal(w.failed_len, strlen("nope"));
	assert_int_equal(access(at(fx, "nope"), F_OK), -1);
	/* A symlink where the directory would be is no directory made. */
	make_link(fx, "a/ln", "b");
	assert_int_equal(walk_rel(fx, "a/ln", WALK_NO_SYMLINKS | WALK_DIRECTORY | WALK_MKDIR,
				  &w), -ELOOP);
}

static void walk_refuses_dots_empty_and_the_wrong_kind_of_path(void **state)
{
	struct fx *fx = *state;
	static const char *const bad[] = { "a/../a", "a/./b", "..", ".", "", "/", "//" };
	struct walk w;

	make_tree(fx);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(walk_rel(fx, bad[i], WALK_NO_SYMLINKS, &w), -EINVAL);
	assert_int_equal(walk_open("tmp", WALK_NO_SYMLINKS, 0, &w), -EINVAL);
	assert_int_equal(walk_open("/", WALK_NO_SYMLINKS, 0, &w), -EINVAL);
	assert_int_equal(walk_open(at(fx, "a/../a"), WALK_FOLLOW_SAFE, 0, &w), -EINVAL);
	assert_int_equal(w.failed_len, strlen(at(fx, "a/..")));
}

static void walk_needs_exactly_one_symlink_rule_and_sane_flags(void **state)
{
	struct fx *fx = *state;
	struct walk w;

	make_tree(fx);
	assert_int_equal(walk_rel(fx, "a", 0, &w), -EINVAL);
	assert_int_equal(walk_rel(fx, "a", WALK_NO_SYMLINKS | WALK_FOLLOW_SAFE, &w), -EINVAL);
	assert_int_equal(walk_rel(fx, "a", WALK_NO_SYMLINKS | WALK_MKDIR, &w), -EINVAL);
	assert_int_equal(walk_rel(fx, "a", WALK_NO_SYMLINKS | WALK_READ, &w), -EINVAL);
	assert_int_equal(walk_rel(fx, "a", WALK_NO_SYMLINKS | WALK_DIRECTORY | WALK_REGULAR,
				  &w), -EINVAL);
}

static void walk_refuses_too_long_names_and_paths(void **state)
{
	struct fx *fx = *state;
	char name[NAME_MAX + 2], *path;
	struct walk w;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0'; /* NAME_MAX + 1 characters */
	assert_int_equal(walk_rel(fx, name, WALK_NO_SYMLINKS, &w), -ENAMETOOLONG);
	assert_int_equal(w.failed_len, strlen(name));
	path = malloc(PATH_MAX + 1);
	assert_non_null(path);
	for (size_t i = 0; i < PATH_MAX; i++)
		path[i] = i % 2 ? '/' : 'd';
	path[0] = '/';
	path[PATH_MAX] = '\0';
	assert_int_equal(walk_open(path, WALK_NO_SYMLINKS, 0, &w), -ENAMETOOLONG);
	free(path);
}

static void walk_safe_path_is_false_below_a_writable_directory(void **state)
{
	struct fx *fx = *state;
	struct walk w;

	make_tree(fx);
	assert_int_equal(chmod(at(fx, "a/b"), 01777), 0);
	assert_int_equal(walk_rel(fx, "a/b/c", WALK_NO_SYMLINKS, &w), 0);
	assert_true(w.safe_path); /* sticky and root's: safe, as pam_namespace says */
	assert_int_equal(chmod(at(fx, "a/b"), 0777), 0);
	assert_int_equal(walk_rel(fx, "a/b/c", WALK_NO_SYMLINKS, &w), 0);
	assert_false(w.safe_path);
	/* Only what is above the last component counts. */
	assert_int_equal(walk_rel(fx, "a/b", WALK_NO_SYMLINKS, &w), 0);
	assert_true(w.safe_path);
}

/* Out of fds before the first open: still -errno and a message naming "/". */
static void walk_out_of_fds_says_where(void **state)
{
	struct fx *fx = *state;
	struct rlimit old, low;
	struct walk w;
	char msg[256];
	int probe = dup(0), r;

	(void)fx;
	assert_true(probe >= 0);
	(void)close(probe);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = (rlim_t)probe; /* the lowest free fd is now over the limit */
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	r = walk_open("/tmp", WALK_NO_SYMLINKS, 0, &w);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_int_equal(r, -EMFILE);
	assert_int_equal(w.failed_len, 0);
	assert_string_equal(walk_describe(msg, sizeof(msg), "/tmp", &w, r),
			    "/tmp: '/': Too many open files");
}

static void walk_describe_names_the_failing_component(void **state)
{
	struct walk w = { .fd = -1, .failed_len = 4 };
	char msg[256];

	(void)state;
	assert_string_equal(walk_describe(msg, sizeof(msg), "/usr/x/y", &w, -EPERM),
			    "/usr/x/y: '/usr' is not root-owned, or group or others may "
			    "write to it");
	assert_string_equal(walk_describe(msg, sizeof(msg), "/usr/x/y", &w, -ENOENT),
			    "/usr/x/y: '/usr': No such file or directory");
	w.failed_len = 0;
	assert_string_equal(walk_describe(msg, sizeof(msg), "rel", &w, -EPERM),
			    "rel: '.' is not root-owned, or group or others may write to it");
	w.failed_len = 100; /* never past the path */
	assert_string_equal(walk_describe(msg, sizeof(msg), "/f", &w, -ENOEXEC),
			    "/f: '/f' is not executable");
}

#define MANY 600 /* names of 200 bytes: some thirty getdents64() buffers */

struct seen {
	unsigned char count[MANY];
	int calls, stop_at;
};

static int note_name(int dir_fd, const char *name, void *ctx)
{
	struct seen *s = ctx;
	unsigned int i;

	(void)dir_fd;
	if (sscanf(name, "%u", &i) != 1 || i >= MANY || strlen(name) != 200)
		return -EINVAL;
	s->count[i]++;
	return ++s->calls == s->stop_at ? -ENOTEMPTY : 0;
}

static void make_many(struct fx *fx)
{
	for (unsigned int i = 0; i < MANY; i++) {
		char name[201];
		int n = snprintf(name, sizeof(name), "%u-", i);

		memset(name + n, 'x', sizeof(name) - 1 - (size_t)n);
		name[200] = '\0';
		assert_int_equal(mkdirat(fx->base_fd, name, 0700) < 0 ? errno : 0, 0);
	}
}

static void each_name_lists_every_name_once_across_buffers(void **state)
{
	struct fx *fx = *state;
	static struct seen s;
	int path_fd;

	make_many(fx);
	/* An O_PATH fd too: the listing reopens the directory for reading. */
	path_fd = open(fx->base, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(path_fd >= 0);
	for (int round = 0; round < 2; round++) {
		memset(&s, 0, sizeof(s));
		assert_int_equal(walk_each_name(round ? path_fd : fx->base_fd, note_name, &s), 0);
		assert_int_equal(s.calls, MANY); /* no "." or ".." */
		for (unsigned int i = 0; i < MANY; i++)
			assert_int_equal(s.count[i], 1);
	}
	(void)close(path_fd);
}

static void each_name_stops_at_the_first_error(void **state)
{
	struct fx *fx = *state;
	static struct seen s;

	make_many(fx);
	s = (struct seen){ .stop_at = 250 };
	assert_int_equal(walk_each_name(fx->base_fd, note_name, &s), -ENOTEMPTY);
	assert_int_equal(s.calls, 250);
	/* Its own open file: a later listing of the same fd starts at the top. */
	s = (struct seen){ 0 };
	assert_int_equal(walk_each_name(fx->base_fd, note_name, &s), 0);
	assert_int_equal(s.calls, MANY);
	assert_int_equal(walk_each_name(-1, note_name, &s), -EBADF);
}

static struct stat mkst(mode_t type, mode_t mode, uid_t uid)
{
	struct stat st = { .st_mode = type | mode, .st_uid = uid };

	return st;
}

static void predicates_judge_owner_mode_and_type(void **state)
{
	const struct stat dir755 = mkst(S_IFDIR, 0755, 0), dir700 = mkst(S_IFDIR, 0700, 0),
			  dir000 = mkst(S_IFDIR, 0, 0), tmp = mkst(S_IFDIR, 01777, 0),
			  dir775 = mkst(S_IFDIR, 0775, 0), user = mkst(S_IFDIR, 0700, 1000),
			  file = mkst(S_IFREG, 0755, 0), file_gw = mkst(S_IFREG, 0775, 0),
			  ufile = mkst(S_IFREG, 0755, 1000), user000 = mkst(S_IFDIR, 0, 1000);

	(void)state;
	assert_true(root_only_dir(&dir700));
	assert_true(root_only_dir(&dir000));
	assert_false(root_only_dir(&dir755));
	assert_false(root_only_dir(&user));
	assert_false(root_only_dir(&file));

	assert_true(root_safe_dir(&dir755, false));
	assert_false(root_safe_dir(&tmp, false));
	assert_true(root_safe_dir(&tmp, true));
	assert_false(root_safe_dir(&dir775, true));
	assert_false(root_safe_dir(&user, true));
	assert_false(root_safe_dir(&file, true));

	assert_true(root_safe_file(&file));
	assert_false(root_safe_file(&file_gw));
	assert_false(root_safe_file(&ufile));
	assert_false(root_safe_file(&dir755));

	assert_true(root_sealed_dir(&dir000));
	assert_false(root_sealed_dir(&dir700));
	assert_false(root_sealed_dir(&user000));

	assert_false(user_controlled(&dir755));
	assert_true(user_controlled(&tmp));
	assert_true(user_controlled(&dir775));
	assert_true(user_controlled(&user));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(walk_opens_a_directory_as_o_path),
		T(walk_read_reopens_the_directory_for_reading),
		T(walk_open_takes_absolute_paths_and_extra_slashes),
		T(walk_no_symlinks_refuses_a_symlink_in_every_position),
		T(walk_follow_safe_follows_links_in_root_safe_directories),
		T(walk_follow_safe_stops_after_a_user_controlled_directory),
		T(walk_follow_safe_reports_a_symlink_loop),
		T(walk_root_owned_refuses_a_component_root_does_not_own),
		T(walk_root_owned_refuses_writable_by_others_unless_sticky),
		T(walk_regular_and_directory_check_the_last_type),
		T(walk_mkdir_makes_only_the_last_component),
		T(walk_refuses_dots_empty_and_the_wrong_kind_of_path),
		T(walk_needs_exactly_one_symlink_rule_and_sane_flags),
		T(walk_refuses_too_long_names_and_paths),
		T(walk_safe_path_is_false_below_a_writable_directory),
		T(walk_out_of_fds_says_where),
		T(each_name_lists_every_name_once_across_buffers),
		T(each_name_stops_at_the_first_error),
		cmocka_unit_test(walk_describe_names_the_failing_component),
		cmocka_unit_test(predicates_judge_owner_mode_and_type),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
