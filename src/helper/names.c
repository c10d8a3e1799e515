/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "names.h"

#include <errno.h>
#include <string.h>

#include "channel.h"

int names_resolve(int sock, struct name_table *t)
{
	static struct wire_buf b;
	struct wire_reader rd;
	int r;

	memset(&t->answer, 0, sizeof(t->answer));
	if (t->query.n_users == 0 && t->query.n_groups == 0)
		return 0;
	r = wire_encode_names(&b, &t->query);
	if (r == 0) {
		static uint8_t msg[WIRE_MAX_MSG]; /* the answer's strings point into it */

		r = channel_ask(sock, &b, msg, MSG_NAMES_ANSWER, &rd);
	}
	if (r == 0 && (wire_decode_answer(&rd, &t->answer) < 0 ||
		       t->answer.n_users != t->query.n_users ||
		       t->answer.n_groups != t->query.n_groups))
		r = -EBADMSG;
	return r;
}
