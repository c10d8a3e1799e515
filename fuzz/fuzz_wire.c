/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: one datagram of the module <-> helper protocol through the
 * header check and every decoder, as either side would read it; and the
 * helper's own messages from its children (MSG_PLAN, MSG_TREE, MSG_REGISTRY),
 * which the helper reads from processes that handled untrusted input.
 *
 * The header's length field must equal the payload's size, which a mutation
 * of the payload almost never keeps: the raw input goes through wire_open()
 * once as it is (the header check), then again with the length set to what
 * follows the header, so that payloads of any shape reach the decoders.
 *
 * Every message that decodes must encode back to the same bytes: a decoder
 * that accepts what no encoder writes is a bug (two readings of one message).
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "plan_wire.h"
#include "reg_wire.h"
#include "registry.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEADER_SIZE 12
#define LENGTH_OFFSET 8

static struct wire_buf again;

static void same_bytes(int encoded, const uint8_t *data, size_t size)
{
	if (encoded < 0 || again.len != size || memcmp(again.data, data, size) != 0)
		__builtin_trap();
}

static void check_plan(const uint8_t *data, size_t size, struct wire_reader *rd)
{
	static struct plan_job jobs[PLAN_MAX_JOBS];
	enum wire_status status;
	size_t n = 0;

	if (plan_wire_open(rd, &status, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (plan_wire_get_job(rd, &jobs[i]) < 0)
			return;
	if (wire_done(rd) < 0)
		return;
	plan_wire_begin(&again, status, n);
	for (size_t i = 0; i < n; i++)
		plan_wire_put_job(&again, &jobs[i]);
	same_bytes(wire_finish(&again), data, size);
}

/*
 * A token the helper takes from its registry child goes into the reply: the
 * module must accept it there.  The helper's key (what comes before the '/',
 * as the helper makes keys: [a-z0-9-]) is not in the answer; take the token's.
 */
static void check_token(const struct reg_msg *m)
{
	static struct wire_reply reply;
	struct wire_reply r = { .status = STATUS_OK, .registry = m->token };
	char key[REG_KEY_MAX];
	const char *slash = strchr(m->token, '/');
	size_t len = slash ? (size_t)(slash - m->token) : 0;
	struct wire_reader rd;
	uint32_t type;

	if (len == 0 || len >= sizeof(key) ||
	    strspn(m->token, "abcdefghijklmnopqrstuvwxyz0123456789-") != len)
		return;
	memcpy(key, m->token, len);
	key[len] = '\0';
	if (reg_msg_join_ok(m, key, POLYNS_NS_ALL, REG_KEY_MAX + 64) < 0)
		return;
	if (wire_encode_reply(&again, &r) < 0 || wire_open(again.data, again.len, &type, &rd) < 0 ||
	    wire_decode_reply(&rd, &reply) < 0)
		__builtin_trap();
}

static void check_registry(const uint8_t *data, size_t size)
{
	static struct reg_msg m;

	if (reg_msg_decode(data, size, &m) < 0)
		return;
	same_bytes(reg_msg_encode(&again, &m), data, size);
	check_token(&m);
}

static void decode_all(const uint8_t *data, size_t size)
{
	static struct wire_request req;
	static struct wire_log log;
	static struct wire_names names;
	static struct wire_answer answer;
	static struct wire_reply reply;
	static struct wire_live_query live_query;
	static struct wire_live_answer live_answer;
	static struct wire_tree tree;
	struct wire_reader rd;
	uint32_t type;

	if (wire_open(data, size, &type, &rd) < 0)
		return;
	switch (type) {
	case MSG_REQUEST:
		if (wire_decode_request(&rd, &req) == 0)
			same_bytes(wire_encode_request(&again, &req), data, size);
		break;
	case MSG_LOG:
		if (wire_decode_log(&rd, &log) == 0)
			same_bytes(wire_encode_log(&again, &log), data, size);
		break;
	case MSG_NAMES_QUERY:
		if (wire_decode_names(&rd, &names) == 0)
			same_bytes(wire_encode_names(&again, &names), data, size);
		break;
	case MSG_NAMES_ANSWER:
		if (wire_decode_answer(&rd, &answer) == 0)
			same_bytes(wire_encode_answer(&again, &answer), data, size);
		break;
	case MSG_LIVE_QUERY:
		if (wire_decode_live_query(&rd, &live_query) == 0)
			same_bytes(wire_encode_live_query(&again, &live_query), data, size);
		break;
	case MSG_LIVE_ANSWER:
		if (wire_decode_live_answer(&rd, &live_answer) == 0)
			same_bytes(wire_encode_live_answer(&again, &live_answer), data, size);
		break;
	case MSG_PLAN:
		check_plan(data, size, &rd);
		break;
	case MSG_TREE:
		if (wire_decode_tree(&rd, &tree) == 0)
			same_bytes(wire_encode_tree(&again, &tree), data, size);
		break;
	case MSG_REGISTRY:
		check_registry(data, size);
		break;
	default:
		if (wire_decode_reply(&rd, &reply) == 0)
			same_bytes(wire_encode_reply(&again, &reply), data, size);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t msg[WIRE_MAX_MSG];
	uint32_t length;

	decode_all(data, size);
	if (size < HEADER_SIZE || size > sizeof(msg))
		return 0;
	memcpy(msg, data, size);
	length = (uint32_t)(size - HEADER_SIZE);
	memcpy(msg + LENGTH_OFFSET, &length, sizeof(length));
	if (memcmp(msg, data, size) != 0)
		decode_all(msg, size);
	return 0;
}
