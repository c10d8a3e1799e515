/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * namespace.conf as data: what one line says, before it is applied to a user.
 *
 * The grammar is pam_namespace's (see namespace.conf(5)):
 *   polydir  instance_prefix  method[:flag...]  [[~]user,user...]
 * Reading text into rules is pure (conf_parse.c); reading files is separate
 * (conf_load.c), and so is applying a rule to one user (conf_expand.c).
 */
#ifndef POLYNS_CONF_H
#define POLYNS_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "diag.h"

/* Hard limits.  Each one, when hit, is a diagnostic naming file and line. */
#define CONF_MAX_FILE_SIZE 1048576
#define CONF_MAX_LINE 8192     /* bytes, without the newline */
#define CONF_MAX_FIELDS 64     /* whitespace-separated fields on a line */
#define CONF_MAX_RULES 1024    /* polydir entries over all files */
#define CONF_MAX_USERS 256     /* names in one list_of_uids (one names query) */
#define CONF_MAX_DROPINS 256   /* drop-in files in namespace.d */
#define CONF_PATH_MAX 4096     /* pam_namespace's PATH_MAX buffers */

enum conf_method {
	METHOD_USER = 1,
	METHOD_CONTEXT,
	METHOD_LEVEL,
	METHOD_TMPDIR,
	METHOD_TMPFS,
};

enum {
	RULE_CREATE = 1U << 0,
	RULE_NOINIT = 1U << 1,
	RULE_ISCRIPT = 1U << 2,
	RULE_SHARED = 1U << 3,
	RULE_MNTOPTS = 1U << 4,
	RULE_EXCLUSIVE = 1U << 5, /* list_of_uids began with '~' */
};

struct conf_rule {
	char *polydir;         /* as written, $HOME/$USER not yet expanded */
	char *instance_prefix; /* likewise */
	enum conf_method method;
	unsigned int flags; /* RULE_* */

	/* create=mode,owner,group: each part optional */
	bool create_mode_set;
	mode_t create_mode;
	char *create_owner; /* NULL: the session user */
	char *create_group; /* NULL: owner's primary group or the user's */

	char *iscript; /* absolute path, or NULL for the default init script */

	unsigned long mount_flags; /* MS_NOSUID, MS_NODEV, MS_NOEXEC from mntopts= */
	char *mount_data;          /* the other mntopts= options, or NULL */

	char **users; /* list_of_uids, as names; resolved later */
	size_t n_users;

	const char *file; /* points into conf.files */
	unsigned int line;
};

struct conf {
	struct conf_rule *rules;
	size_t n_rules;
	size_t rules_cap; /* room in rules (grows by doubling) */
	char **files; /* names of the files read, in order */
	size_t n_files;
};

const char *conf_method_name(enum conf_method m);

/*
 * Parse one file's bytes.  Every problem becomes a diagnostic; a line with an
 * error adds no rule.  With ignore_errors, line errors become warnings (as
 * pam_namespace's ignore_config_error skips bad lines).  iscript_dir is where
 * relative iscript= paths live.
 * Returns 0, -EINVAL when an error was found (including more than
 * CONF_MAX_RULES entries), or -ENOMEM.
 */
int conf_parse_buffer(struct conf *conf, const char *file, const char *buf,
		      size_t len, const char *iscript_dir, bool ignore_errors,
		      struct diag_list *diags);

void conf_free(struct conf *conf);

#endif
