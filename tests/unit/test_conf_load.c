/* SPDX-License-Identifier: BSD-3-Clause */
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
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "conf_load.h"
#include "diag.h"

/* Tests run as root: files must be root-owned to be accepted. */

struct fixture {
	char dir[64];       /* mkdtemp */
	char main[128];     /* dir/namespace.conf */
	char dropins[128];  /* dir/namespace.d */
	struct conf conf;
	struct diag_list diags;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/polyns-test-load-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	(void)snprintf(f->main, sizeof(f->main), "%s/namespace.conf", f->dir);
	(void)snprintf(f->dropins, sizeof(f->dropins), "%s/namespace.d", f->dir);
	*state = f;
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int type,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int r;

	conf_free(&f->conf);
	diag_list_free(&f->diags);
	r = nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return r;
}

/* Create path with exactly this content, mode and owner. */
static void write_file_owned(const char *path, const char *text, size_t len,
			     mode_t mode, uid_t uid)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(fchown(fd, uid, (gid_t)-1), 0);
	assert_int_equal(close(fd), 0);
}

static void write_file(const char *path, const char *text)
{
	write_file_owned(path, text, strlen(text), 0644, 0);
}

static void write_main(struct fixture *f, const char *text)
{
	write_file(f->main, text);
}

static void make_dropin_dir(struct fixture *f)
{
	assert_int_equal(mkdir(f->dropins, 0755), 0);
	assert_int_equal(chmod(f->dropins, 0755), 0); /* umask-proof */
}

static char *dropin_path(struct fixture *f, const char *name)
{
	static char path[PATH_MAX];

	(void)snprintf(path, sizeof(path), "%s/%s", f->dropins, name);
	return path;
}

static void write_dropin(struct fixture *f, const char *name, const char *text)
{
	write_file(dropin_path(f, name), text);
}

static int load(struct fixture *f, bool ignore_errors)
{
	return conf_load(&f->conf, f->main, f->dropins, ignore_errors, &f->diags);
}

/* "FILE: tail" with FILE the drop-in name under f->dropins (or main). */
static void assert_diag(struct fixture *f, size_t i, enum diag_level level,
			const char *file, const char *tail)
{
	char expect[PATH_MAX + 256];

	assert_true(i < f->diags.n);
	(void)snprintf(expect, sizeof(expect), "%s%s%s%s",
		       file ? f->dropins : f->main, file ? "/" : "",
		       file ? file : "", tail);
	assert_string_equal(f->diags.v[i].text, expect);
	assert_int_equal(f->diags.v[i].level, level);
}

/* ---- the main file ---- */

static void load_missing_main_is_error(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, false), -EINVAL);
	assert_int_equal(f->diags.n, 1);
	assert_int_equal(f->diags.n_errors, 1);
	assert_diag(f, 0, DIAG_ERROR, NULL, ": cannot open: No such file or directory");
	assert_int_equal(f->conf.n_rules, 0);
	assert_int_equal(f->conf.n_files, 0);
}

static void load_missing_main_is_error_even_with_ignore_errors(void **state)
{
	struct fixture *f = *state;

	make_dropin_dir(f);
	write_dropin(f, "a.conf", "/tmp /tmp-inst/ user\n");
	assert_int_equal(load(f, true), -EINVAL);
	assert_int_equal(f->diags.n_errors, 1);
	assert_diag(f, 0, DIAG_ERROR, NULL, ": cannot open: No such file or directory");
	/* The drop-ins are still read, to report all problems. */
	assert_int_equal(f->conf.n_rules, 1);
	assert_string_equal(f->conf.rules[0].file, dropin_path(f, "a.conf"));
}

static void load_main_only(void **state)
{
	struct fixture *f = *state;

	write_main(f, "# polyinstantiated directories\n"
		      "/tmp     /tmp-inst/       level      root,adm\n"
		      "\n"
		      "$HOME    $HOME/$USER.inst/ user:create=0700 ~alice\n");
	assert_int_equal(load(f, false), 0);
	assert_int_equal(f->diags.n, 0);
	assert_int_equal(f->conf.n_files, 1);
	assert_string_equal(f->conf.files[0], f->main);
	assert_int_equal(f->conf.n_rules, 2);
	assert_string_equal(f->conf.rules[0].polydir, "/tmp");
	assert_string_equal(f->conf.rules[0].instance_prefix, "/tmp-inst/");
	assert_int_equal(f->conf.rules[0].method, METHOD_LEVEL);
	assert_int_equal(f->conf.rules[0].n_users, 2);
	assert_int_equal(f->conf.rules[0].line, 2);
	assert_ptr_equal(f->conf.rules[0].file, f->conf.files[0]);
	assert_string_equal(f->conf.rules[1].polydir, "$HOME");
	assert_int_equal(f->conf.rules[1].method, METHOD_USER);
	assert_true(f->conf.rules[1].flags & RULE_CREATE);
	assert_true(f->conf.rules[1].flags & RULE_EXCLUSIVE);
	assert_int_equal(f->conf.rules[1].create_mode, 0700);
	assert_int_equal(f->conf.rules[1].line, 4);
}

static void load_empty_main_file(void **state)
{
	struct fixture *f = *state;

	write_main(f, "");
	assert_int_equal(load(f, false), 0);
	assert_int_equal(f->diags.n, 0);
	assert_int_equal(f->conf.n_files, 1);
	assert_int_equal(f->conf.n_rules, 0);
}

static void load_missing_dropin_dir_is_fine(void **state)
{
	struct fixture *f = *state;

	write_main(f, "/tmp /tmp-inst/ user\n");
	assert_int_equal(load(f, false), 0);
	assert_int_equal(f->diags.n, 0);
	assert_int_equal(f->conf.n_rules, 1);
	assert_int_equal(f->conf.n_files, 1);
}

static void load_empty_dropin_dir(void **state)
{
	struct fixture *f = *state;

	write_main(f, "/tmp /tmp-inst/ user\n");
	make_dropin_dir(f);
	assert_int_equal(load(f, false), 0);
	assert_int_equal(f->diags.n, 0);
	assert_int_equal(f->conf.n_files, 1);
}

/* ---- drop-ins: which and in what order ---- */

static void load_sorts_dropins_bytewise(void **state)
{
	static const char *const order[] = {
		"10.conf", "9.conf", "B.conf", "_.conf", "a.conf", "b.conf",
	};
	struct fixture *f = *state;

	write_main(f, "/main /i/ user\n");
	make_dropin_dir(f);
	/* Created in an order unlike the expected one. */
	write_dropin(f, "b.conf", "/b /i/ user\n");
	write_dropin(f, "a.conf", "/a /i/ user\n");
	write_dropin(f, "_.conf", "/_ /i/ user\n");
	write_dropin(f, "B.conf", "/B /i/ user\n");
	write_dropin(f, "9.conf", "/9 /i/ user\n");
	write_dropin(f, "10.conf", "/10 /i/ user\n");
	assert_int_equal(load(f, false), 0);
	assert_int_equal(f->diags.n, 0);
	assert_int_equal(f->conf.n_files, 7);
	assert_int_equal(f->conf.n_rules, 7);
	assert_string_equal(f->conf.files[0], f->main);
	assert_string_equal(f->conf.rules[0].polydir, "/main");
	for (size_t i = 0; i < 6; i++) {
		char polydir[16];

		assert_string_equal(f->conf.files[i + 1], dropin_path(f, order[i]));
		(void)snprintf(polydir, sizeof(polydir), "/%.*s",
			       (int)(strlen(order[i]) - 5), order[i]);
		assert_string_equal(f->conf.rules[i + 1].polydir, polydir);
		assert_ptr_equal(f->conf.rules[i + 1].file, f->conf.files[i + 1]);
		assert_int_equal(f->conf.rules[i + 1].line, 1);
	}
}

static void load_ignores_non_conf_and_dot_files(void **state)
{
	static const char *const ignored[] = {
		"x.conf.bak", "x.txt", ".hidden.conf", ".conf", "conf",
		"xconf", "x.CONF", "x.conf~", "x.con",
	};
	struct fixture *f = *state;

	write_main(f, "/main /i/ user\n");
	make_dropin_dir(f);
	/* Each would be an error if it were read. */
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		write_dropin(f, ignored[i], "this is not a valid line\n");
	write_dropin(f, "ok.conf", "/ok /i/ user\n");
	assert_int_equal(load(f, false), 0);
	assert_int_equal(f->diags.n, 0);
	assert_int_equal(f->conf.n_files, 2);
	assert_string_equal(f->conf.files[1], dropin_path(f, "ok.conf"));
	assert_int_equal(f->conf.n_rules, 2);
	assert_string_equal(f->conf.rules[1].polydir, "/ok");
}

static void load_accepts_trusted_modes(void **state)
{
	struct fixture *f = *state;

	write_main(f, "/main /i/ user\n");
	make_dropin_dir(f);
	write_file_owned(dropin_path(f, "a.conf"), "/a /i/ user\n", 12, 0600, 0);
	write_file_owned(dropin_path(f, "b.conf"), "/b /i/ user\n", 12, 0444, 0);
	write_file_owned(dropin_path(f, "c.conf"), "/c /i/ user\n", 12, 0755, 0);
	assert_int_equal(load(f, false), 0);
	assert_int_equal(f->diags.n, 0);
	assert_int_equal(f->conf.n_rules, 4);
}

/* ---- untrusted or odd files ---- */

static void load_dropin_dir_that_is_a_file_is_error(void **state)
{
	struct fixture *f = *state;
	char expect[PATH_MAX + 64];

	write_main(f, "/main /i/ user\n");
	write_file(f->dropins, "/x /i/ user\n");
	assert_int_equal(load(f, false), -EINVAL);
	assert_int_equal(f->diags.n, 1);
	assert_int_equal(f->diags.n_errors, 1);
	(void)snprintf(expect, sizeof(expect), "%s: cannot open: '%s' is not a directory",
		       f->dropins, f->dropins);
	assert_string_equal(f->diags.v[0].text, expect);
	/* The main file's rule is still there. */
	assert_int_equal(f->conf.n_rules, 1);
}

/*
 * The drop-in directory is walked: a symlink is followed only where no one
 * but root could have put it.  The fixture lives below /tmp (sticky, so
 * anyone's): a symlink there is refused, not followed.
 */
static void load_refuses_symlinked_dropin_dir_below_tmp(void **state)
{
	struct fixture *f = *state;
	char real[160], expect[PATH_MAX + 256];

	write_main(f, "/main /i/ user\n");
	(void)snprintf(real, sizeof(real), "%s/real.d", f->dir);
	assert_int_equal(mkdir(real, 0755), 0);
	assert_int_equal(symlink(real, f->dropins), 0);
	assert_int_equal(load(f, false), -EINVAL);
	assert_int_equal(f->diags.n, 1);
	(void)snprintf(expect, sizeof(expect), "%s: cannot open: '%s' is a symlink where none "
		       "may be followed, or a symlink loop", f->dropins, f->dropins);
	assert_string_equal(f->diags.v[0].text, expect);
	assert_int_equal(f->conf.n_rules, 1);
}

/* Relative to a root-only working directory, the same symlink is root's: followed. */
static void load_follows_symlinked_dropin_dir_in_root_only_dir(void **state)
{
	struct fixture *f = *state;
	char real[160], cwd[PATH_MAX];

	write_main(f, "/main /i/ user\n");
	(void)snprintf(real, sizeof(real), "%s/real.d", f->dir);
	assert_int_equal(mkdir(real, 0755), 0);
	assert_int_equal(chmod(real, 0755), 0);
	write_file_owned(strcat(real, "/a.conf"), "/a /i/ user\n", 12, 0644, 0);
	assert_int_equal(symlink("real.d", f->dropins), 0);
	assert_int_equal(chmod(f->dir, 0700), 0);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(f->dir), 0);
	assert_int_equal(conf_load(&f->conf, f->main, "namespace.d", false, &f->diags), 0);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(f->diags.n, 0);
	assert_int_equal(f->conf.n_rules, 2);
}

static void load_refuses_dot_dot_in_dropin_dir(void **state)
{
	struct fixture *f = *state;
	char dir[512], expect[2048];

	write_main(f, "/main /i/ user\n");
	make_dropin_dir(f);
	(void)snprintf(dir, sizeof(dir), "%s/../%s", f->dropins, strrchr(f->dropins, '/') + 1);
	assert_int_equal(conf_load(&f->conf, f->main, dir, false, &f->diags), -EINVAL);
	assert_int_equal(f->diags.n, 1);
	(void)snprintf(expect, sizeof(expect), "%s: cannot open: '%s/..' is refused: the path "
		       "must be absolute (or relative to a directory), name something below "
		       "it, and hold no '.' or '..'", dir, f->dropins);
	assert_string_equal(f->diags.v[0].text, expect);
}

static void load_refuses_untrusted_dropin_dir(void **state)
{
	struct fixture *f = *state;
	char expect[PATH_MAX + 128];

	write_main(f, "/main /i/ user\n");
	make_dropin_dir(f);
	write_dropin(f, "a.conf", "/a /i/ user\n");
	(void)snprintf(expect, sizeof(expect),
		       "%s: refusing a directory not owned by root or writable by "
		       "group or others", f->dropins);

	assert_int_equal(chmod(f->dropins, 0777), 0);
	assert_int_equal(load(f, false), -EINVAL);
	assert_int_equal(f->diags.n, 1);
	assert_string_equal(f->diags.v[0].text, expect);
	assert_int_equal(f->conf.n_rules, 1); /* only the main file's */
	conf_free(&f->conf);
	diag_list_free(&f->diags);

	assert_int_equal(chmod(f->dropins, 0755), 0);
	assert_int_equal(chown(f->dropins, 65534, (gid_t)-1), 0);
	assert_int_equal(load(f, false), -EINVAL);
	assert_int_equal(f->diags.n, 1);
	assert_string_equal(f->diags.v[0].text, expect);
	assert_int_equal(f->conf.n_rules, 1);
}

static void load_fifo_dropin_does_not_hang(void **state)
{
	struct fixture *f = *state;

	write_main(f, "/main /i/ user\n");
	make_dropin_dir(f);
	assert_int_equal(mkfifo(dropin_path(f, "x.conf"), 0644), 0);
	assert_int_equal(chmod(dropin_path(f, "x.conf"), 0644), 0);
	write_dropin(f, "y.conf", "/y /i/ user\n");
	(void)alarm(20); /* a blocking open would kill the test here */
	assert_int_equal(load(f, false), -EINVAL);
	(void)alarm(0);
	assert_int_equal(f->diags.n, 1);
	assert_diag(f, 0, DIAG_ERROR, "x.conf", ": not a regular file");
	/* The next drop-in is still read. */
	assert_int_equal(f->conf.n_rules, 2);
	assert_string_equal(f->conf.rules[1].polydir, "/y");
}

static void load_fifo_main_does_not_hang(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mkfifo(f->main, 0644), 0);
	(void)alarm(20);
	assert_int_equal(load(f, false), -EINVAL);
	(void)alarm(0);
	assert_int_equal(f->diags.n, 1);
	assert_diag(f, 0, DIAG_ERROR, NULL, ": not a regular file");
}

static void load_refuses_file_not_owned_by_root(void **state)
{
	struct fixture *f = *state;

	write_main(f, "/main /i/ user\n");
	make_dropin_dir(f);
	write_file_owned(dropin_path(f, "a.conf"), "/a /i/ user\n", 12, 0644, 65534);
	assert_int_equal(load(f, false), -EINVAL);
	assert_int_equal(f->diags.n, 1);
	assert_diag(f, 0, DIAG_ERROR, "a.conf",
		    ": refusing a regular file not owned by root or writable by "
		    "group or others");
	assert_int_equal(f->conf.n_rules, 1);
	assert_int_equal(f->conf.n_files, 1);
}

static void load_refuses_main_not_owned_by_root(void **state)
{
	struct fixture *f = *state;

	write_file_owned(f->main, "/main /i/ user\n", 15, 0644, 65534);
	assert_int_equal(load(f, false), -EINVAL);
	assert_int_equal(f->diags.n, 1);
	assert_diag(f, 0, DIAG_ERROR, NULL,
		    ": refusing a regular file not owned by root or writable by "
		    "group or others");
	assert_int_equal(f->conf.n_rules, 0);
}

static void load_refuses_group_or_world_writable_file(void **state)
{
	struct fixture *f = *state;

	write_file_owned(f->main, "/main /i/ user\n", 15, 0666, 0);
	make_dropin_dir(f);
	write_file_owned(dropin_path(f, "a.conf"), "/a /i/ user\n", 12, 0620, 0);
	write_file_owned(dropin_path(f, "b.conf"), "/b /i/ user\n", 12, 0602, 0);
	write_file_owned(dropin_path(f, "c.conf"), "/c /i/ user\n", 12, 0644, 0);
	assert_int_equal(load(f, true), -EINVAL); /* not a line error */
	assert_int_equal(f->diags.n, 3);
	assert_int_equal(f->diags.n_errors, 3);
	assert_diag(f, 0, DIAG_ERROR, NULL,
		    ": refusing a regular file not owned by root or writable by "
		    "group or others");
	assert_diag(f, 1, DIAG_ERROR, "a.conf",
		    ": refusing a regular file not owned by root or writable by "
		    "group or others");
	assert_diag(f, 2, DIAG_ERROR, "b.conf",
		    ": refusing a regular file not owned by root or writable by "
		    "group or others");
	assert_int_equal(f->conf.n_rules, 1);
	assert_string_equal(f->conf.rules[0].polydir, "/c");
}

static void load_rejects_directory_named_conf(void **state)
{
	struct fixture *f = *state;

	write_main(f, "/main /i/ user\n");
	make_dropin_dir(f);
	assert_int_equal(mkdir(dropin_path(f, "x.conf"), 0755), 0);
	assert_int_equal(load(f, false), -EINVAL);
	assert_int_equal(f->diags.n, 1);
	assert_diag(f, 0, DIAG_ERROR, "x.conf", ": not a regular file");
}

static void load_rejects_oversized_file(void **state)
{
	struct fixture *f = *state;
	char expect[64];
	int fd;

	write_main(f, "/main /i/ user\n");
	make_dropin_dir(f);
	write_dropin(f, "big.conf", "/big /i/ user\n");
	fd = open(dropin_path(f, "big.conf"), O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, CONF_MAX_FILE_SIZE + 1), 0);
	assert_int_equal(close(fd), 0);
	assert_int_equal(load(f, false), -EINVAL);
	assert_int_equal(f->diags.n, 1);
	(void)snprintf(expect, sizeof(expect), ": larger than %d bytes", CONF_MAX_FILE_SIZE);
	assert_diag(f, 0, DIAG_ERROR, "big.conf", expect);
	assert_int_equal(f->conf.n_rules, 1);
}

static void load_accepts_file_of_exactly_max_size(void **state)
{
	struct fixture *f = *state;
	char *buf = malloc(CONF_MAX_FILE_SIZE);
	const char *rule = "/max /i/ user\n";

	assert_non_null(buf);
	/* 1024-byte comment lines, the last one replaced by a rule + padding. */
	for (size_t off = 0; off < CONF_MAX_FILE_SIZE; off += 1024) {
		memset(buf + off, '#', 1023);
		buf[off + 1023] = '\n';
	}
	memcpy(buf + CONF_MAX_FILE_SIZE - 1024, rule, strlen(rule));
	memset(buf + CONF_MAX_FILE_SIZE - 1024 + strlen(rule), ' ',
	       1023 - strlen(rule));
	write_file_owned(f->main, buf, CONF_MAX_FILE_SIZE, 0644, 0);
	free(buf);
	assert_int_equal(load(f, false), 0);
	assert_int_equal(f->diags.n, 0);
	assert_int_equal(f->conf.n_rules, 1);
	assert_string_equal(f->conf.rules[0].polydir, "/max");
	assert_int_equal(f->conf.rules[0].line, 1024);
}

static void write_n_dropins(struct fixture *f, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		char name[32], text[64];

		(void)snprintf(name, sizeof(name), "%03u.conf", i);
		(void)snprintf(text, sizeof(text), "/d%03u /i/ user\n", i);
		write_dropin(f, name, text);
	}
}

static void load_accepts_max_dropins(void **state)
{
	struct fixture *f = *state;

	write_main(f, "");
	make_dropin_dir(f);
	write_n_dropins(f, CONF_MAX_DROPINS);
	/* Files that are not drop-ins do not count. */
	write_dropin(f, "extra.txt", "junk\n");
	assert_int_equal(load(f, false), 0);
	assert_int_equal(f->diags.n, 0);
	assert_int_equal(f->conf.n_files, CONF_MAX_DROPINS + 1);
	assert_int_equal(f->conf.n_rules, CONF_MAX_DROPINS);
	assert_string_equal(f->conf.rules[CONF_MAX_DROPINS - 1].polydir, "/d255");
}

static void load_rejects_too_many_dropins(void **state)
{
	struct fixture *f = *state;
	char expect[256];

	write_main(f, "/main /i/ user\n");
	make_dropin_dir(f);
	write_n_dropins(f, CONF_MAX_DROPINS + 1);
	assert_int_equal(load(f, false), -EINVAL);
	assert_int_equal(f->diags.n, 1);
	assert_int_equal(f->diags.n_errors, 1);
	(void)snprintf(expect, sizeof(expect), "%s: more than %d drop-in files",
		       f->dropins, CONF_MAX_DROPINS);
	assert_string_equal(f->diags.v[0].text, expect);
	/* None of them is read. */
	assert_int_equal(f->conf.n_files, 1);
	assert_int_equal(f->conf.n_rules, 1);
}

/* ---- content ---- */

static void load_joins_relative_iscript_to_dropin_dir(void **state)
{
	struct fixture *f = *state;
	char expect[PATH_MAX];

	write_main(f, "/m /i/ user:iscript=main.sh\n");
	make_dropin_dir(f);
	write_dropin(f, "a.conf", "/a /i/ user:iscript=sub/init.sh\n"
				  "/b /i/ user:iscript=/usr/lib/init\n"
				  "/c /i/ user:iscript\n");
	assert_int_equal(load(f, false), 0);
	assert_int_equal(f->conf.n_rules, 4);
	/* Relative paths live in namespace.d, also from the main file. */
	(void)snprintf(expect, sizeof(expect), "%s/main.sh", f->dropins);
	assert_string_equal(f->conf.rules[0].iscript, expect);
	(void)snprintf(expect, sizeof(expect), "%s/sub/init.sh", f->dropins);
	assert_string_equal(f->conf.rules[1].iscript, expect);
	assert_string_equal(f->conf.rules[2].iscript, "/usr/lib/init");
	assert_null(f->conf.rules[3].iscript);
	assert_true(f->conf.rules[3].flags & RULE_ISCRIPT);
}

static void load_reports_errors_in_every_file(void **state)
{
	struct fixture *f = *state;

	write_main(f, "/m1 /i/ user\n"
		      "/bad-main /i/\n"
		      "/m2 /i/ user\n");
	make_dropin_dir(f);
	write_dropin(f, "a.conf", "/a /i/ nomethod\n/a2 /i/ tmpfs\n");
	write_dropin(f, "b.conf", "/b /i/ user\n\n/b2 /i/ user:create=rwx\n");
	write_file_owned(dropin_path(f, "c.conf"), "/c /i/ user\n", 12, 0666, 0);
	write_dropin(f, "d.conf", "/d /i/ user\n");
	assert_int_equal(load(f, false), -EINVAL);
	assert_int_equal(f->diags.n, 4);
	assert_int_equal(f->diags.n_errors, 4);
	assert_diag(f, 0, DIAG_ERROR, NULL, ":2: missing method field");
	assert_diag(f, 1, DIAG_ERROR, "a.conf",
		    ":1: unknown method 'nomethod' (want user, context, level, "
		    "tmpdir or tmpfs)");
	assert_diag(f, 2, DIAG_ERROR, "b.conf",
		    ":3: 'create=rwx': create mode 'rwx' is not a number");
	assert_diag(f, 3, DIAG_ERROR, "c.conf",
		    ": refusing a regular file not owned by root or writable by "
		    "group or others");
	/* Good lines around the bad ones are kept, in order. */
	assert_int_equal(f->conf.n_rules, 5);
	assert_string_equal(f->conf.rules[0].polydir, "/m1");
	assert_string_equal(f->conf.rules[1].polydir, "/m2");
	assert_int_equal(f->conf.rules[1].line, 3);
	assert_string_equal(f->conf.rules[2].polydir, "/a2");
	assert_string_equal(f->conf.rules[3].polydir, "/b");
	assert_string_equal(f->conf.rules[4].polydir, "/d");
}

static void load_ignore_errors_downgrades_line_errors(void **state)
{
	struct fixture *f = *state;

	write_main(f, "/m1 /i/ user\n/bad-main /i/\n");
	make_dropin_dir(f);
	write_dropin(f, "a.conf", "/a /i/ nomethod\n/a2 /i/ tmpfs\n");
	assert_int_equal(load(f, true), 0);
	assert_int_equal(f->diags.n, 2);
	assert_int_equal(f->diags.n_errors, 0);
	assert_diag(f, 0, DIAG_WARNING, NULL, ":2: warning: missing method field");
	assert_diag(f, 1, DIAG_WARNING, "a.conf",
		    ":1: warning: unknown method 'nomethod' (want user, context, "
		    "level, tmpdir or tmpfs)");
	assert_int_equal(f->conf.n_rules, 2);
	assert_string_equal(f->conf.rules[0].polydir, "/m1");
	assert_string_equal(f->conf.rules[1].polydir, "/a2");
}

static void load_ignore_errors_keeps_file_errors(void **state)
{
	struct fixture *f = *state;

	write_main(f, "/m1 /i/ user\n/bad-main /i/\n");
	make_dropin_dir(f);
	assert_int_equal(mkdir(dropin_path(f, "dir.conf"), 0755), 0);
	assert_int_equal(load(f, true), -EINVAL);
	assert_int_equal(f->diags.n, 2);
	assert_int_equal(f->diags.n_errors, 1);
	assert_diag(f, 0, DIAG_WARNING, NULL, ":2: warning: missing method field");
	assert_diag(f, 1, DIAG_ERROR, "dir.conf", ": not a regular file");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(load_missing_main_is_error),
		T(load_missing_main_is_error_even_with_ignore_errors),
		T(load_main_only),
		T(load_empty_main_file),
		T(load_missing_dropin_dir_is_fine),
		T(load_empty_dropin_dir),
		T(load_sorts_dropins_bytewise),
		T(load_ignores_non_conf_and_dot_files),
		T(load_accepts_trusted_modes),
		T(load_dropin_dir_that_is_a_file_is_error),
		T(load_refuses_symlinked_dropin_dir_below_tmp),
		T(load_follows_symlinked_dropin_dir_in_root_only_dir),
		T(load_refuses_dot_dot_in_dropin_dir),
		T(load_refuses_untrusted_dropin_dir),
		T(load_fifo_dropin_does_not_hang),
		T(load_fifo_main_does_not_hang),
		T(load_refuses_file_not_owned_by_root),
		T(load_refuses_main_not_owned_by_root),
		T(load_refuses_group_or_world_writable_file),
		T(load_rejects_directory_named_conf),
		T(load_rejects_oversized_file),
		T(load_accepts_file_of_exactly_max_size),
		T(load_accepts_max_dropins),
		T(load_rejects_too_many_dropins),
		T(load_joins_relative_iscript_to_dropin_dir),
		T(load_reports_errors_in_every_file),
		T(load_ignore_errors_downgrades_line_errors),
		T(load_ignore_errors_keeps_file_errors),
	};

	if (geteuid() != 0) {
		(void)fprintf(stderr, "test_conf_load: must run as root\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
