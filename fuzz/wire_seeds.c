/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Writes the wire fuzzer's seeds (fuzz/corpus/wire) with the real encoders,
 * so that they follow the protocol version: `make -f fuzz/Makefile
 * wire-seeds`.  tests/run.sh fails when the committed seeds are stale.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "options.h"
#include "plan_wire.h"
#include "reg_wire.h"
#include "wire.h"

static struct wire_buf buf;

static int save(const char *dir, const char *name, int encoded)
{
	char path[4096];
	FILE *f;

	if (encoded < 0 || snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -1;
	f = fopen(path, "wb");
	if (!f)
		return -1;
	if (fwrite(buf.data, 1, buf.len, f) != buf.len) {
		(void)fclose(f);
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

static void base_request(struct wire_request *r, uint32_t op)
{
	*r = (struct wire_request){
		.op = op, .flags = POLYNS_OPT_DEBUG, .share = POLYNS_SHARE_USER,
		.ns_mask = POLYNS_NS_IPC | POLYNS_NS_PID,
		.config = "/etc/security/namespace.conf",
		.config_dir = "/etc/security/namespace.d",
		.init = "/etc/security/namespace.init", .runtime_dir = "/run/polyns",
		.service = "sshd", .context = "", .umask = 022,
		.user = { "alice", 1000, 1000, "/home/alice" },
		.ruser = { "root", 0, 0, "/root" }, .registry = "",
	};
}

/* A user /tmp and a tmpfs with options, as the plan child would send them. */
static struct plan_job jobs[2] = {
	{ .file = "/etc/security/namespace.conf", .line = 3, .method = METHOD_USER,
	  .setup = true, .dir = "/tmp", .rdir = "", .prefix = "/tmp-inst/", .name = "alice",
	  .iscript = "/etc/security/namespace.init", .mount_data = "" },
	{ .rule_index = 1, .file = "/etc/security/namespace.d/tmpfs.conf", .line = 1,
	  .method = METHOD_TMPFS, .rule_flags = RULE_MNTOPTS | RULE_NOINIT, .setup = true,
	  .dir = "/var/tmp", .rdir = "", .prefix = "x", .name = "", .iscript = "",
	  .mount_flags = 0xe, .mount_data = "size=1m,mode=0700" },
};
/* The registry child's question and its three kinds of answer. */
static const struct reg_msg reg_ask = {
	.mask = 0x9, .plan = "0123456789abcdef0123456789abcdef",
	.key = "user-1000-0123456789abcdef", .token = "", .caller = { 4242, 1234567 },
};
static const struct reg_msg reg_join = {
	.result = 1, .plan = "", .key = "",
	.token = "user-1000-0123456789abcdef/session.4242.1234567.4300",
	.caller = { 4100, 1200000 }, .n_ns = 2,
	.ns = { { 0x1, 4, 4026532178ULL }, { 0x8, 4, 4026532180ULL } },
};
static const struct reg_msg reg_refused = { .result = -17, .plan = "", .key = "", .token = "" };
static const struct wire_tree tree = { .n = 2, .result = { 0, -39 } };

int main(int argc, char **argv)
{
	static struct wire_request req;
	static struct wire_reply reply;
	static struct wire_live_query live_query = { 2, { 4026531840ULL, 12749 } };
	static struct wire_live_answer live_answer = { 2, { 1, 0 } };
	static const char *const tmpdirs[] = { "/tmp-inst/alice" };
	struct wire_log log = { 6, "polyinstantiated /tmp" };
	struct wire_names names = { 1, { "bob" }, 1, { "staff" } };
	struct wire_answer answer = { .n_users = 1, .n_groups = 1 };
	const char *dir = argc > 1 ? argv[1] : "fuzz/corpus/wire";
	int r = 0;

	answer.users[0].found = 1;
	answer.users[0].uid = 1001;
	answer.groups[0].found = 1;
	answer.groups[0].gid = 50;
	base_request(&req, OP_OPEN);
	r |= save(dir, "request", wire_encode_request(&buf, &req));
	base_request(&req, OP_CLOSE);
	req.n_cleanup = 1;
	req.cleanup[0] = tmpdirs[0];
	req.sweep_pending = 1;
	req.registry = "user-1000-0123456789abcdef/session.42.1234.43";
	r |= save(dir, "request_close", wire_encode_request(&buf, &req));
	/* unmount_on_close, and instances a live namespace still uses */
	req.n_unmount = 2;
	req.unmount[0] = "/tmp";
	req.unmount[1] = "/var/tmp";
	req.mntns_ino = 4026532178ULL;
	req.n_defer = 1;
	req.defer[0] = "/tmp-inst/alice.2";
	req.registry = "";
	r |= save(dir, "request_close_defer", wire_encode_request(&buf, &req));
	r |= save(dir, "log", wire_encode_log(&buf, &log));
	r |= save(dir, "names", wire_encode_names(&buf, &names));
	r |= save(dir, "answer", wire_encode_answer(&buf, &answer));
	r |= save(dir, "live_query", wire_encode_live_query(&buf, &live_query));
	r |= save(dir, "live_answer", wire_encode_live_answer(&buf, &live_answer));
	reply = (struct wire_reply){
		.status = STATUS_OK, .n_ns = 1,
		.ns = { { POLYNS_NS_MNT, 4, 4026532178ULL } },
		.n_inits = 1,
		.inits = { { "/etc/security/namespace.init", "/tmp", "/tmp-inst/alice", 1, 1, 1 } },
		.n_tmpdirs = 0, .n_polydirs = 1, .polydirs = { "/tmp" },
		.registry = "user-1000-0123456789abcdef/session.42.1234.43",
	};
	r |= save(dir, "reply", wire_encode_reply(&buf, &reply));
	r |= save(dir, "tree", wire_encode_tree(&buf, &tree));
	plan_wire_begin(&buf, STATUS_OK, 2);
	plan_wire_put_job(&buf, &jobs[0]);
	plan_wire_put_job(&buf, &jobs[1]);
	r |= save(dir, "plan", wire_finish(&buf));
	r |= save(dir, "registry_ask", reg_msg_encode(&buf, &reg_ask));
	r |= save(dir, "registry_join", reg_msg_encode(&buf, &reg_join));
	r |= save(dir, "registry_refused", reg_msg_encode(&buf, &reg_refused));
	if (r)
		(void)fprintf(stderr, "wire_seeds: cannot write the seeds in %s\n", dir);
	return r ? 1 : 0;
}
