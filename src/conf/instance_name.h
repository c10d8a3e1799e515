/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Instance names, identical to pam_namespace's: the differentiation string
 * of each method, the MD5 of over-long strings and gen_hash.
 */
#ifndef POLYNS_INSTANCE_NAME_H
#define POLYNS_INSTANCE_NAME_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"

#define INSTANCE_NAME_LIMIT 80 /* longer strings are shortened with MD5 */
#define INSTANCE_MD5_HEX 32
#define INSTANCE_TMPDIR_TEMPLATE "XXXXXX"

/* Returned when the rule is skipped: shared context/level without SELinux. */
#define INSTANCE_SKIP 1

/*
 * The instance name for a rule: user -> "user"; context/level -> "ctx_user"
 * or "ctx" with shared, falling back to the user method when context is NULL
 * (SELinux off); tmpdir -> the mkdtemp template; tmpfs -> "" (no instance).
 * Returns 0, INSTANCE_SKIP, -EINVAL for a name that is not one path
 * component, -ENAMETOOLONG if out is too small.
 */
int instance_name(enum conf_method method, bool shared, const char *user,
		  const char *context, bool gen_hash, char *out, size_t outlen);

/*
 * prefix + name, split into the parent directory (no trailing slash unless it
 * is "/") and the last component.  Returns 0, -EINVAL (empty, ".", ".." last
 * component) or -ENAMETOOLONG.
 */
int instance_path_split(const char *prefix, const char *name, char *parent,
			size_t parent_len, char *base, size_t base_len);

#endif
