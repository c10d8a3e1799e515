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

#include "channel.h"
#include "converse.h"
#include "spawn.h"
#include "nsid.h"
#include "options.h"
#include "request.h"
#include "util.h"

#define DATA_KEY "pam_polyns:close_data"

struct close_data {
	int mntns_fd; /* the namespace the session was opened from */
	int pidns_fd; /* the pid namespace our children were in before, or -1 */
	int proc_fd;  /* with pidns_fd: /proc as it was before (the session's
			 mount namespace shows the pid namespace's, without us) */
	int scan_fd;  /* during the close conversation: the /proc to answer a
			 MSG_LIVE_QUERY from, or -1 (no query expected) */
	bool answered; /* one query per close */
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
	cd->scan_fd = -1;
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

static int mntns_id(int proc_fd, const char *path, uint64_t *id)
{
	int fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -errno;
	r = ns_mntns_id(fd, id);
	(void)close(fd);
	return r;
}

/*
 * A process whose mount namespace could not be read: gone since (its
 * namespace link can answer EACCES once the task is reaped, before its
 * /proc entry goes), or root's and not the session's.
 */
static bool gone_or_root(int proc_fd, long pid)
{
	char path[32];
	struct stat st;

	(void)snprintf(path, sizeof(path), "%ld", pid);
	if (fstatat(proc_fd, path, &st, 0) < 0)
		return errno == ENOENT;
	return st.st_uid == 0;
}

/*
 * One read-only pass over /proc: fn(pid, id, ctx) for every process's mount
 * namespace.  A user's process we may not inspect (an LSM, no ptrace right)
 * could be anyone's: the pass fails with -errno and nothing may be
 * concluded.  Root's own processes outside our reach (an ancestor
 * namespace's init) are not the session's and are skipped.  This is a
 * liveness count, never a way to pick a namespace to join.
 */
static int each_mount_namespace(int proc_fd, void (*fn)(long pid, uint64_t id, void *ctx),
				void *ctx)
{
	int dir_fd = openat(proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dir_fd < 0 ? NULL : fdopendir(dir_fd);
	struct dirent *de;
	uint64_t id = 0;
	int r = 0;

	if (!d) {
		r = -errno;
		if (dir_fd >= 0)
			(void)close(dir_fd);
		return r;
	}
	while (r == 0 && (errno = 0, de = readdir(d))) {
		char path[64], *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0)
			continue;
		(void)snprintf(path, sizeof(path), "%ld/ns/mnt", pid);
		r = mntns_id(proc_fd, path, &id);
		if (r == 0)
			fn(pid, id, ctx);
		else if (r == -ENOENT || r == -ESRCH || gone_or_root(proc_fd, pid))
			r = 0; /* gone, a zombie, or root's and not the session's */
	}
	if (r == 0 && errno)
		r = -errno;
	(void)closedir(d);
	return r;
}

struct others {
	long me;
	uint64_t self;
	int n;
};

static void count_other(long pid, uint64_t id, void *ctx)
{
	struct others *o = ctx;

	if (pid != o->me && id == o->self)
		o->n++;
}

/*
 * How many other processes share our mount namespace, and its id in req:
 * 0 or -errno.  Whatever else runs on the host costs nothing more than the
 * pass: other mount namespaces are looked at later, and only those of
 * pending records (close_data_answer_live).
 */
static int count_others(struct wire_request *req, int *others, int proc_fd, bool needed)
{
	struct others o = { (long)getpid(), 0, 0 };
	int r = mntns_id(proc_fd, "self/ns/mnt", &o.self);

	*others = 0;
	if (r == 0 && needed)
		r = each_mount_namespace(proc_fd, count_other, &o);
	if (r < 0)
		return r;
	req->mntns_ino = o.self;
	*others = o.n;
	return 0;
}

/* One answer's working memory: too large for the stack, never a static. */
struct live_work {
	struct wire_live_query q;
	struct wire_live_answer a;
	uint64_t sorted[WIRE_MAX_LIVE]; /* the query's ids, sorted */
	bool live[WIRE_MAX_LIVE];       /* by position in sorted */
	uint32_t n;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static void mark_live(long pid, uint64_t id, void *ctx)
{
	struct live_work *w = ctx;
	const uint64_t *hit = bsearch(&id, w->sorted, w->n, sizeof(w->sorted[0]), cmp_u64);

	(void)pid;
	if (hit)
		w->live[hit - w->sorted] = true;
}

/* For each id asked about: 1 if a process is in it, or if that cannot be told. */
static void answer_from_proc(int proc_fd, struct live_work *w)
{
	bool unknown;

	w->n = w->q.n;
	memcpy(w->sorted, w->q.ids, sizeof(w->q.ids[0]) * w->q.n);
	qsort(w->sorted, w->n, sizeof(w->sorted[0]), cmp_u64);
	unknown = each_mount_namespace(proc_fd, mark_live, w) < 0;
	w->a.n = w->q.n;
	for (uint32_t i = 0; i < w->q.n; i++) {
		const uint64_t *hit = bsearch(&w->q.ids[i], w->sorted, w->n,
					      sizeof(w->sorted[0]), cmp_u64);

		w->a.live[i] = unknown || (hit && w->live[hit - w->sorted]);
	}
}

int close_data_answer_live(pam_handle_t *pamh, int sock, struct wire_reader *rd,
			   struct wire_buf *out)
{
	const void *data = NULL;
	struct close_data *cd;
	struct live_work *w;
	int r;

	if (pam_get_data(pamh, DATA_KEY, &data) != PAM_SUCCESS || !data)
		return -EBADMSG;
	cd = (struct close_data *)data; /* ours, from close_data_store */
	if (cd->scan_fd < 0 || cd->answered)
		return -EBADMSG;
	cd->answered = true;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	r = wire_decode_live_query(rd, &w->q);
	if (r == 0) {
		answer_from_proc(cd->scan_fd, w);
		r = wire_encode_live_answer(out, &w->a);
	}
	free(w);
	return r < 0 ? r : channel_send(sock, out, NULL, 0);
}

/* The helper at close; *exec_at: when it was exec'd (for the debug timing line). */
static void run_close_helper(pam_handle_t *pamh, struct conv_state *st,
			     const struct polyns_options *o, const struct wire_request *req,
			     int mntns_fd, uint64_t *exec_at)
{
	struct helper_proc h;
	struct helper_result res;
	struct spawn_fail fail;
	int r = helper_spawn_in(o->helper, mntns_fd, &h, &fail);

	*exec_at = monotonic_us();
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
	request_close(opts, user, req);
}

void close_data_discard(pam_handle_t *pamh, struct conv_state *st,
			const struct polyns_options *opts, const struct wire_reply *reply,
			int mnt_fd)
{
	struct wire_request *req = &st->close_req;
	uint64_t exec_at;

	close_request(pamh, opts, req);
	/* The instances' pending records name the session's mount namespace. */
	if (mnt_fd >= 0 && ns_mntns_id(mnt_fd, &req->mntns_ino) < 0)
		req->mntns_ino = 0;
	for (uint32_t i = 0; i < reply->n_tmpdirs; i++)
		req->cleanup[req->n_cleanup++] = reply->tmpdirs[i];
	req->registry = reply->registry;
	run_close_helper(pamh, st, opts, req, -1, &exec_at);
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
	struct close_data *cd;
	bool unmount = opts->flags & POLYNS_OPT_UNMOUNT_ON_CLOSE;
	int others = 0; /* other processes in our mount namespace; -1: unknown */
	uint64_t t[4] = { monotonic_us(), 0, 0, 0 }; /* start, helper started, exec'd, end */
	int proc, r;

	if (pam_get_data(pamh, DATA_KEY, &data) != PAM_SUCCESS || !data)
		return;
	cd = (struct close_data *)data; /* ours, from close_data_store */
	close_request(pamh, opts, req);
	proc = cd->proc_fd >= 0 ? fcntl(cd->proc_fd, F_DUPFD_CLOEXEC, 3)
				: open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* Only tmpdirs ask who else is in our namespace: the scan is a stat of every process. */
	r = proc < 0 ? -errno : count_others(req, &others, proc, cd->n_tmpdirs > 0);
	if (r < 0) {
		/* Cannot tell who still runs, nor name our namespace: keep them (recorded at open). */
		if (cd->n_tmpdirs > 0)
			pam_syslog(pamh, LOG_ERR, "cannot scan /proc at close (%s): keeping %u "
				   "tmpdir instance(s)", strerror(-r), cd->n_tmpdirs);
		others = -1;
	} else {
		/* The same /proc answers the helper's question about pending records. */
		req->sweep_pending = 1;
		cd->scan_fd = proc;
		cd->answered = false;
	}
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
	t[1] = t[2] = monotonic_us();
	if (req->n_unmount || req->n_cleanup || req->n_defer || req->registry[0])
		run_close_helper(pamh, st, opts, req, req->n_unmount ? -1 : cd->mntns_fd, &t[2]);
	cd->scan_fd = -1;
	if (proc >= 0)
		(void)close(proc);
	(void)pam_set_data(pamh, DATA_KEY, NULL, NULL);
	t[3] = monotonic_us();
	if (opts->flags & POLYNS_OPT_DEBUG)
		pam_syslog(pamh, LOG_DEBUG, "timing of close (us): before the helper %llu, "
			   "spawn %llu, helper %llu, total %llu",
			   (unsigned long long)(t[1] - t[0]), (unsigned long long)(t[2] - t[1]),
			   (unsigned long long)(t[3] - t[2]), (unsigned long long)(t[3] - t[0]));
}
