/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SELinux for the context and level methods, and instance labels, as
 * pam_namespace does them, through the kernel's own interfaces (selinuxfs
 * and the security.selinux xattr): the helper does not link libselinux.
 * The calls go through a table of operations so that tests on machines
 * without SELinux can put in their own (the seam: see test_hook.c); the
 * installed helper always uses the kernel's.
 */
#ifndef POLYNS_SELINUX_LABEL_H
#define POLYNS_SELINUX_LABEL_H

#include <stdbool.h>

struct se_ops {
	bool (*enabled)(void);
	/* The raw context of the directory open at fd; *con is malloc'ed. */
	int (*file_context)(int fd, char **con);
	/* The context of a directory made by scon inside one labelled tcon. */
	int (*compute_member)(const char *scon, const char *tcon, char **out);
	int (*set_file_context)(int fd, const char *con);
};

/*
 * Before the sandbox: decide whether SELinux is enabled, as libselinux
 * does, and open what compute_member needs later.  0 or -errno.
 */
int se_prepare(void);

const struct se_ops *se_get_ops(void);

/* Context-method polydirs one session can have (selinuxfs fds opened early). */
#define SE_MEMBER_FDS 8
/* Their fixed slots (SE_MEMBER_FD_BASE...+7): the seccomp program, compiled
   at build time, allows write() on exactly these. */
#define SE_MEMBER_FD_BASE 20

/* Did se_prepare() open the member fds (SELinux enabled)? */
bool se_member_open(void);

#ifdef POLYNS_TEST_HOOKS
/* The test build only (src/testhooks/test_hook.c): replace the operations. */
void se_set_ops(const struct se_ops *ops);
#endif

/*
 * A context split as libselinux's context_new() splits it:
 * user:role:type[:range], the range everything after the third colon; 2 to
 * 5 colons, no tab, CR or newline, no space before the range.  A part the
 * string lacks is NULL ("u:r:t" has no range).  0, -EINVAL or -ENOMEM;
 * se_context_free() after success.
 */
#define SE_CONTEXT_USER 0
#define SE_CONTEXT_ROLE 1
#define SE_CONTEXT_TYPE 2
#define SE_CONTEXT_RANGE 3
struct se_context {
	char *copy; /* the parts point into it */
	const char *part[4];
};
int se_context_split(const char *con, struct se_context *c);
void se_context_free(struct se_context *c);

/*
 * The instance context for method context (compute_member) or level (the
 * polydir's context with scon's MLS range).  0 or -errno; *out malloc'ed.
 */
int se_instance_context(bool level, const char *scon, const char *pcon, char **out);

#endif
