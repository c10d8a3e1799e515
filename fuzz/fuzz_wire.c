/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: one datagram of the module <-> helper protocol through the
 * header check and every decoder, as either side would read it.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wire_request req;
	static struct wire_log log;
	static struct wire_names names;
	static struct wire_answer answer;
	static struct wire_reply reply;
	static struct wire_buf again;
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
	default:
		(void)wire_decode_reply(&rd, &reply);
		break;
	}
	return 0;
}
