/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Module arguments: `session required pam_polyns.so ARGS`.
 *
 * A pure parser: argv words in, a filled struct or one error message out.  It
 * accepts every pam_namespace option, pam_polyns's own key=value options and
 * pam_ns's positional spelling (`user CLONE_NEWIPC CLONE_NEWNS`).  Unlike
 * pam_namespace, an unknown or malformed word is an error, so a typo can never
 * silently weaken a session.
 */
#ifndef POLYNS_OPTIONS_H
#define POLYNS_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <stddef.h>

#define POLYNS_DEFAULT_CONFIG "/etc/security/namespace.conf"
#define POLYNS_DEFAULT_CONFIG_DIR "/etc/security/namespace.d"
#define POLYNS_DEFAULT_INIT "/etc/security/namespace.init"
#define POLYNS_DEFAULT_RUNTIME_DIR "/run/polyns"
#define POLYNS_DEFAULT_TIMEOUT 10U
#define POLYNS_MAX_TIMEOUT 3600U

#ifndef POLYNS_DEFAULT_HELPER
#define POLYNS_DEFAULT_HELPER "/usr/libexec/polyns-helper"
#endif

/* Boolean options, as bits of polyns_options.flags. */
enum {
	POLYNS_OPT_DEBUG = 1U << 0,
	POLYNS_OPT_GEN_HASH = 1U << 1,
	POLYNS_OPT_IGNORE_CONFIG_ERROR = 1U << 2,
	POLYNS_OPT_IGNORE_INSTANCE_PARENT_MODE = 1U << 3,
	POLYNS_OPT_UNMOUNT_ON_CLOSE = 1U << 4,
	POLYNS_OPT_REQUIRE_SELINUX = 1U << 5,
	POLYNS_OPT_USE_CURRENT_CONTEXT = 1U << 6,
	POLYNS_OPT_USE_DEFAULT_CONTEXT = 1U << 7,
	POLYNS_OPT_MOUNT_PRIVATE = 1U << 8,
};

enum polyns_unmnt {
	POLYNS_UNMNT_NONE,
	POLYNS_UNMNT_REMNT, /* unmnt_remnt */
	POLYNS_UNMNT_ONLY,  /* unmnt_only */
};

enum polyns_share {
	POLYNS_SHARE_SESSION,
	POLYNS_SHARE_USER,
	POLYNS_SHARE_GROUP,
};

/* Namespace types, as bits of polyns_options.ns_mask (not CLONE_* values). */
enum polyns_ns {
	POLYNS_NS_MNT = 1U << 0,
	POLYNS_NS_IPC = 1U << 1,
	POLYNS_NS_NET = 1U << 2,
	POLYNS_NS_PID = 1U << 3,
	POLYNS_NS_USER = 1U << 4,
	POLYNS_NS_UTS = 1U << 5,
	POLYNS_NS_CGROUP = 1U << 6,
	POLYNS_NS_TIME = 1U << 7,
};
#define POLYNS_NS_ALL 0xffU

struct polyns_options {
	unsigned int flags; /* POLYNS_OPT_* */
	enum polyns_unmnt unmnt;
	enum polyns_share share;
	unsigned int ns_mask; /* POLYNS_NS_* named by ns= or CLONE_* words */
	unsigned int timeout_sec;
	/* These point into the argv given to the parser (or at defaults). */
	const char *config;
	const char *config_dir;
	const char *init;
	const char *helper;
	const char *runtime_dir;
};

/*
 * Parse argv.  Returns 0, or -EINVAL with a one-line reason that names the
 * offending word in err.  Later words override earlier ones where
 * pam_namespace does the same (unmnt_remnt/unmnt_only, unmount_on_close and
 * no_unmount_on_close); a share strategy given twice with different values is
 * an error.
 */
int polyns_options_parse(int argc, const char *const *argv,
			 struct polyns_options *opts, char *err, size_t errlen);

/* "mnt", "ipc", ... for one POLYNS_NS_* bit; NULL for anything else. */
const char *polyns_ns_name(unsigned int ns_bit);

/*
 * Does a session with this sharing strategy and these namespace types keep
 * its set in the registry (with a holder)?  The module and the helper both
 * decide by this.
 */
bool polyns_uses_registry(unsigned int share, unsigned int ns_mask);

/* A mount namespace's 64-bit id (Linux 6.8; not in Debian 12's headers). */
#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID _IOR(0xb7, 0x5, uint64_t)
#endif

/* The CLONE_NEW* value for one POLYNS_NS_* bit; 0 for anything else. */
int polyns_ns_clone_flag(unsigned int ns_bit);

const char *polyns_share_name(enum polyns_share share);

#endif
