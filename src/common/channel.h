/* SPDX-License-Identifier: BSD-3-Clause */
/* One framed message per datagram on the SOCK_SEQPACKET pair, fds attached. */
#ifndef POLYNS_CHANNEL_H
#define POLYNS_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

/* Send b (and n_fds fds) as one datagram.  0 or -errno. */
int channel_send(int sock, const struct wire_buf *b, const int *fds, size_t n_fds);

/*
 * Receive one datagram into buf (WIRE_MAX_MSG bytes).  Received fds are
 * CLOEXEC and stored in fds (up to max_fds); more than max_fds, or a
 * truncated message or control block, closes them all and fails with
 * -EBADMSG.  0 at end of stream gives -EPIPE.  Returns the length.
 */
ssize_t channel_recv(int sock, uint8_t *buf, int *fds, size_t max_fds,
		     size_t *n_fds);

/*
 * One question and its answer: send b, then read one datagram (no fds) of
 * type want into msg (WIRE_MAX_MSG bytes); rd reads its payload.
 * 0, -EBADMSG (another type, or malformed), or -errno.
 */
int channel_ask(int sock, const struct wire_buf *b, uint8_t *msg, uint32_t want,
		struct wire_reader *rd);

/*
 * Receive one MSG_REQUEST, without fds, into msg (WIRE_MAX_MSG bytes) and
 * decode it into req, whose strings then point into msg: the helper's from
 * the module, the plan child's from the helper.  0, -EBADMSG (another type,
 * or malformed), -EPIPE (the peer closed), or -errno.
 */
int channel_recv_request(int sock, uint8_t *msg, struct wire_request *req);

#endif
