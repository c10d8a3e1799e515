/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "instance_name.h"

#include <errno.h>
#include <md5.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

static void md5_hex(const char *s, char hex[MD5_DIGEST_STRING_LENGTH])
{
	/* libmd renders the digest as lowercase hex, as pam_namespace does. */
	MD5Data((const uint8_t *)s, strlen(s), hex);
}

static int copy_out(const char *s, char *out, size_t outlen)
{
	size_t len = strlen(s);

	if (len >= outlen)
		return -ENAMETOOLONG;
	memcpy(out, s, len + 1);
	return 0;
}

static int shorten(const char *diff, bool gen_hash, char *out, size_t outlen)
{
	char hex[MD5_DIGEST_STRING_LENGTH];
	size_t len = strlen(diff);
	int n;

	if (!gen_hash && len <= INSTANCE_NAME_LIMIT)
		return copy_out(diff, out, outlen);
	md5_hex(diff, hex);
	if (gen_hash)
		return copy_out(hex, out, outlen);
	n = snprintf(out, outlen, "%.*s_%s",
		     INSTANCE_NAME_LIMIT - 1 - INSTANCE_MD5_HEX, diff, hex);
	return (n < 0 || (size_t)n >= outlen) ? -ENAMETOOLONG : 0;
}

static int valid_component(const char *name)
{
	if (strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EINVAL;
	return 0;
}

int instance_name(enum conf_method method, bool shared, const char *user,
		  const char *context, bool gen_hash, char *out, size_t outlen)
{
	char diff[CONF_PATH_MAX];
	int r;

	switch (method) {
	case METHOD_TMPFS:
		return copy_out("", out, outlen);
	case METHOD_TMPDIR:
		return copy_out(INSTANCE_TMPDIR_TEMPLATE, out, outlen);
	case METHOD_CONTEXT:
	case METHOD_LEVEL:
		if (context) {
			r = shared ? snprintf(diff, sizeof(diff), "%s", context)
				   : snprintf(diff, sizeof(diff), "%s_%s", context, user);
			break;
		}
		if (shared)
			return INSTANCE_SKIP;
		/* Without a context, pam_namespace falls back to the user method. */
		__attribute__((fallthrough));
	case METHOD_USER:
		r = snprintf(diff, sizeof(diff), "%s", user);
		break;
	default:
		return -EINVAL;
	}
	if (r < 0 || (size_t)r >= sizeof(diff))
		return -ENAMETOOLONG;
	if (*diff == '\0')
		return -EINVAL;
	r = shorten(diff, gen_hash, out, outlen);
	if (r < 0)
		return r;
	return valid_component(out);
}

int instance_path_split(const char *prefix, const char *name, char *parent,
			size_t parent_len, char *base, size_t base_len)
{
	/* On the stack: a heap block here cost the polydirs step a map and an unmap per polydir. */
	char full[CONF_PATH_MAX];
	int n = snprintf(full, sizeof(full), "%s%s", prefix, name);
	const char *slash;
	size_t plen;

	if (n < 0 || (size_t)n >= sizeof(full))
		return -ENAMETOOLONG;
	slash = strrchr(full, '/');
	if (!slash)
		return -EINVAL;
	plen = (size_t)(slash - full);
	while (plen > 1 && full[plen - 1] == '/')
		plen--; /* "/tmp-inst//alice": the parent is "/tmp-inst" */
	if (plen == 0)
		plen = 1; /* the parent is "/" */
	if (plen >= parent_len || strlen(slash + 1) >= base_len)
		return -ENAMETOOLONG;
	memcpy(parent, full, plen);
	parent[plen] = '\0';
	memcpy(base, slash + 1, strlen(slash + 1) + 1);
	if (*base == '\0')
		return -EINVAL;
	return valid_component(base);
}
