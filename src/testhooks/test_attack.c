/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test-only: what an attacker with code execution inside the helper would
 * try, one operation per run ("STEP attack=OP PID" in the hook file).  Each
 * operation is written to get past the helper's own filter where it can (fd
 * forms, openat() as every step that opens allows it, the exact flags the
 * table allows), so that what stops it is the
 * step's privileges, not a lucky argument.  The test looks at the host from
 * outside afterwards; the log line below only helps reading a failure.
 *
 * Targets, made by tests/integration/test_contained.sh in its private /run:
 *   /run/decoy       root 0700, with secret (0600, "TOPSECRET"), victim, victim2
 * Operations: read, chmod (0777), setuid (04777), fchown, rename, unlink,
 * mkdir, overmount, umount, propagation, netlink, kill.
 *   /run/userdir     the user's directory, with the user's file evil
 *   /run/hostdir     a directory of the host's mount namespace
 *   /run/hostmnt     a tmpfs mounted in the host's mount namespace
 *   PID              a root process of the host
 */
#define _GNU_SOURCE
#include "test_attack.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/if_addr.h>
#include <linux/mount.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "hlog.h"

#define DECOY "/run/decoy"
#define OPEN_FLAGS (O_RDONLY | O_CLOEXEC)

static int result(int r)
{
	return r < 0 ? -errno : 0;
}

static int attack_read(void)
{
	char buf[64] = { 0 };
	int fd = openat(AT_FDCWD, DECOY "/secret", OPEN_FLAGS);

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		return -errno;
	hlog(LOG_ERR, "test attack: read the secret: %s", buf);
	return 0;
}

/* mode: 0777 (a root file anyone may write) or 04777 (a set-user-ID one). */
static int attack_fchmod(mode_t mode)
{
	int fd = openat(AT_FDCWD, DECOY "/victim", OPEN_FLAGS);

	return fd < 0 ? -errno : result(fchmod(fd, mode));
}

static int attack_fchown(uid_t uid)
{
	int fd = openat(AT_FDCWD, DECOY "/victim", OPEN_FLAGS);

	return fd < 0 ? -errno : result(fchown(fd, uid, (gid_t)-1));
}

static int attack_rename(void)
{
	return result(renameat(AT_FDCWD, "/run/userdir/evil", AT_FDCWD, DECOY "/victim"));
}

static int attack_unlink(void)
{
	int fd = openat(AT_FDCWD, DECOY, OPEN_FLAGS | O_DIRECTORY);

	return fd < 0 ? -errno : result(unlinkat(fd, "victim2", 0));
}

static int attack_mkdir(void)
{
	int fd = openat(AT_FDCWD, DECOY, OPEN_FLAGS | O_DIRECTORY);

	return fd < 0 ? -errno : result(mkdirat(fd, "planted", 0755));
}

static int attack_overmount(void)
{
	int from = openat(AT_FDCWD, "/run/userdir", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int to = openat(AT_FDCWD, "/run/hostdir", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int tree;

	if (from < 0 || to < 0)
		return -errno;
	tree = (int)syscall(SYS_open_tree, from, "",
			    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (tree < 0)
		return -errno;
	return result((int)syscall(SYS_move_mount, tree, "", to, "",
				   MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH));
}

static int attack_umount(void)
{
	return result(umount2("/run/hostmnt", MNT_DETACH));
}

static int attack_propagation(void)
{
	return result(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
}

/* RTM_NEWADDR 192.0.2.77/32 on lo, in whatever network namespace we are in. */
static int attack_netlink(void)
{
	struct {
		struct nlmsghdr nh;
		struct ifaddrmsg ifa;
		struct rtattr rta;
		struct in_addr addr;
	} req = {
		.nh = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_NEWADDR,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE },
		.ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 32, .ifa_index = 1 },
		.rta = { .rta_len = RTA_LENGTH(sizeof(struct in_addr)), .rta_type = IFA_LOCAL },
	};
	char ack[256];
	struct nlmsgerr *err = (struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)ack);
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return -errno;
	(void)inet_pton(AF_INET, "192.0.2.77", &req.addr);
	if (sendto(fd, &req, sizeof(req), 0, NULL, 0) < 0 ||
	    recvfrom(fd, ack, sizeof(ack), 0, NULL, NULL) < (ssize_t)NLMSG_LENGTH(sizeof(*err)))
		return -errno;
	return err->error;
}

static int attack_kill(pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0)
		return -errno;
	return result((int)syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0));
}

/*
 * As an attacker would: make every permitted capability effective first
 * (capset may only raise effective up to permitted).  Skipped where nothing
 * would change, so that a step whose filter has no capset is not killed here.
 */
static void raise_caps(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };
	unsigned long long eff = 0, prm = 0;
	char buf[2048] = { 0 };
	const char *p;
	int fd = openat(AT_FDCWD, "/proc/self/status", OPEN_FLAGS);

	if (fd < 0)
		return;
	if (read(fd, buf, sizeof(buf) - 1) <= 0)
		buf[0] = '\0';
	(void)close(fd);
	p = strstr(buf, "CapPrm:");
	if (p)
		prm = strtoull(p + 7, NULL, 16);
	p = strstr(buf, "CapEff:");
	if (p)
		eff = strtoull(p + 7, NULL, 16);
	if (prm == eff)
		return;
	data[0] = (struct __user_cap_data_struct){ (uint32_t)prm, (uint32_t)prm, 0 };
	data[1] = (struct __user_cap_data_struct){ (uint32_t)(prm >> 32), (uint32_t)(prm >> 32), 0 };
	(void)syscall(SYS_capset, &hdr, data);
}

void test_attack(const char *op, long arg)
{
	int r = -EINVAL;

	raise_caps();
	if (strcmp(op, "read") == 0)
		r = attack_read();
	else if (strcmp(op, "chmod") == 0)
		r = attack_fchmod(0777);
	else if (strcmp(op, "setuid") == 0)
		r = attack_fchmod(04777);
	else if (strcmp(op, "setgid") == 0)
		r = attack_fchmod(02777);
	else if (strcmp(op, "fchown") == 0)
		r = attack_fchown((uid_t)arg);
	else if (strcmp(op, "rename") == 0)
		r = attack_rename();
	else if (strcmp(op, "unlink") == 0)
		r = attack_unlink();
	else if (strcmp(op, "mkdir") == 0)
		r = attack_mkdir();
	else if (strcmp(op, "overmount") == 0)
		r = attack_overmount();
	else if (strcmp(op, "umount") == 0)
		r = attack_umount();
	else if (strcmp(op, "propagation") == 0)
		r = attack_propagation();
	else if (strcmp(op, "netlink") == 0)
		r = attack_netlink();
	else if (strcmp(op, "kill") == 0)
		r = attack_kill((pid_t)arg);
	hlog(LOG_NOTICE, "test attack %s: %s", op, r == 0 ? "done" : strerror(-r));
}
