/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pam_polyns: the PAM glue.  It reads its arguments and the PAM items,
 * starts polyns-helper, and joins the namespaces the helper hands back.  It
 * never parses namespace.conf and never mounts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <security/pam_ext.h>
#include <security/pam_modules.h>
#include <security/pam_modutil.h>
#include <signal.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "close_data.h"
#include "converse.h"
#include "inits.h"
#include "join.h"
#include "options.h"
#include "preflight.h"
#include "request.h"
#include "secontext.h"
#include "spawn.h"
#include "util.h"
#include "wire.h"

#define EXPORT __attribute__((visibility("default")))
#define NAME_MAX_LEN 255 /* pam_namespace's LOGIN_NAME_MAX-sized buffers */

/* User records copied out of NSS's static storage. */
struct users {
	struct passwd user, ruser;
	char buf[2][4096];
};

static int load_options(pam_handle_t *pamh, int argc, const char **argv,
			struct polyns_options *opts)
{
	char err[256];

	if (polyns_options_parse(argc, argv, opts, err, sizeof(err)) < 0) {
		pam_syslog(pamh, LOG_ERR, "invalid module argument %s", err);
		return PAM_SESSION_ERR;
	}
	return PAM_SUCCESS;
}

/*
 * Parsed and documented, but refused: a user namespace (see pam_polyns(8)),
 * and options that would change a set other sessions share.
 */
static int refuse_unsupported(pam_handle_t *pamh, const struct polyns_options *o)
{
	bool registry = polyns_uses_registry(o->share, o->ns_mask);

	if (o->ns_mask & POLYNS_NS_USER) {
		pam_syslog(pamh, LOG_ERR, "ns=user is not supported by this release");
		return PAM_SESSION_ERR;
	}
	if (!registry)
		return PAM_SUCCESS;
	if (o->unmnt != POLYNS_UNMNT_NONE) {
		pam_syslog(pamh, LOG_ERR, "unmnt_remnt and unmnt_only would change the mounts "
			   "of a set kept in the registry (share=user or group, ns=pid or "
			   "time): refused");
		return PAM_SESSION_ERR;
	}
	if (o->flags & POLYNS_OPT_UNMOUNT_ON_CLOSE) {
		pam_syslog(pamh, LOG_ERR, "unmount_on_close would unmount what other sessions "
			   "of a set kept in the registry (share=user or group, ns=pid or time) "
			   "use: refused (the set goes with its last session)");
		return PAM_SESSION_ERR;
	}
	return PAM_SUCCESS;
}

static int copy_passwd(const struct passwd *pw, struct passwd *out, char *buf,
		       size_t len)
{
	size_t nlen = strlen(pw->pw_name) + 1, hlen = strlen(pw->pw_dir) + 1;

	if (nlen + hlen > len)
		return -ENAMETOOLONG;
	memcpy(buf, pw->pw_name, nlen);
	memcpy(buf + nlen, pw->pw_dir, hlen);
	*out = (struct passwd){ .pw_name = buf, .pw_uid = pw->pw_uid,
				.pw_gid = pw->pw_gid, .pw_dir = buf + nlen };
	return 0;
}

/* PAM_USER, and the requesting user: PAM_RUSER or our real uid's. */
static int lookup_users(pam_handle_t *pamh, struct users *u)
{
	const void *item = NULL;
	const char *name = NULL;
	struct passwd *pw;

	if (pam_get_item(pamh, PAM_USER, &item) != PAM_SUCCESS || !item ||
	    !*(const char *)item) {
		pam_syslog(pamh, LOG_ERR, "no user name (PAM_USER) to open a session for");
		return PAM_SESSION_ERR;
	}
	name = item;
	/* $USER lands in paths root creates: it must be one plain component. */
	if (strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		pam_syslog(pamh, LOG_ERR, "user name '%s' cannot be used in a path", name);
		return PAM_SESSION_ERR;
	}
	pw = pam_modutil_getpwnam(pamh, name);
	if (!pw || strlen(pw->pw_name) > NAME_MAX_LEN ||
	    copy_passwd(pw, &u->user, u->buf[0], sizeof(u->buf[0])) < 0) {
		pam_syslog(pamh, LOG_ERR, "user '%s' is unknown or its name or home is too "
			   "long", name);
		return PAM_USER_UNKNOWN;
	}
	item = NULL;
	if (pam_get_item(pamh, PAM_RUSER, &item) == PAM_SUCCESS && item &&
	    *(const char *)item)
		pw = pam_modutil_getpwnam(pamh, item);
	else
		pw = pam_modutil_getpwuid(pamh, getuid());
	if (!pw || copy_passwd(pw, &u->ruser, u->buf[1], sizeof(u->buf[1])) < 0) {
		pam_syslog(pamh, LOG_ERR, "the requesting user is unknown");
		return PAM_USER_UNKNOWN;
	}
	return PAM_SUCCESS;
}

static void fill_request(pam_handle_t *pamh, const struct polyns_options *o,
			 const struct users *u, struct wire_request *req)
{
	const void *service = NULL;
	mode_t mask = umask(0);

	(void)umask(mask);
	(void)pam_get_item(pamh, PAM_SERVICE, &service);
	request_open(o, &u->user, &u->ruser, service, mask, req);
}

static int status_to_pam(uint32_t status)
{
	switch (status) {
	case STATUS_OK:
		return PAM_SUCCESS;
	case STATUS_USER_UNKNOWN:
		return PAM_USER_UNKNOWN;
	case STATUS_SYSTEM_ERR:
		return PAM_SYSTEM_ERR;
	default:
		return PAM_SESSION_ERR;
	}
}

/*
 * t: spawn started, helper exec'd, its reply read, session entered (joined,
 * the helper reaped, init scripts run).
 */
static void log_timing(pam_handle_t *pamh, const uint64_t t[4], uint64_t inits_at)
{
	uint64_t inits = inits_at ? t[3] - inits_at : 0;

	pam_syslog(pamh, LOG_DEBUG,
		   "timing of open (us): spawn %llu, helper %llu, join %llu, init scripts %llu, total %llu",
		   (unsigned long long)(t[1] - t[0]), (unsigned long long)(t[2] - t[1]),
		   (unsigned long long)(t[3] - t[2] - inits), (unsigned long long)inits,
		   (unsigned long long)(t[3] - t[0]));
}

/*
 * Join (while the helper exits), reap the helper, run the init scripts,
 * keep what close needs: all of it or, after undoing the join, none of it.
 */
static int enter_session(pam_handle_t *pamh, struct conv_state *st,
			 const struct polyns_options *o, const struct helper_result *res,
			 struct helper_proc *h, const char *user, uint64_t *inits_at)
{
	struct join_saved saved = { { 0 } };
	bool has_pid = false, joined = false;
	_cleanup_close_ int proc_fd = -1;
	int mnt_fd = -1, ret;

	for (size_t i = 0; i < sizeof(saved.orig) / sizeof(saved.orig[0]); i++)
		saved.orig[i] = -1; /* nothing to close unless join_namespaces() ran */

	for (uint32_t i = 0; i < res->reply.n_ns; i++) {
		if (res->reply.ns[i].ns_bit == POLYNS_NS_MNT)
			mnt_fd = res->fds[i];
		has_pid = has_pid || res->reply.ns[i].ns_bit == POLYNS_NS_PID;
	}
	/* The session's /proc will not show us: close scans this one. */
	proc_fd = has_pid ? open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (has_pid && proc_fd < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot open /proc: %m");
		ret = PAM_SESSION_ERR;
	} else if (mnt_fd < 0 &&
		   (res->reply.n_polydirs || res->reply.n_inits || res->reply.n_tmpdirs)) {
		pam_syslog(pamh, LOG_ERR, "helper reported polydirs without a mount namespace");
		ret = PAM_SESSION_ERR;
	} else if (join_namespaces(pamh, res, o->ns_mask, POLYNS_NS_MNT, &saved) < 0) {
		ret = PAM_SESSION_ERR;
	} else {
		joined = true;
		/* The helper exited meanwhile, and must have exited 0 (else undone below). */
		ret = converse_end(pamh, h, o->timeout_sec) < 0 ? PAM_SESSION_ERR : PAM_SUCCESS;
		if (ret == PAM_SUCCESS) {
			*inits_at = monotonic_us();
			ret = run_inits(pamh, &res->reply, user, o->timeout_sec) < 0
				      ? PAM_SESSION_ERR
				      : PAM_SUCCESS;
		}
	}
	if (ret == PAM_SUCCESS && (res->reply.n_tmpdirs > 0 || res->reply.registry[0] ||
				   ((o->flags & POLYNS_OPT_UNMOUNT_ON_CLOSE) &&
				    res->reply.n_polydirs > 0)))
		ret = close_data_store(pamh, &res->reply,
				       join_saved_fd(&saved, POLYNS_NS_MNT),
				       join_saved_fd(&saved, POLYNS_NS_PID), proc_fd);
	if (ret != PAM_SUCCESS) {
		if (joined)
			join_undo(pamh, &saved);
		(void)converse_end(pamh, h, o->timeout_sec); /* gone before another starts */
		/* Back where we started: the helper can undo what it made or counted. */
		if (res->reply.n_tmpdirs > 0 || res->reply.registry[0])
			close_data_discard(pamh, st, o, &res->reply, mnt_fd);
	}
	join_saved_close(&saved);
	return ret;
}

/* Spawn, converse, join: the caller's namespaces change only on full success. */
static int run_helper(pam_handle_t *pamh, struct conv_state *st,
		      const struct polyns_options *o, const struct wire_request *req)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old_chld;
	struct helper_proc h;
	struct helper_result res;
	struct spawn_fail fail;
	uint64_t t[4] = { monotonic_us(), 0, 0, 0 }, inits_at = 0;
	int r, ret;

	/* Our own waitpid() must find the helper: no host handler may reap it. */
	if (sigaction(SIGCHLD, &dfl, &old_chld) < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot reset SIGCHLD: %m");
		return PAM_SESSION_ERR;
	}
	r = helper_spawn(o->helper, &h, &fail);
	t[1] = monotonic_us(); /* vspawn returns once the helper is exec'd */
	if (r < 0) {
		char msg[512];

		pam_syslog(pamh, LOG_ERR, "cannot start the helper: %s",
			   spawn_describe(msg, sizeof(msg), o->helper, r, &fail));
		ret = PAM_SESSION_ERR;
	} else if (converse_reply(pamh, st, &h, req, o->timeout_sec, &res) < 0) {
		ret = PAM_SESSION_ERR;
	} else {
		t[2] = monotonic_us();
		ret = status_to_pam(res.reply.status);
		/* The helper exits meanwhile; enter_session() reaps it, on every path. */
		if (ret == PAM_SUCCESS) {
			ret = enter_session(pamh, st, o, &res, &h, req->user.name, &inits_at);
		} else {
			(void)converse_end(pamh, &h, o->timeout_sec); /* refused either way */
			/* A refusal naming a session the registry counted: counted out again. */
			if (res.reply.registry[0])
				close_data_discard(pamh, st, o, &res.reply, -1);
		}
		helper_result_close(&res);
		t[3] = monotonic_us();
		if (o->flags & POLYNS_OPT_DEBUG)
			log_timing(pamh, t, inits_at);
	}
	(void)sigaction(SIGCHLD, &old_chld, NULL);
	return ret;
}

/* 0, or a PAM status after logging why this caller cannot join namespaces. */
static int check_caller(pam_handle_t *pamh, int proc_fd, const char *step)
{
	const char *what = NULL;
	int r = preflight_check(proc_fd, &what);

	if (r == 0)
		return PAM_SUCCESS;
	pam_syslog(pamh, LOG_ERR, "%s: %s (%s)", step, what, strerror(-r));
	return PAM_SESSION_ERR;
}

/* Everything open does once the caller is known to be able to join. */
static int open_session(pam_handle_t *pamh, struct conv_state *st,
			const struct polyns_options *opts)
{
	struct wire_request req;
	struct users users;
	char *context = NULL;
	int r = lookup_users(pamh, &users);

	if (r != PAM_SUCCESS)
		return r;
	r = session_context(pamh, opts, users.user.pw_name, &context);
	if (r != PAM_SUCCESS)
		return r;
	fill_request(pamh, opts, &users, &req);
	if (context)
		req.context = context;
	r = run_helper(pamh, st, opts, &req);
	free(context);
	if (r == PAM_SUCCESS && (opts->flags & POLYNS_OPT_DEBUG))
		pam_syslog(pamh, LOG_DEBUG, "session namespaces ready for %s",
			   users.user.pw_name);
	return r;
}

EXPORT int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
			       const char **argv)
{
	struct polyns_options opts;
	struct conv_state *st;
	int r;

	(void)flags;
	r = load_options(pamh, argc, argv, &opts);
	if (r != PAM_SUCCESS)
		return r;
	r = refuse_unsupported(pamh, &opts);
	if (r != PAM_SUCCESS)
		return r;
	r = check_caller(pamh, -1, "refusing to set up namespaces");
	if (r != PAM_SUCCESS)
		return r;
	st = conv_state_new(pamh);
	if (!st) {
		pam_syslog(pamh, LOG_ERR, "out of memory");
		return PAM_BUF_ERR;
	}
	r = open_session(pamh, st, &opts);
	conv_state_free(pamh);
	return r;
}

EXPORT int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
				const char **argv)
{
	struct polyns_options opts;
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old_chld;
	struct conv_state *st;
	int proc_fd;

	(void)flags;
	/* share=session namespaces end with their last process; tmpdirs do not. */
	if (!close_data_kept(pamh, &proc_fd))
		return PAM_SUCCESS;
	/* Close never fails a logout: what it cannot do is logged and left. */
	if (load_options(pamh, argc, argv, &opts) != PAM_SUCCESS ||
	    check_caller(pamh, proc_fd, "close: leaving the session's instances and "
			 "shared sets as they are") != PAM_SUCCESS)
		return PAM_SUCCESS;
	st = conv_state_new(pamh);
	if (!st) {
		pam_syslog(pamh, LOG_ERR, "close: out of memory");
		return PAM_SUCCESS;
	}
	if (sigaction(SIGCHLD, &dfl, &old_chld) < 0) {
		pam_syslog(pamh, LOG_ERR, "close: cannot reset SIGCHLD: %m");
	} else {
		close_data_cleanup(pamh, st, &opts);
		(void)sigaction(SIGCHLD, &old_chld, NULL);
	}
	conv_state_free(pamh);
	return PAM_SUCCESS;
}
