/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "conf_load.h"
#include "walk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)

static int check_trusted(const struct stat *st, mode_t type)
{
	if ((st->st_mode & S_IFMT) != type)
		return -EBADFD;
	if (user_controlled(st))
		return -EPERM;
	return 0;
}

static void report_untrusted(struct diag_list *diags, const char *path,
			     int err, const char *kind)
{
	if (err == -EBADFD)
		diag_add(diags, DIAG_ERROR, path, 0, "not a %s", kind);
	else
		diag_add(diags, DIAG_ERROR, path, 0,
			 "refusing a %s not owned by root or writable by group or others",
			 kind);
}

/* Whole file into *buf.  O_NONBLOCK: a FIFO planted here must not hang us. */
static int read_file_at(int dirfd, const char *name, const char *path,
			char **buf, size_t *len, struct diag_list *diags)
{
	_cleanup_close_ int fd = openat(dirfd, name, OPEN_FLAGS);
	_cleanup_free_ char *data = NULL;
	struct stat st;
	size_t got = 0, cap;
	int r;

	if (fd < 0) {
		diag_add(diags, DIAG_ERROR, path, 0, "cannot open: %s", strerror(errno));
		return -EINVAL;
	}
	if (fstat(fd, &st) < 0) {
		diag_add(diags, DIAG_ERROR, path, 0, "cannot stat: %s", strerror(errno));
		return -EINVAL;
	}
	r = check_trusted(&st, S_IFREG);
	if (r < 0) {
		report_untrusted(diags, path, r, "regular file");
		return -EINVAL;
	}
	if (st.st_size > CONF_MAX_FILE_SIZE) {
		diag_add(diags, DIAG_ERROR, path, 0, "larger than %d bytes",
			 CONF_MAX_FILE_SIZE);
		return -EINVAL;
	}
	/* One byte more than fstat says, to notice a file that grew meanwhile. */
	cap = (size_t)st.st_size + 1;
	data = malloc(cap);
	if (!data)
		return -ENOMEM;
	for (;;) {
		ssize_t n = read(fd, data + got, cap - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_add(diags, DIAG_ERROR, path, 0, "read failed: %s",
				 strerror(errno));
			return -EINVAL;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got == cap) {
			diag_add(diags, DIAG_ERROR, path, 0, "changed while being read");
			return -EINVAL;
		}
	}
	*buf = TAKE_PTR(data);
	*len = got;
	return 0;
}

static int parse_file_at(struct conf *conf, int dirfd, const char *name,
			 const char *path, const char *iscript_dir,
			 bool ignore_errors, struct diag_list *diags)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r = read_file_at(dirfd, name, path, &buf, &len, diags);

	if (r < 0)
		return r;
	return conf_parse_buffer(conf, path, buf, len, iscript_dir, ignore_errors,
				 diags);
}

static bool is_dropin_name(const char *name)
{
	size_t len = strlen(name);

	/* glob("*.conf") semantics: no dot-files; ".conf" alone is a dot-file. */
	return name[0] != '.' && len > 5 && strcmp(name + len - 5, ".conf") == 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct name_list {
	char **v;
	size_t n;
};

static void name_list_free(struct name_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

struct dropin_listing {
	struct name_list *out;
	const char *dir;
	struct diag_list *diags;
	bool refused; /* add_dropin() stopped the listing (said why, or no memory) */
};

/* add_dropin()'s own failure r, told apart from the listing's. */
static int refuse(struct dropin_listing *l, int r)
{
	l->refused = true;
	return r;
}

static int add_dropin(int dir_fd, const char *name, void *ctx)
{
	struct dropin_listing *l = ctx;
	char **v;

	(void)dir_fd;
	if (!is_dropin_name(name))
		return 0;
	if (l->out->n == CONF_MAX_DROPINS) {
		diag_add(l->diags, DIAG_ERROR, l->dir, 0, "more than %d drop-in files",
			 CONF_MAX_DROPINS);
		return refuse(l, -EINVAL);
	}
	v = reallocarray(l->out->v, l->out->n + 1, sizeof(*v));
	if (!v)
		return refuse(l, -ENOMEM);
	l->out->v = v;
	v[l->out->n] = strdup(name);
	if (!v[l->out->n])
		return refuse(l, -ENOMEM);
	l->out->n++;
	return 0;
}

static int list_dropins(int dfd, const char *dir, struct name_list *out,
			struct diag_list *diags)
{
	struct dropin_listing l = { out, dir, diags, false };
	int r = walk_each_name(dfd, add_dropin, &l);

	if (r < 0 && l.refused)
		return r;
	/* The directory could not be read: a system error, never one to ignore. */
	if (r < 0) {
		diag_add(diags, DIAG_ERROR, dir, 0, "cannot list: %s", strerror(-r));
		return r == -EINVAL ? -EIO : r;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_names);
	return 0;
}

/*
 * The drop-in directory, walked as every other path root trusts: one
 * component at a time, a symlink followed only where no one but root could
 * have put it (WALK_FOLLOW_SAFE), and what the walk ends at is the fd every
 * later look (fstat, listing, openat of each file) goes through.  A relative
 * path (polyns-check --config-dir) starts at the working directory.
 */
static int open_dropin_dir(const char *dir, struct walk *w)
{
	const unsigned int flags = WALK_FOLLOW_SAFE | WALK_DIRECTORY | WALK_READ;

	if (dir[0] == '/')
		return walk_open(dir, flags, 0, w);
	return walk_openat(AT_FDCWD, dir, flags, 0, w);
}

static int load_dropins(struct conf *conf, const char *dir, bool ignore_errors,
			struct diag_list *diags)
{
	_cleanup_close_ int dfd = -1;
	struct name_list names = { 0 };
	struct walk w;
	struct stat st;
	int ret = open_dropin_dir(dir, &w);

	if (ret == -ENOENT)
		return 0; /* no namespace.d: no drop-ins, as with pam_namespace */
	if (ret < 0) {
		char why[CONF_PATH_MAX + 128];

		diag_add(diags, DIAG_ERROR, dir, 0, "cannot open: %s",
			 walk_reason(why, sizeof(why), dir, &w, ret));
		return -EINVAL;
	}
	dfd = w.fd;
	if (fstat(dfd, &st) < 0) {
		diag_add(diags, DIAG_ERROR, dir, 0, "cannot stat: %s", strerror(errno));
		return -EINVAL;
	}
	ret = check_trusted(&st, S_IFDIR);
	if (ret < 0) {
		report_untrusted(diags, dir, ret, "directory");
		return -EINVAL;
	}
	ret = list_dropins(dfd, dir, &names, diags);
	if (ret < 0) {
		/* An incomplete, unsorted list: read none of it. */
		name_list_free(&names);
		return ret;
	}
	/* After a configuration error, go on: report every file's errors. */
	for (size_t i = 0; (ret == 0 || ret == -EINVAL) && i < names.n; i++) {
		_cleanup_free_ char *path = NULL;
		int r;

		if (asprintf(&path, "%s/%s", dir, names.v[i]) < 0) {
			path = NULL;
			ret = -ENOMEM;
			break;
		}
		r = parse_file_at(conf, dfd, names.v[i], path, dir, ignore_errors, diags);
		if (r < 0)
			ret = r;
	}
	name_list_free(&names);
	return ret;
}

int conf_load(struct conf *conf, const char *main_path, const char *dropin_dir,
	      bool ignore_errors, struct diag_list *diags)
{
	int r1 = parse_file_at(conf, AT_FDCWD, main_path, main_path, dropin_dir,
			       ignore_errors, diags);
	int r2;

	if (r1 < 0 && r1 != -EINVAL)
		return r1;
	r2 = load_dropins(conf, dropin_dir, ignore_errors, diags);
	if (r2 < 0 && r2 != -EINVAL)
		return r2;
	return (r1 < 0 || r2 < 0 || diags->n_errors) ? -EINVAL : 0;
}
