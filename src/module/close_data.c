/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "close_data.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <security/pam_ext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "converse.h"
#include "spawn.h"
#include "util.h"

#define DATA_KEY "pam_polyns:close_data"

struct close_data {
	int mntns_fd; /* the namespace the session was opened from */
	int pidns_fd; /* the pid namespace our children were in before, or -1 */
	int proc_fd;  /* with pidns_fd: /proc as it was before (the session's
			 mount namespace shows the pid namespace's, without us) */
	uint32_t n_tmpdirs, n_polydirs;
	char *registry; /* our session in a shared set, or NULL */
	char *tmpdirs[WIRE_MAX_POLYDIRS];
	char *polydirs[WIRE_MAX_POLYDIRS];
};

static void free_data(pam_handle_t *pamh, void *data, int error_status)
{
	struct close_data *cd = data;

	(void)pamh;
	(void)error_status;
	if (cd->mntns_fd >= 0)
		(void)close(cd->mntns_fd);
	if (cd->pidns_fd >= 0)
		(void)close(cd->pidns_fd);
	if (cd->proc_fd >= 0)
		(void)close(cd->proc_fd);
	for (uint32_t i = 0; i < cd->n_tmpdirs; i++)
		free(cd->tmpdirs[i]);
	for (uint32_t i = 0; i < cd->n_polydirs; i++)
		free(cd->polydirs[i]);
	free(cd->registry);
	free(cd);
}

static int copy_list(char **dst, uint32_t *n, const char *const *src, uint32_t count)
{
	for (*n = 0; *n < count; (*n)++)
		if (!(dst[*n] = strdup(src[*n])))
			return -ENOMEM;
	return 0;
}

int close_data_store(pam_handle_t *pamh, const struct wire_reply *reply, int orig_mnt_fd,
		     int orig_pid_fd, int proc_fd)
{
	struct close_data *cd = calloc(1, sizeof(*cd));

	if (!cd)
		return PAM_BUF_ERR;
	cd->mntns_fd = orig_mnt_fd >= 0 ? fcntl(orig_mnt_fd, F_DUPFD_CLOEXEC, 3) : -1;
	cd->pidns_fd = orig_pid_fd >= 0 ? fcntl(orig_pid_fd, F_DUPFD_CLOEXEC, 3) : -1;
	cd->proc_fd = proc_fd >= 0 ? fcntl(proc_fd, F_DUPFD_CLOEXEC, 3) : -1;
	if (reply->registry[0])
		cd->registry = strdup(reply->registry);
	if ((orig_mnt_fd >= 0 && cd->mntns_fd < 0) || (orig_pid_fd >= 0 && cd->pidns_fd < 0) ||
	    (proc_fd >= 0 && cd->proc_fd < 0) ||
	    (reply->registry[0] && !cd->registry) ||
	    copy_list(cd->tmpdirs, &cd->n_tmpdirs, reply->tmpdirs, reply->n_tmpdirs) < 0 ||
	    copy_list(cd->polydirs, &cd->n_polydirs, reply->polydirs, reply->n_polydirs) < 0 ||
	    pam_set_data(pamh, DATA_KEY, cd, free_data) != PAM_SUCCESS) {
		pam_syslog(pamh, LOG_ERR, "cannot keep the data close_session needs");
		free_data(pamh, cd, 0);
		return PAM_SYSTEM_ERR;
	}
	return PAM_SUCCESS;
}

#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID _IOR(0xb7, 0x5, uint64_t) /* Linux 6.8; not in 6.1 headers */
#endif

/*
 * A mount namespace's identity: its 64-bit id, never reused (Linux 6.8+),
 * or else its nsfs inode number, which the kernel may reuse (then an old
 * instance is merely kept longer).
 */
static int mntns_id(int proc_fd, const char *path, uint64_t *id)
{
	struct stat st;
	int fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
	int r = 0;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, NS_GET_MNTNS_ID, id) < 0) {
		if (fstat(fd, &st) < 0)
			r = -errno;
		else
			*id = st.st_ino;
	}
	(void)close(fd);
	return r;
}

static bool owned_by_root(int proc_fd, long pid)
{
	char path[32];
	struct stat st;

	(void)snprintf(path, sizeof(path), "%ld", pid);
	return fstatat(proc_fd, path, &st, 0) == 0 && st.st_uid == 0;
}

/*
 * One read-only pass over /proc: how many other processes share our mount
 * namespace, and which mount namespaces have processes at all (so that
 * instances kept at an earlier close can go once theirs is gone).  This is a
 * liveness count, never a way to pick a namespace to join.
 */
static int scan_mount_namespaces(struct wire_request *req, int *others, int proc_fd)
{
	struct dirent *de;
	pid_t me = getpid();
	uint64_t self = 0, id = 0;
	bool overflow = false;
	int dir_fd;
	DIR *d;

	*others = 0;
	req->n_live = 0;
	if (mntns_id(proc_fd, "self/ns/mnt", &self) < 0)
		return -errno;
	dir_fd = openat(proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = dir_fd < 0 ? NULL : fdopendir(dir_fd);
	if (!d) {
		if (dir_fd >= 0)
			(void)close(dir_fd);
		return -errno;
	}
	req->mntns_ino = self;
	while ((de = readdir(d))) {
		char path[64], *end;
		long pid = strtol(de->d_name, &end, 10);
		uint32_t i;

		if (*end || pid <= 0)
			continue;
		(void)snprintf(path, sizeof(path), "%ld/ns/mnt", pid);
		int r = mntns_id(proc_fd, path, &id);

		if (r == -ENOENT || r == -ESRCH)
			continue; /* gone, or a zombie */
		if (r < 0 && !owned_by_root(proc_fd, pid)) {
			/*
			 * A user's process we may not inspect (an LSM, no ptrace
			 * right): it could be the session's, so we cannot tell
			 * who is left.  Root's own processes outside our reach
			 * (an ancestor namespace's init) are not the session's.
			 */
			(void)closedir(d);
			req->n_live = 0;
			return r;
		}
		if (r < 0)
			continue;
		if (pid != me && id == self)
			(*others)++;
		for (i = 0; i < req->n_live && req->live[i] != id; i++)
			;
		if (i < req->n_live || overflow)
			continue;
		if (req->n_live == WIRE_MAX_LIVE)
			overflow = true; /* too many to tell: sweep nothing this time */
		else
			req->live[req->n_live++] = id;
	}
	(void)closedir(d);
	if (overflow)
		req->n_live = 0;
	return 0;
}

static void run_close_helper(pam_handle_t *pamh, struct conv_state *st,
			     const struct polyns_options *o, const struct wire_request *req,
			     int mntns_fd)
{
	struct helper_proc h;
	struct helper_result res;
	struct spawn_fail fail;
	int r = helper_spawn_in(o->helper, mntns_fd, &h, &fail);

	if (r < 0) {
		char msg[512];

		pam_syslog(pamh, LOG_ERR, "cannot start the helper at close: %s",
			   spawn_describe(msg, sizeof(msg), o->helper, r, &fail));
		return;
	}
	if (converse(pamh, st, &h, req, o->timeout_sec, &res) < 0)
		return;
	if (res.reply.status != STATUS_OK)
		pam_syslog(pamh, LOG_ERR, "close: some instances could not be removed");
	helper_result_close(&res);
}

static void close_request(pam_handle_t *pamh, const struct polyns_options *opts,
			  struct wire_request *req)
{
	const void *user = NULL;

	(void)pam_get_item(pamh, PAM_USER, &user);
	*req = (struct wire_request){
		.op = OP_CLOSE, .flags = opts->flags, .config = opts->config,
		.config_dir = opts->config_dir, .init = opts->init,
		.runtime_dir = opts->runtime_dir, .service = "", .context = "",
		.user = { user ? user : "?", 0, 0, "" },
		.ruser = { user ? user : "?", 0, 0, "" }, .registry = "",
	};
}

void close_data_discard(pam_handle_t *pamh, struct conv_state *st,
			const struct polyns_options *opts, const struct wire_reply *reply)
{
	struct wire_request *req = &st->close_req;

	close_request(pamh, opts, req);
	for (uint32_t i = 0; i < reply->n_tmpdirs; i++)
		req->cleanup[req->n_cleanup++] = reply->tmpdirs[i];
	req->registry = reply->registry;
	run_close_helper(pamh, st, opts, req, -1);
}

bool close_data_kept(pam_handle_t *pamh, int *proc_fd)
{
	const void *data = NULL;

	*proc_fd = -1;
	if (pam_get_data(pamh, DATA_KEY, &data) != PAM_SUCCESS || !data)
		return false;
	*proc_fd = ((const struct close_data *)data)->proc_fd;
	return true;
}

void close_data_cleanup(pam_handle_t *pamh, struct conv_state *st,
			const struct polyns_options *opts)
{
	struct wire_request *req = &st->close_req;
	const void *data = NULL;
	const struct close_data *cd;
	bool unmount = opts->flags & POLYNS_OPT_UNMOUNT_ON_CLOSE;
	int others = 0; /* other processes in our mount namespace; -1: unknown */
	int proc;

	if (pam_get_data(pamh, DATA_KEY, &data) != PAM_SUCCESS || !data)
		return;
	cd = data;
	close_request(pamh, opts, req);
	proc = cd->proc_fd >= 0 ? fcntl(cd->proc_fd, F_DUPFD_CLOEXEC, 3)
				: open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (proc < 0 || scan_mount_namespaces(req, &others, proc) < 0) {
		/* Cannot tell who still runs, nor name our namespace: keep, unrecorded. */
		if (cd->n_tmpdirs > 0)
			pam_syslog(pamh, LOG_ERR, "cannot scan /proc at close: keeping %u "
				   "tmpdir instance(s)", cd->n_tmpdirs);
		others = -1;
	}
	if (proc >= 0)
		(void)close(proc);
	if (cd->registry)
		req->registry = cd->registry;
	/*
	 * Our children are in the set's pid namespace; the close helper must
	 * not be (its init ignores SIGKILL from inside).  The session is over:
	 * later children of ours go back where they were before it.
	 */
	if (cd->pidns_fd >= 0 && setns(cd->pidns_fd, CLONE_NEWPID) < 0)
		pam_syslog(pamh, LOG_ERR, "cannot leave the session's pid namespace: %m");
	for (uint32_t i = 0; unmount && i < cd->n_polydirs; i++)
		req->unmount[req->n_unmount++] = cd->polydirs[i];
	for (uint32_t i = 0; i < cd->n_tmpdirs; i++) {
		if (others == 0)
			req->cleanup[req->n_cleanup++] = cd->tmpdirs[i];
		else if (others > 0)
			req->defer[req->n_defer++] = cd->tmpdirs[i];
	}
	/*
	 * After unmount_on_close the instance paths are plain again in the
	 * session's namespace; otherwise work from the one we started in.
	 */
	if (req->n_unmount || req->n_cleanup || req->n_defer || req->registry[0])
		run_close_helper(pamh, st, opts, req, req->n_unmount ? -1 : cd->mntns_fd);
	(void)pam_set_data(pamh, DATA_KEY, NULL, NULL);
}
