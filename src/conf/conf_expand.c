/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "conf_expand.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int conf_expand_vars(const char *in, const char *user, const char *home,
		     char *out, size_t outlen)
{
	size_t o = 0;

	while (*in) {
		const char *add = in;
		/* Up to the next '$' at once: one copy per run, not per byte. */
		size_t add_len = 1 + strcspn(in + 1, "$"), skip = add_len;

		if (strncmp(in, "$HOME", 5) == 0) {
			add = home;
			add_len = strlen(home);
			skip = 5;
		} else if (strncmp(in, "$USER", 5) == 0) {
			add = user;
			add_len = strlen(user);
			skip = 5;
		}
		if (add_len >= outlen - o)
			return -ENAMETOOLONG;
		memcpy(out + o, add, add_len);
		o += add_len;
		in += skip;
	}
	if (o >= outlen)
		return -ENAMETOOLONG;
	out[o] = '\0';
	return 0;
}

/* All trailing slashes go, but "/" stays "/". */
static void strip_trailing_slashes(char *path)
{
	size_t len = strlen(path);

	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
}

static int expand_one(const char *what, const char *in,
		      const struct session_user *u, char *out, char *err,
		      size_t errlen)
{
	if (conf_expand_vars(in, u->name, u->home, out, CONF_PATH_MAX) < 0) {
		(void)snprintf(err, errlen, "%s is longer than %d bytes after expansion",
			       what, CONF_PATH_MAX - 1);
		return -ENAMETOOLONG;
	}
	return 0;
}

int conf_expand_rule(const struct conf_rule *rule,
		     const struct session_user *user,
		     const struct session_user *ruser, struct expanded_rule *out,
		     char *err, size_t errlen)
{
	int r = expand_one("polydir", rule->polydir, user, out->dir, err, errlen);

	if (r == 0)
		r = expand_one("polydir", rule->polydir, ruser, out->rdir, err, errlen);
	if (r == 0)
		r = expand_one("instance_prefix", rule->instance_prefix, user,
			       out->prefix, err, errlen);
	if (r < 0)
		return r;
	strip_trailing_slashes(out->dir);
	strip_trailing_slashes(out->rdir);

	if (out->dir[0] == '\0' || out->rdir[0] == '\0') {
		(void)snprintf(err, errlen, "polydir is empty");
		return -EINVAL;
	}
	if (out->dir[0] != '/' ||
	    (rule->method != METHOD_TMPFS && out->prefix[0] != '/')) {
		(void)snprintf(err, errlen, "%s '%s' must start with '/'",
			       out->dir[0] != '/' ? "polydir" : "instance_prefix",
			       out->dir[0] != '/' ? out->dir : out->prefix);
		return -EINVAL;
	}
	if (strcmp(out->dir, "/") == 0) {
		/* pam_namespace 1.7 would bind-mount over the root directory. */
		(void)snprintf(err, errlen, "polydir must not be '/'");
		return -EINVAL;
	}
	if (strstr(out->dir, "..") || strstr(out->prefix, "..")) {
		(void)snprintf(err, errlen, "%s '%s' must not contain '..'",
			       strstr(out->dir, "..") ? "polydir" : "instance_prefix",
			       strstr(out->dir, "..") ? out->dir : out->prefix);
		return -EINVAL;
	}
	return 0;
}

bool conf_rule_applies(const struct conf_rule *rule, const uid_t *uids,
		       size_t n_uids, uid_t uid)
{
	bool exclusive = rule->flags & RULE_EXCLUSIVE;

	for (size_t i = 0; i < n_uids; i++)
		if (uids[i] == uid)
			return exclusive;
	return !exclusive;
}
