/* SPDX-License-Identifier: BSD-3-Clause */
/* Who is talking to us: checks made before anything is read. */
#ifndef POLYNS_PEER_H
#define POLYNS_PEER_H

/*
 * sock must be an AF_UNIX SOCK_SEQPACKET socket whose peer is root and our
 * parent; we die with the parent and are not dumpable.  0 or -errno.
 */
int peer_check(int sock);

#endif
