/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "peer.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

int peer_check(int sock)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int type, domain;
	socklen_t ilen = sizeof(int);

	if (getsockopt(sock, SOL_SOCKET, SO_TYPE, &type, &ilen) < 0)
		return -errno;
	ilen = sizeof(int);
	if (getsockopt(sock, SOL_SOCKET, SO_DOMAIN, &domain, &ilen) < 0)
		return -errno;
	if (type != SOCK_SEQPACKET || domain != AF_UNIX)
		return -ENOTSOCK;
	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -errno;
	/* Die with the caller; then make sure it did not die before that. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return -errno;
	if (cred.uid != 0 || cred.pid != getppid())
		return -EPERM;
	/* No core dumps and no ptrace by same-uid processes. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return -errno;
	return 0;
}
