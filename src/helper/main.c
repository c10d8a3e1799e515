/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * polyns-helper: started by pam_polyns.so with its socket at fd 3, an empty
 * environment, no other fds, uid/gid 0.  Never run by hand.
 *
 * Order: check the peer; drop to the capabilities we can ever need, set
 * no_new_privs and load the seccomp allowlist; only then read the request
 * and the configuration.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "channel.h"
#include "cleanup.h"
#include "hlog.h"
#include "nsmake.h"
#include "options.h"
#include "peer.h"
#include "privs.h"
#include "procid.h"
#include "sandbox.h"
#include "selinux_label.h"
#include "session.h"
#include "shared.h"
#include "test_hook.h"
#include "wire.h"

#define SOCK WIRE_FD_SLOT

static int send_reply(const struct wire_reply *reply, const struct made_ns *made)
{
	static struct wire_buf b;
	int r;

	test_hook("reply", SOCK);
	r = wire_encode_reply(&b, reply);
	if (r == 0)
		r = channel_send(SOCK, &b, made->fds, made->n);
	return r;
}

static int read_request(uint8_t *msg, struct wire_request *req)
{
	struct wire_reader rd;
	uint32_t type;
	size_t n_fds;
	ssize_t len = channel_recv(SOCK, msg, NULL, 0, &n_fds);

	if (len < 0)
		return (int)len;
	if (wire_open(msg, (size_t)len, &type, &rd) < 0 || type != MSG_REQUEST)
		return -EBADMSG;
	return wire_decode_request(&rd, req);
}

static int fail(const char *what, int r)
{
	static const struct made_ns none;
	static const struct wire_reply error = { .status = STATUS_SYSTEM_ERR };

	hlog(LOG_ERR, "%s: %s", what, strerror(-r));
	(void)privs_enter(PHASE_REPLY); /* best effort: we are about to exit anyway */
	(void)send_reply(&error, &none);
	return 1;
}

/* End the session's place in a shared set, then its own instances. */
static enum wire_status close_all(const struct wire_request *req)
{
	enum wire_status a = STATUS_OK, b;

	if (req->registry[0])
		a = shared_close(req);
	b = close_session(req);
	return a != STATUS_OK ? a : b;
}

int main(int argc, char **argv)
{
	static uint8_t msg[WIRE_MAX_MSG];
	static struct wire_request req;
	static struct session_state st;
	int r;

	(void)argv;
	if (argc != 1) {
		(void)fprintf(stderr, "polyns-helper is started by pam_polyns.so; "
				      "it takes no arguments (see polyns-helper(8))\n");
		return 2;
	}
	test_hook_load();
	test_hook("start", SOCK);
	r = peer_check(SOCK);
	if (r < 0) {
		(void)fprintf(stderr, "polyns-helper: fd %d is not a socket from a "
				      "root parent: %s\n", SOCK, strerror(-r));
		return 2;
	}
	hlog_init(SOCK, false);
	/* /proc as we find it: a session's pid namespace may mount its own later. */
	r = procid_init();
	if (r < 0)
		return fail("opening /proc", r);
	r = privs_init();
	if (r < 0)
		return fail("dropping capabilities", r);
	r = se_prepare();
	if (r < 0)
		return fail("preparing SELinux", r);
	r = sandbox_enter(se_member_open());
	if (r < 0)
		return fail("entering the seccomp sandbox", r);
	test_hook("sandboxed", SOCK);

	r = read_request(msg, &req);
	if (r < 0)
		return fail("reading the request", r);
	hlog_init(SOCK, req.flags & POLYNS_OPT_DEBUG);
	test_hook("request", SOCK);
	test_hook_selinux(&req.context);
	if (req.op == OP_OPEN) {
		session_open(SOCK, &req, &st);
	} else {
		r = privs_enter(PHASE_CLEANUP);
		st.reply.status = r < 0 ? STATUS_SYSTEM_ERR : close_all(&req);
	}
	test_hook("namespaces", SOCK);
	/* Whatever happened above, the reply goes out with no capability left. */
	if (privs_enter(PHASE_REPLY) < 0) {
		session_state_free(&st);
		return fail("dropping the last capabilities", -EPERM);
	}
	r = send_reply(&st.reply, &st.made);
	session_state_free(&st);
	return r < 0 ? 1 : 0;
}
