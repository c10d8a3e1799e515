/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "names.h"

#include <errno.h>
#include <string.h>

#include "channel.h"

int names_resolve(int sock, struct name_table *t)
{
	static struct wire_buf b;
	static uint8_t msg[WIRE_MAX_MSG];
	struct wire_reader rd;
	uint32_t type;
	size_t n_fds;
	ssize_t len;
	int r;

	memset(&t->answer, 0, sizeof(t->answer));
	if (t->query.n_users == 0 && t->query.n_groups == 0)
		return 0;
	r = wire_encode_names(&b, &t->query);
	if (r == 0)
		r = channel_send(sock, &b, NULL, 0);
	if (r < 0)
		return r;
	len = channel_recv(sock, msg, NULL, 0, &n_fds);
	if (len < 0)
		return (int)len;
	if (wire_open(msg, (size_t)len, &type, &rd) < 0 || type != MSG_NAMES_ANSWER ||
	    wire_decode_answer(&rd, &t->answer) < 0 ||
	    t->answer.n_users != t->query.n_users ||
	    t->answer.n_groups != t->query.n_groups)
		return -EBADMSG;
	return 0;
}
