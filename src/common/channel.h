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

#endif
