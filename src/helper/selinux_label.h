/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SELinux for the context and level methods, and instance labels, as
 * pam_namespace does them.  The calls go through a table of operations so
 * that tests on machines without SELinux can put in their own (the seam:
 * see test_hook.c); the installed helper always uses libselinux.
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

/* Before the sandbox: open what compute_member needs later.  0 or -errno. */
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
 * The instance context for method context (compute_member) or level (the
 * polydir's context with scon's MLS range).  0 or -errno; *out malloc'ed.
 */
int se_instance_context(bool level, const char *scon, const char *pcon, char **out);

#endif
