/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "selinux_label.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "plan.h"

#define XATTR_SELINUX "security.selinux"
/* libselinux's first guess at a context's size (INITCONTEXTLEN). */
#define CONTEXT_GUESS 255

/* Where selinuxfs is mounted read-write, when SELinux is enabled. */
static char selinuxfs[PATH_MAX];
static bool selinux_enabled;

/*
 * security_compute_member() opens selinuxfs for writing, which the sandbox
 * forbids; so the helper opens the "member" file before the sandbox and
 * speaks the same "scon tcon class" transaction itself.  The kernel allows
 * one transaction per open: hence a small pool, one fd per computation,
 * and the plan's limit on context polydirs.
 */
_Static_assert(SE_MEMBER_FDS == PLAN_MAX_CONTEXT_JOBS, "one member fd per context the plan allows");

static int member_fds[SE_MEMBER_FDS] = { -1, -1, -1, -1, -1, -1, -1, -1 };
static size_t member_used;
static unsigned short dir_class;

/*
 * "Is SELinux enabled" as libselinux 3.4 decides it (init.c: its constructor's
 * init_selinuxmnt() and has_selinux_config; enabled.c): a selinuxfs mounted
 * read-write at /sys/fs/selinux, else at /selinux, else, if the kernel
 * lists selinuxfs in /proc/filesystems (or that cannot be read), at the
 * first selinuxfs mount in /proc/mounts; and /etc/selinux/config exists.  A
 * read-only selinuxfs where one is found ends the search with "disabled".
 * The configuration is looked at first: without it (a Debian host) no
 * selinuxfs is looked for, and no /proc file is read at every login.
 *
 * selinuxfs_at(): 1 and selinuxfs set if path is a read-write selinuxfs, 0
 * if a read-only one, -1 if none is there.
 */
static int selinuxfs_at(const char *path)
{
	struct statfs st;

	if (statfs(path, &st) < 0 || (uint32_t)st.f_type != (uint32_t)SELINUX_MAGIC)
		return -1;
	if (st.f_flags & ST_RDONLY) /* statvfs()'s f_flag, which libselinux reads */
		return 0;
	if ((size_t)snprintf(selinuxfs, sizeof(selinuxfs), "%s", path) >= sizeof(selinuxfs))
		return -1;
	return 1;
}

static bool selinuxfs_listed(void)
{
	FILE *f = fopen("/proc/filesystems", "re");
	char line[256];
	bool listed = false;

	if (!f)
		return true; /* libselinux: "fail as if it exists" */
	while (!listed && fgets(line, sizeof(line), f))
		listed = strstr(line, "selinuxfs") != NULL;
	(void)fclose(f);
	return listed;
}

static int selinuxfs_in_mounts(void)
{
	FILE *f = fopen("/proc/mounts", "re");
	char *line = NULL;
	size_t cap = 0;
	int r = -1;

	if (!f)
		return -1;
	while (getline(&line, &cap, f) != -1) {
		char *dir = strchr(line, ' ');
		char *end = dir ? strchr(dir + 1, ' ') : NULL;

		if (!end)
			break;
		if (strncmp(end + 1, "selinuxfs ", 10) == 0) {
			*end = '\0';
			r = selinuxfs_at(dir + 1);
			break;
		}
	}
	free(line);
	(void)fclose(f);
	return r;
}

static bool selinux_probe(void)
{
	int r;

	/* Without a policy configuration, SELinux is off: no need to look for selinuxfs. */
	if (access("/etc/selinux/config", F_OK) != 0)
		return false;
	r = selinuxfs_at("/sys/fs/selinux");
	if (r < 0)
		r = selinuxfs_at("/selinux");
	if (r < 0 && selinuxfs_listed())
		r = selinuxfs_in_mounts();
	return r == 1;
}

/* The kernel's number for class "dir" (libselinux's string_to_security_class). */
static int read_dir_class(void)
{
	char path[PATH_MAX], buf[20] = { 0 }, *end;
	unsigned long v;
	ssize_t n;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/class/dir/index", selinuxfs) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	(void)close(fd);
	if (n < 0)
		return -errno;
	v = strtoul(buf, &end, 10);
	if (end == buf || v == 0 || v > USHRT_MAX)
		return -EINVAL;
	dir_class = (unsigned short)v;
	return 0;
}

int se_prepare(void)
{
	char path[PATH_MAX];
	int r;

	selinux_enabled = selinux_probe();
	if (!selinux_enabled)
		return 0;
	r = read_dir_class();
	if (r < 0)
		return r;
	if ((size_t)snprintf(path, sizeof(path), "%s/member", selinuxfs) >= sizeof(path))
		return -ENAMETOOLONG;
	for (int i = 0; i < SE_MEMBER_FDS; i++) {
		int fd = open(path, O_RDWR | O_CLOEXEC);

		if (fd < 0)
			return -errno;
		/* At the fixed slot the seccomp program allows write() on. */
		member_fds[i] = dup3(fd, SE_MEMBER_FD_BASE + i, O_CLOEXEC);
		(void)close(fd);
		if (member_fds[i] < 0)
			return -errno;
	}
	return 0;
}

static bool real_enabled(void)
{
	return selinux_enabled;
}

/*
 * The security.selinux xattr, as libselinux's fgetfilecon_raw() reads it.
 * The kernel's value is the context and its terminating NUL (counted in the
 * size); the buffer has a NUL after the value either way.
 */
static int real_file_context(int fd, char **con)
{
	size_t size = CONTEXT_GUESS;
	char *buf = calloc(1, size + 1), *bigger;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	n = fgetxattr(fd, XATTR_SELINUX, buf, size);
	if (n < 0 && errno == ERANGE) {
		n = fgetxattr(fd, XATTR_SELINUX, NULL, 0);
		if (n >= 0) {
			size = (size_t)n;
			bigger = realloc(buf, size + 1);
			if (!bigger) {
				free(buf);
				return -ENOMEM;
			}
			buf = bigger;
			memset(buf, 0, size + 1);
			n = fgetxattr(fd, XATTR_SELINUX, buf, size);
		}
	}
	if (n <= 0) {
		int r = n == 0 ? -EOPNOTSUPP : -errno; /* an empty value is no context */

		free(buf);
		return r;
	}
	*con = buf;
	return 0;
}

static int real_compute_member(const char *scon, const char *tcon, char **out)
{
	char buf[4096];
	ssize_t n;
	int len, member_fd;

	if (member_used == SE_MEMBER_FDS || member_fds[member_used] < 0)
		return -EMFILE; /* more context-method polydirs than the pool holds */
	member_fd = member_fds[member_used++];
	len = snprintf(buf, sizeof(buf), "%s %s %hu", scon, tcon, dir_class);
	if (len < 0 || (size_t)len >= sizeof(buf))
		return -ENAMETOOLONG;
	if (write(member_fd, buf, (size_t)len) != len)
		return -errno;
	n = read(member_fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	*out = strdup(buf);
	return *out ? 0 : -ENOMEM;
}

/* libselinux's fsetfilecon_raw(): the context with its NUL; a file system
   without the xattr that already has this context is not an error. */
static int real_set_file_context(int fd, const char *con)
{
	char *now = NULL;
	int r = 0;

	if (fsetxattr(fd, XATTR_SELINUX, con, strlen(con) + 1, 0) == 0)
		return 0;
	r = -errno;
	if (r == -EOPNOTSUPP && real_file_context(fd, &now) == 0 && now && strcmp(now, con) == 0)
		r = 0;
	free(now);
	return r;
}

static const struct se_ops real_ops = {
	real_enabled, real_file_context, real_compute_member, real_set_file_context,
};
#ifdef POLYNS_TEST_HOOKS
static const struct se_ops *ops = &real_ops;
#else
static const struct se_ops *const ops = &real_ops;
#endif

bool se_member_open(void)
{
	return member_fds[0] >= 0;
}

const struct se_ops *se_get_ops(void)
{
	return ops;
}

#ifdef POLYNS_TEST_HOOKS
void se_set_ops(const struct se_ops *new_ops)
{
	ops = new_ops;
}
#endif

int se_context_split(const char *con, struct se_context *c)
{
	unsigned int colons = 0;
	char *tok;

	memset(c, 0, sizeof(*c));
	for (const char *p = con; *p; p++) {
		if (*p == ':')
			colons++;
		else if (*p == '\t' || *p == '\n' || *p == '\r' || (*p == ' ' && colons < 3))
			return -EINVAL;
	}
	if (colons < 2 || colons > 5)
		return -EINVAL;
	c->copy = strdup(con);
	if (!c->copy)
		return -ENOMEM;
	tok = c->copy;
	for (unsigned int i = SE_CONTEXT_USER; *tok; i++) {
		char *colon;

		c->part[i] = tok;
		if (i == SE_CONTEXT_RANGE)
			break; /* the range is the rest, colons and all */
		colon = strchr(tok, ':');
		if (!colon)
			break;
		*colon = '\0';
		tok = colon + 1;
	}
	return 0;
}

void se_context_free(struct se_context *c)
{
	free(c->copy);
	c->copy = NULL;
}

/* pcon with scon's range: libselinux's context_range_set() and context_str(). */
static int with_range(const char *pcon, const char *scon, char **out)
{
	struct se_context p, s;
	size_t len = 0;
	char *cp;
	int r = se_context_split(pcon, &p);

	if (r < 0)
		return r;
	r = se_context_split(scon, &s);
	if (r < 0) {
		se_context_free(&p);
		return r;
	}
	if (!s.part[SE_CONTEXT_RANGE]) {
		r = -EINVAL;
		goto out;
	}
	p.part[SE_CONTEXT_RANGE] = s.part[SE_CONTEXT_RANGE];
	for (unsigned int i = 0; i < 4; i++)
		len += p.part[i] ? strlen(p.part[i]) + 1 : 0;
	*out = cp = malloc(len);
	if (!cp) {
		r = -ENOMEM;
		goto out;
	}
	cp = stpcpy(cp, p.part[SE_CONTEXT_USER]);
	for (unsigned int i = SE_CONTEXT_ROLE; i < 4; i++)
		if (p.part[i]) {
			*cp++ = ':';
			cp = stpcpy(cp, p.part[i]);
		}
out:
	se_context_free(&p);
	se_context_free(&s);
	return r;
}

int se_instance_context(bool level, const char *scon, const char *pcon, char **out)
{
	if (!level)
		return ops->compute_member(scon, pcon, out);
	return with_range(pcon, scon, out);
}
