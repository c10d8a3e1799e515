/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "channel.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"

/* Room for more fds than we accept, so that "too many" is seen, not truncated. */
#define CMSG_FDS_ROOM 16
_Static_assert(CMSG_FDS_ROOM == 2 * WIRE_MAX_FDS, "room for twice the fds we accept");

int channel_send(int sock, const struct wire_buf *b, const int *fds, size_t n_fds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * WIRE_MAX_FDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = (void *)b->data, .iov_len = b->len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (n_fds > WIRE_MAX_FDS)
		return -EINVAL;
	if (n_fds > 0) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * n_fds);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * n_fds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * n_fds);
	}
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == b->len ? 0 : -EMSGSIZE;
}

static void close_all(const int *fds, size_t n)
{
	for (size_t i = 0; fds && i < n; i++)
		(void)close(fds[i]);
}

/* Take every fd out of the control block; fail on anything unexpected. */
static int collect_fds(struct msghdr *msg, int *fds, size_t max_fds,
		       size_t *n_fds)
{
	int ret = 0;

	*n_fds = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		size_t n;
		int got[CMSG_FDS_ROOM];

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
			ret = -EBADMSG;
			continue;
		}
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		if (n > CMSG_FDS_ROOM)
			n = CMSG_FDS_ROOM;
		memcpy(got, CMSG_DATA(c), n * sizeof(int));
		for (size_t i = 0; i < n; i++) {
			if (*n_fds < max_fds)
				fds[(*n_fds)++] = got[i];
			else {
				(void)close(got[i]);
				ret = -EBADMSG;
			}
		}
	}
	if (msg->msg_flags & (MSG_CTRUNC | MSG_TRUNC))
		ret = -EBADMSG;
	if (ret < 0) {
		close_all(fds, *n_fds);
		*n_fds = 0;
	}
	return ret;
}

// NOLINTNEXTLINE(readability-non-const-parameter): recvmsg() fills buf via iov
ssize_t channel_recv(int sock, uint8_t *buf, int *fds, size_t max_fds,
		     size_t *n_fds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * CMSG_FDS_ROOM)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = WIRE_MAX_MSG };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n;
	int r;

	*n_fds = 0;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	r = collect_fds(&msg, fds, max_fds, n_fds);
	if (r < 0)
		return r;
	if (n == 0 && *n_fds) {
		/* An empty datagram carrying fds: never a message of ours. */
		close_all(fds, *n_fds);
		*n_fds = 0;
		return -EBADMSG;
	}
	if (n == 0)
		return -EPIPE;
	return n;
}

int channel_ask(int sock, const struct wire_buf *b, uint8_t *msg, uint32_t want,
		struct wire_reader *rd)
{
	uint32_t type;
	size_t n_fds;
	ssize_t len;
	int r = channel_send(sock, b, NULL, 0);

	if (r < 0)
		return r;
	len = channel_recv(sock, msg, NULL, 0, &n_fds);
	if (len < 0)
		return (int)len;
	if (wire_open(msg, (size_t)len, &type, rd) < 0 || type != want)
		return -EBADMSG;
	return 0;
}

int channel_recv_request(int sock, uint8_t *msg, struct wire_request *req)
{
	struct wire_reader rd;
	uint32_t type;
	size_t n_fds;
	ssize_t len = channel_recv(sock, msg, NULL, 0, &n_fds);

	if (len < 0)
		return (int)len;
	if (wire_open(msg, (size_t)len, &type, &rd) < 0 || type != MSG_REQUEST)
		return -EBADMSG;
	return wire_decode_request(&rd, req);
}
