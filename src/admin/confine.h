/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What polyns-admin gives up before it reads the registry.
 *
 * It needs no capability: the registry is root's and polyns-admin runs as
 * uid 0, so it is the owner of everything it reads, locks, makes and
 * removes.  So every capability goes (bounding, ambient and inheritable
 * sets emptied, securebits locked as the helper's are), no_new_privs is
 * set, and a seccomp filter kills it if it ever tries what its job never
 * needs: signalling (but signal 0 through a pidfd, the liveness check),
 * exec, ptrace, mounts and namespaces, writing, creating, truncating,
 * unlinking, chmod or chown of a file, changing its ids, modules, keys, bpf,
 * io_uring, and any other ABI.  The filter lists what is forbidden rather
 * than what is allowed (the helper's are allowlists): polyns-admin looks up
 * user and group names through NSS, which may load modules and talk to
 * daemons (nscd, sssd, systemd-userdb), and an allowlist for all of that
 * would allow nearly everything.
 */
#ifndef POLYNS_ADMIN_CONFINE_H
#define POLYNS_ADMIN_CONFINE_H

/* 0 or -errno; the caller refuses to go on without it. */
int admin_confine(void);

#endif
