/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "nsmake.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"
#include "procid.h"
#include "util.h"

#define LOOPBACK_IFINDEX 1 /* lo is always ifindex 1 in a new network namespace */

static int loopback_up(void)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req = {
		.nh = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = RTM_NEWLINK,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
			.nlmsg_seq = 1,
		},
		.ifi = {
			.ifi_family = AF_UNSPEC,
			.ifi_index = LOOPBACK_IFINDEX,
			.ifi_flags = IFF_UP,
			.ifi_change = IFF_UP,
		},
	};
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr err;
	} ack;
	_cleanup_close_ int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
					NETLINK_ROUTE);
	ssize_t n;

	if (fd < 0)
		return -errno;
	if (send(fd, &req, sizeof(req), 0) != (ssize_t)sizeof(req))
		return errno ? -errno : -EIO;
	n = recv(fd, &ack, sizeof(ack), 0);
	if (n < 0)
		return -errno;
	if ((size_t)n < sizeof(ack) || ack.nh.nlmsg_type != NLMSG_ERROR ||
	    ack.nh.nlmsg_seq != 1)
		return -EPROTO;
	return ack.err.error; /* 0 or -errno from the kernel */
}

/* The namespace of one type that process pid (0: ourselves) is in. */
static int open_ns(pid_t pid, unsigned int bit, struct made_ns *out)
{
	char path[64];
	struct stat st;
	int fd;

	if (pid > 0) {
		(void)snprintf(path, sizeof(path), "%d/ns/%s", (int)pid, polyns_ns_name(bit));
		fd = openat(procid_proc_fd(), path, O_RDONLY | O_CLOEXEC);
	} else {
		(void)snprintf(path, sizeof(path), "/proc/self/ns/%s", polyns_ns_name(bit));
		fd = open(path, O_RDONLY | O_CLOEXEC); /* a magic link: must be followed */
	}
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int e = errno;

		(void)close(fd);
		return -e;
	}
	out->fds[out->n] = fd;
	out->id[out->n] = (struct wire_ns){ bit, st.st_dev, st.st_ino };
	out->n++;
	return 0;
}

int ns_unshare(unsigned int mask, bool mount_private, const char **stage)
{
	int flags = 0;

	for (unsigned int bit = 1; bit & POLYNS_NS_ALL; bit <<= 1)
		if (mask & bit)
			flags |= polyns_ns_clone_flag(bit);
	*stage = "unshare";
	if (unshare(flags) < 0)
		return -errno;
	if (mask & POLYNS_NS_MNT) {
		/* Before any mount: nothing of ours may propagate to the host. */
		*stage = "mount propagation";
		if (mount(NULL, "/", NULL, MS_REC | (mount_private ? MS_PRIVATE : MS_SLAVE),
			  NULL) < 0)
			return -errno;
	}
	if (mask & POLYNS_NS_NET) {
		int r;

		*stage = "loopback up";
		r = loopback_up();
		if (r < 0)
			return r;
	}
	return 0;
}

static int open_all(pid_t pid, unsigned int mask, struct made_ns *out)
{
	int r;

	*out = (struct made_ns){ 0 };
	for (unsigned int bit = 1; bit & POLYNS_NS_ALL; bit <<= 1) {
		if (!(mask & bit))
			continue;
		r = open_ns(pid, bit, out);
		if (r < 0) {
			made_ns_close(out);
			return r;
		}
	}
	return 0;
}

int ns_open_fds(unsigned int mask, struct made_ns *out)
{
	return open_all(0, mask, out);
}

int ns_open_held(const struct procid *holder, int pidfd, unsigned int mask,
		 struct made_ns *out)
{
	struct procid now;
	struct stat st;
	char dir[16];
	int r;

	/*
	 * A holder is root's.  Defence in depth only: a user's non-dumpable
	 * process also shows as root's in /proc; what names the holder is the
	 * pid and start time checked through the pidfd below.
	 */
	(void)snprintf(dir, sizeof(dir), "%d", (int)holder->pid);
	if (fstatat(procid_proc_fd(), dir, &st, 0) < 0)
		return -errno;
	if (st.st_uid != 0 || st.st_gid != 0)
		return -EPERM;
	r = open_all(holder->pid, mask, out);
	/* Opened while it still ran, and it is the process we think. */
	if (r == 0 && (procid_of(holder->pid, pidfd, &now) < 0 || now.start != holder->start))
		r = -ESRCH;
	if (r < 0)
		made_ns_close(out);
	return r;
}

void made_ns_close(struct made_ns *m)
{
	for (size_t i = 0; i < m->n; i++)
		(void)close(m->fds[i]);
	m->n = 0;
}
