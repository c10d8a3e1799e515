/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "join.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <limits.h>
#include <sched.h>
#include <security/pam_ext.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <syslog.h>
#include <unistd.h>

#include "options.h"
#include "util.h"

/* user first (it changes what later joins are checked against), mnt last. */
static const unsigned int join_order[] = {
	POLYNS_NS_USER, POLYNS_NS_IPC,	POLYNS_NS_UTS, POLYNS_NS_NET,
	POLYNS_NS_CGROUP, POLYNS_NS_TIME, POLYNS_NS_PID, POLYNS_NS_MNT,
};

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static int check_fd(pam_handle_t *pamh, int fd, const struct wire_ns *id)
{
	const char *name = polyns_ns_name(id->ns_bit);
	char self_path[64];
	struct statfs sfs;
	struct stat st, own_user, self, owner;
	int owner_fd, type;

	(void)snprintf(self_path, sizeof(self_path), "/proc/self/ns/%s", name);
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != NSFS_MAGIC || fstat(fd, &st) < 0) {
		pam_syslog(pamh, LOG_ERR, "helper's %s fd is not a namespace", name);
		return -EBADF;
	}
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type != polyns_ns_clone_flag(id->ns_bit) || st.st_dev != id->dev ||
	    st.st_ino != id->ino) {
		pam_syslog(pamh, LOG_ERR, "helper's %s fd has the wrong type or identity",
			   name);
		return -EBADF;
	}
	if (stat(self_path, &self) < 0 || same_file(&self, &st)) {
		pam_syslog(pamh, LOG_ERR, "helper's %s namespace is the one we are in", name);
		return -EBADF;
	}
	if (id->ns_bit == POLYNS_NS_USER)
		return 0;
	owner_fd = ioctl(fd, NS_GET_USERNS);
	if (owner_fd < 0 || fstat(owner_fd, &owner) < 0 ||
	    stat("/proc/self/ns/user", &own_user) < 0) {
		int e = errno;

		if (owner_fd >= 0)
			(void)close(owner_fd);
		pam_syslog(pamh, LOG_ERR, "cannot tell which user namespace owns the helper's "
			   "%s namespace: %s", name, strerror(e));
		return -e;
	}
	(void)close(owner_fd);
	if (!same_file(&owner, &own_user)) {
		pam_syslog(pamh, LOG_ERR, "helper's %s namespace is not owned by our user "
			   "namespace", name);
		return -EPERM;
	}
	return 0;
}

static int verify(pam_handle_t *pamh, const struct helper_result *res,
		  unsigned int want_mask, unsigned int allowed_extra)
{
	unsigned int seen = 0;

	for (uint32_t i = 0; i < res->reply.n_ns; i++) {
		unsigned int bit = res->reply.ns[i].ns_bit;
		int r;

		if ((seen & bit) || !(bit & (want_mask | allowed_extra))) {
			pam_syslog(pamh, LOG_ERR, "helper returned an unexpected %s namespace",
				   polyns_ns_name(bit));
			return -EBADMSG;
		}
		seen |= bit;
		r = check_fd(pamh, res->fds[i], &res->reply.ns[i]);
		if (r < 0)
			return r;
	}
	if ((seen & want_mask) != want_mask) {
		pam_syslog(pamh, LOG_ERR, "helper did not return every requested namespace");
		return -EBADMSG;
	}
	return 0;
}

static int fd_for(const struct helper_result *res, unsigned int bit)
{
	for (uint32_t i = 0; i < res->reply.n_ns; i++)
		if (res->reply.ns[i].ns_bit == bit)
			return res->fds[i];
	return -1;
}

/* Go back to the namespaces in orig[] for the first n of join_order. */
static void undo(pam_handle_t *pamh, const int *orig, size_t n)
{
	while (n-- > 0) {
		if (orig[n] >= 0 &&
		    setns(orig[n], polyns_ns_clone_flag(join_order[n])) < 0)
			pam_syslog(pamh, LOG_CRIT, "could not return to the original %s "
				   "namespace: %m", polyns_ns_name(join_order[n]));
	}
}

static int enter_all(pam_handle_t *pamh, const struct helper_result *res, int *orig)
{
	size_t done = 0;
	int r = 0;

	for (; done < ARRAY_SIZE(join_order); done++) {
		unsigned int bit = join_order[done];
		int fd = fd_for(res, bit);

		if (fd < 0)
			continue;
		if (setns(fd, polyns_ns_clone_flag(bit)) < 0) {
			r = -errno;
			pam_syslog(pamh, LOG_ERR, "joining the new %s namespace failed: %m",
				   polyns_ns_name(bit));
			break;
		}
	}
	if (r < 0)
		undo(pamh, orig, done);
	return r;
}

_Static_assert(ARRAY_SIZE(join_order) == ARRAY_SIZE(((struct join_saved *)0)->orig),
	       "one saved fd per namespace type");

void join_saved_close(struct join_saved *saved)
{
	for (size_t i = 0; i < ARRAY_SIZE(join_order); i++) {
		if (saved->orig[i] >= 0)
			(void)close(saved->orig[i]);
		saved->orig[i] = -1;
	}
}

void join_undo(pam_handle_t *pamh, struct join_saved *saved)
{
	undo(pamh, saved->orig, ARRAY_SIZE(join_order));
	join_saved_close(saved);
}

int join_saved_fd(const struct join_saved *saved, unsigned int ns_bit)
{
	for (size_t i = 0; i < ARRAY_SIZE(join_order); i++)
		if (join_order[i] == ns_bit)
			return saved->orig[i];
	return -1;
}

int join_namespaces(pam_handle_t *pamh, const struct helper_result *res,
		    unsigned int want_mask, unsigned int allowed_extra,
		    struct join_saved *saved)
{
	int *orig = saved->orig;
	char cwd[PATH_MAX];
	bool have_cwd;
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(join_order); i++)
		orig[i] = -1;
	r = verify(pamh, res, want_mask, allowed_extra);
	if (r < 0 || res->reply.n_ns == 0)
		return r;
	/* Keep a way back to every namespace we are about to leave. */
	for (size_t i = 0; i < ARRAY_SIZE(join_order); i++) {
		char path[64];

		if (fd_for(res, join_order[i]) < 0)
			continue;
		/* pid and time: setns() changes what our children get, so save that. */
		(void)snprintf(path, sizeof(path), "/proc/self/ns/%s%s",
			       polyns_ns_name(join_order[i]),
			       join_order[i] & (POLYNS_NS_PID | POLYNS_NS_TIME) ? "_for_children" : "");
		orig[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (orig[i] < 0) {
			r = -errno;
			pam_syslog(pamh, LOG_ERR, "cannot open %s: %m", path);
		}
	}
	have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;
	if (r == 0)
		r = enter_all(pamh, res, orig);
	/* setns(CLONE_NEWNS) moves us to the new root; come back to the same path. */
	if (r == 0 && fd_for(res, POLYNS_NS_MNT) >= 0 && have_cwd && chdir(cwd) < 0)
		pam_syslog(pamh, LOG_NOTICE, "cannot return to %s in the new mount "
			   "namespace: %m", cwd);
	if (r < 0)
		join_saved_close(saved);
	return r;
}
