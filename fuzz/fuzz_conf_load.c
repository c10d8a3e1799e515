/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: conf_load() on real files: reading, the drop-in listing and
 * its order, the trust checks on files and the directory, and the limits
 * that span files (rules over all of them, the number of drop-ins).
 *
 * Input: one flags byte, then the main file's text, then drop-ins, each
 * after a NUL: "NAME\nTEXT".  The first byte of a drop-in's name can make it
 * something other than a root-owned 0644 file: '|' a FIFO, '@' a directory,
 * '>' a symlink to the main file, '!' group-writable, '~' another owner.
 * Flags: 1 ignore_config_error, 2 no drop-in directory, 4 the directory
 * group-writable, 8 another owner's, 16 no main file, 32 the main file
 * world-writable, 64 the directory is a symlink (below a sticky directory:
 * refused), 128 the main file is a FIFO.
 *
 * Everything is written to a directory of its own on a tmpfs (/dev/shm when
 * there is one) and removed after each input.  Needs root (files must be
 * root's to be read).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "conf_load.h"
#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
	F_IGNORE_ERRORS = 1,
	F_NO_DIR = 2,
	F_DIR_GROUP_WRITABLE = 4,
	F_DIR_NOT_ROOTS = 8,
	F_NO_MAIN = 16,
	F_MAIN_WRITABLE = 32,
	F_DIR_SYMLINK = 64,
	F_MAIN_FIFO = 128,
};

#define MAX_FILES 300 /* past CONF_MAX_DROPINS */
#define NAME_LEN 64

static char base[64], main_path[128], dir_path[128], real_dir[128];
static int base_fd = -1, dir_fd = -1;
static char names[MAX_FILES][NAME_LEN + 1];
static bool is_dir[MAX_FILES];
static size_t n_names;

static void remove_base(void)
{
	for (size_t i = 0; i < n_names; i++)
		(void)unlinkat(dir_fd, names[i], is_dir[i] ? AT_REMOVEDIR : 0);
	(void)unlinkat(base_fd, "namespace.conf", 0);
	(void)unlinkat(base_fd, "namespace.d", 0);
	(void)rmdir(real_dir);
	(void)rmdir(base);
}

/* base/namespace.d.real holds the drop-ins; namespace.d is renamed or linked to it. */
static int setup(void)
{
	const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

	(void)snprintf(base, sizeof(base), "%s/polyns-fuzz-load-XXXXXX", tmp);
	if (!mkdtemp(base))
		return -1;
	(void)snprintf(main_path, sizeof(main_path), "%s/namespace.conf", base);
	(void)snprintf(dir_path, sizeof(dir_path), "%s/namespace.d", base);
	(void)snprintf(real_dir, sizeof(real_dir), "%s/namespace.d.real", base);
	if (chmod(base, 0755) < 0 || mkdir(real_dir, 0755) < 0 || chmod(real_dir, 0755) < 0)
		return -1;
	base_fd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dir_fd = open(real_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (base_fd < 0 || dir_fd < 0)
		return -1;
	(void)atexit(remove_base);
	return 0;
}

static void write_at(int at, const char *name, const uint8_t *text, size_t len, mode_t mode,
		     uid_t uid)
{
	int fd = openat(at, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0)
		return;
	if (write(fd, text, len) != (ssize_t)len || fchmod(fd, mode) < 0 ||
	    fchown(fd, uid, (gid_t)-1) < 0)
		abort(); /* a tmpfs that cannot take our bytes: the harness is broken */
	(void)close(fd);
}

/* One drop-in, "NAME\nTEXT". */
static void add_dropin(const uint8_t *p, size_t len)
{
	const uint8_t *nl = memchr(p, '\n', len);
	size_t name_len = nl ? (size_t)(nl - p) : len;
	const uint8_t *text = nl ? nl + 1 : p + len;
	size_t text_len = (size_t)(p + len - text);
	char *name = names[n_names];

	if (name_len == 0 || name_len > NAME_LEN || n_names == MAX_FILES)
		return;
	for (size_t i = 0; i < name_len; i++)
		name[i] = p[i] == '/' ? '_' : (char)p[i];
	name[name_len] = '\0';
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return;
	is_dir[n_names] = false;
	switch (name[0]) {
	case '|':
		if (mknodat(dir_fd, name, S_IFIFO | 0644, 0) < 0)
			return;
		break;
	case '@':
		if (mkdirat(dir_fd, name, 0755) < 0)
			return;
		is_dir[n_names] = true;
		break;
	case '>':
		if (symlinkat(main_path, dir_fd, name) < 0)
			return;
		break;
	default:
		write_at(dir_fd, name, text, text_len, name[0] == '!' ? 0664 : 0644,
			 name[0] == '~' ? 1 : 0);
		break;
	}
	n_names++;
}

static void write_files(unsigned int flags, const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t main_len = nul ? (size_t)(nul - data) : size;

	n_names = 0;
	if (flags & F_MAIN_FIFO)
		(void)mknodat(base_fd, "namespace.conf", S_IFIFO | 0644, 0);
	else if (!(flags & F_NO_MAIN))
		write_at(base_fd, "namespace.conf", data, main_len,
			 flags & F_MAIN_WRITABLE ? 0666 : 0644, 0);
	if (!(flags & F_NO_DIR)) {
		if (flags & F_DIR_SYMLINK)
			(void)symlinkat(real_dir, base_fd, "namespace.d");
		else
			(void)renameat(base_fd, "namespace.d.real", base_fd, "namespace.d");
		(void)fchmod(dir_fd, flags & F_DIR_GROUP_WRITABLE ? 0775 : 0755);
		(void)fchown(dir_fd, flags & F_DIR_NOT_ROOTS ? 1 : 0, (gid_t)-1);
	}
	while (nul) {
		const uint8_t *p = nul + 1;

		nul = memchr(p, '\0', (size_t)(data + size - p));
		add_dropin(p, nul ? (size_t)(nul - p) : (size_t)(data + size - p));
	}
}

static void remove_files(void)
{
	struct stat st;

	for (size_t i = 0; i < n_names; i++)
		(void)unlinkat(dir_fd, names[i], is_dir[i] ? AT_REMOVEDIR : 0);
	(void)unlinkat(base_fd, "namespace.conf", 0);
	if (fstatat(base_fd, "namespace.d", &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode))
			(void)unlinkat(base_fd, "namespace.d", 0);
		else
			(void)renameat(base_fd, "namespace.d", base_fd, "namespace.d.real");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct conf conf = { 0 };
	struct diag_list diags = { 0 };
	unsigned int flags;
	int r;

	if (!ready) {
		if (setup() < 0)
			abort();
		ready = true;
	}
	if (size < 1)
		return 0;
	flags = data[0];
	write_files(flags, data + 1, size - 1);
	r = conf_load(&conf, main_path, dir_path, flags & F_IGNORE_ERRORS, &diags);
	/* -EINVAL exactly when an error was reported; never more rules than the limit. */
	if ((r == -EINVAL) != (diags.n_errors > 0) || (r < 0 && r != -EINVAL) ||
	    conf.n_rules > CONF_MAX_RULES)
		__builtin_trap();
	for (size_t i = 0; i < conf.n_rules; i++)
		if (!conf.rules[i].file || conf.rules[i].line == 0)
			__builtin_trap();
	conf_free(&conf);
	diag_list_free(&diags);
	remove_files();
	return 0;
}
