/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: one datagram of the module <-> helper protocol through the
 * header check and every decoder, as either side would read it; and the
 * helper's own messages from its children (MSG_PLAN, MSG_TREE), which the
 * helper reads from processes that handled untrusted input.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "plan_wire.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A plan that decodes must encode back to the same bytes. */
static void check_plan(const uint8_t *data, size_t size, struct wire_reader *rd)
{
	static struct plan_job jobs[PLAN_MAX_JOBS];
	static struct wire_buf again;
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
	if (wire_finish(&again) < 0 || again.len != size || memcmp(again.data, data, size) != 0)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wire_request req;
	static struct wire_log log;
	static struct wire_names names;
	static struct wire_answer answer;
	static struct wire_reply reply;
	static struct wire_live_query live_query;
	static struct wire_live_answer live_answer;
	static struct wire_buf again;
	static struct wire_tree tree;
	struct wire_reader rd;
	uint32_t type;

	if (wire_open(data, size, &type, &rd) < 0)
		return 0;
	switch (type) {
	case MSG_REQUEST:
		/* A request that decodes must encode back to the same bytes. */
		if (wire_decode_request(&rd, &req) == 0 &&
		    (wire_encode_request(&again, &req) < 0 || again.len != size ||
		     memcmp(again.data, data, size) != 0))
			__builtin_trap();
		break;
	case MSG_LOG:
		(void)wire_decode_log(&rd, &log);
		break;
	case MSG_NAMES_QUERY:
		(void)wire_decode_names(&rd, &names);
		break;
	case MSG_NAMES_ANSWER:
		(void)wire_decode_answer(&rd, &answer);
		break;
	case MSG_LIVE_QUERY:
		(void)wire_decode_live_query(&rd, &live_query);
		break;
	case MSG_LIVE_ANSWER:
		(void)wire_decode_live_answer(&rd, &live_answer);
		break;
	case MSG_PLAN:
		check_plan(data, size, &rd);
		break;
	case MSG_TREE:
		(void)wire_decode_tree(&rd, &tree);
		break;
	default:
		(void)wire_decode_reply(&rd, &reply);
		break;
	}
	return 0;
}
