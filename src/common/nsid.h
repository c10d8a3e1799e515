/* SPDX-License-Identifier: BSD-3-Clause */
/* A mount namespace's identity, as the helper records it and the module asks for it. */
#ifndef POLYNS_NSID_H
#define POLYNS_NSID_H

#include <errno.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "options.h" /* NS_GET_MNTNS_ID where the headers lack it */

/*
 * The mount namespace open at fd: its 64-bit id, never reused (Linux 6.8+),
 * or else its nsfs inode number, which the kernel may reuse (then an old
 * instance is merely kept longer).  0 or -errno.
 */
static inline int ns_mntns_id(int fd, uint64_t *id)
{
	struct stat st;

	if (ioctl(fd, NS_GET_MNTNS_ID, id) == 0)
		return 0;
	if (fstat(fd, &st) < 0)
		return -errno;
	*id = st.st_ino;
	return 0;
}

#endif
